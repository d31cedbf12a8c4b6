//! Generation jobs: the validated request (prompt, duration, quality) and the status view the browser polls.

use serde::{Deserialize, Serialize};

/// Where a job is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JobStatus {
    Queued,
    Processing,
    Completed,
    Failed,
    Canceled,
}

impl JobStatus {
    /// A final state never changes again; polling stops there.
    pub fn is_final(self) -> bool {
        matches!(self, Self::Completed | Self::Failed | Self::Canceled)
    }

    /// The stored and wire spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Queued => "queued",
            Self::Processing => "processing",
            Self::Completed => "completed",
            Self::Failed => "failed",
            Self::Canceled => "canceled",
        }
    }

    /// Reads the stored spelling.
    pub fn parse(raw: &str) -> Option<Self> {
        Some(match raw {
            "queued" => Self::Queued,
            "processing" => Self::Processing,
            "completed" => Self::Completed,
            "failed" => Self::Failed,
            "canceled" => Self::Canceled,
            _ => return None,
        })
    }
}

/// Output resolution.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum Quality {
    #[serde(rename = "480p")]
    P480,
    #[default]
    #[serde(rename = "720p")]
    P720,
    #[serde(rename = "1080p")]
    P1080,
}

impl Quality {
    /// All choices, lowest first.
    pub const ALL: [Quality; 3] = [Self::P480, Self::P720, Self::P1080];

    /// Reads `480p` / `720p` / `1080p`.
    pub fn parse(raw: &str) -> Option<Self> {
        Some(match raw.trim() {
            "480p" => Self::P480,
            "720p" => Self::P720,
            "1080p" => Self::P1080,
            _ => return None,
        })
    }

    /// The wire spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::P480 => "480p",
            Self::P720 => "720p",
            Self::P1080 => "1080p",
        }
    }

    /// Frame size in pixels (H.264 crops to non-multiple-of-16 sizes, so 854x480 is exact).
    pub fn dimensions(self) -> (u32, u32) {
        match self {
            Self::P480 => (854, 480),
            Self::P720 => (1280, 720),
            Self::P1080 => (1920, 1080),
        }
    }

    /// Whether the free tier may ask for it.
    pub fn free_tier_allows(self) -> bool {
        self != Self::P1080
    }
}

/// Longest prompt, in characters, after trimming.
pub const MAX_PROMPT_CHARS: usize = 2000;
/// Shortest and longest video, in seconds.
pub const DURATION_RANGE: std::ops::RangeInclusive<u32> = 1..=60;
/// Longest video the free tier may ask for.
pub const FREE_MAX_DURATION: u32 = 30;
/// Whether free users may ask for the soundtrack: no, it made a 720p render 11 % slower (README, Soundtrack).
pub const SOUNDTRACK_FREE: bool = false;
/// Duration when none is given.
pub const DEFAULT_DURATION: u32 = 10;

/// A trimmed, non-empty prompt of at most 2000 characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Prompt(String);

impl Prompt {
    /// Trims and checks length.
    ///
    /// # Errors
    /// A sentence saying what is wrong.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let trimmed = raw.trim();
        let chars = trimmed.chars().count();
        if chars == 0 {
            Err("Describe the video you want: the prompt is empty.".into())
        } else if chars > MAX_PROMPT_CHARS {
            Err(format!(
                "The prompt is {chars} characters; the limit is {MAX_PROMPT_CHARS}."
            ))
        } else {
            Ok(Self(trimmed.to_owned()))
        }
    }

    /// The prompt text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The body of `POST /api/v1/videos/generate` and of the generate server function.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct GenerateRequest {
    pub prompt: String,
    #[serde(default)]
    pub duration: Option<u32>,
    #[serde(default)]
    pub quality: Option<String>,
    /// Adds the generated ambient soundtrack (an Opus track); off unless asked for.
    #[serde(default)]
    pub soundtrack: bool,
}

/// A job as clients see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JobView {
    pub id: String,
    /// The owner's title, or one derived from the prompt (`library::display_title`).
    pub title: String,
    pub status: JobStatus,
    pub progress: u8,
    pub queue_position: Option<u32>,
    pub error: Option<String>,
    pub video_file_id: Option<String>,
    pub thumbnail_file_id: Option<String>,
    pub prompt: String,
    pub duration: u32,
    pub quality: Quality,
    /// Whether the video was asked for with the generated soundtrack.
    #[serde(default)]
    pub soundtrack: bool,
    pub attempts: u32,
    pub created_at: String,
    pub started_at: Option<String>,
    pub finished_at: Option<String>,
}

/// What `POST /videos/generate` answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JobCreated {
    pub job_id: String,
    pub status: JobStatus,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prompt_is_trimmed_and_bounded() {
        assert_eq!(Prompt::parse("  a cat  ").unwrap().as_str(), "a cat");
        assert!(Prompt::parse("   ").is_err());
        assert!(Prompt::parse(&"é".repeat(2000)).is_ok());
        assert!(Prompt::parse(&"é".repeat(2001)).is_err());
    }

    #[test]
    fn quality_round_trips_its_spelling() {
        for q in Quality::ALL {
            assert_eq!(Quality::parse(q.as_str()), Some(q));
        }
        assert_eq!(Quality::parse("4k"), None);
        assert!(!Quality::P1080.free_tier_allows());
    }

    #[test]
    fn only_terminal_states_are_final() {
        assert!(!JobStatus::Queued.is_final());
        assert!(!JobStatus::Processing.is_final());
        assert!(JobStatus::Canceled.is_final());
    }
}
