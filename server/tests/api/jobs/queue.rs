//! The durable queue: priority order, exclusive claims under concurrency, recovery after a killed worker.

use super::{assert_queue_drained, generate, jobs_app, queued, token, wait_final, worker_process};
use crate::helpers::Backend;
use app::services::jobs::queue;
use serde_json::{json, Value};
use std::collections::HashSet;
use std::time::Duration;

#[tokio::test]
async fn premium_jobs_are_taken_before_older_free_ones() {
    let app = jobs_app(Backend::Suite, &[("T2M_WORKERS", "0")]).await;
    let free: Value = generate(
        &app,
        &token("user_f", "free"),
        json!({"prompt": "free first"}),
    )
    .await
    .json()
    .await
    .unwrap();
    let paid: Value = generate(
        &app,
        &token("user_p", "premium"),
        json!({"prompt": "premium second"}),
    )
    .await
    .json()
    .await
    .unwrap();
    let (_, free_job) = super::job(
        &app,
        &token("user_f", "free"),
        free["data"]["job_id"].as_str().unwrap(),
    )
    .await;
    assert_eq!(free_job["data"]["queue_position"], 2);
    let claimed = queue::claim(&app.state.db, "test-worker", 30_000)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(claimed.id, paid["data"]["job_id"].as_str().unwrap());
}

#[tokio::test]
async fn concurrent_claims_on_postgres_never_take_the_same_job() {
    let app = jobs_app(
        Backend::Postgres,
        &[("T2M_WORKERS", "0"), ("T2M_MAX_ACTIVE_JOBS", "40")],
    )
    .await;
    let user = token("user_many", "free");
    for i in 0..40 {
        assert_eq!(
            generate(&app, &user, json!({"prompt": format!("job {i}")}))
                .await
                .status(),
            202
        );
    }
    let mut claimers = tokio::task::JoinSet::new();
    for w in 0..8 {
        let db = app.state.db.clone();
        claimers.spawn(async move {
            let mut mine = Vec::new();
            while let Some(job) = queue::claim(&db, &format!("worker-{w}"), 30_000)
                .await
                .unwrap()
            {
                mine.push(job.id);
            }
            mine
        });
    }
    let mut all = Vec::new();
    while let Some(claimed) = claimers.join_next().await {
        all.extend(claimed.unwrap());
    }
    let unique: HashSet<_> = all.iter().collect();
    assert_eq!(all.len(), 40, "every job claimed once");
    assert_eq!(unique.len(), 40, "no job claimed twice");
    for id in &all {
        sqlx::query("UPDATE jobs SET status = 'completed' WHERE id = $1")
            .bind(id)
            .execute(&app.state.db.pool)
            .await
            .unwrap();
    }
    assert_queue_drained(&app).await;
}

#[tokio::test]
async fn an_expired_lease_returns_the_job_and_exhausted_attempts_fail_it() {
    let app = jobs_app(
        Backend::Suite,
        &[("T2M_WORKERS", "0"), ("T2M_JOB_MAX_ATTEMPTS", "2")],
    )
    .await;
    let user = token("user_crash", "free");
    let id = queued(&app, &user, json!({"prompt": "crashy"})).await;
    for attempt in 1..=2 {
        let job = queue::claim(&app.state.db, "doomed", 1)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(job.attempts, attempt);
        tokio::time::sleep(Duration::from_millis(5)).await;
        assert_eq!(queue::reclaim_expired(&app.state.db).await.unwrap(), 1);
        let beat = queue::heartbeat(&app.state.db, &id, "doomed", 50, 30_000)
            .await
            .unwrap();
        assert_eq!(
            beat,
            queue::Beat::Lost,
            "a reclaimed job's old worker may not write"
        );
    }
    let (_, job) = super::job(&app, &user, &id).await;
    assert_eq!(job["data"]["status"], "failed");
    assert!(job["data"]["error"]
        .as_str()
        .unwrap()
        .contains("every attempt"));
}

