//! Live job streams (`GET /api/v1/jobs/{id}/events`, `GET /api/v1/jobs/events`), read as raw server-sent events.

mod all_jobs;
mod cluster;
mod one_job;

use crate::helpers::TestApp;
use futures_util::{Stream, StreamExt};
use serde_json::Value;
use std::pin::Pin;
use std::time::Duration;

type Body = Pin<Box<dyn Stream<Item = reqwest::Result<bytes::Bytes>> + Send>>;

/// An open event stream, read one event at a time.
pub struct Events {
    body: Body,
    buffer: String,
}

impl Events {
    /// Opens `path` with `token` as a bearer token; the stream must be accepted as `text/event-stream`.
    pub async fn open(app: &TestApp, path: &str, token: &str) -> Self {
        let res = app
            .client
            .get(app.url(path))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        Self::from_response(res)
    }

    /// Wraps an accepted response.
    pub fn from_response(res: reqwest::Response) -> Self {
        assert_eq!(res.status(), 200, "the stream is accepted");
        let kind = res.headers()["content-type"].to_str().unwrap().to_owned();
        assert!(kind.starts_with("text/event-stream"), "{kind}");
        Self {
            body: Box::pin(res.bytes_stream()),
            buffer: String::new(),
        }
    }

    /// The next event's data as JSON (keep-alive comments are skipped); `None` once the server ended the
    /// stream. Fails the test if nothing arrives within `limit`.
    pub async fn next(&mut self, limit: Duration) -> Option<Value> {
        tokio::time::timeout(limit, self.next_event())
            .await
            .unwrap_or_else(|_| panic!("no event within {limit:?}"))
    }

    async fn next_event(&mut self) -> Option<Value> {
        loop {
            while let Some(end) = self.buffer.find("\n\n") {
                let block: String = self.buffer.drain(..end + 2).collect();
                let data: Vec<&str> = block
                    .lines()
                    .filter_map(|line| line.strip_prefix("data:"))
                    .map(|d| d.strip_prefix(' ').unwrap_or(d))
                    .collect();
                if !data.is_empty() {
                    return Some(serde_json::from_str(&data.join("\n")).expect("data is JSON"));
                }
            }
            match self.body.next().await {
                Some(Ok(chunk)) => self.buffer.push_str(&String::from_utf8_lossy(&chunk)),
                Some(Err(err)) => panic!("stream broke: {err}"),
                None => return None,
            }
        }
    }

    /// Reads events until one satisfies `wanted`; returns every event read (the match last).
    pub async fn until(&mut self, limit: Duration, wanted: impl Fn(&Value) -> bool) -> Vec<Value> {
        let deadline = tokio::time::Instant::now() + limit;
        let mut seen = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            let Some(event) = self.next(left).await else {
                panic!("the stream ended before the awaited event; saw {seen:?}");
            };
            let done = wanted(&event);
            seen.push(event);
            if done {
                return seen;
            }
        }
    }
}
