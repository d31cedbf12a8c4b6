//! Title layout: shaping (bidi, complex scripts, font fallback), Unicode line breaking, shrink-to-fit
//! sizing and centring, then one pre-rasterised coverage mask per word so frames only blend.

use super::canvas::box_blur;
use super::font::{typesetter, Typesetter, FAMILY};
use cosmic_text::{Align, Attrs, Buffer, Family, LayoutRun, Metrics, Shaping, Weight, Wrap};
use std::collections::BTreeMap;
use std::ops::Range;

/// One word (or CJK character) as an anti-aliased mask at its place in the frame.
pub struct WordMask {
    /// Top-left of the mask in frame pixels.
    pub x: i32,
    pub y: i32,
    pub w: usize,
    pub h: usize,
    pub cov: Vec<u8>,
    /// Blurred coverage for the drop shadow, `pad` px larger on every side.
    pub shadow: Vec<u8>,
    pub pad: usize,
}

pub struct Title {
    /// In reading order, which is the order they animate in.
    pub words: Vec<WordMask>,
    /// Font size in pixels.
    pub size: f32,
    /// Bottom edge and horizontal extent of the last line, for the accent underline.
    pub last_line: (f32, f32, f32),
    /// Text of every glyph no installed font had (shaped as glyph 0, the .notdef box).
    pub missing: Vec<String>,
}

/// Share of the frame width that text may use.
const MAX_W: f32 = 0.84;
/// Share of the frame height that the text block may use.
const MAX_H: f32 = 0.6;
const MAX_LINES: usize = 4;
const LINE_HEIGHT: f32 = 1.3;

/// Lays out a centred, wrapped title, shrinking the type until it fits in 84 % of the width,
/// 60 % of the height and four lines. Words too long for a line break between glyphs, so no
/// text ever leaves the frame.
pub fn layout_title(text: &str, width: usize, height: usize) -> Title {
    let text: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let (w, h) = (width as f32, height as f32);
    let mut ts = typesetter();
    let mut size = (h * 0.085).min(w * 0.07).max(6.0);
    let mut buffer = Buffer::new(&mut ts.fonts, Metrics::new(size, size * LINE_HEIGHT));
    buffer.set_wrap(&mut ts.fonts, Wrap::WordOrGlyph);
    let attrs = Attrs::new()
        .family(Family::Name(FAMILY))
        .weight(Weight::BOLD);
    buffer.set_size(&mut ts.fonts, Some(w * MAX_W), None);
    buffer.set_text(
        &mut ts.fonts,
        &text,
        &attrs,
        Shaping::Advanced,
        Some(Align::Center),
    );
    loop {
        let lines = buffer.layout_runs().count();
        let fits = lines <= MAX_LINES && lines as f32 * size * LINE_HEIGHT <= h * MAX_H;
        if fits || size <= 6.0 {
            break;
        }
        size = (size * 0.9).max(6.0);
        buffer.set_metrics(&mut ts.fonts, Metrics::new(size, size * LINE_HEIGHT));
    }
    place(&mut ts, &buffer, size, w, h)
}

