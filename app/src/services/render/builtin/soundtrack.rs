//! The optional soundtrack: an ambient pad whose key and tempo follow the prompt's mood words, synthesised
//! deterministically (the prompt's hash is the only "randomness") at 48 kHz stereo, exactly as long as the video.

use super::keywords::{matches_any, FAST, PALETTES, SLOW};
use super::scene::fnv1a;
use std::f32::consts::TAU;

/// Opus always decodes at 48 kHz, so the bed is made at that rate and never resampled.
pub const SAMPLE_RATE: u32 = 48_000;
pub const CHANNELS: usize = 2;
/// −6 dBFS: leaves headroom for the codec's overshoot and for players that sum tracks.
const PEAK: f32 = 0.5;

/// How the prompt feels, from its words.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Feel {
    Calm,
    Dreamy,
    Neutral,
    Energetic,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Major,
    Minor,
    /// Major with a raised fourth: floating rather than sad, for dreams and magic.
    Lydian,
}

/// The musical choices the synthesiser makes for a prompt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mood {
    pub feel: Feel,
    pub mode: Mode,
    /// MIDI note of the key's root (the pad's lowest triad starts here).
    pub root: u8,
    pub bpm: u32,
}

/// Words beyond the renderer's speed lists that carry a mood but no colour or motion.
const CALM_EXTRA: [&str; 8] = [
    "serene", "still", "soft", "tranquil", "relax", "ambient", "silent", "lullaby",
];
const ENERGY_EXTRA: [&str; 8] = [
    "energetic",
    "party",
    "storm",
    "thunder",
    "explode",
    "run",
    "festival",
    "chase",
];

/// The palette table's word list that contains `marker`, so moods follow the renderer's own vocabulary.
fn palette_words(marker: &str) -> &'static [&'static str] {
    PALETTES
        .iter()
        .find(|(words, _)| words.contains(&marker))
        .map_or(&[][..], |(words, _)| *words)
}

impl Mood {
    /// Counts calm, dreamy and energetic words; the largest count wins (energy first on a tie, then calm).
    pub fn from_prompt(prompt: &str) -> Mood {
        let words: Vec<String> = prompt
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect();
        let count = |lists: &[&[&str]]| {
            words
                .iter()
                .filter(|w| lists.iter().any(|list| matches_any(w.as_str(), list)))
                .count()
        };
        let calm = count(&[
            &SLOW[..],
            &CALM_EXTRA,
            palette_words("night"),
            palette_words("snow"),
        ]);
        let dreamy = count(&[palette_words("dream")]);
        let energy = count(&[
            &FAST[..],
            &ENERGY_EXTRA,
            palette_words("fire"),
            palette_words("city"),
            palette_words("neon"),
        ]);
        let feel = if energy > 0 && energy >= calm && energy >= dreamy {
            Feel::Energetic
        } else if calm > 0 && calm >= dreamy {
            Feel::Calm
        } else if dreamy > 0 {
            Feel::Dreamy
        } else {
            Feel::Neutral
        };
        let seed = fnv1a(&words);
        // Each feel has its own register and tempo band; the hash picks a spot inside it, so two calm prompts
        // need not share a key, yet a calm prompt is never faster than an energetic one.
        let (mode, low_root, low_bpm, bpm_span) = match feel {
            Feel::Calm => (Mode::Minor, 43, 54, 8),
            Feel::Dreamy => (Mode::Lydian, 46, 64, 8),
            Feel::Neutral => (Mode::Major, 48, 76, 10),
            Feel::Energetic => (Mode::Major, 50, 104, 16),
        };
        Mood {
            feel,
            mode,
            root: low_root + (seed % 7) as u8,
            bpm: low_bpm + ((seed >> 8) % bpm_span) as u32,
        }
    }

    /// Semitones above the root of each step of the mode's scale.
    fn scale(self) -> [u8; 7] {
        match self.mode {
            Mode::Major => [0, 2, 4, 5, 7, 9, 11],
            Mode::Minor => [0, 2, 3, 5, 7, 8, 10],
            Mode::Lydian => [0, 2, 4, 6, 7, 9, 11],
        }
    }

