//! Keyword tables: which words in a sentence pick its palette, shape, motion and speed.

/// An sRGB colour with channels in 0..=255, kept as `f32` for blending maths.
pub type Rgb = [f32; 3];

/// Colours of one scene: background gradient ends, two accents for shapes, title colour.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Palette {
    pub top: Rgb,
    pub bottom: Rgb,
    pub accent: Rgb,
    pub accent2: Rgb,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    Circle,
    Square,
    Star,
    Triangle,
    Wave,
    Ring,
    Heart,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Motion {
    Rise,
    Fall,
    Orbit,
    Drift,
    Pulse,
}

const fn hex(v: u32) -> Rgb {
    [
        ((v >> 16) & 0xff) as f32,
        ((v >> 8) & 0xff) as f32,
        (v & 0xff) as f32,
    ]
}

const fn pal(top: u32, bottom: u32, accent: u32, accent2: u32) -> Palette {
    Palette {
        top: hex(top),
        bottom: hex(bottom),
        accent: hex(accent),
        accent2: hex(accent2),
    }
}

// Palettes are hand-picked so white title text stays readable on every background.
#[rustfmt::skip]
pub const PALETTES: [(&[&str], Palette); 12] = [
    (&["red", "fire", "flame", "flames", "lava", "volcano", "blood", "rage", "heat", "hot"], pal(0x2a0410, 0xc4233b, 0xffb703, 0xff6b6b)),
    (&["orange", "sunset", "dusk", "autumn", "evening", "warm", "sundown"], pal(0x2b1055, 0xe8604c, 0xffd166, 0xff3c78)),
    (&["yellow", "sun", "sunny", "gold", "golden", "summer", "morning", "sunrise", "dawn", "light"], pal(0x8a3b00, 0xe9a21f, 0xfff3b0, 0xff7b00)),
    (&["green", "forest", "tree", "trees", "jungle", "nature", "leaf", "leaves", "garden", "grass", "spring"], pal(0x0b3d2e, 0x4e9f5d, 0xd8f3a2, 0xf6e27a)),
    (&["blue", "ocean", "sea", "water", "river", "lake", "sky", "rain", "beach", "waves"], pal(0x03256c, 0x1b98b5, 0xa7f3ff, 0xffffff)),
    (&["night", "space", "stars", "starry", "moon", "galaxy", "dark", "midnight", "cosmos", "universe", "planet"], pal(0x04041a, 0x1b2a6b, 0xffffff, 0x9fb4ff)),
    (&["purple", "violet", "dream", "dreams", "magic", "fantasy", "mystic", "mystery"], pal(0x1a0b3d, 0x7b3fa0, 0xf9c5ff, 0x7df9ff)),
    (&["pink", "love", "rose", "roses", "flower", "flowers", "romance", "candy", "heart"], pal(0x4a1a5c, 0xe0688f, 0xffe3ee, 0xffc2d1)),
    (&["white", "snow", "winter", "ice", "cold", "frozen", "frost", "cloud", "clouds"], pal(0x1e3c72, 0x6f93d6, 0xffffff, 0xd6f0ff)),
    (&["desert", "sand", "dune", "dunes", "earth", "brown", "canyon", "coffee"], pal(0x5e3512, 0xc8964a, 0xfefae0, 0xe76f51)),
    (&["black", "gray", "grey", "noir", "city", "urban", "shadow", "shadows", "steel"], pal(0x0f0f12, 0x3a3a44, 0xe0e0e0, 0xff4757)),
    (&["tech", "future", "digital", "cyber", "data", "robot", "ai", "neon", "code"], pal(0x0f2027, 0x2c5364, 0x00f5d4, 0xfee440)),
];

#[rustfmt::skip]
pub const SHAPES: [(&[&str], Shape); 7] = [
    (&["circle", "circles", "ball", "balls", "bubble", "bubbles", "planet", "sun", "moon", "dot", "dots", "orb"], Shape::Circle),
    (&["square", "squares", "box", "boxes", "block", "blocks", "cube", "cubes", "city", "building", "buildings", "pixel", "pixels"], Shape::Square),
    (&["star", "stars", "sparkle", "sparkles", "galaxy", "night", "twinkle", "magic"], Shape::Star),
    (&["triangle", "triangles", "mountain", "mountains", "pyramid", "peak", "peaks", "arrow"], Shape::Triangle),
    (&["wave", "waves", "ocean", "sea", "water", "river", "music", "sound", "wind", "beach"], Shape::Wave),
    (&["ring", "rings", "orbit", "halo", "loop", "cycle"], Shape::Ring),
    (&["heart", "hearts", "love", "kiss", "valentine"], Shape::Heart),
];

#[rustfmt::skip]
pub const MOTIONS: [(&[&str], Motion); 4] = [
    (&["rise", "rising", "fly", "flying", "float", "floating", "up", "grow", "launch", "ascend", "bubbles"], Motion::Rise),
    (&["fall", "falling", "rain", "snow", "drop", "down", "sink", "leaves"], Motion::Fall),
    (&["spin", "spinning", "orbit", "rotate", "swirl", "dance", "dancing", "turn", "galaxy"], Motion::Orbit),
    (&["pulse", "beat", "heart", "music", "breathe", "glow", "glowing"], Motion::Pulse),
];

pub const FAST: [&str; 8] = [
    "fast", "quick", "rush", "speed", "race", "racing", "energy", "wild",
];
pub const SLOW: [&str; 8] = [
    "slow", "calm", "peace", "peaceful", "gentle", "quiet", "sleep", "lazy",
];

/// Keyword match with crude stemming, so "snowy", "rises" or "glowing" hit "snow", "rise", "glow".
pub fn matches_any(word: &str, list: &[&str]) -> bool {
    if list.contains(&word) {
        return true;
    }
    let stems = ["s", "es", "y", "ing", "ed"]
        .iter()
        .filter_map(|suf| word.strip_suffix(suf));
    let mut candidates = stems.chain(word.strip_suffix('s').and_then(|w| w.strip_suffix('e')));
    candidates.any(|stem| {
        stem.len() >= 3
            && (list.contains(&stem) || list.iter().any(|k| k.strip_suffix('e') == Some(stem)))
    })
}
