//! An external renderer (`T2M_RENDER_COMMAND`): any program that reads the job as JSON on stdin, prints
//! `progress <0-100>` lines while it works and `output <path>` when done, and exits 0. Canceling kills it.
//! What it says on stderr goes to the logs with the job id; users only ever see [`RENDERER_FAILED`]: stderr
//! can hold paths, hostnames or another program's secrets.

use super::{Render, RenderControl, RenderFailure, RenderJob, Rendered};
use std::collections::VecDeque;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::process::Stdio;
use std::sync::atomic::Ordering;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::process::Command;

/// How many stderr lines to keep for the failure's log entry.
const STDERR_TAIL: usize = 8;

/// The reason a job shows when the external renderer fails, whatever it printed.
pub const RENDERER_FAILED: &str = "The renderer failed; try again or contact support";

/// Logs why the renderer failed, for operators, and gives users the generic reason.
fn failed(job: &RenderJob, what: &str, stderr: &VecDeque<String>) -> String {
    let stderr = stderr
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join("\n");
    tracing::warn!(job_id = %job.job_id, %stderr, "{what}");
    RENDERER_FAILED.to_owned()
}

/// Runs a shell command per job.
pub struct CommandRenderer {
    command: String,
}

impl CommandRenderer {
    /// A renderer running `command` through `sh -c`.
    pub fn new(command: &str) -> Self {
        Self {
            command: command.to_owned(),
        }
    }
}

/// One line of the protocol.
#[derive(Debug, PartialEq)]
enum Line {
    Progress(u8),
    Output(PathBuf),
    Other,
}

fn parse_line(line: &str) -> Line {
    let line = line.trim();
    if let Some(rest) = line.strip_prefix("progress ") {
        if let Ok(value) = rest.trim().trim_end_matches('%').parse::<f64>() {
            return Line::Progress(value.clamp(0.0, 99.0) as u8);
        }
    }
    if let Some(rest) = line.strip_prefix("output ") {
        return Line::Output(PathBuf::from(rest.trim()));
    }
    Line::Other
}

fn content_type_for(path: &Path) -> &'static str {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("webm") => "video/webm",
        Some("mov") => "video/quicktime",
        Some("gif") => "image/gif",
        _ => "video/mp4",
    }
}

impl Render for CommandRenderer {
    fn render<'a>(
        &'a self,
        job: &'a RenderJob,
        work_dir: &'a Path,
        control: RenderControl,
    ) -> Pin<Box<dyn Future<Output = Result<Rendered, RenderFailure>> + Send + 'a>> {
        Box::pin(async move {
            let transient = |what: &str, err: std::io::Error| {
                tracing::error!(job_id = %job.job_id, %err, "{what}");
                RenderFailure::Transient(RENDERER_FAILED.to_owned())
            };
            let mut child = Command::new("sh")
                .arg("-c")
                .arg(&self.command)
                .current_dir(work_dir)
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .kill_on_drop(true)
                .spawn()
                .map_err(|e| transient("could not start T2M_RENDER_COMMAND", e))?;
            let mut input = serde_json::to_value(job).unwrap_or_default();
            input["output_dir"] = serde_json::Value::String(work_dir.display().to_string());
            if let Some(mut stdin) = child.stdin.take() {
                // A program that ignores stdin may close it early; that is not an error.
                let _ = stdin.write_all(format!("{input}\n").as_bytes()).await;
            }
            let mut stdout = child.stdout.take().map(|s| BufReader::new(s).lines());
            let mut stderr = child.stderr.take().map(|s| BufReader::new(s).lines());
            let mut tail: VecDeque<String> = VecDeque::new();
            let mut output: Option<PathBuf> = None;
            let mut ticker = tokio::time::interval(Duration::from_millis(100));
            let status = loop {
                tokio::select! {
                    line = async { match stdout.as_mut() { Some(s) => s.next_line().await, None => Ok(None) } }, if stdout.is_some() => {
                        match line {
                            Ok(Some(line)) => match parse_line(&line) {
                                Line::Progress(p) => control.progress.store(p, Ordering::Relaxed),
                                Line::Output(path) => output = Some(work_dir.join(path)),
                                Line::Other => {}
                            },
                            _ => stdout = None,
                        }
                    }
                    line = async { match stderr.as_mut() { Some(s) => s.next_line().await, None => Ok(None) } }, if stderr.is_some() => {
                        match line {
                            Ok(Some(line)) => {
                                tracing::debug!(job_id = %job.job_id, stderr = %line, "renderer");
                                tail.push_back(line);
                                if tail.len() > STDERR_TAIL { tail.pop_front(); }
                            }
                            _ => stderr = None,
                        }
                    }
                    status = child.wait(), if stdout.is_none() && stderr.is_none() => {
                        break status.map_err(|e| transient("waiting for the renderer", e))?;
                    }
                    _ = ticker.tick() => {
                        if control.cancel.load(Ordering::Relaxed) {
                            let _ = child.kill().await;
                            return Err(RenderFailure::Canceled);
                        }
                    }
                }
            };
            if !status.success() {
                return Err(match status.code() {
                    Some(code) => RenderFailure::Rejected(failed(
                        job,
                        &format!("renderer exited with status {code}"),
                        &tail,
                    )),
                    None => RenderFailure::Transient(failed(job, "renderer was killed", &tail)),
                });
            }
            let video = output.ok_or_else(|| {
                RenderFailure::Rejected(failed(
                    job,
                    "renderer finished without printing `output <path>`",
                    &tail,
                ))
            })?;
            if !tokio::fs::metadata(&video)
                .await
                .is_ok_and(|m| m.is_file() && m.len() > 0)
            {
                return Err(RenderFailure::Rejected(failed(
                    job,
                    &format!("renderer output {} is missing or empty", video.display()),
                    &tail,
                )));
            }
            Ok(Rendered {
                content_type: content_type_for(&video).into(),
                video,
                thumbnail_png: None,
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn protocol_lines_are_understood() {
        assert_eq!(parse_line("progress 42"), Line::Progress(42));
        assert_eq!(parse_line("progress 12.5%"), Line::Progress(12));
        assert_eq!(parse_line("progress 250"), Line::Progress(99));
        assert_eq!(
            parse_line("output out.mp4"),
            Line::Output(PathBuf::from("out.mp4"))
        );
        assert_eq!(parse_line("rendering scene 2"), Line::Other);
    }
}
