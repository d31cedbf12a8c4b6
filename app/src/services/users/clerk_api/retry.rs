//! When a Backend API call is tried again: 429, 5xx and connection failures are, at most `attempts` times in
//! all and within one time budget, after an exponential backoff with jitter or the wait Clerk's `Retry-After`
//! asks for. Anything else (a 4xx refusal) is final at once: asking again would get the same answer.

use http::{HeaderMap, StatusCode};
use rand::Rng;
use std::time::Duration;

/// How hard one call tries.
#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    /// Tries in all, the first included.
    pub attempts: u32,
    /// The wait before the second try; each later one doubles it.
    pub base_delay: Duration,
    /// Everything (tries and waits) must fit in this; a wait that would overrun it is not taken.
    pub budget: Duration,
}

impl Default for RetryPolicy {
    /// Three tries in ten seconds: long enough to ride out a blip, short enough for an admin waiting on a click.
    fn default() -> Self {
        Self {
            attempts: 3,
            base_delay: Duration::from_millis(250),
            budget: Duration::from_secs(10),
        }
    }
}

impl RetryPolicy {
    /// The wait before try `next` (2 for the first retry): what `Retry-After` asks, else `base × 2^(next-2)`
    /// scaled by a random factor in [0.5, 1] so that many callers refused together do not return together.
    pub fn delay(&self, next: u32, retry_after: Option<Duration>) -> Duration {
        if let Some(asked) = retry_after {
            return asked;
        }
        let exponent = next.saturating_sub(2).min(16);
        let full = self.base_delay.saturating_mul(1 << exponent);
        full.mul_f64(rand::thread_rng().gen_range(0.5..=1.0))
    }
}

/// Whether an answer with this status is worth asking again.
pub fn retryable(status: StatusCode) -> bool {
    status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error()
}

/// `Retry-After` as a wait from `now` (unix seconds): delta-seconds or an HTTP date; `None` when absent or junk.
pub fn retry_after(headers: &HeaderMap, now: i64) -> Option<Duration> {
    let raw = headers
        .get(http::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if let Ok(secs) = raw.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = chrono::DateTime::parse_from_rfc2822(raw).ok()?.timestamp();
    Some(Duration::from_secs(u64::try_from(at - now).unwrap_or(0)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_with_jitter_and_retry_after_wins() {
        let policy = RetryPolicy::default();
        for _ in 0..50 {
            let first = policy.delay(2, None);
            assert!(first >= Duration::from_millis(125) && first <= Duration::from_millis(250));
            let second = policy.delay(3, None);
            assert!(second >= Duration::from_millis(250) && second <= Duration::from_millis(500));
        }
        assert_eq!(
            policy.delay(2, Some(Duration::from_secs(2))),
            Duration::from_secs(2)
        );
    }

    #[test]
    fn only_throttling_and_server_failures_are_retried() {
        assert!(retryable(StatusCode::TOO_MANY_REQUESTS));
        assert!(retryable(StatusCode::SERVICE_UNAVAILABLE));
        assert!(retryable(StatusCode::INTERNAL_SERVER_ERROR));
        assert!(!retryable(StatusCode::UNAUTHORIZED));
        assert!(!retryable(StatusCode::NOT_FOUND));
        assert!(!retryable(StatusCode::UNPROCESSABLE_ENTITY));
    }

    #[test]
    fn retry_after_reads_seconds_and_http_dates() {
        let mut headers = HeaderMap::new();
        assert_eq!(retry_after(&headers, 0), None);
        headers.insert(http::header::RETRY_AFTER, "3".parse().unwrap());
        assert_eq!(retry_after(&headers, 0), Some(Duration::from_secs(3)));
        headers.insert(
            http::header::RETRY_AFTER,
            "Wed, 21 Oct 2015 07:28:00 GMT".parse().unwrap(),
        );
        assert_eq!(
            retry_after(&headers, 1_445_412_470),
            Some(Duration::from_secs(10))
        );
        assert_eq!(
            retry_after(&headers, 1_445_412_490),
            Some(Duration::ZERO),
            "a date in the past means now"
        );
        headers.insert(http::header::RETRY_AFTER, "soon".parse().unwrap());
        assert_eq!(retry_after(&headers, 0), None);
    }
}
