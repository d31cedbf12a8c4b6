//! Animated decorative shapes, drawn as vector paths by tiny-skia (anti-aliased coverage masks), with
//! out-of-focus blur for far instances and soft drop shadows for near ones; plus layered waves.

use super::canvas::{blend_run, box_blur, Canvas, Ink, Rng};
use super::scene::{Motion, Scene, Shape};
use std::f32::consts::{PI, TAU};
use tiny_skia::{FillRule, Mask, Path, PathBuilder, Stroke, Transform};

const SHADOW: [f32; 3] = [8.0, 6.0, 20.0];

/// The shape's outline centred on the origin with "radius" `r` (screen y grows downward).
fn outline(shape: Shape, r: f32) -> Option<Path> {
    let mut pb = PathBuilder::new();
    match shape {
        Shape::Circle | Shape::Wave => pb.push_circle(0.0, 0.0, r),
        // Two circles filled even-odd leave the band between them.
        Shape::Ring => {
            pb.push_circle(0.0, 0.0, r * 0.94);
            pb.push_circle(0.0, 0.0, r * 0.66);
        }
        Shape::Square => rounded_square(&mut pb, r * 0.8, r * 0.16),
        Shape::Triangle => {
            // Equilateral, side 2r, apex up, centred on its centroid.
            let k = 3f32.sqrt();
            pb.move_to(0.0, -2.0 * r / k);
            pb.line_to(r, r / k);
            pb.line_to(-r, r / k);
            pb.close();
        }
        Shape::Star => {
            // Five tips at `r` and notches at 0.42 r, first tip straight up.
            for k in 0..10 {
                let rad = if k % 2 == 0 { r } else { 0.42 * r };
                let a = -PI / 2.0 + k as f32 * PI / 5.0;
                let (x, y) = (rad * a.cos(), rad * a.sin());
                if k == 0 {
                    pb.move_to(x, y);
                } else {
                    pb.line_to(x, y);
                }
            }
            pb.close();
        }
        Shape::Heart => {
            // Two mirrored cubic lobes meeting at the dip (top) and the tip (bottom).
            pb.move_to(0.0, -0.45 * r);
            pb.cubic_to(0.25 * -r, -1.05 * r, 1.05 * -r, -0.8 * r, -r, -0.2 * r);
            pb.cubic_to(-0.95 * r, 0.3 * r, -0.35 * r, 0.6 * r, 0.0, 0.95 * r);
            pb.cubic_to(0.35 * r, 0.6 * r, 0.95 * r, 0.3 * r, r, -0.2 * r);
            pb.cubic_to(1.05 * r, -0.8 * r, 0.25 * r, -1.05 * r, 0.0, -0.45 * r);
            pb.close();
        }
    }
    pb.finish()
}

fn rounded_square(pb: &mut PathBuilder, half: f32, round: f32) {
    let (a, b) = (half - round, half);
    pb.move_to(-a, -b);
    pb.line_to(a, -b);
    pb.quad_to(b, -b, b, -a);
    pb.line_to(b, a);
    pb.quad_to(b, b, a, b);
    pb.line_to(-a, b);
    pb.quad_to(-b, b, -b, a);
    pb.line_to(-b, -a);
    pb.quad_to(-b, -b, -a, -b);
    pb.close();
}

/// Radius of a circle enclosing the shape, used to size its mask.
fn bound(shape: Shape, r: f32) -> f32 {
    match shape {
        Shape::Square => r * 1.14,
        Shape::Triangle => r * 1.16,
        _ => r,
    }
}

/// A shape rasterised by tiny-skia into a coverage mask covering frame pixels `x0..x0+w`, `y0..y0+h`.
pub struct Coverage {
    pub x0: i32,
    pub y0: i32,
    pub w: usize,
    pub h: usize,
    pub cov: Vec<u8>,
}

/// Fills `path` (in frame coordinates after `tf`) into a mask of the box `[x0, y0, x1, y1]`,
/// clipped to the frame; `None` when nothing of it is on screen. Outlines fill even-odd (the
/// ring's hole); stroked paths must fill non-zero, or their self-overlaps would cut holes.
pub fn rasterise(
    path: &Path,
    rule: FillRule,
    tf: Transform,
    bx: [f32; 4],
    frame: (usize, usize),
) -> Option<Coverage> {
    let x0 = bx[0].floor().max(0.0) as i32;
    let y0 = bx[1].floor().max(0.0) as i32;
    let x1 = (bx[2].ceil() as i32).min(frame.0 as i32);
    let y1 = (bx[3].ceil() as i32).min(frame.1 as i32);
    if x1 <= x0 || y1 <= y0 {
        return None;
    }
    let (w, h) = ((x1 - x0) as usize, (y1 - y0) as usize);
    let mut mask = Mask::new(w as u32, h as u32)?;
    let tf = tf.post_translate(-(x0 as f32), -(y0 as f32));
    mask.fill_path(path, rule, true, tf);
    Some(Coverage {
        x0,
        y0,
        w,
        h,
        cov: mask.data().to_vec(),
    })
}

