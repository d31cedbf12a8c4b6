//! Frame buffer view with integer alpha blending, anti-aliasing ramps and a stable RNG.

use super::scene::Rgb;

/// An RGB frame buffer view with alpha blending.
pub struct Canvas<'a> {
    pub w: usize,
    pub h: usize,
    pub px: &'a mut [u8],
}

/// A colour rounded once for integer blending, which is much cheaper per pixel than floats.
#[derive(Clone, Copy)]
pub struct Ink([i32; 3]);

impl Ink {
    pub fn new(c: Rgb) -> Ink {
        Ink(c.map(|v| v.round() as i32))
    }
}

impl Canvas<'_> {
    /// Blends `ink` over one pixel with opacity `a` in 0..=256.
    #[inline]
    pub fn blend(&mut self, x: usize, y: usize, ink: Ink, a: i32) {
        let i = (y * self.w + x) * 3;
        for (p, c) in self.px[i..i + 3].iter_mut().zip(ink.0) {
            let v = i32::from(*p);
            *p = (v + (((c - v) * a + 128) >> 8)) as u8;
        }
    }

    /// Blends over the pixels of box `[x0, y0, x1, y1]` by `coverage(x, y)` at pixel centres.
    pub fn fill(&mut self, bx: [f32; 4], ink: Ink, alpha: f32, coverage: impl Fn(f32, f32) -> f32) {
        let y0 = bx[1].floor().max(0.0) as usize;
        let y1 = (bx[3].ceil().max(0.0) as usize).min(self.h);
        for y in y0..y1 {
            self.fill_span(y, bx[0], bx[2], ink, alpha, &coverage);
        }
    }

    /// Like `fill`, but only visits pixels within `radius` of the centre, skipping the
    /// corners of the bounding box that round shapes never reach.
    pub fn fill_disc(
        &mut self,
        cx: f32,
        cy: f32,
        radius: f32,
        ink: Ink,
        alpha: f32,
        coverage: impl Fn(f32, f32) -> f32,
    ) {
        let y0 = (cy - radius).floor().max(0.0) as usize;
        let y1 = ((cy + radius).ceil().max(0.0) as usize).min(self.h);
        for y in y0..y1 {
            let dy = y as f32 + 0.5 - cy;
            let half = (radius * radius - dy * dy).max(0.0).sqrt();
            self.fill_span(y, cx - half, cx + half, ink, alpha, &coverage);
        }
    }

    fn fill_span(
        &mut self,
        y: usize,
        from: f32,
        to: f32,
        ink: Ink,
        alpha: f32,
        coverage: &impl Fn(f32, f32) -> f32,
    ) {
        let x0 = from.floor().max(0.0) as usize;
        let x1 = (to.ceil().max(0.0) as usize).min(self.w);
        let scale = alpha * 256.0;
        for x in x0..x1 {
            let a = (coverage(x as f32 + 0.5, y as f32 + 0.5) * scale) as i32;
            if a > 0 {
                self.blend(x, y, ink, a);
            }
        }
    }
}

/// SplitMix64: tiny, seedable and stable, so every render of a prompt is identical.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }
    pub fn next_f32(&mut self) -> f32 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        ((z ^ (z >> 31)) >> 40) as f32 / (1u64 << 24) as f32
    }
}

/// Coverage from a signed distance: 1 inside, 0 outside, a ramp `soft` px wide each side.
#[inline]
pub fn coverage(d: f32, soft: f32) -> f32 {
    ramp(soft, 0.5 / soft)(d)
}

/// `coverage` with the division hoisted out, for per-pixel loops.
#[inline]
pub fn ramp(soft: f32, half_inv: f32) -> impl Fn(f32) -> f32 {
    move |d| ((soft - d) * half_inv).clamp(0.0, 1.0)
}
