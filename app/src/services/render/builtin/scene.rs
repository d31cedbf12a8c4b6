//! Prompt → scenes: sentence splitting and deterministic look choices per sentence.

use super::keywords::{matches_any, FAST, MOTIONS, PALETTES, SHAPES, SLOW};
pub use super::keywords::{Motion, Palette, Rgb, Shape};

#[derive(Clone, Debug, PartialEq)]
pub struct Scene {
    pub text: String,
    pub palette: Palette,
    pub shape: Shape,
    pub motion: Motion,
    /// Animation speed multiplier (1.0 = normal).
    pub speed: f32,
    pub seed: u64,
    /// Start and end of the scene in seconds of the whole video.
    pub start: f64,
    pub end: f64,
    /// A title or end card (drawn like a scene, but never chosen for the thumbnail).
    pub card: bool,
}

/// Seconds given to the title card and to the end card.
const TITLE_CARD_SECS: f64 = 1.6;
const END_CARD_SECS: f64 = 1.2;
/// Shorter videos spend all their time on the prompt's own scenes.
const CARDS_FROM_SECS: f64 = 6.0;
/// The end card's words.
pub const END_CARD_TEXT: &str = "Made with T2M";

/// The whole video: a title card with the job's title (unless it only repeats the first
/// scene), the prompt's scenes, then an end card. Videos under six seconds have no cards.
pub fn build_video(prompt: &str, title: Option<&str>, duration: f64) -> Vec<Scene> {
    if duration < CARDS_FROM_SECS {
        return build_scenes(prompt, duration);
    }
    let first = split_sentences(prompt)
        .into_iter()
        .next()
        .unwrap_or_default();
    let title = title
        .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
        .map(|t| t.trim_end_matches(['.', '…']).trim().to_string())
        .filter(|t| t.chars().any(char::is_alphanumeric) && *t != first);
    let head = if title.is_some() {
        TITLE_CARD_SECS
    } else {
        0.0
    };
    let mut scenes = build_scenes(prompt, duration - head - END_CARD_SECS);
    for s in &mut scenes {
        s.start += head;
        s.end += head;
    }
    let card = |text: String, like: &Scene, start: f64, end: f64| Scene {
        card: true,
        ..scene_for(text, start, end).with_look_of(like)
    };
    if let (Some(title), Some(first)) = (title, scenes.first()) {
        let c = card(title, first, 0.0, head);
        scenes.insert(0, c);
    }
    if let Some(last) = scenes.last() {
        let c = card(
            END_CARD_TEXT.into(),
            last,
            duration - END_CARD_SECS,
            duration,
        );
        scenes.push(c);
    }
    scenes
}

impl Scene {
    /// Keeps this scene's text and timing but takes `other`'s colours and motion, so a card
    /// matches the scene beside it.
    fn with_look_of(self, other: &Scene) -> Scene {
        Scene {
            palette: other.palette,
            shape: other.shape,
            motion: other.motion,
            speed: other.speed,
            seed: other.seed,
            ..self
        }
    }
}

/// Splits a prompt into trimmed sentences on `.`, `!`, `?`, `…` and line breaks.
/// A terminator only ends a sentence when followed by whitespace (or the end), so
/// "3.5" or "v1.2" stay whole. Trailing full stops are dropped because a title reads
/// cleaner without them; `!` and `?` carry tone, so they stay.
pub fn split_sentences(prompt: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let chars: Vec<char> = prompt.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if c == '\n' || c == '\r' {
            push_sentence(&mut out, &mut cur);
            continue;
        }
        cur.push(c);
        let terminator = matches!(c, '.' | '!' | '?' | '…');
        let next = chars.get(i + 1).copied();
        let next_ends = next.is_none_or(|n| n.is_whitespace());
        if terminator && next_ends {
            push_sentence(&mut out, &mut cur);
        }
    }
    push_sentence(&mut out, &mut cur);
    out
}

fn push_sentence(out: &mut Vec<String>, cur: &mut String) {
    let collapsed = cur.split_whitespace().collect::<Vec<_>>().join(" ");
    let trimmed = collapsed.trim_end_matches('.').trim();
    if trimmed.chars().any(char::is_alphanumeric) {
        out.push(trimmed.to_string());
    }
    cur.clear();
}

/// Builds the scene list. Each sentence gets an equal share of `duration` seconds; when
/// there are more sentences than whole seconds, neighbouring sentences share a scene so
/// that no title flashes by too quickly to read.
pub fn build_scenes(prompt: &str, duration: f64) -> Vec<Scene> {
    let mut sentences = split_sentences(prompt);
    if sentences.is_empty() {
        sentences.push(String::new());
    }
    let max_scenes = (duration.floor() as usize).max(1);
    let groups = sentences.len().min(max_scenes);
    let share = duration / groups as f64;
    (0..groups)
        .map(|g| {
            let from = g * sentences.len() / groups;
            let to = (g + 1) * sentences.len() / groups;
            let text = join_sentences(&sentences[from..to]);
            let start = share * g as f64;
            let end = if g + 1 == groups {
                duration
            } else {
                share * (g + 1) as f64
            };
            scene_for(text, start, end)
        })
        .collect()
}

