//! Rendered MP4s with and without the soundtrack, checked with ffprobe and decoded with ffmpeg.

use super::soundtrack::Mood;
use super::{render_mp4, RenderSpec};
use serde_json::Value;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::process::Command;

fn spec(prompt: &str, secs: u32, soundtrack: bool) -> RenderSpec {
    RenderSpec {
        prompt: prompt.into(),
        title: None,
        duration_secs: secs,
        width: 320,
        height: 180,
        fps: 12,
        soundtrack,
    }
}

fn render(spec: &RenderSpec, name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("t2m-av-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let out = dir.join(name);
    render_mp4(spec, &out, &mut |_, _| ControlFlow::Continue(())).expect("render");
    out
}

/// (codec, duration in seconds) of every stream.
fn streams(path: &Path) -> Vec<(String, f64)> {
    let out = Command::new("ffprobe")
        .args([
            "-v",
            "error",
            "-show_entries",
            "stream=codec_name,duration",
            "-of",
            "json",
        ])
        .arg(path)
        .output()
        .expect("ffprobe is installed (Debian's ffmpeg)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: Value = serde_json::from_slice(&out.stdout).expect("ffprobe json");
    json["streams"]
        .as_array()
        .expect("streams")
        .iter()
        .map(|s| {
            let secs = s["duration"].as_str().and_then(|d| d.parse().ok());
            (
                s["codec_name"].as_str().unwrap_or("?").to_owned(),
                secs.unwrap_or(-1.0),
            )
        })
        .collect()
}

/// The audio track decoded by ffmpeg, as signed 16-bit stereo samples at 48 kHz.
fn decoded_audio(path: &Path) -> Vec<i16> {
    let out = Command::new("ffmpeg")
        .args(["-v", "error", "-i"])
        .arg(path)
        .args([
            "-map", "0:a:0", "-f", "s16le", "-ac", "2", "-ar", "48000", "-",
        ])
        .output()
        .expect("ffmpeg is installed");
    assert!(
        out.status.success() && out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
        .chunks_exact(2)
        .map(|b| i16::from_le_bytes([b[0], b[1]]))
        .collect()
}

fn rms(samples: &[i16]) -> f64 {
    let sum: f64 = samples.iter().map(|&s| f64::from(s) * f64::from(s)).sum();
    (sum / samples.len().max(1) as f64).sqrt() / 32768.0
}

#[test]
fn a_soundtrack_render_has_h264_and_opus_of_the_same_length() {
    let out = render(
        &spec("A calm night over the quiet sea", 3, true),
        "with.mp4",
    );
    let streams = streams(&out);
    let codecs: Vec<&str> = streams.iter().map(|(c, _)| c.as_str()).collect();
    assert_eq!(codecs, ["h264", "opus"], "{streams:?}");
    let (video, audio) = (streams[0].1, streams[1].1);
    assert!((video - 3.0).abs() < 0.01, "video {video} s");
    assert!(
        (audio - video).abs() < 0.1,
        "audio {audio} s vs video {video} s"
    );

    let pcm = decoded_audio(&out);
    let secs = pcm.len() as f64 / 2.0 / 48_000.0;
    assert!((secs - 3.0).abs() < 0.1, "decoded {secs} s");
    let peak = pcm.iter().map(|s| s.unsigned_abs()).max().unwrap_or(0);
    let level = rms(&pcm);
    assert!(level > 0.03, "the bed is audible: rms {level}");
    // −6 dBFS target (16,400); Opus may overshoot a little, but nowhere near full scale.
    assert!(peak < 20_000, "peak {peak} of 32767");
    let _ = std::fs::remove_file(out);
}

#[test]
fn without_the_option_there_is_no_audio_stream() {
    let out = render(
        &spec("A calm night over the quiet sea", 2, false),
        "without.mp4",
    );
    let streams = streams(&out);
    assert_eq!(streams.len(), 1, "{streams:?}");
    assert_eq!(streams[0].0, "h264");
    let _ = std::fs::remove_file(out);
}

#[test]
fn calm_and_energetic_prompts_get_different_music() {
    let (calm, loud) = ("A slow calm night", "Fast fire in a neon city");
    let (calm_mood, loud_mood) = (Mood::from_prompt(calm), Mood::from_prompt(loud));
    assert!(
        calm_mood.bpm < loud_mood.bpm,
        "{calm_mood:?} vs {loud_mood:?}"
    );
    assert_ne!(
        (calm_mood.mode, calm_mood.root),
        (loud_mood.mode, loud_mood.root)
    );
    let a = decoded_audio(&render(&spec(calm, 2, true), "calm.mp4"));
    let b = decoded_audio(&render(&spec(loud, 2, true), "loud.mp4"));
    let n = a.len().min(b.len());
    let diff: Vec<i16> = a[..n]
        .iter()
        .zip(&b[..n])
        .map(|(x, y)| x.saturating_sub(*y))
        .collect();
    assert!(
        rms(&diff) > 0.03,
        "the two beds differ: rms of difference {}",
        rms(&diff)
    );
}
