//! Frame buffer view with integer alpha blending of coverage masks, and a stable RNG.

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
    /// Blends a coverage mask `mw` pixels wide at a sub-pixel position (rounded to whole pixels)
    /// with opacity `alpha` in 0..=1.
    pub fn blit(
        &mut self,
        mask: &[u8],
        (mw, mh): (usize, usize),
        x: f32,
        y: f32,
        ink: Ink,
        alpha: f32,
    ) {
        let (ox, oy) = (x.round() as isize, y.round() as isize);
        let a256 = (alpha.clamp(0.0, 1.0) * 256.0) as i32;
        // Clip the mask rectangle to the frame once instead of testing every pixel.
        let xs = (-ox).max(0) as usize..(self.w as isize - ox).clamp(0, mw as isize) as usize;
        let ys = (-oy).max(0) as usize..(self.h as isize - oy).clamp(0, mh as isize) as usize;
        if xs.is_empty() {
            return;
        }
        for my in ys {
            let py = (oy + my as isize) as usize;
            let coverage = &mask[my * mw + xs.start..my * mw + xs.end];
            let first = (py * self.w + (ox + xs.start as isize) as usize) * 3;
            let pixels = &mut self.px[first..first + coverage.len() * 3];
            blend_run(pixels, ink, coverage, |m| (i32::from(m) * a256 + 128) >> 8);
        }
    }
}

/// Pixels blended per step of `blend_run`.
const LANES: usize = 8;

/// Blends `ink` over a run of RGB pixels, pixel `i` with opacity `opacity(weights[i])` in 0..=256 (0 leaves it
/// unchanged). Eight pixels (24 bytes) go through fixed-size arrays with constant trip counts, which the compiler
/// unrolls into straight-line code, where a loop over 3-byte pixels stays a byte-at-a-time loop; eight transparent pixels in a row (a mask's empty corners, the
/// sky above a wave) are skipped.
#[inline]
pub fn blend_run<W: Copy>(pixels: &mut [u8], ink: Ink, weights: &[W], opacity: impl Fn(W) -> i32) {
    let mut groups = pixels.chunks_exact_mut(3 * LANES);
    let mut group_weights = weights.chunks_exact(LANES);
    for (px, w) in (&mut groups).zip(&mut group_weights) {
        let px: &mut [u8; 3 * LANES] = px.try_into().expect("chunks_exact");
        let mut a = [0i32; LANES];
        for (a, &w) in a.iter_mut().zip(w) {
            *a = opacity(w);
        }
        if a == [0; LANES] {
            continue;
        }
        // Constant trip counts on fixed-size arrays: both loops unroll, and no index is divided at run time.
        for j in 0..LANES {
            for ch in 0..3 {
                let v = i32::from(px[3 * j + ch]);
                px[3 * j + ch] = (v + (((ink.0[ch] - v) * a[j] + 128) >> 8)) as u8;
            }
        }
    }
    let rest = groups.into_remainder().chunks_exact_mut(3);
    for (px, &w) in rest.zip(group_weights.remainder()) {
        blend_pixel(px, ink, opacity(w));
    }
}