/// Re-adds the full stop between merged sentences so they still read as two.
fn join_sentences(parts: &[String]) -> String {
    let mut text = String::new();
    for (i, p) in parts.iter().enumerate() {
        text.push_str(p);
        if i + 1 < parts.len() {
            if !p.ends_with(['!', '?', '…']) {
                text.push('.');
            }
            text.push(' ');
        }
    }
    text
}

fn scene_for(text: String, start: f64, end: f64) -> Scene {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let seed = fnv1a(&words);
    let find = |table_words: &[&str]| words.iter().position(|w| matches_any(w, table_words));
    // The earliest keyword in the sentence wins, so "a red ball in the sea" is red, not blue.
    let earliest = |n: usize, get: &dyn Fn(usize) -> &'static [&'static str]| {
        (0..n)
            .filter_map(|i| find(get(i)).map(|pos| (pos, i)))
            .min()
            .map(|(_, i)| i)
    };
    let palette_idx = earliest(PALETTES.len(), &|i| PALETTES[i].0)
        .unwrap_or((seed % PALETTES.len() as u64) as usize);
    let shape = earliest(SHAPES.len(), &|i| SHAPES[i].0).map_or(
        SHAPES[((seed >> 8) % SHAPES.len() as u64) as usize].1,
        |i| SHAPES[i].1,
    );
    let motion = earliest(MOTIONS.len(), &|i| MOTIONS[i].0).map_or(
        [Motion::Drift, Motion::Rise, Motion::Orbit][((seed >> 16) % 3) as usize],
        |i| MOTIONS[i].1,
    );
    let has = |list: &[&str]| words.iter().any(|w| matches_any(w, list));
    let speed = if has(&FAST) {
        1.8
    } else if has(&SLOW) {
        0.55
    } else {
        1.0
    };
    Scene {
        text,
        palette: PALETTES[palette_idx].1,
        shape,
        motion,
        speed,
        seed,
        start,
        end,
        card: false,
    }
}

/// FNV-1a: stable across runs and platforms, unlike std's randomly keyed hasher, so the
/// same prompt always renders the same video.
pub(super) fn fnv1a(words: &[String]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for w in words {
        for b in w.bytes().chain(std::iter::once(b' ')) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_on_terminators_but_not_decimals() {
        let s =
            split_sentences("A red circle rises.  The ocean at night!\nVersion 3.5 is here? ok");
        assert_eq!(
            s,
            vec![
                "A red circle rises",
                "The ocean at night!",
                "Version 3.5 is here?",
                "ok"
            ]
        );
    }

    #[test]
    fn ignores_empty_and_punctuation_only_pieces() {
        assert_eq!(
            split_sentences("  ... !! \n\n Hello world...  "),
            vec!["Hello world"]
        );
        assert!(split_sentences("").is_empty());
    }

    #[test]
    fn scenes_share_duration_equally_and_pick_keywords() {
        let scenes = build_scenes("A red circle. Stars over the blue ocean.", 3.0);
        assert_eq!(scenes.len(), 2);
        assert!((scenes[0].end - 1.5).abs() < 1e-9 && (scenes[1].end - 3.0).abs() < 1e-9);
        assert_eq!(scenes[0].shape, Shape::Circle);
        assert_eq!(scenes[0].palette, PALETTES[0].1);
        assert_eq!(scenes[1].shape, Shape::Star);
        assert_eq!(
            scenes[1].palette, PALETTES[5].1,
            "\"stars\" comes before \"blue\""
        );
        let snowy = build_scenes("Frosty mountains rising", 2.0);
        assert_eq!(
            (snowy[0].palette, snowy[0].shape, snowy[0].motion),
            (PALETTES[8].1, Shape::Triangle, Motion::Rise)
        );
        assert_eq!(
            build_scenes("A red circle. Stars over the blue ocean.", 3.0),
            scenes
        );
    }

    #[test]
    fn long_videos_get_a_title_card_and_an_end_card() {
        let scenes = build_video("A red circle. Stars over the ocean.", Some("My film"), 10.0);
        assert_eq!(scenes.len(), 4);
        assert!(scenes[0].card && scenes[3].card && !scenes[1].card && !scenes[2].card);
        assert_eq!(scenes[0].text, "My film");
        assert_eq!(scenes[3].text, END_CARD_TEXT);
        assert_eq!(scenes[0].palette, scenes[1].palette);
        assert!((scenes[1].start - TITLE_CARD_SECS).abs() < 1e-9);
        assert!((scenes[3].end - 10.0).abs() < 1e-9);
        for pair in scenes.windows(2) {
            assert!((pair[0].end - pair[1].start).abs() < 1e-9);
        }
        // A title that only repeats the first sentence gets no card; short videos get none.
        let same = build_video("A red circle. Stars.", Some("A red circle."), 10.0);
        assert!(!same[0].card && same.last().is_some_and(|s| s.card));
        assert_eq!(
            build_video("A red circle.", Some("Film"), 4.0),
            build_scenes("A red circle.", 4.0)
        );
    }

    #[test]
    fn merges_sentences_when_scenes_would_be_too_short() {
        let scenes = build_scenes("One. Two. Three. Four. Five.", 2.0);
        assert_eq!(scenes.len(), 2);
        assert_eq!(scenes[0].text, "One. Two");
        assert_eq!(build_scenes("", 2.0).len(), 1);
    }
}
