//! Public share links to a video, as their owner and their viewers see them.

use serde::{Deserialize, Serialize};

/// Links live a week unless asked otherwise.
pub const DEFAULT_SHARE_SECS: i64 = 7 * 24 * 3600;
/// The longest lifetime a link may be given; longer means "until revoked".
pub const MAX_SHARE_SECS: i64 = 365 * 24 * 3600;

/// A link just made: the only time its URL (and so its token) is ever told.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShareCreated {
    pub id: String,
    pub url: String,
    /// ISO 8601, or `None` for a link that works until revoked.
    pub expires_at: Option<String>,
}

/// One of the caller's active links. The URL cannot be shown again: only its token's hash is stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShareView {
    pub id: String,
    pub job_id: String,
    pub title: String,
    pub created_at: String,
    pub expires_at: Option<String>,
}

/// What the public page of a link shows: the video and its poster through short-lived signed URLs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SharedVideo {
    pub title: String,
    /// The page's own absolute URL, for `og:url`.
    pub page_url: String,
    pub video_url: String,
    pub poster_url: Option<String>,
}

/// A short title for a job that has none of its own: the prompt's first words, cut at a word boundary.
pub fn title_from_prompt(prompt: &str) -> String {
    const MAX_CHARS: usize = 60;
    let prompt = prompt.split_whitespace().collect::<Vec<_>>().join(" ");
    if prompt.chars().count() <= MAX_CHARS {
        return prompt;
    }
    let head: String = prompt.chars().take(MAX_CHARS).collect();
    let cut = head
        .rfind(' ')
        .filter(|&i| i > MAX_CHARS / 2)
        .unwrap_or(head.len());
    format!("{}…", head[..cut].trim_end())
}

/// A request path fit for logs: a share page's token (`/s/{token}`) is a credential and is masked.
pub fn loggable_path(path: &str) -> std::borrow::Cow<'_, str> {
    match path.strip_prefix("/s/") {
        Some(rest) if !rest.is_empty() => "/s/{token}".into(),
        _ => path.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn share_tokens_are_masked_in_logged_paths() {
        assert_eq!(loggable_path("/s/abcDEF-_123"), "/s/{token}");
        assert_eq!(loggable_path("/s/abc/extra"), "/s/{token}");
        assert_eq!(loggable_path("/videos/job_1"), "/videos/job_1");
        assert_eq!(loggable_path("/s/"), "/s/");
    }

    #[test]
    fn titles_are_the_prompt_start_cut_at_a_word() {
        assert_eq!(title_from_prompt("  a red\n circle "), "a red circle");
        let long = "a very long prompt about a red circle that bounces across a blue field at dusk";
        let title = title_from_prompt(long);
        assert!(
            title.ends_with('…') && title.chars().count() <= 61,
            "{title}"
        );
        assert!(long.starts_with(title.trim_end_matches('…')));
        let unbroken = "x".repeat(100);
        assert_eq!(title_from_prompt(&unbroken).chars().count(), 61);
    }
}
