//! Frame drawing into RGB buffers: gradient background, shapes, animated title, scene crossfades.

use super::canvas::{Canvas, Ink, Rng};
use super::layout::{layout_title, Title};
use super::scene::{Rgb, Scene};
use super::shapes::{self, rasterise};
use tiny_skia::{FillRule, LineCap, PathBuilder, Stroke, Transform};

const TEXT: Rgb = [255.0, 255.0, 255.0];
const SHADOW: Rgb = [8.0, 6.0, 20.0];

/// Draws frames for a fixed scene list and frame size; titles are laid out once up front.
pub struct Renderer {
    w: usize,
    h: usize,
    scenes: Vec<Scene>,
    titles: Vec<Title>,
    scratch: Vec<u8>,
}

fn smoothstep(x: f64) -> f64 {
    let x = x.clamp(0.0, 1.0);
    x * x * (3.0 - 2.0 * x)
}

fn ease_out_cubic(x: f32) -> f32 {
    1.0 - (1.0 - x.clamp(0.0, 1.0)).powi(3)
}

fn lerp3(a: Rgb, b: Rgb, m: f32) -> Rgb {
    std::array::from_fn(|i| a[i] + (b[i] - a[i]) * m)
}

impl Renderer {
    pub fn new(scenes: Vec<Scene>, w: usize, h: usize) -> Renderer {
        let titles: Vec<Title> = scenes.iter().map(|s| layout_title(&s.text, w, h)).collect();
        if let Some(t) = titles.iter().find(|t| !t.missing.is_empty()) {
            // The video still renders (with boxes); operators learn which fonts to install.
            tracing::warn!(
                missing = ?t.missing,
                "no installed font covers some title characters; install fonts-noto-core / fonts-noto-cjk"
            );
        }
        Renderer {
            w,
            h,
            scenes,
            titles,
            scratch: Vec::new(),
        }
    }

    /// Renders the frame at `t` seconds into `out` (RGB, `w*h*3` bytes).
    pub fn render(&mut self, t: f64, out: &mut [u8]) {
        let Some(k) = self
            .scenes
            .iter()
            .position(|s| t < s.end)
            .or(self.scenes.len().checked_sub(1))
        else {
            return;
        };
        let s = &self.scenes[k];
        // Crossfades straddle scene boundaries and never take more than a fifth of a scene.
        let xf = (0.2 * (s.end - s.start)).clamp(1e-3, 0.5);
        let pair = if k + 1 < self.scenes.len() && t > s.end - xf / 2.0 {
            Some((k, k + 1, smoothstep((t - (s.end - xf / 2.0)) / xf)))
        } else if k > 0 && t < s.start + xf / 2.0 {
            Some((k - 1, k, smoothstep((t - (s.start - xf / 2.0)) / xf)))
        } else {
            None
        };
        match pair {
            None => self.draw_scene(k, t, out),
            Some((a, b, m)) => {
                self.draw_scene(a, t, out);
                let mut scratch = std::mem::take(&mut self.scratch);
                scratch.resize(out.len(), 0);
                self.draw_scene(b, t, &mut scratch);
                let m = (m * 256.0).round() as u32;
                for (o, &n) in out.iter_mut().zip(scratch.iter()) {
                    *o = ((u32::from(*o) * (256 - m) + u32::from(n) * m + 128) >> 8) as u8;
                }
                self.scratch = scratch;
            }
        }
    }

    fn draw_scene(&self, k: usize, t: f64, out: &mut [u8]) {
        let scene = &self.scenes[k];
        let local = (t - scene.start) as f32;
        let mut canvas = Canvas {
            w: self.w,
            h: self.h,
            px: out,
        };
        background(&mut canvas, scene, local);
        shapes::draw(&mut canvas, scene, local);
        draw_title(&mut canvas, scene, &self.titles[k], local);
    }
}