#[tokio::test]
async fn a_worker_killed_mid_render_leaves_a_job_that_completes_after_restart() {
    let app = jobs_app(Backend::Postgres, &[("T2M_WORKERS", "0")]).await;
    let user = token("user_kill", "free");
    let id = queued(
        &app,
        &user,
        json!({"prompt": "Survive the crash. Then finish.", "duration": 12, "quality": "480p"}),
    )
    .await;
    let spawn_worker = || worker_process(&app, &[("T2M_JOB_LEASE_SECS", "2")]);
    let mut first = spawn_worker();
    loop {
        let (_, job) = super::job(&app, &user, &id).await;
        if job["data"]["status"] == "processing" && job["data"]["progress"].as_i64().unwrap() > 5 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    first.kill(); // SIGKILL: no chance to release the lease.
    let (_, orphaned) = super::job(&app, &user, &id).await;
    assert_eq!(
        orphaned["data"]["status"], "processing",
        "the dead worker's lease still stands"
    );
    let mut second = spawn_worker();
    let seen = wait_final(&app, &user, &id, Duration::from_secs(240)).await;
    second.kill();
    let last = seen.last().unwrap();
    assert_eq!(last["status"], "completed", "{last}");
    assert_eq!(last["attempts"], 2);
    let video =
        super::probe(&super::stored_path(&app, last["video_file_id"].as_str().unwrap()).await);
    assert!((video.duration - 12.0).abs() <= 0.5);
    assert_queue_drained(&app).await;
}

#[tokio::test]
async fn a_job_queued_by_one_machine_wakes_an_idle_worker_on_another_at_once() {
    let app = jobs_app(Backend::Postgres, &[("T2M_WORKERS", "0")]).await;
    let database = app
        .state
        .config
        .database_url
        .rsplit('/')
        .next()
        .unwrap()
        .to_owned();
    // Idle polling every ten minutes: only a notification can start the job within the test's limit.
    let mut worker = worker_process(&app, &[("T2M_WORKER_IDLE_POLL_MS", "600000")]);
    let listening = || async {
        let (n,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = $1 AND query ILIKE 'LISTEN%'",
        )
        .bind(&database)
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
        n > 0
    };
    for _ in 0..300 {
        if listening().await {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        listening().await,
        "the worker process listens for queued jobs"
    );
    // Its first look at the empty queue is long over; from here it sleeps until woken.
    tokio::time::sleep(Duration::from_secs(1)).await;

    let user = token("user_wake", "free");
    let id = queued(
        &app,
        &user,
        json!({"prompt": "Wake up.", "duration": 1, "quality": "480p"}),
    )
    .await;
    let seen = wait_final(&app, &user, &id, Duration::from_secs(60)).await;
    worker.kill();
    assert_eq!(seen.last().unwrap()["status"], "completed");
}

#[tokio::test]
async fn job_lists_give_each_queued_job_the_place_its_own_status_gives() {
    let app = jobs_app(
        Backend::Suite,
        &[("T2M_WORKERS", "0"), ("T2M_MAX_ACTIVE_JOBS", "5")],
    )
    .await;
    let other = token("user_before", "free");
    queued(&app, &other, json!({"prompt": "someone else's, first"})).await;
    // Queue order is by creation time in milliseconds: keep the other user's job strictly older.
    tokio::time::sleep(Duration::from_millis(5)).await;
    let user = token("user_three", "free");
    let mut ids = Vec::new();
    for i in 0..3 {
        ids.push(queued(&app, &user, json!({"prompt": format!("mine {i}")})).await);
    }
    let list = super::list(&app, &user).await;
    let listed: Vec<(String, Value)> = list["data"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| {
            (
                item["id"].as_str().unwrap().to_owned(),
                item["queue_position"].clone(),
            )
        })
        .collect();
    // Newest first, each behind the other user's older job and its own older ones.
    let places: Vec<&Value> = listed.iter().map(|(_, place)| place).collect();
    assert_eq!(places, [&json!(4), &json!(3), &json!(2)]);
    let mut listed_ids: Vec<&String> = listed.iter().map(|(id, _)| id).collect();
    listed_ids.sort();
    let mut queued_ids: Vec<&String> = ids.iter().collect();
    queued_ids.sort();
    assert_eq!(listed_ids, queued_ids);
    for (id, place) in &listed {
        let (_, one) = super::job(&app, &user, id).await;
        assert_eq!(&one["data"]["queue_position"], place);
    }
}
