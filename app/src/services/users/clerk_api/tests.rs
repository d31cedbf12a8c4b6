//! The client against a small local Backend API stand-in that answers from a script.

use super::*;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode as AxumStatus};
use axum::response::IntoResponse;
use std::sync::{Arc, Mutex};

/// `(status, Retry-After)` answers, in order.
type Answers = Arc<Mutex<Vec<(u16, Option<&'static str>)>>>;
/// `(method, path, Authorization, JSON body)` of each request.
type Seen = Arc<Mutex<Vec<(String, String, String, Value)>>>;

/// Answers each request with the next `(status, Retry-After)` of its script (the last one forever), and
/// records what it was sent.
#[derive(Clone, Default)]
struct Script {
    answers: Answers,
    seen: Seen,
}

async fn answer(
    State(script): State<Script>,
    method: axum::http::Method,
    uri: axum::http::Uri,
    headers: HeaderMap,
    body: String,
) -> axum::response::Response {
    let auth = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let body = serde_json::from_str(&body).unwrap_or(Value::Null);
    script
        .seen
        .lock()
        .unwrap()
        .push((method.to_string(), uri.path().to_owned(), auth, body));
    let (status, retry_after) = {
        let mut answers = script.answers.lock().unwrap();
        if answers.len() > 1 {
            answers.remove(0)
        } else {
            answers[0]
        }
    };
    let mut response = (
        AxumStatus::from_u16(status).unwrap(),
        axum::Json(json!({"id": "user_1", "object": "user", "public_metadata": {"role": "admin"}})),
    )
        .into_response();
    if let Some(wait) = retry_after {
        response
            .headers_mut()
            .insert("retry-after", HeaderValue::from_static(wait));
    }
    response
}

async fn stub(answers: Vec<(u16, Option<&'static str>)>) -> (Script, ClerkBackend) {
    let script = Script::default();
    *script.answers.lock().unwrap() = answers;
    let router = axum::Router::new()
        .fallback(answer)
        .with_state(script.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    let backend = ClerkBackend::new(&url, SecretString::from("sk_test_stub"), fast()).unwrap();
    (script, backend)
}

fn fast() -> RetryPolicy {
    RetryPolicy {
        attempts: 3,
        base_delay: Duration::from_millis(20),
        budget: Duration::from_secs(5),
    }
}

#[tokio::test]
async fn a_503_is_tried_again_and_the_second_answer_counts() {
    let (script, backend) = stub(vec![(503, None), (200, None)]).await;
    let user = backend
        .update_user_metadata(
            "user_1",
            &json!({"role": "admin", "subscription_tier": "premium"}),
        )
        .await
        .unwrap();
    assert_eq!(user["public_metadata"]["role"], "admin");
    let seen = script.seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 2);
    for (method, path, auth, body) in seen {
        assert_eq!(
            (method.as_str(), path.as_str(), auth.as_str()),
            ("PATCH", "/v1/users/user_1/metadata", "Bearer sk_test_stub")
        );
        assert_eq!(body["public_metadata"]["subscription_tier"], "premium");
    }
}

#[tokio::test]
async fn throttling_waits_as_long_as_retry_after_asks() {
    let (script, backend) = stub(vec![(429, Some("1")), (200, None)]).await;
    let started = std::time::Instant::now();
    backend.revoke_session("sess_1").await.unwrap();
    assert!(started.elapsed() >= Duration::from_secs(1));
    let seen = script.seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[0].1, "/v1/sessions/sess_1/revoke");
}

#[tokio::test]
async fn server_failures_give_up_after_three_attempts() {
    let (script, backend) = stub(vec![(500, None)]).await;
    let err = backend.delete_user("user_1").await.unwrap_err();
    assert!(
        matches!(
            err,
            ClerkApiError::Refused {
                status: 500,
                attempts: 3,
                ..
            }
        ),
        "{err}"
    );
    assert_eq!(script.seen.lock().unwrap().len(), 3);
    assert_eq!(AppError::from(err).code(), "identity_provider_error");
}

#[tokio::test]
async fn a_refusal_is_final_at_once() {
    let (script, backend) = stub(vec![(401, None)]).await;
    let err = backend
        .update_user_metadata("user_1", &json!({}))
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            ClerkApiError::Refused {
                status: 401,
                attempts: 1,
                ..
            }
        ),
        "{err}"
    );
    assert_eq!(script.seen.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn a_retry_after_beyond_the_budget_is_not_waited_for() {
    let (script, backend) = stub(vec![(503, Some("3600")), (200, None)]).await;
    let started = std::time::Instant::now();
    assert!(backend.delete_user("user_1").await.is_err());
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(script.seen.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn unknown_users_and_sessions_are_already_gone_but_metadata_needs_a_user() {
    let (_, backend) = stub(vec![(404, None)]).await;
    backend.delete_user("user_gone").await.unwrap();
    backend.revoke_session("sess_gone").await.unwrap();
    assert!(backend.get_session("sess_gone").await.unwrap().is_none());
    assert!(matches!(
        backend.update_user_metadata("user_gone", &json!({})).await,
        Err(ClerkApiError::Refused { status: 404, .. })
    ));
}

#[tokio::test]
async fn a_closed_port_is_unreachable_after_every_attempt() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let backend = ClerkBackend::new(&url, SecretString::from("sk_test_x"), fast()).unwrap();
    let err = backend.delete_user("user_1").await.unwrap_err();
    assert!(
        matches!(err, ClerkApiError::Unreachable { attempts: 3, .. }),
        "{err}"
    );
}

#[test]
fn ids_cannot_walk_out_of_their_path_segment() {
    assert_eq!(path_segment("user_2abc"), "user_2abc");
    assert_eq!(path_segment("../admin"), "%2E%2E%2Fadmin");
}

#[test]
fn clerks_error_shape_is_read_for_the_logs() {
    assert_eq!(
        refusal_detail(r#"{"errors":[{"code":"authentication_invalid","message":"bad key"}]}"#),
        "authentication_invalid: bad key"
    );
    assert_eq!(refusal_detail("plain"), "plain");
}
