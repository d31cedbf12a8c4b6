//! Built-in renderer speed: frames per second and real-time factor (video seconds per wall second) at 480p,
//! 720p and 1080p, 30 fps. Run: `cargo bench -p app --features ssr --bench render`

use app::domain::job::Quality;
use app::services::render::builtin::{render_mp4, RenderSpec};
use std::ops::ControlFlow;
use std::time::Instant;

fn main() {
    let dir = std::env::temp_dir().join(format!("t2m-render-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let prompt = "A red circle drifts over a calm ocean. Then a golden star rises at sunset. Waves fade into night.";
    for quality in Quality::ALL {
        let (width, height) = quality.dimensions();
        let spec = RenderSpec {
            prompt: prompt.into(),
            title: Some("Sea and sky".into()),
            duration_secs: 10,
            width,
            height,
            fps: 30,
        };
        let out = dir.join(format!("{}.mp4", quality.as_str()));
        let start = Instant::now();
        let result =
            render_mp4(&spec, &out, &mut |_, _| ControlFlow::Continue(())).expect("render");
        let secs = start.elapsed().as_secs_f64();
        println!(
            "{:>5}  {width}x{height}  {:>6.1} frames/s  {:>5.2}x real time  {:>6.2} MB for 10 s",
            quality.as_str(),
            f64::from(result.frames) / secs,
            result.duration_secs / secs,
            result.bytes as f64 / 1e6
        );
    }
    let _ = std::fs::remove_dir_all(dir);
}
