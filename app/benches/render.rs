//! Built-in renderer speed: frames per second and real-time factor (video seconds per wall second) at 480p,
//! 720p and 1080p, 30 fps; then 720p with and without the soundtrack, alternated three times, to price it.
//! Run: `cargo bench -p app --features ssr --bench render` (`T2M_BENCH_ONLY=soundtrack` skips the first part).

use app::domain::job::Quality;
use app::services::render::builtin::{render_mp4, RenderSpec};
use std::ops::ControlFlow;
use std::path::Path;
use std::time::Instant;

const PROMPT: &str =
    "A red circle drifts over a calm ocean. Then a golden star rises at sunset. Waves fade into night.";

/// Renders 10 s and returns (wall seconds, frames, bytes).
fn run(dir: &Path, quality: Quality, soundtrack: bool) -> (f64, u32, u64) {
    let (width, height) = quality.dimensions();
    let spec = RenderSpec {
        prompt: PROMPT.into(),
        title: Some("Sea and sky".into()),
        duration_secs: 10,
        width,
        height,
        fps: 30,
        soundtrack,
    };
    let out = dir.join(format!("{}-{soundtrack}.mp4", quality.as_str()));
    let start = Instant::now();
    let result = render_mp4(&spec, &out, &mut |_, _| ControlFlow::Continue(())).expect("render");
    (start.elapsed().as_secs_f64(), result.frames, result.bytes)
}

fn main() {
    let dir = std::env::temp_dir().join(format!("t2m-render-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    if std::env::var("T2M_BENCH_ONLY").as_deref() != Ok("soundtrack") {
        for quality in Quality::ALL {
            let (width, height) = quality.dimensions();
            let (secs, frames, bytes) = run(&dir, quality, false);
            println!(
                "{:>5}  {width}x{height}  {:>6.1} frames/s  {:>5.2}x real time  {:>6.2} MB for 10 s",
                quality.as_str(),
                f64::from(frames) / secs,
                10.0 / secs,
                bytes as f64 / 1e6
            );
        }
    }
    // Alternating runs share whatever else the machine is doing, so the medians compare like with like.
    let (mut off, mut on) = (Vec::new(), Vec::new());
    for _ in 0..3 {
        off.push(run(&dir, Quality::P720, false).0);
        on.push(run(&dir, Quality::P720, true).0);
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let (off, on) = (median(&mut off), median(&mut on));
    println!(
        " 720p  soundtrack off {off:.2} s, on {on:.2} s for 10 s (median of 3): {:+.1} %",
        (on / off - 1.0) * 100.0
    );
    let _ = std::fs::remove_dir_all(dir);
}
