//! Session-token verifications per second on one core: a fixed key (PEM / local provider), a JWKS-backed key
//! with a warm cache, and a JWKS fetched for every token (the cost caching saves); then OpenSSL's own RSA-2048
//! verify rate on the same machine in the same run (`openssl speed`), and the ratio of the two.
//! Run: `cargo bench -p app --features ssr --bench verify`

use app::services::auth::keys::{KeySource, KeyStore};
use app::services::auth::local_idp::tokens::{mint, TokenRequest};
use app::services::auth::local_idp::LocalKeys;
use app::services::auth::Verifier;
use app::services::users::UserRow;
use std::collections::HashMap;
use std::time::{Duration, Instant};

const ISSUER: &str = "http://127.0.0.1:3000";

fn user() -> UserRow {
    UserRow {
        id: "user_bench".into(),
        email: Some("bench@example.com".into()),
        password_hash: None,
        first_name: Some("Bench".into()),
        last_name: None,
        image_url: None,
        role: "user".into(),
        permissions: "[]".into(),
        subscription_tier: "free".into(),
        onboarded: 1,
        created_at: 0,
        updated_at: 0,
        last_sign_in_at: None,
        deleted_at: None,
    }
}

/// The goal: uncached verification at no less than this share of OpenSSL's bare RSA-2048 verify.
const GOAL_SHARE_OF_OPENSSL: f64 = 0.8;

fn rate(
    label: &str,
    rt: &tokio::runtime::Runtime,
    verifier: &Verifier,
    token: &str,
    cached: bool,
) -> f64 {
    let budget = Duration::from_secs(3);
    let start = Instant::now();
    let mut n = 0u64;
    while start.elapsed() < budget {
        let now = chrono::Utc::now().timestamp();
        if cached {
            rt.block_on(verifier.verify_at(token, now))
                .expect("token verifies");
        } else {
            rt.block_on(verifier.verify_uncached(token, now))
                .expect("token verifies");
        }
        n += 1;
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{label:<44} {:>9.0} verifications/s  ({:.1} µs each)",
        n as f64 / secs,
        secs * 1e6 / n as f64
    );
    n as f64 / secs
}

/// `verify/s` of `openssl speed -seconds 3 rsa2048` (one process, so one core), or why there is none.
fn openssl_rsa2048_verifications() -> Result<f64, String> {
    let output = std::process::Command::new("openssl")
        .args(["speed", "-seconds", "3", "rsa2048"])
        .stderr(std::process::Stdio::null())
        .output()
        .map_err(|e| format!("openssl not runnable ({e})"))?;
    let text = String::from_utf8_lossy(&output.stdout);
    // A header line names the columns (`sign verify [encrypt decrypt] sign/s verify/s …`); the figures line
    // starts `rsa 2048 bits` and lists values in the same order.
    let header: Vec<&str> = text
        .lines()
        .find(|l| l.contains("verify/s"))
        .ok_or("no verify/s column in openssl's output")?
        .split_whitespace()
        .collect();
    let column = header
        .iter()
        .position(|h| *h == "verify/s")
        .ok_or("no verify/s column")?;
    let figures: Vec<&str> = text
        .lines()
        .find(|l| l.starts_with("rsa") && l.contains("2048"))
        .ok_or("no rsa 2048 line in openssl's output")?
        .split_whitespace()
        .skip(3)
        .collect();
    figures
        .get(column)
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| "unreadable verify/s figure".to_owned())
}

fn main() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let dir = std::env::temp_dir().join(format!("t2m-bench-{}", std::process::id()));
    let keys = LocalKeys::load_or_create(&dir).expect("key");
    let token = mint(
        &keys,
        &TokenRequest {
            issuer: ISSUER,
            user: &user(),
            session_id: "sess_bench",
            authorized_party: ISSUER,
            ttl_secs: 3600,
            now: chrono::Utc::now().timestamp(),
            template: Some("t2m-api"),
        },
    )
    .expect("mint");
    let parties = vec![ISSUER.to_owned()];

    let fixed = KeyStore::new(KeySource::Fixed(HashMap::from([(
        Some(keys.kid.clone()),
        keys.decoding.clone(),
    )])));
    let fixed = Verifier::new(fixed, ISSUER, parties.clone(), 5);
    let uncached = rate("fixed key, uncached", &rt, &fixed, &token, false);
    rate("fixed key, verified-token cache", &rt, &fixed, &token, true);

    let jwks = keys.jwks().to_string();
    let server = rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        let router = axum::Router::new().route(
            "/jwks",
            axum::routing::get(move || {
                let body = jwks.clone();
                async move { ([("content-type", "application/json")], body) }
            }),
        );
        tokio::spawn(async move { axum::serve(listener, router).await });
        format!("http://{addr}/jwks")
    });
    let jwks_store = |ttl: Duration, cooldown: Duration| {
        KeyStore::new(KeySource::Jwks {
            url: server.clone(),
            client: reqwest::Client::new(),
            ttl,
            cooldown,
            max_stale: Duration::from_secs(86_400),
        })
    };
    let warm = Verifier::new(
        jwks_store(Duration::from_secs(300), Duration::from_secs(30)),
        ISSUER,
        parties.clone(),
        5,
    );
    rate(
        "JWKS with cached keys, uncached token",
        &rt,
        &warm,
        &token,
        false,
    );
    let cold = Verifier::new(
        jwks_store(Duration::ZERO, Duration::ZERO),
        ISSUER,
        parties,
        5,
    );
    rate(
        "JWKS fetched for every token, uncached token",
        &rt,
        &cold,
        &token,
        false,
    );
    let _ = std::fs::remove_dir_all(dir);

    match openssl_rsa2048_verifications() {
        Ok(openssl) => {
            let share = uncached / openssl;
            println!(
                "{:<44} {openssl:>9.0} verifications/s",
                "openssl speed rsa2048 (same run)"
            );
            println!(
                "uncached token verification is {:.0} % of OpenSSL's RSA-2048 verify (goal ≥ {:.0} %): {}",
                share * 100.0,
                GOAL_SHARE_OF_OPENSSL * 100.0,
                if share >= GOAL_SHARE_OF_OPENSSL { "met" } else { "NOT met" }
            );
        }
        Err(why) => println!("OpenSSL comparison skipped: {why}"),
    }
}