    /// Scale degrees of the four bars that repeat: I–V–vi–IV, i–VI–III–VII, and I–II–vi–I for the lydian lift.
    fn progression(self) -> [usize; 4] {
        match self.mode {
            Mode::Major => [0, 4, 5, 3],
            Mode::Minor => [0, 5, 2, 6],
            Mode::Lydian => [0, 1, 5, 0],
        }
    }

    /// MIDI notes of the triad on `degree`, stacked in thirds inside the mode.
    fn triad(self, degree: usize) -> [f32; 3] {
        let scale = self.scale();
        [0, 2, 4].map(|step| {
            let i = degree + step;
            f32::from(self.root) + f32::from(scale[i % 7]) + 12.0 * (i / 7) as f32
        })
    }

    /// A bar of four beats, in seconds.
    pub fn bar_secs(self) -> f32 {
        240.0 / self.bpm as f32
    }

    /// Brighter moods open the low-pass further.
    fn cutoff_hz(self) -> f32 {
        match self.feel {
            Feel::Calm => 1_100.0,
            Feel::Dreamy => 1_600.0,
            Feel::Neutral => 2_000.0,
            Feel::Energetic => 2_800.0,
        }
    }
}

fn hz(midi: f32) -> f32 {
    440.0 * ((midi - 69.0) / 12.0).exp2()
}

/// Rises from 0 to 1 with zero slope at both ends, so no envelope edge clicks.
fn smooth(x: f32) -> f32 {
    let x = x.clamp(0.0, 1.0);
    x * x * (3.0 - 2.0 * x)
}

/// Adds one note to the interleaved stereo buffer from sample `start` for `len` samples: three oscillators
/// (a sine in the middle, two sine/triangle blends detuned ±7 cents and panned apart) under `env(t)`.
fn add_pad_note(
    out: &mut [f32],
    freq: f32,
    gain: f32,
    start: usize,
    len: usize,
    env: &dyn Fn(f32) -> f32,
) {
    let rate = SAMPLE_RATE as f32;
    let detune = 2f32.powf(7.0 / 1200.0);
    let steps = [freq / rate, freq * detune / rate, freq / detune / rate];
    let mut phase = [0.0f32, 0.33, 0.67];
    let wave = |p: f32| 0.7 * (TAU * p).sin() + 0.3 * (1.0 - 4.0 * (p - 0.5).abs());
    let frames = out.len() / CHANNELS;
    for n in start..(start + len).min(frames) {
        let e = gain * env((n - start) as f32 / rate);
        let centre = (TAU * phase[0]).sin();
        let (left, right) = (wave(phase[1]), wave(phase[2]));
        out[2 * n] += e * (0.5 * centre + 0.8 * left + 0.2 * right);
        out[2 * n + 1] += e * (0.5 * centre + 0.2 * left + 0.8 * right);
        for (p, step) in phase.iter_mut().zip(steps) {
            *p = (*p + step).fract();
        }
    }
}

/// The bed for `duration_secs`: one chord a bar with overlapping slow attack and release, a bass note, a soft
/// plucked chord tone on every beat (the tempo you hear), a gentle two-pole low-pass, fades at both ends,
/// normalised to a −6 dBFS peak. Interleaved stereo `f32`.
pub fn synthesize(mood: Mood, duration_secs: u32) -> Vec<f32> {
    let rate = SAMPLE_RATE as f32;
    let frames = duration_secs as usize * SAMPLE_RATE as usize;
    let mut out = vec![0.0f32; frames * CHANNELS];
    let bar = mood.bar_secs();
    let (attack, release) = ((bar * 0.4).min(1.2), (bar * 0.5).min(1.5));
    let bars = (duration_secs as f32 / bar).ceil() as usize;
    for k in 0..bars {
        let triad = mood.triad(mood.progression()[k % 4]);
        let start = (k as f32 * bar * rate) as usize;
        let len = ((bar + release) * rate) as usize;
        let pad_env = |t: f32| smooth(t / attack) * smooth((bar + release - t) / release);
        for note in triad {
            add_pad_note(&mut out, hz(note), 0.18, start, len, &pad_env);
        }
        add_pad_note(&mut out, hz(triad[0] - 12.0), 0.22, start, len, &pad_env);
        let beat = bar / 4.0;
        for b in 0..4 {
            let pluck_env = |t: f32| smooth(t / 0.01) * (-t / (beat * 0.45)).exp();
            let at = start + (b as f32 * beat * rate) as usize;
            let note = triad[b % 3] + 12.0;
            add_pad_note(
                &mut out,
                hz(note),
                0.08,
                at,
                (beat * 2.0 * rate) as usize,
                &pluck_env,
            );
        }
    }
    low_pass(&mut out, mood.cutoff_hz());
    let fade_in = 1.5f32.min(duration_secs as f32 / 4.0);
    let fade_out = 2.0f32.min(duration_secs as f32 / 4.0);
    let peak = out.iter().fold(0.0f32, |m, s| m.max(s.abs())).max(1e-6);
    for (n, pair) in out.chunks_exact_mut(CHANNELS).enumerate() {
        let t = n as f32 / rate;
        let gain =
            PEAK / peak * smooth(t / fade_in) * smooth((duration_secs as f32 - t) / fade_out);
        for s in pair {
            *s *= gain;
        }
    }
    out
}

