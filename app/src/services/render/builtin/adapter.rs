//! The built-in renderer behind the worker's `Render` trait: renders on a blocking thread, maps frames to
//! progress, and checks the cancel flag after every frame.

use super::{render_mp4, render_thumbnail_png, RenderError, RenderSpec};
use crate::services::render::{Render, RenderControl, RenderFailure, RenderJob, Rendered};
use std::future::Future;
use std::ops::ControlFlow;
use std::path::Path;
use std::pin::Pin;
use std::sync::atomic::Ordering;

/// Width of the gallery thumbnail.
const THUMBNAIL_WIDTH: u32 = 480;

/// Renders in-process with OpenH264.
pub struct BuiltinRenderer;

impl Render for BuiltinRenderer {
    fn render<'a>(
        &'a self,
        job: &'a RenderJob,
        work_dir: &'a Path,
        control: RenderControl,
    ) -> Pin<Box<dyn Future<Output = Result<Rendered, RenderFailure>> + Send + 'a>> {
        let spec = RenderSpec {
            prompt: job.prompt.clone(),
            title: Some(job.title.clone()),
            duration_secs: job.duration_secs,
            width: job.width,
            height: job.height,
            fps: job.fps,
            soundtrack: job.soundtrack,
        };
        let out = work_dir.join(format!("{}.mp4", job.job_id));
        Box::pin(async move {
            let task = tokio::task::spawn_blocking(move || {
                let mut on_frame = |done: u32, total: u32| {
                    let percent =
                        u8::try_from(u64::from(done) * 99 / u64::from(total.max(1))).unwrap_or(99);
                    control.progress.store(percent, Ordering::Relaxed);
                    if control.cancel.load(Ordering::Relaxed) {
                        ControlFlow::Break(())
                    } else {
                        ControlFlow::Continue(())
                    }
                };
                render_mp4(&spec, &out, &mut on_frame)?;
                let thumbnail = render_thumbnail_png(&spec, THUMBNAIL_WIDTH).ok();
                Ok::<_, RenderError>((out, thumbnail))
            });
            match task.await {
                Ok(Ok((video, thumbnail_png))) => Ok(Rendered {
                    video,
                    content_type: "video/mp4".into(),
                    thumbnail_png,
                }),
                Ok(Err(RenderError::Canceled)) => Err(RenderFailure::Canceled),
                Ok(Err(RenderError::Encode(why))) => Err(RenderFailure::Rejected(why)),
                Ok(Err(RenderError::Io(err))) => Err(RenderFailure::Transient(err.to_string())),
                Err(join) => Err(RenderFailure::Transient(format!(
                    "renderer thread failed: {join}"
                ))),
            }
        })
    }
}
