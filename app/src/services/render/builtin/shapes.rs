//! Animated decorative shapes: signed-distance shapes with anti-aliased edges, and layered waves.

use super::canvas::{ramp, Canvas, Ink, Rng};
use super::scene::{Motion, Scene, Shape};
use std::f32::consts::{FRAC_1_SQRT_2, PI, TAU};

/// `f32::hypot` guards against overflow we can never hit and is several times slower.
#[inline]
fn len(x: f32, y: f32) -> f32 {
    (x * x + y * y).sqrt()
}

fn sd_box(x: f32, y: f32, half: f32, round: f32) -> f32 {
    let (qx, qy) = (x.abs() - half + round, y.abs() - half + round);
    len(qx.max(0.0), qy.max(0.0)) + qx.max(qy).min(0.0) - round
}

fn sd_triangle(x: f32, y: f32, r: f32) -> f32 {
    // Equilateral triangle, apex up (screen y grows downward, hence -y).
    let k = 3f32.sqrt();
    let (mut px, mut py) = (x.abs() - r, -y + r / k);
    if px + k * py > 0.0 {
        (px, py) = ((px - k * py) / 2.0, (-k * px - py) / 2.0);
    }
    px -= px.clamp(-2.0 * r, 0.0);
    -len(px, py) * py.signum()
}

fn sd_star(x: f32, y: f32, r: f32) -> f32 {
    // Fold the plane into one half-point sector (36°), then take the signed distance to
    // the edge running from the outer tip to the inner notch.
    let sector = PI / 5.0;
    let mut a = (y.atan2(x) + PI / 2.0).rem_euclid(2.0 * sector);
    if a > sector {
        a = 2.0 * sector - a;
    }
    let l = len(x, y);
    let (px, py) = (l * a.cos(), l * a.sin());
    let (ax, ay) = (r, 0.0);
    let (bx, by) = (0.42 * r * sector.cos(), 0.42 * r * sector.sin());
    let (ex, ey) = (bx - ax, by - ay);
    let h = (((px - ax) * ex + (py - ay) * ey) / (ex * ex + ey * ey)).clamp(0.0, 1.0);
    let dist = len(px - ax - ex * h, py - ay - ey * h);
    // The origin side of the edge is inside.
    let side = ex * (py - ay) - ey * (px - ax);
    if side > 0.0 {
        -dist
    } else {
        dist
    }
}

fn sd_heart(x: f32, y: f32, r: f32) -> f32 {
    // A diamond plus two circles on its upper edges, shifted so the whole heart is centred.
    let y = y - 0.12 * r;
    let (rx, ry) = ((x + y) * FRAC_1_SQRT_2, (y - x) * FRAC_1_SQRT_2);
    let diamond = sd_box(rx, ry, 0.5 * r, 0.04 * r);
    let lobe = |cx: f32| len(x - cx, y + 0.354 * r) - 0.5 * r;
    diamond.min(lobe(-0.354 * r)).min(lobe(0.354 * r))
}

/// Radius of a circle enclosing the shape, used to skip pixels cheaply.
fn bound(shape: Shape, r: f32) -> f32 {
    match shape {
        Shape::Square => r * 1.14,
        Shape::Triangle => r * 1.16,
        _ => r,
    }
}

fn sdf(shape: Shape, x: f32, y: f32, r: f32) -> f32 {
    match shape {
        Shape::Circle | Shape::Wave => len(x, y) - r,
        Shape::Ring => (len(x, y) - r * 0.8).abs() - r * 0.14,
        Shape::Square => sd_box(x, y, r * 0.8, r * 0.16),
        Shape::Triangle => sd_triangle(x, y, r),
        Shape::Star => sd_star(x, y, r),
        Shape::Heart => sd_heart(x, y, r),
    }
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
        let outline = i % 3 == 1 && scene.shape != Shape::Wave;
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
        let shape = scene.shape;
        let reach = bound(shape, r) + thick + soft + 1.0;
        let edge = ramp(soft, 0.5 / soft);
        canvas.fill_disc(x, y, reach, Ink::new(color), alpha, |px, py| {
            let (dx, dy) = (px - x, py - y);
            let (lx, ly) = (dx * cs + dy * sn, -dx * sn + dy * cs);
            let d = sdf(shape, lx, ly, r);
            edge(if outline { d.abs() - thick } else { d })
        });
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
        for x in 0..canvas.w {
            let xf = x as f32;
            let crest = base
                + amp * (xf * k + t * speed + phase).sin()
                + amp * 0.35 * (xf * k * 2.3 - t * speed * 1.7 + phase).sin();
            let y_start = crest.floor().max(0.0) as usize;
            for y in y_start..canvas.h {
                // Exact vertical coverage of the pixel row below the crest line.
                let cov = ((y as f32 + 1.0) - crest).clamp(0.0, 1.0);
                canvas.blend(x, y, ink, (cov * opacity) as i32);
            }
        }
    }
}