/// Two-colour gradient whose angle sways slowly, a drifting accent glow and a vignette.
fn background(c: &mut Canvas, scene: &Scene, t: f32) {
    let p = &scene.palette;
    let mut rng = Rng::new(scene.seed ^ 0xb6);
    let base_angle = 0.35 + rng.next_f32() * 0.6;
    let glow_phase = rng.next_f32() * 6.0;
    let ang = base_angle + 0.12 * (t * 0.35 * scene.speed).sin();
    let (w, h) = (c.w as f32, c.h as f32);
    let aspect = w / h;
    let (dx, dy) = (ang.cos() / aspect * 0.9, ang.sin() * 0.9);
    let gx = 0.5 + 0.28 * (t * 0.23 * scene.speed + glow_phase).sin();
    let gy = 0.32 + 0.14 * (t * 0.31 * scene.speed + glow_phase).cos();
    let glow_col = lerp3(p.accent, p.bottom, 0.35);
    let inv_r2 = 1.0 / (0.45 * 0.45);
    // Everything here varies slowly across x, so evaluate every STEP pixels and interpolate
    // linearly: visually identical and several times cheaper at 1080p.
    const STEP: usize = 8;
    let mut knots = vec![[0f32; 3]; c.w / STEP + 2];
    for y in 0..c.h {
        let v = y as f32 / h;
        let (ny, gdy) = (v - 0.5, (v - gy) * (v - gy));
        for (k, knot) in knots.iter_mut().enumerate() {
            let u = (k * STEP) as f32 / h;
            let nx = u - 0.5 * aspect;
            let g = (0.5 + nx * dx + ny * dy).clamp(0.0, 1.0);
            let gdx = u - gx * aspect;
            let q = 1.0 / (1.0 + (gdx * gdx + gdy) * inv_r2);
            let glow = q * q * 0.38;
            let vig = 1.0 - 0.42 * (nx * nx / (aspect * aspect) + ny * ny) * 1.6;
            for i in 0..3 {
                let base = p.top[i] + (p.bottom[i] - p.top[i]) * g;
                knot[i] = (base + (glow_col[i] - base) * glow) * vig + 0.5;
            }
        }
        // 8.8 fixed point: knots lie in 0.5..=255.5, so every step stays in u8 range. Channel c of pixel j of a
        // segment is start + j·inc; written for a whole fixed-size segment at once, the loops unroll into
        // straight-line code, where a running sum over 3-byte pixels kept a loop-carried dependency per byte.
        let row = &mut c.px[y * c.w * 3..(y + 1) * c.w * 3];
        for (k, seg) in row.chunks_mut(STEP * 3).enumerate() {
            let (a, b) = (knots[k], knots[k + 1]);
            let start: [i32; 3] = std::array::from_fn(|i| (a[i] * 256.0) as i32);
            let inc: [i32; 3] =
                std::array::from_fn(|i| ((b[i] - a[i]) * (256.0 / STEP as f32)) as i32);
            if let Ok(seg) = <&mut [u8; STEP * 3]>::try_from(&mut *seg) {
                for j in 0..STEP {
                    for ch in 0..3 {
                        seg[3 * j + ch] = ((start[ch] + j as i32 * inc[ch]) >> 8) as u8;
                    }
                }
            } else {
                for (j, px) in seg.chunks_exact_mut(3).enumerate() {
                    for ch in 0..3 {
                        px[ch] = ((start[ch] + j as i32 * inc[ch]) >> 8) as u8;
                    }
                }
            }
        }
    }
}

/// Length of a scene's title animation (words, then underline), in seconds.
fn intro_secs(scene: &Scene) -> f32 {
    (0.45 * (scene.end - scene.start) as f32).min(1.1)
}

/// A moment in `scene` when its title has fully animated in and no crossfade has begun.
pub fn settled_at(scene: &Scene) -> f64 {
    let len = scene.end - scene.start;
    scene.start + (f64::from(intro_secs(scene)) * 1.3 + 0.15).min(len * 0.85)
}

/// Words fade and slide up one after another, then an accent underline grows beneath.
fn draw_title(c: &mut Canvas, scene: &Scene, title: &Title, t: f32) {
    let intro = intro_secs(scene);
    let word_dur = intro * 0.45;
    let lead = intro * 0.08;
    let n = title.words.len();
    let stagger = if n > 1 {
        ((intro - word_dur - lead) / (n - 1) as f32).min(0.12)
    } else {
        0.0
    };
    let size = title.size;
    let off = (size * 0.06).max(1.0);
    for (i, word) in title.words.iter().enumerate() {
        let e = ease_out_cubic((t - lead - i as f32 * stagger) / word_dur);
        if e <= 0.0 {
            continue;
        }
        let (x, y) = (word.x as f32, word.y as f32 + (1.0 - e) * size * 0.45);
        let pad = word.pad as f32;
        let side = (word.w + 2 * word.pad, word.h + 2 * word.pad);
        let (sx, sy) = (x - pad + off, y - pad + off * 1.3);
        c.blit(&word.shadow, side, sx, sy, Ink::new(SHADOW), 0.6 * e);
        c.blit(&word.cov, (word.w, word.h), x, y, Ink::new(TEXT), e);
    }
    if n == 0 {
        return;
    }
    let bar = ease_out_cubic((t - intro * 0.7) / (intro * 0.6).max(0.05));
    if bar > 0.0 {
        let (bottom, lx, lw) = title.last_line;
        let half_w = lw.min(c.w as f32 * 0.5) * 0.22 * bar;
        let thick = (size * 0.06).max(1.5);
        let (cx, cy) = (lx + lw / 2.0, bottom + size * 0.45);
        // A round-capped stroke, rasterised anti-aliased by tiny-skia.
        let mut pb = PathBuilder::new();
        pb.move_to(cx - half_w, cy);
        pb.line_to(cx + half_w + 0.01, cy);
        let stroke = Stroke {
            width: thick,
            line_cap: LineCap::Round,
            ..Stroke::default()
        };
        let bx = [
            cx - half_w - thick,
            cy - thick,
            cx + half_w + thick,
            cy + thick,
        ];
        if let Some(m) = pb
            .finish()
            .and_then(|p| p.stroke(&stroke, 1.0))
            .and_then(|p| rasterise(&p, FillRule::Winding, Transform::identity(), bx, (c.w, c.h)))
        {
            let ink = Ink::new(scene.palette.accent);
            c.blit(&m.cov, (m.w, m.h), m.x0 as f32, m.y0 as f32, ink, 0.9);
        }
    }
}
