//! Turning a job into a video file: the built-in renderer (frames drawn in Rust, H.264 MP4) or any external
//! program (`T2M_RENDER_COMMAND`). Both report progress and stop promptly when canceled.

pub mod builtin;
pub mod command;

use std::future::Future;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU8};
use std::sync::Arc;

/// What to render.
#[derive(Debug, Clone, serde::Serialize)]
pub struct RenderJob {
    pub job_id: String,
    pub prompt: String,
    /// The title the library shows (given by the user, or derived from the prompt).
    pub title: String,
    pub duration_secs: u32,
    pub quality: String,
    pub width: u32,
    pub height: u32,
    pub fps: u32,
    /// Whether to add the generated ambient soundtrack (an Opus track in the same MP4).
    pub soundtrack: bool,
}

/// A finished render: the video and, when the renderer made one, a PNG thumbnail.
#[derive(Debug)]
pub struct Rendered {
    pub video: PathBuf,
    pub content_type: String,
    pub thumbnail_png: Option<Vec<u8>>,
}

/// Shared with the worker: the renderer writes progress (0–100), the worker sets `cancel`.
#[derive(Debug, Clone, Default)]
pub struct RenderControl {
    pub progress: Arc<AtomicU8>,
    pub cancel: Arc<AtomicBool>,
}

/// Why a render did not produce a video.
#[derive(Debug, thiserror::Error)]
pub enum RenderFailure {
    #[error("canceled")]
    Canceled,
    /// The input cannot be rendered; retrying will not help.
    #[error("{0}")]
    Rejected(String),
    /// Something transient (I/O, a crashed program); the job may be retried.
    #[error("{0}")]
    Transient(String),
}

/// A renderer. Boxed futures keep it object-safe so the worker can hold any implementation.
pub trait Render: Send + Sync {
    /// Renders `job` into a file inside `work_dir`.
    fn render<'a>(
        &'a self,
        job: &'a RenderJob,
        work_dir: &'a Path,
        control: RenderControl,
    ) -> Pin<Box<dyn Future<Output = Result<Rendered, RenderFailure>> + Send + 'a>>;
}

/// The renderer the configuration asks for.
pub fn from_config(command: Option<&str>) -> Arc<dyn Render> {
    match command {
        Some(cmd) => Arc::new(command::CommandRenderer::new(cmd)),
        None => Arc::new(builtin::BuiltinRenderer),
    }
}