/// Two cascaded one-pole low-passes per channel (12 dB/octave), enough to round off the triangles' edges.
fn low_pass(out: &mut [f32], cutoff_hz: f32) {
    let a = 1.0 - (-TAU * cutoff_hz / SAMPLE_RATE as f32).exp();
    let mut state = [[0.0f32; 2]; CHANNELS];
    for pair in out.chunks_exact_mut(CHANNELS) {
        for (s, st) in pair.iter_mut().zip(state.iter_mut()) {
            st[0] += a * (*s - st[0]);
            st[1] += a * (st[0] - st[1]);
            *s = st[1];
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rms(pcm: &[f32]) -> f32 {
        (pcm.iter().map(|s| s * s).sum::<f32>() / pcm.len() as f32).sqrt()
    }

    #[test]
    fn mood_words_pick_feel_key_and_tempo() {
        let calm = Mood::from_prompt("A calm night over a quiet sleeping lake");
        let loud = Mood::from_prompt("Fast neon city racing through fire");
        let dream = Mood::from_prompt("A violet dream of magic");
        assert_eq!((calm.feel, calm.mode), (Feel::Calm, Mode::Minor));
        assert_eq!((loud.feel, loud.mode), (Feel::Energetic, Mode::Major));
        assert_eq!((dream.feel, dream.mode), (Feel::Dreamy, Mode::Lydian));
        assert!(calm.bpm < 64 && loud.bpm >= 104, "{calm:?} vs {loud:?}");
        assert!(
            calm.root < loud.root,
            "calm sits lower: {calm:?} vs {loud:?}"
        );
        assert_eq!(
            Mood::from_prompt("A calm night over a quiet sleeping lake"),
            calm
        );
    }

    #[test]
    fn the_bed_is_exact_in_length_faded_and_below_clipping() {
        let pcm = synthesize(Mood::from_prompt("a calm sea"), 3);
        assert_eq!(pcm.len(), 3 * 48_000 * 2);
        let peak = pcm.iter().fold(0.0f32, |m, s| m.max(s.abs()));
        assert!((peak - PEAK).abs() < 1e-3, "peak {peak}");
        assert!(rms(&pcm) > 0.05, "rms {}", rms(&pcm));
        // Fades: the first and last 10 ms are near silence.
        assert!(rms(&pcm[..960]) < 0.01 && rms(&pcm[pcm.len() - 960..]) < 0.01);
        assert_eq!(
            pcm,
            synthesize(Mood::from_prompt("a calm sea"), 3),
            "deterministic"
        );
    }

    #[test]
    fn different_moods_sound_different() {
        let a = synthesize(Mood::from_prompt("a calm night"), 2);
        let b = synthesize(Mood::from_prompt("a fast fire"), 2);
        let diff: Vec<f32> = a.iter().zip(&b).map(|(x, y)| x - y).collect();
        assert!(rms(&diff) > 0.05, "difference rms {}", rms(&diff));
    }
}
