//! Opus encoding of the soundtrack with the pure-Rust `opus-rs` (no C library to build or ship).

use super::soundtrack::{self, Mood, CHANNELS, SAMPLE_RATE};
use super::RenderError;
use opus_rs::{Application, OpusEncoder};

/// 20 ms: Opus's usual frame, and a whole number of them fills any whole-second video exactly.
pub const FRAME: usize = SAMPLE_RATE as usize / 50;
/// Transparent for a soft stereo pad, and small next to the video's megabits.
const BITRATE: i32 = 96_000;
/// The largest Opus packet (RFC 6716 §3.2.1) is 1275 bytes per frame.
const MAX_PACKET: usize = 1_500;

fn opus_err(why: &str) -> RenderError {
    RenderError::Encode(format!("opus: {why}"))
}

/// One raw Opus packet per 20 ms of `pcm` (interleaved stereo, 48 kHz); a short last frame is padded with silence.
pub fn encode(pcm: &[f32]) -> Result<Vec<Vec<u8>>, RenderError> {
    let mut encoder =
        OpusEncoder::new(SAMPLE_RATE as i32, CHANNELS, Application::Audio).map_err(opus_err)?;
    encoder.bitrate_bps = BITRATE;
    let mut packets = Vec::with_capacity(pcm.len() / (FRAME * CHANNELS) + 1);
    let mut out = vec![0u8; MAX_PACKET];
    let mut last = vec![0.0f32; FRAME * CHANNELS];
    for chunk in pcm.chunks(FRAME * CHANNELS) {
        let frame = if chunk.len() == FRAME * CHANNELS {
            chunk
        } else {
            last[..chunk.len()].copy_from_slice(chunk);
            &last[..]
        };
        let len = encoder.encode(frame, FRAME, &mut out).map_err(opus_err)?;
        packets.push(out[..len].to_vec());
    }
    Ok(packets)
}

/// The prompt's soundtrack for `duration_secs`, ready to mux: packet `i` starts at `i * 20 ms`.
pub fn soundtrack_packets(prompt: &str, duration_secs: u32) -> Result<Vec<Vec<u8>>, RenderError> {
    encode(&soundtrack::synthesize(
        Mood::from_prompt(prompt),
        duration_secs,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use opus_rs::OpusDecoder;

    fn rms(pcm: &[f32]) -> f32 {
        (pcm.iter().map(|s| s * s).sum::<f32>() / pcm.len().max(1) as f32).sqrt()
    }

    #[test]
    fn packets_decode_back_to_the_bed() {
        let pcm = soundtrack::synthesize(Mood::from_prompt("a golden summer morning"), 2);
        let packets = encode(&pcm).expect("encode");
        assert_eq!(packets.len(), 2 * 50, "one packet per 20 ms");
        let mut decoder = OpusDecoder::new(SAMPLE_RATE as i32, CHANNELS).expect("decoder");
        let mut decoded = Vec::new();
        let mut frame = vec![0.0f32; FRAME * CHANNELS];
        for packet in &packets {
            let n = decoder.decode(packet, FRAME, &mut frame).expect("decode");
            assert_eq!(n, FRAME);
            decoded.extend_from_slice(&frame);
        }
        let (source, back) = (rms(&pcm), rms(&decoded));
        assert!(source > 0.05, "source rms {source}");
        assert!(
            (back - source).abs() < 0.2 * source,
            "decoded rms {back} vs source {source}"
        );
        let peak = decoded.iter().fold(0.0f32, |m, s| m.max(s.abs()));
        assert!(peak < 0.7, "peak {peak}");
    }
}
