//! The Redis sliding window: one sorted set per user and action, scored by the time each slot was taken,
//! trimmed and counted atomically by a Lua script on Redis' own clock, so every machine sees one window.

use super::{LimitedAction, WindowState};
use crate::error::AppError;
use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use std::time::Duration;

/// How long one Redis round trip may take before the request is answered with 503.
const TIMEOUT: Duration = Duration::from_secs(2);

/// Trims slots older than the window, takes `ARGV[4]` slots if there is room for all of them, and reports
/// `{allowed, used, oldest_ms, now_ms}`. Redis' `TIME` is the clock so app servers' clocks need not agree.
const TAKE_SLOT: &str = r"
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local count = tonumber(ARGV[4])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local used = redis.call('ZCARD', KEYS[1])
local allowed = 0
if used + count <= limit then
  for i = 1, count do
    redis.call('ZADD', KEYS[1], now, now .. ':' .. ARGV[3] .. ':' .. i)
  end
  used = used + count
  allowed = 1
end
redis.call('PEXPIRE', KEYS[1], window)
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
local oldest_ms = now
if oldest[2] then oldest_ms = tonumber(oldest[2]) end
return {allowed, used, oldest_ms, now}
";

/// Reports `{used, oldest_ms, now_ms}` for a window without taking a slot.
const PEEK: &str = r"
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[1]))
local used = redis.call('ZCARD', KEYS[1])
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
local oldest_ms = now
if oldest[2] then oldest_ms = tonumber(oldest[2]) end
return {used, oldest_ms, now}
";

/// Windows kept in Redis.
pub struct RedisWindow {
    connection: ConnectionManager,
    script: redis::Script,
    peek_script: redis::Script,
    prefix: String,
    window_ms: i64,
}

impl RedisWindow {
    /// A lazily connecting window store; keys start with `prefix`.
    ///
    /// # Errors
    /// `Internal` when the URL is malformed (config validation normally catches it first).
    pub fn connect(url: &str, prefix: &str, window: Duration) -> Result<Self, AppError> {
        let client =
            redis::Client::open(url).map_err(|e| AppError::internal(format!("REDIS_URL: {e}")))?;
        // Few, quick retries: while Redis is down a request should get its 503 promptly, not hang.
        let config = ConnectionManagerConfig::new()
            .set_number_of_retries(1)
            .set_connection_timeout(Some(TIMEOUT))
            .set_response_timeout(Some(TIMEOUT));
        let connection = ConnectionManager::new_lazy_with_config(client, config)
            .map_err(|e| AppError::internal(format!("redis connection manager: {e}")))?;
        Ok(Self {
            connection,
            script: redis::Script::new(TAKE_SLOT),
            peek_script: redis::Script::new(PEEK),
            prefix: prefix.to_owned(),
            window_ms: i64::try_from(window.as_millis()).unwrap_or(i64::MAX),
        })
    }

    /// Takes `count` slots if that many are free, else none.
    pub(crate) async fn take_many(
        &self,
        user_id: &str,
        action: LimitedAction,
        limit: u64,
        count: u64,
    ) -> Result<WindowState, AppError> {
        let key = format!("{}:ratelimit:{}:{user_id}", self.prefix, action.as_str());
        let member = uuid::Uuid::new_v4().simple().to_string();
        let connection = self.connection.clone();
        let mut invocation = self.script.key(key);
        invocation
            .arg(self.window_ms)
            .arg(limit)
            .arg(member)
            .arg(count);
        let (allowed, used, oldest_ms, now_ms) = once_more(|| {
            let (mut connection, invocation) = (connection.clone(), &invocation);
            async move {
                invocation
                    .invoke_async::<(i64, i64, i64, i64)>(&mut connection)
                    .await
            }
        })
        .await?;
        Ok(WindowState {
            allowed: allowed == 1,
            used: u64::try_from(used).unwrap_or(0),
            oldest_ms,
            now_ms,
        })
    }

    /// The window as [`take`](Self::take) would see it, without taking a slot.
    pub(crate) async fn peek(
        &self,
        user_id: &str,
        action: LimitedAction,
        limit: u64,
    ) -> Result<WindowState, AppError> {
        let key = format!("{}:ratelimit:{}:{user_id}", self.prefix, action.as_str());
        let connection = self.connection.clone();
        let mut invocation = self.peek_script.key(key);
        invocation.arg(self.window_ms);
        let (used, oldest_ms, now_ms) = once_more(|| {
            let (mut connection, invocation) = (connection.clone(), &invocation);
            async move {
                invocation
                    .invoke_async::<(i64, i64, i64)>(&mut connection)
                    .await
            }
        })
        .await?;
        let used = u64::try_from(used).unwrap_or(0);
        Ok(WindowState {
            allowed: used < limit,
            used,
            oldest_ms,
            now_ms,
        })
    }

    /// Whether Redis answers `PING` within the timeout.
    pub async fn ping(&self) -> bool {
        let mut connection = self.connection.clone();
        let command = redis::cmd("PING");
        let ping = command.query_async::<String>(&mut connection);
        matches!(tokio::time::timeout(TIMEOUT, ping).await, Ok(Ok(_)))
    }
}

/// Runs a Redis call, and once more when the first found its connection dropped: after Redis restarts, the
/// connection manager reconnects only once a call has failed on the old connection, and that call should not
/// be the user's 503. Each call is bounded by `TIMEOUT`.
async fn once_more<T, F, Fut>(call: F) -> Result<T, AppError>
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = redis::RedisResult<T>>,
{
    let attempt = || async {
        tokio::time::timeout(TIMEOUT, call())
            .await
            .map_err(|_| AppError::Unavailable("redis: rate limit check timed out".into()))
    };
    match attempt().await? {
        Err(err) if err.is_connection_dropped() || err.is_io_error() => attempt()
            .await?
            .map_err(|e| AppError::Unavailable(format!("redis: {e}"))),
        other => other.map_err(|e| AppError::Unavailable(format!("redis: {e}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_tls_url_builds_a_client() {
        // No connection is made until first use; this proves the TLS scheme is compiled in.
        RedisWindow::connect(
            "rediss://redis.example.com:6380",
            "t2m",
            Duration::from_secs(1),
        )
        .expect("rediss:// is supported");
    }
}