/// Blends `ink` over one RGB pixel with opacity `a` in 0..=256 (0 leaves it unchanged).
#[inline]
pub fn blend_pixel(px: &mut [u8], ink: Ink, a: i32) {
    for (p, c) in px.iter_mut().zip(ink.0) {
        let v = i32::from(*p);
        *p = (v + (((c - v) * a + 128) >> 8)) as u8;
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

/// A box blur of radius `r` across rows then columns (pixels outside count as 0); run twice it
/// is close to a Gaussian. Used for soft shadows and out-of-focus shapes every frame, so both
/// passes keep running sums and walk memory in order (columns accumulate a whole row at a time).
pub fn box_blur(buf: &mut [u8], w: usize, h: usize, r: usize) {
    if r == 0 || w == 0 || h == 0 || buf.len() != w * h {
        return;
    }
    // Beyond this the multiply-shift mean below is no longer exact; no frame size gets near it.
    let r = r.min(2000);
    let mean = MeanOf::new((2 * r + 1) as u32);
    let mut line = vec![0u8; w];
    for row in buf.chunks_exact_mut(w) {
        line.copy_from_slice(row);
        let mut sum: u32 = line[..=r.min(w - 1)].iter().map(|&v| u32::from(v)).sum();
        for (i, out) in row.iter_mut().enumerate() {
            *out = mean.of(sum);
            if let Some(&v) = line.get(i + r + 1) {
                sum += u32::from(v);
            }
            if i >= r {
                sum -= u32::from(line[i - r]);
            }
        }
    }
    let src = buf.to_vec();
    let rows = |y: usize| &src[y * w..(y + 1) * w];
    let mut sums = vec![0u32; w];
    for y in 0..=r.min(h - 1) {
        for (s, &v) in sums.iter_mut().zip(rows(y)) {
            *s += u32::from(v);
        }
    }
    for (y, out) in buf.chunks_exact_mut(w).enumerate() {
        for (o, &s) in out.iter_mut().zip(&sums) {
            *o = mean.of(s);
        }
        if y + r + 1 < h {
            for (s, &v) in sums.iter_mut().zip(rows(y + r + 1)) {
                *s += u32::from(v);
            }
        }
        if y >= r {
            for (s, &v) in sums.iter_mut().zip(rows(y - r)) {
                *s -= u32::from(v);
            }
        }
    }
}

/// The mean of a window of `n` bytes from their sum, by a multiply and shift: a division per pixel and pass was
/// half of the blur's time. `m = ceil(2^32 / n)` gives exactly `sum / n` for every `sum < 2^32 / n`, and a sum of
/// bytes is at most `255 n`, so any `n` below 4,104 is exact.
struct MeanOf {
    m: u64,
}

impl MeanOf {
    fn new(n: u32) -> Self {
        Self {
            m: (1u64 << 32).div_ceil(u64::from(n)),
        }
    }

    #[inline]
    fn of(&self, sum: u32) -> u8 {
        ((u64::from(sum) * self.m) >> 32) as u8
    }
}

#[cfg(test)]
mod tests {
    use super::{box_blur, MeanOf};

    #[test]
    fn multiply_shift_mean_is_exact_division() {
        for n in (1..=4001).step_by(2) {
            let mean = MeanOf::new(n);
            for sum in (0..=255 * n).step_by(1 + n as usize / 7) {
                assert_eq!(u32::from(mean.of(sum)), sum / n, "{sum} / {n}");
            }
            // Just below and at each multiple is where a rounding error would show.
            for k in 1..=255 {
                assert_eq!(u32::from(mean.of(k * n - 1)), k - 1, "{k}·{n} - 1");
                assert_eq!(u32::from(mean.of(k * n)), k, "{k}·{n}");
            }
        }
    }

    /// The blur by its definition: each pixel the mean of its (2r+1)² box, zeros outside.
    fn naive(src: &[u8], w: usize, h: usize, r: usize) -> Vec<u8> {
        let at = |x: isize, y: isize| {
            if x < 0 || y < 0 || x >= w as isize || y >= h as isize {
                0
            } else {
                u32::from(src[y as usize * w + x as usize])
            }
        };
        let win = (2 * r + 1) as u32;
        let ri = r as isize;
        let rows: Vec<u32> = (0..h as isize)
            .flat_map(|y| (0..w as isize).map(move |x| (x, y)))
            .map(|(x, y)| (-ri..=ri).map(|d| at(x + d, y)).sum::<u32>() / win)
            .collect();
        let at_row = |x: usize, y: isize| {
            if y < 0 || y >= h as isize {
                0
            } else {
                rows[y as usize * w + x]
            }
        };
        (0..h * w)
            .map(|i| {
                let (x, y) = (i % w, (i / w) as isize);
                ((-ri..=ri).map(|d| at_row(x, y + d)).sum::<u32>() / win) as u8
            })
            .collect()
    }

    #[test]
    fn box_blur_matches_its_definition() {
        let (w, h) = (23, 17);
        let src: Vec<u8> = (0..w * h)
            .map(|i| ((i * 97 + i / 5 * 31) % 256) as u8)
            .collect();
        for r in [1, 2, 5, 30] {
            let mut got = src.clone();
            box_blur(&mut got, w, h, r);
            assert_eq!(got, naive(&src, w, h, r), "radius {r}");
        }
    }
}
