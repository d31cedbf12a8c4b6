//! Title typography: the embedded 8x8 bitmap font, smoothed into anti-aliased glyph masks, and word wrapping.

use font8x8::legacy::{BASIC_LEGACY, LATIN_LEGACY};
use std::collections::HashMap;

/// Side of the smoothed master bitmap: 8 px upscaled three times by EPX (×2 each).
const MASTER: usize = 64;
/// Sub-samples per axis when area-sampling the master into a glyph mask.
const SUB: usize = 4;

/// One glyph rasterised at the current cell size.
pub struct Glyph {
    /// Coverage 0..=255, `size`×`size`, covering the full 8×8 cell.
    pub cov: Vec<u8>,
    /// Blurred coverage for the drop shadow, `(size + 2*pad)²`.
    pub shadow: Vec<u8>,
    pub pad: usize,
    /// Empty columns left of the ink, in pixels, so proportional spacing can skip them.
    pub left: f32,
    advance: f32,
}

/// A set of glyphs at one pixel size, built up front for the characters of one title.
pub struct Font {
    pub size: usize,
    glyphs: HashMap<char, Glyph>,
}

/// Maps typographic characters the 8x8 font lacks onto ones it has.
pub fn normalise(text: &str) -> String {
    text.replace('…', "...")
        .chars()
        .map(|c| match c {
            '‘' | '’' | '`' | '´' => '\'',
            '“' | '”' | '„' => '"',
            '–' | '—' | '−' => '-',
            c if (c as u32) < 0x20 => ' ',
            c if (c as u32) < 0x80 || (0xA0..=0xFF).contains(&(c as u32)) => c,
            _ => '?',
        })
        .collect()
}

fn bitmap(c: char) -> [u8; 8] {
    let code = c as usize;
    match code {
        0..=0x7F => BASIC_LEGACY[code],
        0xA0..=0xFF => LATIN_LEGACY[code - 0xA0],
        _ => BASIC_LEGACY[usize::from(b'?')],
    }
}

/// EPX / Scale2x: doubles a binary image while turning staircases into diagonals,
/// which is what makes an 8x8 font look drawn rather than blocky when enlarged.
fn scale2x(src: &[bool], n: usize) -> Vec<bool> {
    let at = |x: isize, y: isize| {
        let inside = x >= 0 && y >= 0 && (x as usize) < n && (y as usize) < n;
        inside && src[y as usize * n + x as usize]
    };
    let mut dst = vec![false; 4 * n * n];
    for y in 0..n as isize {
        for x in 0..n as isize {
            let (e, up, dn, lf, rt) = (
                at(x, y),
                at(x, y - 1),
                at(x, y + 1),
                at(x - 1, y),
                at(x + 1, y),
            );
            let quad = [
                if up == lf && up != rt && lf != dn {
                    lf
                } else {
                    e
                },
                if up == rt && up != lf && rt != dn {
                    rt
                } else {
                    e
                },
                if dn == lf && dn != rt && lf != up {
                    lf
                } else {
                    e
                },
                if dn == rt && dn != lf && rt != up {
                    rt
                } else {
                    e
                },
            ];
            let (ox, oy) = (2 * x as usize, 2 * y as usize);
            dst[oy * 2 * n + ox] = quad[0];
            dst[oy * 2 * n + ox + 1] = quad[1];
            dst[(oy + 1) * 2 * n + ox] = quad[2];
            dst[(oy + 1) * 2 * n + ox + 1] = quad[3];
        }
    }
    dst
}

fn box_blur(buf: &mut [u8], w: usize, h: usize, r: usize) {
    let mut tmp = vec![0u8; buf.len()];
    let win = (2 * r + 1) as u32;
    for pass in 0..2 {
        let (src, dst): (&[u8], &mut [u8]) = if pass == 0 {
            (buf, &mut tmp)
        } else {
            (&tmp, buf)
        };
        // Pass 0 blurs rows into tmp, pass 1 blurs columns back; clamping reads keep edges dark.
        let (outer, inner) = if pass == 0 { (h, w) } else { (w, h) };
        for o in 0..outer {
            let idx = |i: usize| if pass == 0 { o * w + i } else { i * w + o };
            for i in 0..inner {
                let lo = i.saturating_sub(r);
                let hi = (i + r).min(inner - 1);
                let sum: u32 = (lo..=hi).map(|k| u32::from(src[idx(k)])).sum();
                dst[idx(i)] = (sum / win) as u8;
            }
        }
    }
}

