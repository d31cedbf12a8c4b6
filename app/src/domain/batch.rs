//! Batches: many prompts queued at once (premium), followed as one; and reading prompts from pasted text or
//! a dropped `.txt`/`.csv` file.

use super::job::JobView;
use serde::{Deserialize, Serialize};

/// Most prompts one batch may hold.
pub const MAX_BATCH_PROMPTS: usize = 50;

/// The body of `POST /api/v1/batches` and of the batch server function.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct BatchRequest {
    pub prompts: Vec<String>,
    #[serde(default)]
    pub duration: Option<u32>,
    #[serde(default)]
    pub quality: Option<String>,
}

/// What creating a batch answers: its id and its jobs' ids, in prompt order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BatchCreated {
    pub batch_id: String,
    pub job_ids: Vec<String>,
}

/// A batch as clients see it: counts by final state, overall progress (the mean of its jobs'), and its jobs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BatchView {
    pub id: String,
    pub total: u32,
    pub completed: u32,
    pub failed: u32,
    pub canceled: u32,
    pub progress: u8,
    pub created_at: String,
    pub jobs: Vec<JobView>,
}

/// Prompts from text: one per non-empty line. A CSV (`csv` true) contributes its first column, skipping a
/// header row named `prompt`; a quoted first field may hold commas and doubled quotes.
pub fn prompts_from_text(text: &str, csv: bool) -> Vec<String> {
    let mut prompts = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let value = if csv {
            first_csv_field(line)
        } else {
            line.trim().to_owned()
        };
        let value = value.trim();
        if value.is_empty() || (csv && n == 0 && value.eq_ignore_ascii_case("prompt")) {
            continue;
        }
        prompts.push(value.to_owned());
    }
    prompts
}

fn first_csv_field(line: &str) -> String {
    let line = line.trim_start().trim_start_matches('\u{feff}');
    let Some(quoted) = line.strip_prefix('"') else {
        return line.split(',').next().unwrap_or_default().to_owned();
    };
    let mut field = String::new();
    let mut chars = quoted.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '"' {
            if chars.peek() == Some(&'"') {
                chars.next();
                field.push('"');
            } else {
                break;
            }
        } else {
            field.push(c);
        }
    }
    field
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_gives_one_prompt_per_non_empty_line() {
        assert_eq!(
            prompts_from_text("a red circle\n\n  a blue square  \r\n", false),
            ["a red circle", "a blue square"]
        );
    }

    #[test]
    fn csv_gives_the_first_column_without_its_header() {
        let csv = "prompt,notes\n\"a cat, sleeping\",x\nplain dog,y\n\"say \"\"hi\"\"\"\n";
        assert_eq!(
            prompts_from_text(csv, true),
            ["a cat, sleeping", "plain dog", "say \"hi\""]
        );
        assert_eq!(
            prompts_from_text("a star\nprompt\n", true),
            ["a star", "prompt"]
        );
    }
}
