//! Built-in text-to-video renderer: turns a prompt into an animated H.264 MP4 (and PNG thumbnails).
//!
//! Pure Rust plus OpenH264 compiled from source, so no system library or ffmpeg is needed at run time.
//! Width and height must be even (4:2:0 chroma); they are encoded exactly as given, e.g. 854x480,
//! using H.264 frame cropping for sizes that are not multiples of 16.
//! OpenH264 uses its SIMD assembly only if `nasm` is on PATH at build time (~1.4x faster encoding);
//! without it the plain C build is used. Neither is needed at run time.

#[cfg(test)]
mod av_tests;
mod canvas;
mod encode;
mod font;
#[cfg(test)]
mod golden;
mod keywords;
mod layout;
mod opus;
mod raster;
mod scene;
mod shapes;
pub mod soundtrack;

use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::sync::mpsc;

pub use adapter::BuiltinRenderer;

mod adapter;

/// What to render.
pub struct RenderSpec {
    pub prompt: String,
    /// The job's title, shown on a title card (videos of six seconds or more).
    pub title: Option<String>,
    pub duration_secs: u32,
    pub width: u32,
    pub height: u32,
    pub fps: u32,
    /// Adds an Opus ambient bed whose key and tempo follow the prompt's mood words (see `soundtrack`).
    pub soundtrack: bool,
}

/// Outcome.
pub struct RenderOutput {
    pub frames: u32,
    pub duration_secs: f64,
    pub bytes: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("render canceled")]
    Canceled,
    #[error("encoder failed: {0}")]
    Encode(String),
    #[error("could not write video: {0}")]
    Io(#[from] std::io::Error),
}

/// OpenH264 refuses anything beyond 3840x2160; the floor keeps layout maths meaningful.
fn validate(spec: &RenderSpec) -> Result<(), RenderError> {
    let bad = |why: &str| Err(RenderError::Encode(format!("invalid render spec: {why}")));
    let (w, h) = (spec.width, spec.height);
    if w % 2 != 0 || h % 2 != 0 {
        return bad("width and height must be even");
    }
    if w < 16 || h < 16 || w.max(h) > 3840 || w.min(h) > 2160 {
        return bad("size must be between 16x16 and 3840x2160");
    }
    if spec.fps == 0 || spec.fps > 120 {
        return bad("fps must be 1..=120");
    }
    if spec.duration_secs == 0 || spec.duration_secs > 3600 {
        return bad("duration must be 1..=3600 s");
    }
    Ok(())
}

/// Deletes the in-progress file unless the render completed, so neither a cancel nor an
/// error leaves a truncated video behind.
struct PartialFile {
    path: PathBuf,
    keep: bool,
}