impl Glyph {
    fn build(c: char, size: usize) -> Glyph {
        let rows = bitmap(c);
        let mut master: Vec<bool> = (0..64).map(|i| rows[i / 8] & (1 << (i % 8)) != 0).collect();
        for n in [8, 16, 32] {
            master = scale2x(&master, n);
        }
        // Blurring the master and re-thresholding at 50 % rounds EPX's leftover staircases and
        // removes its isolated specks, giving smooth outlines at any size.
        let mut field: Vec<u8> = master.iter().map(|&b| if b { 255 } else { 0 }).collect();
        box_blur(&mut field, MASTER, MASTER, 2);
        let sample = |fx: f32, fy: f32| {
            let (x0, y0) = (fx.floor().max(0.0) as usize, fy.floor().max(0.0) as usize);
            let (x0, y0) = (x0.min(MASTER - 1), y0.min(MASTER - 1));
            let (x1, y1) = ((x0 + 1).min(MASTER - 1), (y0 + 1).min(MASTER - 1));
            let (tx, ty) = (
                (fx - x0 as f32).clamp(0.0, 1.0),
                (fy - y0 as f32).clamp(0.0, 1.0),
            );
            let f = |x: usize, y: usize| f32::from(field[y * MASTER + x]);
            let top = f(x0, y0) + (f(x1, y0) - f(x0, y0)) * tx;
            let bot = f(x0, y1) + (f(x1, y1) - f(x0, y1)) * tx;
            top + (bot - top) * ty
        };
        let mut cov = vec![0u8; size * size];
        let step = MASTER as f32 / size as f32;
        for oy in 0..size {
            for ox in 0..size {
                let mut hits = 0u32;
                for sy in 0..SUB {
                    let my = (oy as f32 + (sy as f32 + 0.5) / SUB as f32) * step - 0.5;
                    for sx in 0..SUB {
                        let mx = (ox as f32 + (sx as f32 + 0.5) / SUB as f32) * step - 0.5;
                        hits += u32::from(sample(mx, my) >= 127.5);
                    }
                }
                cov[oy * size + ox] = (hits * 255 / (SUB * SUB) as u32) as u8;
            }
        }
        let pad = (size / 6).max(2);
        let side = size + 2 * pad;
        let mut shadow = vec![0u8; side * side];
        for y in 0..size {
            shadow[(y + pad) * side + pad..(y + pad) * side + pad + size]
                .copy_from_slice(&cov[y * size..(y + 1) * size]);
        }
        box_blur(&mut shadow, side, side, pad / 2);
        box_blur(&mut shadow, side, side, pad / 2);

        let ink = rows.iter().fold(0u8, |acc, r| acc | r);
        let px = size as f32 / 8.0;
        let (left, advance) = if ink == 0 {
            (0.0, 4.0 * px)
        } else {
            let first = ink.trailing_zeros() as f32;
            let last = 7.0 - ink.leading_zeros() as f32;
            // One font pixel of tracking between letters.
            (first * px, (last - first + 2.0) * px)
        };
        Glyph {
            cov,
            shadow,
            pad,
            left,
            advance,
        }
    }
}

impl Font {
    pub fn for_text(size: usize, text: &str) -> Font {
        let mut glyphs = HashMap::new();
        for c in text.chars() {
            glyphs.entry(c).or_insert_with(|| Glyph::build(c, size));
        }
        glyphs.entry(' ').or_insert_with(|| Glyph::build(' ', size));
        Font { size, glyphs }
    }

    pub fn glyph(&self, c: char) -> Option<&Glyph> {
        self.glyphs.get(&c)
    }

    pub fn advance(&self, c: char) -> f32 {
        self.glyphs
            .get(&c)
            .map_or(self.size as f32 * 0.5, |g| g.advance)
    }

    pub fn word_width(&self, word: &str) -> f32 {
        word.chars().map(|c| self.advance(c)).sum()
    }
}
