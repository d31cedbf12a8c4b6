//! Fonts for titles: one process-wide font database and glyph cache, shared by every render.
//!
//! Noto Sans Bold is embedded (Latin, Cyrillic, Greek), so the default needs nothing installed.
//! Fonts under `/usr/share/fonts`, `/usr/local/share/fonts` and `~/.fonts` are added for the
//! other scripts (Debian: `fonts-noto-core` for Arabic, Hebrew, Devanagari, Thai…, `fonts-noto-cjk`
//! for Chinese, Japanese, Korean); cosmic-text picks a fallback font per script.

use cosmic_text::{fontdb, CacheKey, FontSystem, SwashCache, SwashContent};
use std::sync::{Mutex, MutexGuard, OnceLock};

static EMBEDDED: &[u8] = include_bytes!("fonts/NotoSans-Bold.ttf");
/// The embedded face's family, also set as the default sans-serif.
pub const FAMILY: &str = "Noto Sans";
/// Cached glyph images kept before the cache is dropped: titles use a handful of sizes per
/// render, so this bounds memory in a long-running server without costing steady-state speed.
const MAX_CACHED_GLYPHS: usize = 20_000;

/// The shaper's font system and the rasteriser's glyph cache, behind one lock: layout runs
/// once per render (not per frame), so contention is negligible.
pub struct Typesetter {
    pub fonts: FontSystem,
    glyphs: SwashCache,
}

/// A rasterised glyph: 8-bit coverage with its offset from the pen position.
pub struct GlyphMask {
    pub left: i32,
    pub top: i32,
    pub w: usize,
    pub h: usize,
    pub cov: Vec<u8>,
}

fn build() -> Typesetter {
    let mut db = fontdb::Database::new();
    db.load_font_data(EMBEDDED.to_vec());
    db.load_system_fonts();
    db.set_sans_serif_family(FAMILY);
    Typesetter {
        fonts: FontSystem::new_with_locale_and_db("en-US".into(), db),
        glyphs: SwashCache::new(),
    }
}

/// The shared typesetter, loaded on first use (scanning the system fonts takes tens of ms).
pub fn typesetter() -> MutexGuard<'static, Typesetter> {
    static CELL: OnceLock<Mutex<Typesetter>> = OnceLock::new();
    // A panic while holding the lock cannot leave the caches inconsistent, so poisoning is ignored.
    CELL.get_or_init(|| Mutex::new(build()))
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl Typesetter {
    /// Rasterises (or fetches from the cache) one glyph as a coverage mask; colour glyphs
    /// (emoji) become their alpha silhouette so they take the title colour.
    pub fn glyph(&mut self, key: CacheKey) -> Option<GlyphMask> {
        if self.glyphs.image_cache.len() > MAX_CACHED_GLYPHS {
            self.glyphs.image_cache.clear();
        }
        let img = self.glyphs.get_image(&mut self.fonts, key).as_ref()?;
        let (w, h) = (img.placement.width as usize, img.placement.height as usize);
        let cov = match img.content {
            SwashContent::Mask => img.data.clone(),
            SwashContent::Color => img.data.chunks_exact(4).map(|p| p[3]).collect(),
            SwashContent::SubpixelMask => img
                .data
                .chunks_exact(4)
                .map(|p| ((u16::from(p[0]) + u16::from(p[1]) + u16::from(p[2])) / 3) as u8)
                .collect(),
        };
        if cov.len() != w * h {
            return None;
        }
        Some(GlyphMask {
            left: img.placement.left,
            top: img.placement.top,
            w,
            h,
            cov,
        })
    }
}