/// Random traits of one shape instance: base position `(u, v)` in 0..1, depth and phase.
#[derive(Clone, Copy)]
struct Instance {
    u: f32,
    v: f32,
    depth: f32,
    phase: f32,
}

/// Where an instance is at time `t` and its scale; nearer instances move faster (parallax).
fn position(scene: &Scene, t: f32, inst: &Instance, w: f32, h: f32) -> (f32, f32, f32) {
    let Instance { u, v, depth, phase } = *inst;
    let s = scene.speed * (0.5 + depth);
    let margin = 0.2 * h;
    let wrap = |p: f32, span: f32| p.rem_euclid(1.0) * (span + 2.0 * margin) - margin;
    match scene.motion {
        Motion::Rise => (
            u * w + (t * 0.8 + phase).sin() * 0.03 * w,
            wrap(v - t * s * 0.07, h),
            1.0,
        ),
        Motion::Fall => (
            u * w + (t * 0.7 + phase).sin() * 0.03 * w,
            wrap(v + t * s * 0.07, h),
            1.0,
        ),
        Motion::Drift => (
            wrap(u + t * s * 0.035, w),
            v * h + (t * 0.6 + phase).sin() * 0.04 * h,
            1.0,
        ),
        Motion::Orbit => {
            let ang = phase * TAU + t * s * 0.22 * if u > 0.5 { 1.0 } else { -1.0 };
            let rad = (0.12 + 0.42 * v) * h;
            (
                w / 2.0 + ang.cos() * rad * 1.5,
                h / 2.0 + ang.sin() * rad,
                1.0,
            )
        }
        Motion::Pulse => (u * w, v * h, 1.0 + 0.22 * (t * s * 2.6 + phase * TAU).sin()),
    }
}

/// Draws the scene's shape instances; waves get layered bands plus a few floating dots.
pub fn draw(canvas: &mut Canvas, scene: &Scene, t: f32) {
    let (w, h) = (canvas.w as f32, canvas.h as f32);
    let mut rng = Rng::new(scene.seed ^ 0x5eed);
    let count = if scene.shape == Shape::Wave { 7 } else { 11 };
    for i in 0..count {
        let inst = Instance {
            u: rng.next_f32(),
            v: rng.next_f32(),
            depth: rng.next_f32(),
            phase: rng.next_f32(),
        };
        let (depth, phase) = (inst.depth, inst.phase);
        let size_pick = if scene.shape == Shape::Wave {
            0.015
        } else {
            0.035
        };
        let (x, y, scale) = position(scene, t, &inst, w, h);
        let r = h * (size_pick + 0.085 * depth * depth) * scale;
        let alpha = 0.16 + 0.42 * depth;
        // Far instances are blurred like out-of-focus bokeh; near ones stay crisp.
        let soft = 0.6 + (1.0 - depth) * r * 0.35;
        let outline_only = i % 3 == 1 && scene.shape != Shape::Wave;
        let thick = (r * 0.09).max(1.2);
        let spin = if matches!(scene.shape, Shape::Circle | Shape::Heart | Shape::Wave) {
            (t * 1.3 + phase * TAU).sin() * 0.15
        } else {
            phase * TAU + t * scene.speed * 0.5 * if i % 2 == 0 { 1.0 } else { -1.0 }
        };
        let (sn, cs) = spin.sin_cos();
        let color = if i % 2 == 0 {
            scene.palette.accent
        } else {
            scene.palette.accent2
        };
        let reach = bound(scene.shape, r) + thick + soft + 1.0;
        let Some(mut path) = outline(scene.shape, r) else {
            continue;
        };
        let mut rule = FillRule::EvenOdd;
        if outline_only {
            let stroke = Stroke {
                width: 2.0 * thick,
                ..Stroke::default()
            };
            match path.stroke(&stroke, 1.0) {
                Some(p) => (path, rule) = (p, FillRule::Winding),
                None => continue,
            }
        }
        let tf = Transform::from_row(cs, sn, -sn, cs, x, y);
        let bx = [x - reach, y - reach, x + reach, y + reach];
        let Some(mut m) = rasterise(&path, rule, tf, bx, (canvas.w, canvas.h)) else {
            continue;
        };
        // Near instances cast a soft shadow that lifts them off the background.
        if depth > 0.6 {
            let off = (r * 0.12).max(1.0);
            let mut shadow = m.cov.clone();
            box_blur(&mut shadow, m.w, m.h, ((r * 0.1) as usize).max(1));
            let (sx, sy) = (m.x0 as f32 + off * 0.6, m.y0 as f32 + off);
            canvas.blit(&shadow, (m.w, m.h), sx, sy, Ink::new(SHADOW), alpha * 0.45);
        }
        let blur = (soft * 0.55) as usize;
        if blur > 0 {
            box_blur(&mut m.cov, m.w, m.h, blur);
        }
        canvas.blit(
            &m.cov,
            (m.w, m.h),
            m.x0 as f32,
            m.y0 as f32,
            Ink::new(color),
            alpha,
        );
    }
    if scene.shape == Shape::Wave {
        draw_waves(canvas, scene, t);
    }
}