impl Drop for PartialFile {
    fn drop(&mut self) {
        if !self.keep {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// Renders the prompt into an H.264 MP4 at `out`. Calls `on_frame(done, total)` after each frame; if it returns
/// `std::ops::ControlFlow::Break(())` rendering stops with `RenderError::Canceled` (and the partial file is removed).
/// Blocking and CPU-bound: callers run it on a blocking thread.
pub fn render_mp4(
    spec: &RenderSpec,
    out: &Path,
    on_frame: &mut dyn FnMut(u32, u32) -> ControlFlow<()>,
) -> Result<RenderOutput, RenderError> {
    validate(spec)?;
    let total = spec.duration_secs * spec.fps;
    let (w, h, fps) = (spec.width as usize, spec.height as usize, spec.fps);
    let scenes = scene::build_video(
        &spec.prompt,
        spec.title.as_deref(),
        f64::from(spec.duration_secs),
    );

    // Written under a sibling name and renamed at the end, so readers never see a half file.
    let mut name = out.file_name().unwrap_or_default().to_os_string();
    name.push(".part");
    let mut partial = PartialFile {
        path: out.with_file_name(name),
        keep: false,
    };
    let mut writer =
        encode::Mp4Writer::create(&partial.path, spec.width, spec.height, fps, spec.soundtrack)?;

    std::thread::scope(|s| -> Result<(), RenderError> {
        // The soundtrack is synthesised and encoded on its own thread while the frames are drawn; it is a few
        // percent of the render's work, so it finishes long before the video does.
        let audio = spec
            .soundtrack
            .then(|| s.spawn(|| opus::soundtrack_packets(&spec.prompt, spec.duration_secs)));
        // Drawing and YUV conversion run ahead of encoding on a second thread; buffers are recycled.
        let (frame_tx, frame_rx) = mpsc::sync_channel::<encode::Yuv420>(2);
        let (spare_tx, spare_rx) = mpsc::channel::<encode::Yuv420>();
        s.spawn(move || {
            let mut renderer = raster::Renderer::new(scenes, w, h);
            let mut rgb = vec![0u8; w * h * 3];
            for i in 0..total {
                renderer.render(f64::from(i) / f64::from(fps), &mut rgb);
                let mut yuv = spare_rx
                    .try_recv()
                    .unwrap_or_else(|_| encode::Yuv420::new(w, h));
                yuv.fill_from_rgb(&rgb);
                if frame_tx.send(yuv).is_err() {
                    return; // The encoder side stopped (cancel or error).
                }
            }
        });
        for done in 1..=total {
            let yuv = frame_rx
                .recv()
                .map_err(|_| RenderError::Encode("frame renderer stopped".into()))?;
            writer.push(&yuv)?;
            let _ = spare_tx.send(yuv);
            if on_frame(done, total).is_break() {
                return Err(RenderError::Canceled);
            }
        }
        if let Some(audio) = audio {
            let packets = audio
                .join()
                .map_err(|_| RenderError::Encode("soundtrack thread panicked".into()))??;
            let frame_secs = opus::FRAME as f64 / f64::from(soundtrack::SAMPLE_RATE);
            for (i, packet) in packets.iter().enumerate() {
                writer.push_audio(i as f64 * frame_secs, packet)?;
            }
        }
        Ok(())
    })?;

    let bytes = writer.finish()?;
    std::fs::rename(&partial.path, out)?;
    partial.keep = true;
    Ok(RenderOutput {
        frames: total,
        duration_secs: f64::from(total) / f64::from(fps),
        bytes,
    })
}

/// A PNG thumbnail (e.g. 320 px wide, aspect kept) of the first scene of the prompt (not the
/// title card) once its words have fully animated in, so galleries and the player's poster show
/// the video's own picture rather than a blank first frame or a half-way crossfade.
///
/// The frame is drawn directly at thumbnail size (the layout scales with the frame), which is
/// sharper and far cheaper than downscaling.
pub fn render_thumbnail_png(spec: &RenderSpec, max_width: u32) -> Result<Vec<u8>, RenderError> {
    if spec.width == 0 || spec.height == 0 || max_width == 0 {
        return Err(RenderError::Encode("invalid thumbnail size".into()));
    }
    let tw = max_width.min(spec.width);
    let th = ((u64::from(spec.height) * u64::from(tw) + u64::from(spec.width) / 2)
        / u64::from(spec.width))
    .max(1) as u32;
    let duration = f64::from(spec.duration_secs.max(1));
    let scenes = scene::build_video(&spec.prompt, spec.title.as_deref(), duration);
    let t = scenes
        .iter()
        .find(|s| !s.card)
        .or(scenes.first())
        .map_or(0.0, raster::settled_at);
    let rgb = render_frame(scenes, tw as usize, th as usize, t);
    encode_png(&rgb, tw, th)
}

/// Draws one frame of `scenes` at `t` seconds as RGB bytes.
fn render_frame(scenes: Vec<scene::Scene>, w: usize, h: usize, t: f64) -> Vec<u8> {
    let mut rgb = vec![0u8; w * h * 3];
    raster::Renderer::new(scenes, w, h).render(t, &mut rgb);
    rgb
}

fn encode_png(rgb: &[u8], tw: u32, th: u32) -> Result<Vec<u8>, RenderError> {
    let mut png_bytes = Vec::new();
    let mut enc = png::Encoder::new(&mut png_bytes, tw, th);
    enc.set_color(png::ColorType::Rgb);
    enc.set_depth(png::BitDepth::Eight);
    let to_err = |e: png::EncodingError| RenderError::Encode(format!("png: {e}"));
    let mut w = enc.write_header().map_err(to_err)?;
    w.write_image_data(rgb).map_err(to_err)?;
    w.finish().map_err(to_err)?;
    Ok(png_bytes)
}