/// Byte ranges of the words of a line: runs of non-space characters, except that each CJK
/// character stands alone (those scripts do not separate words with spaces).
fn word_ranges(line: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in line.char_indices() {
        let end_here = c.is_whitespace() || is_cjk(c);
        if end_here {
            if let Some(s) = start.take() {
                out.push(s..i);
            }
            if is_cjk(c) {
                out.push(i..i + c.len_utf8());
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(s) = start {
        out.push(s..line.len());
    }
    out
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0xAC00..=0xD7AF
        | 0x3000..=0x303F | 0xFF00..=0xFFEF | 0x20000..=0x2FFFF)
}

/// Glyph pieces of one word: (frame x, frame y, mask).
type Pieces = Vec<(i32, i32, super::font::GlyphMask)>;

fn place(ts: &mut Typesetter, buffer: &Buffer, size: f32, w: f32, h: f32) -> Title {
    let runs: Vec<LayoutRun> = buffer.layout_runs().collect();
    let block_h = runs.len() as f32 * size * LINE_HEIGHT;
    // Slightly above centre: the optical centre, and it leaves room for the underline.
    let top = ((h - block_h) * 0.46).round();
    let left = (w * (1.0 - MAX_W) / 2.0).round();
    let mut words: BTreeMap<(usize, usize, usize), Pieces> = BTreeMap::new();
    let mut missing = Vec::new();
    let mut last_line = (0.0, 0.0, 0.0);
    for (ri, run) in runs.iter().enumerate() {
        let ranges = word_ranges(run.text);
        let (mut x0, mut x1) = (f32::MAX, f32::MIN);
        for g in run.glyphs {
            if g.glyph_id == 0 {
                missing.push(run.text.get(g.start..g.end).unwrap_or("?").to_string());
            }
            let Some(wi) = ranges.iter().position(|r| r.contains(&g.start)) else {
                continue; // Spaces.
            };
            x0 = x0.min(g.x);
            x1 = x1.max(g.x + g.w);
            let pg = g.physical((left, top), 1.0);
            if let Some(mask) = ts.glyph(pg.cache_key) {
                // `physical` already added the (left, top) offset.
                let (gx, gy) = (pg.x + mask.left, run.line_y as i32 + pg.y - mask.top);
                words
                    .entry((run.line_i, ranges[wi].start, ri))
                    .or_default()
                    .push((gx, gy, mask));
            }
        }
        if x1 > x0 {
            last_line = (top + run.line_top + run.line_height, left + x0, x1 - x0);
        }
    }
    let pad = ((size / 7.0) as usize).max(2);
    Title {
        words: words
            .into_values()
            .filter_map(|p| word_mask(&p, pad))
            .collect(),
        size,
        last_line,
        missing,
    }
}

/// Merges a word's glyph masks into one mask and blurs a copy for its shadow.
fn word_mask(pieces: &Pieces, pad: usize) -> Option<WordMask> {
    let x = pieces.iter().map(|p| p.0).min()?;
    let y = pieces.iter().map(|p| p.1).min()?;
    let x1 = pieces.iter().map(|p| p.0 + p.2.w as i32).max()?;
    let y1 = pieces.iter().map(|p| p.1 + p.2.h as i32).max()?;
    let (w, h) = ((x1 - x) as usize, (y1 - y) as usize);
    if w == 0 || h == 0 {
        return None;
    }
    let mut cov = vec![0u8; w * h];
    for (gx, gy, m) in pieces {
        let (ox, oy) = ((gx - x) as usize, (gy - y) as usize);
        for row in 0..m.h {
            let dst = &mut cov[(oy + row) * w + ox..(oy + row) * w + ox + m.w];
            for (d, &s) in dst.iter_mut().zip(&m.cov[row * m.w..(row + 1) * m.w]) {
                *d = (*d).saturating_add(s);
            }
        }
    }
    let side_w = w + 2 * pad;
    let mut shadow = vec![0u8; side_w * (h + 2 * pad)];
    for row in 0..h {
        let at = (row + pad) * side_w + pad;
        shadow[at..at + w].copy_from_slice(&cov[row * w..(row + 1) * w]);
    }
    box_blur(&mut shadow, side_w, h + 2 * pad, pad / 2);
    box_blur(&mut shadow, side_w, h + 2 * pad, pad / 2);
    Some(WordMask {
        x,
        y,
        w,
        h,
        cov,
        shadow,
        pad,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_split_on_spaces_and_cjk_characters() {
        let t = "hi 日本 là";
        let words: Vec<&str> = word_ranges(t).into_iter().map(|r| &t[r]).collect();
        assert_eq!(words, vec!["hi", "日", "本", "là"]);
    }

    #[test]
    fn a_long_word_stays_inside_the_frame() {
        let title = layout_title(&"Donaudampfschifffahrt".repeat(6), 320, 180);
        assert!(!title.words.is_empty());
        for word in &title.words {
            assert!(
                word.x >= 0 && word.x as usize + word.w <= 320,
                "x {}",
                word.x
            );
            assert!(
                word.y >= 0 && word.y as usize + word.h <= 180,
                "y {}",
                word.y
            );
        }
        assert!(title.missing.is_empty());
    }

    #[test]
    fn embedded_font_covers_latin_cyrillic_and_greek() {
        let title = layout_title("Kafé Москва Αθήνα", 640, 360);
        assert_eq!(title.words.len(), 3);
        assert!(title.missing.is_empty(), "{:?}", title.missing);
    }
}