fn draw_waves(canvas: &mut Canvas, scene: &Scene, t: f32) {
    let (w, h) = (canvas.w as f32, canvas.h as f32);
    let mut rng = Rng::new(scene.seed ^ 0x3a7e);
    for layer in 0..3 {
        let l = layer as f32;
        let base = h * (0.7 + 0.09 * l);
        let amp = h * (0.035 + 0.012 * l);
        let k = TAU / (w * (0.75 - 0.15 * l));
        let phase = rng.next_f32() * TAU;
        let speed = scene.speed * (0.9 + 0.35 * l) * if layer % 2 == 0 { 1.0 } else { -1.0 };
        let mix = 0.25 + 0.25 * l;
        let pal = &scene.palette;
        let tint = if layer % 2 == 0 {
            pal.accent
        } else {
            pal.accent2
        };
        let ink = Ink::new(std::array::from_fn(|c| {
            tint[c] + (pal.bottom[c] - tint[c]) * mix
        }));
        let opacity = 256.0 * (0.35 + 0.12 * l);
        let crests: Vec<f32> = (0..canvas.w)
            .map(|x| {
                let xf = x as f32;
                base + amp * (xf * k + t * speed + phase).sin()
                    + amp * 0.35 * (xf * k * 2.3 - t * speed * 1.7 + phase).sin()
            })
            .collect();
        let highest = crests.iter().copied().fold(f32::INFINITY, f32::min);
        // Row by row rather than column by column: the frame is stored in rows, so this walks memory in order.
        for y in highest.floor().max(0.0) as usize..canvas.h {
            let row = &mut canvas.px[y * canvas.w * 3..(y + 1) * canvas.w * 3];
            // Exact vertical coverage of the pixel row below the crest line (0 above it: left as it was).
            let below = y as f32 + 1.0;
            blend_run(row, ink, &crests, |crest| {
                ((below - crest).clamp(0.0, 1.0) * opacity) as i32
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `shape` of radius 20, centred at `at`, filled into the box `bx` of a 64×64 frame.
    fn mask(shape: Shape, at: (f32, f32), bx: [f32; 4]) -> Option<Coverage> {
        let path = outline(shape, 20.0).expect("path");
        let tf = Transform::from_translate(at.0, at.1);
        rasterise(&path, FillRule::EvenOdd, tf, bx, (64, 64))
    }

    #[test]
    fn every_shape_rasterises_anti_aliased() {
        let shapes = [
            Shape::Circle,
            Shape::Square,
            Shape::Star,
            Shape::Triangle,
            Shape::Ring,
            Shape::Heart,
        ];
        // An axis-aligned square has few edge pixels: only its rounded corners are partial.
        for shape in shapes {
            let m = mask(shape, (32.0, 32.0), [0.0, 0.0, 64.0, 64.0]).expect("on screen");
            let full = m.cov.iter().filter(|&&c| c == 255).count();
            let edge = m.cov.iter().filter(|&&c| c > 0 && c < 255).count();
            assert!(
                full > 150 && edge > 12,
                "{shape:?}: {full} full, {edge} edge"
            );
        }
        // Coverage adds up to the true area, so edges are neither fat nor thin.
        let m = mask(Shape::Circle, (32.0, 32.0), [0.0, 0.0, 64.0, 64.0]).expect("on screen");
        let area: f32 = m.cov.iter().map(|&c| f32::from(c) / 255.0).sum();
        assert!((area - PI * 400.0).abs() < PI * 400.0 * 0.02, "area {area}");
    }

    #[test]
    fn masks_are_clipped_to_the_frame() {
        let m =
            mask(Shape::Circle, (5.0, 60.0), [-15.0, 40.0, 25.0, 80.0]).expect("partly on screen");
        assert_eq!((m.x0, m.y0, m.w, m.h), (0, 40, 25, 24));
        let off = mask(Shape::Circle, (5.0, 60.0), [70.0, 0.0, 90.0, 9.0]);
        assert!(off.is_none());
    }
}
