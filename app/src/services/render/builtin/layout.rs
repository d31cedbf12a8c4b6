//! Title layout: word wrapping, shrink-to-fit sizing and centring of a sentence.

use super::font::{normalise, Font};

/// A character with the x offset of its cell relative to its word's origin.
pub struct PlacedChar {
    pub c: char,
    pub dx: f32,
}

pub struct PlacedWord {
    pub chars: Vec<PlacedChar>,
    /// Top-left of the word's first cell in frame pixels.
    pub x: f32,
    pub y: f32,
}

pub struct Title {
    pub font: Font,
    pub words: Vec<PlacedWord>,
    /// Bottom edge and horizontal extent of the last line, for the accent underline.
    pub last_line: (f32, f32, f32),
}

fn wrap(font: &Font, words: &[&str], max_w: f32) -> Vec<Vec<usize>> {
    let space = font.advance(' ');
    let mut lines: Vec<Vec<usize>> = Vec::new();
    let mut cur_w = 0.0;
    for (i, w) in words.iter().enumerate() {
        let ww = font.word_width(w);
        match lines.last_mut() {
            Some(line) if cur_w + space + ww <= max_w => {
                line.push(i);
                cur_w += space + ww;
            }
            _ => {
                lines.push(vec![i]);
                cur_w = ww;
            }
        }
    }
    lines
}

/// Lays out a centred, word-wrapped title, shrinking the type until it fits in
/// 84 % of the width and about 60 % of the height.
pub fn layout_title(text: &str, width: usize, height: usize) -> Title {
    let text = normalise(text);
    let words: Vec<&str> = text.split_whitespace().collect();
    let (w, h) = (width as f32, height as f32);
    let mut size = (h * 0.095).min(w * 0.08).max(8.0);
    loop {
        let font = Font::for_text(size.round() as usize, &text);
        let line_h = font.size as f32 * 1.4;
        let lines = wrap(&font, &words, w * 0.84);
        let widest = lines
            .iter()
            .map(|l| line_width(&font, &words, l))
            .fold(0.0, f32::max);
        let fits = lines.len() <= 4 && lines.len() as f32 * line_h <= h * 0.6 && widest <= w * 0.84;
        if fits || size <= 8.0 {
            return place(font, &words, &lines, w, h, line_h);
        }
        size = (size * 0.9).max(8.0);
    }
}

fn line_width(font: &Font, words: &[&str], line: &[usize]) -> f32 {
    let gaps = line.len().saturating_sub(1) as f32 * font.advance(' ');
    line.iter().map(|&i| font.word_width(words[i])).sum::<f32>() + gaps
}

fn place(font: Font, words: &[&str], lines: &[Vec<usize>], w: f32, h: f32, line_h: f32) -> Title {
    let block_h = lines.len() as f32 * line_h;
    // Slightly above centre: optical centre, and leaves room for the underline.
    let top = (h - block_h) * 0.46;
    let mut placed = Vec::new();
    let mut last_line = (0.0, 0.0, 0.0);
    for (li, line) in lines.iter().enumerate() {
        let lw = line_width(&font, words, line);
        let mut x = (w - lw) / 2.0;
        let y = top + li as f32 * line_h + (line_h - font.size as f32) / 2.0;
        last_line = (y + font.size as f32, (w - lw) / 2.0, lw);
        for &i in line {
            let mut dx = 0.0;
            let mut chars = Vec::new();
            for c in words[i].chars() {
                let left = font.glyph(c).map_or(0.0, |g| g.left);
                chars.push(PlacedChar { c, dx: dx - left });
                dx += font.advance(c);
            }
            placed.push(PlacedWord { chars, x, y });
            x += dx + font.advance(' ');
        }
    }
    Title {
        font,
        words: placed,
        last_line,
    }
}
