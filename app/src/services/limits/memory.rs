//! The in-process sliding window: per user and action, the times of the slots taken within the window.
//! Memory stays bounded: a window never holds more than `limit` times, and idle windows are dropped.

use super::{LimitedAction, WindowState};
use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::Duration;

/// Above this many tracked windows, idle ones are swept and, if still too many, the stalest evicted.
const MAX_WINDOWS: usize = 100_000;

/// Sliding windows kept in this process.
pub struct MemoryWindow {
    window_ms: i64,
    inner: Mutex<Inner>,
}

struct Inner {
    windows: HashMap<(String, LimitedAction), VecDeque<i64>>,
    /// Size after the last sweep; sweeping again once the map doubles keeps the cost amortised O(1).
    swept_at_len: usize,
}

impl MemoryWindow {
    /// Windows of `window` length.
    pub fn new(window: Duration) -> Self {
        Self {
            window_ms: i64::try_from(window.as_millis()).unwrap_or(i64::MAX),
            inner: Mutex::new(Inner {
                windows: HashMap::new(),
                swept_at_len: 1024,
            }),
        }
    }

    /// Takes a slot at `now_ms` if fewer than `limit` are in use.
    #[cfg(test)]
    pub(crate) fn take(
        &self,
        user_id: &str,
        action: LimitedAction,
        limit: u64,
        now_ms: i64,
    ) -> WindowState {
        self.take_many(user_id, action, limit, 1, now_ms)
    }

    /// Takes `count` slots at `now_ms` if that many are free, else none.
    pub(crate) fn take_many(
        &self,
        user_id: &str,
        action: LimitedAction,
        limit: u64,
        count: u64,
        now_ms: i64,
    ) -> WindowState {
        // A poisoned lock only means another request panicked mid-update; the data is still usable.
        let mut inner = self
            .inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let horizon = now_ms - self.window_ms;
        if inner.windows.len() > inner.swept_at_len {
            inner.sweep(horizon);
        }
        let times = inner
            .windows
            .entry((user_id.to_owned(), action))
            .or_default();
        while times.front().is_some_and(|t| *t <= horizon) {
            times.pop_front();
        }
        let allowed = (times.len() as u64).saturating_add(count) <= limit;
        if allowed {
            times.extend(std::iter::repeat_n(
                now_ms,
                usize::try_from(count).unwrap_or(0),
            ));
        }
        WindowState {
            allowed,
            used: times.len() as u64,
            oldest_ms: times.front().copied().unwrap_or(now_ms),
            now_ms,
        }
    }

    /// The window as [`take`](Self::take) would see it at `now_ms`, without taking a slot.
    pub(crate) fn peek(
        &self,
        user_id: &str,
        action: LimitedAction,
        limit: u64,
        now_ms: i64,
    ) -> WindowState {
        let inner = self
            .inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let horizon = now_ms - self.window_ms;
        let live = inner
            .windows
            .get(&(user_id.to_owned(), action))
            .map(|times| {
                times
                    .iter()
                    .filter(|t| **t > horizon)
                    .copied()
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default();
        WindowState {
            allowed: (live.len() as u64) < limit,
            used: live.len() as u64,
            oldest_ms: live.first().copied().unwrap_or(now_ms),
            now_ms,
        }
    }
}

impl Inner {
    fn sweep(&mut self, horizon: i64) {
        self.windows
            .retain(|_, times| times.back().is_some_and(|t| *t > horizon));
        if self.windows.len() > MAX_WINDOWS {
            // Still too many live windows: forget the ones idle longest. Their users get a fresh window,
            // which errs towards serving people rather than refusing them for our own memory's sake.
            let mut newest: Vec<i64> = self
                .windows
                .values()
                .filter_map(|t| t.back().copied())
                .collect();
            let excess = self.windows.len() - MAX_WINDOWS;
            newest.select_nth_unstable(excess);
            let cutoff = newest[excess];
            self.windows
                .retain(|_, times| times.back().is_some_and(|t| *t > cutoff));
        }
        self.swept_at_len = (self.windows.len() * 2).max(1024);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOUR: i64 = 3_600_000;

    #[test]
    fn slots_free_up_as_the_window_slides() {
        let window = MemoryWindow::new(Duration::from_secs(3600));
        assert!(window.take("u", LimitedAction::Upload, 2, 0).allowed);
        assert!(window.take("u", LimitedAction::Upload, 2, 1_000).allowed);
        let refused = window.take("u", LimitedAction::Upload, 2, 2_000);
        assert!(!refused.allowed);
        assert_eq!(refused.oldest_ms, 0);
        // One hour after the first slot it leaves the window; the second is still in it.
        let later = window.take("u", LimitedAction::Upload, 2, HOUR);
        assert!(later.allowed);
        assert_eq!(later.used, 2);
        assert_eq!(later.oldest_ms, 1_000);
    }

    #[test]
    fn peeking_reports_the_window_without_taking_a_slot() {
        let window = MemoryWindow::new(Duration::from_secs(3600));
        assert_eq!(window.peek("u", LimitedAction::Upload, 1, 0).used, 0);
        window.take("u", LimitedAction::Upload, 1, 500);
        let seen = window.peek("u", LimitedAction::Upload, 1, 1_000);
        assert_eq!((seen.allowed, seen.used, seen.oldest_ms), (false, 1, 500));
        assert!(
            window
                .peek("u", LimitedAction::Upload, 1, HOUR + 500)
                .allowed
        );
    }

    #[test]
    fn several_slots_are_taken_together_or_not_at_all() {
        let window = MemoryWindow::new(Duration::from_secs(3600));
        assert!(
            window
                .take_many("u", LimitedAction::Generate, 5, 3, 0)
                .allowed
        );
        let refused = window.take_many("u", LimitedAction::Generate, 5, 3, 1);
        assert_eq!((refused.allowed, refused.used), (false, 3));
        assert!(
            window
                .take_many("u", LimitedAction::Generate, 5, 2, 2)
                .allowed
        );
    }

    #[test]
    fn a_window_never_holds_more_than_the_limit() {
        let window = MemoryWindow::new(Duration::from_secs(3600));
        for t in 0..50 {
            window.take("u", LimitedAction::Generate, 3, t);
        }
        let inner = window.inner.lock().unwrap();
        assert_eq!(
            inner.windows[&("u".to_owned(), LimitedAction::Generate)].len(),
            3
        );
    }

    #[test]
    fn idle_windows_are_swept_as_the_map_grows() {
        let window = MemoryWindow::new(Duration::from_secs(3600));
        for user in 0..2_000 {
            window.take(&format!("u{user}"), LimitedAction::Upload, 5, 0);
        }
        // Much later every earlier window is idle; the next growth past the threshold sweeps them.
        for user in 0..1_100 {
            window.take(&format!("v{user}"), LimitedAction::Upload, 5, 2 * HOUR);
        }
        let inner = window.inner.lock().unwrap();
        assert_eq!(inner.windows.len(), 1_100);
        assert!(inner.windows.keys().all(|(user, _)| user.starts_with('v')));
    }
}
