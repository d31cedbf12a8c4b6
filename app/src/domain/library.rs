//! The library's own rules: video titles (given, or derived from the prompt), file names a person may choose,
//! and a page of jobs.

use super::job::JobView;
use serde::{Deserialize, Serialize};

/// Longest title, in characters, after trimming.
pub const MAX_TITLE_CHARS: usize = 200;
/// Longest file name, in characters.
pub const MAX_FILE_NAME_CHARS: usize = 255;
/// About how long a title derived from the prompt may be before it is cut at a word.
pub const DERIVED_TITLE_CHARS: usize = 60;

/// A page of jobs and the cursor for the next one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JobPage {
    pub items: Vec<JobView>,
    pub next_cursor: Option<String>,
}

/// The body of `PATCH /api/v1/jobs/{id}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RenameJobBody {
    pub title: String,
}

/// The body of `PATCH /api/v1/files/{id}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RenameFileBody {
    pub name: String,
}

/// A trimmed title of 1–200 characters without control characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobTitle(String);

impl JobTitle {
    /// Trims and checks.
    ///
    /// # Errors
    /// A sentence saying what is wrong.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let title = raw.trim();
        let chars = title.chars().count();
        if chars == 0 {
            Err("Give the video a title.".into())
        } else if chars > MAX_TITLE_CHARS {
            Err(format!(
                "The title is {chars} characters; the limit is {MAX_TITLE_CHARS}."
            ))
        } else if title.chars().any(char::is_control) {
            Err("The title cannot contain line breaks or control characters.".into())
        } else {
            Ok(Self(title.to_owned()))
        }
    }

    /// The title text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A file name: trimmed, 1–255 characters, no path separators, no control characters, not `.` or `..`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileName(String);

impl FileName {
    /// Trims and checks.
    ///
    /// # Errors
    /// A sentence saying what is wrong.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let name = raw.trim();
        let chars = name.chars().count();
        if chars == 0 {
            Err("Give the file a name.".into())
        } else if chars > MAX_FILE_NAME_CHARS {
            Err(format!(
                "The name is {chars} characters; the limit is {MAX_FILE_NAME_CHARS}."
            ))
        } else if name.contains(['/', '\\']) || name == "." || name == ".." {
            Err("A file name cannot contain / or \\ or be . or ..".into())
        } else if name.chars().any(char::is_control) {
            Err("A file name cannot contain control characters.".into())
        } else {
            Ok(Self(name.to_owned()))
        }
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The title a video shows: the one its owner gave, else the prompt's start, cut at a word near
/// [`DERIVED_TITLE_CHARS`] characters (with `…` when cut).
pub fn display_title(stored: Option<&str>, prompt: &str) -> String {
    if let Some(title) = stored.map(str::trim).filter(|t| !t.is_empty()) {
        return title.to_owned();
    }
    let prompt = prompt.split_whitespace().collect::<Vec<_>>().join(" ");
    if prompt.chars().count() <= DERIVED_TITLE_CHARS {
        return prompt;
    }
    let head: String = prompt.chars().take(DERIVED_TITLE_CHARS).collect();
    // Cut at the last space when one leaves a reasonable length; one long word is cut where it is.
    let cut = match head.rfind(' ') {
        Some(at) if at >= DERIVED_TITLE_CHARS / 2 => &head[..at],
        _ => head.as_str(),
    };
    format!(
        "{}…",
        cut.trim_end_matches(|c: char| c.is_whitespace() || c.is_ascii_punctuation())
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_are_trimmed_and_bounded() {
        assert_eq!(JobTitle::parse("  Sunset  ").unwrap().as_str(), "Sunset");
        assert!(JobTitle::parse("   ").is_err());
        assert!(JobTitle::parse(&"é".repeat(200)).is_ok());
        assert!(JobTitle::parse(&"é".repeat(201)).is_err());
        assert!(JobTitle::parse("two\nlines").is_err());
    }

    #[test]
    fn file_names_refuse_paths_and_control_characters() {
        assert_eq!(FileName::parse(" clip.mp4 ").unwrap().as_str(), "clip.mp4");
        for bad in [
            "",
            "  ",
            "a/b.mp4",
            "a\\b",
            "..",
            "bell\u{7}",
            &"x".repeat(256),
        ] {
            assert!(FileName::parse(bad).is_err(), "{bad:?}");
        }
        assert!(FileName::parse(&"x".repeat(255)).is_ok());
    }

    #[test]
    fn derived_titles_cut_at_a_word() {
        assert_eq!(display_title(Some("Mine"), "a prompt"), "Mine");
        assert_eq!(display_title(None, "A red  circle"), "A red circle");
        let long =
            "A red circle drifts over a calm ocean. Then a golden star rises at sunset and fades.";
        let title = display_title(None, long);
        assert_eq!(
            title,
            "A red circle drifts over a calm ocean. Then a golden star…"
        );
        assert!(title.chars().count() <= DERIVED_TITLE_CHARS + 1);
        let word = "x".repeat(80);
        assert_eq!(display_title(Some("  "), &word).chars().count(), 61);
    }
}
