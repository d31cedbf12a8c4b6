//! Golden-image tests for title typography in five scripts, and thumbnail choice.
//!
//! Each title is composed (white on black, no background or animation) and compared with a
//! reference PNG under `app/testdata/render/`. After an intended change to typography,
//! regenerate the references with `T2M_UPDATE_GOLDEN=1 cargo test -p app --features ssr golden`
//! and look at them before committing. Arabic and Japanese need `fonts-noto-core` and
//! `fonts-noto-cjk` (installed by `T2M_TEST_TOOLS=1 source scripts/setup.sh`).

use super::layout::{layout_title, Title};
use super::{render_frame, render_thumbnail_png, scene, RenderSpec};

use std::path::PathBuf;

const W: usize = 320;
const H: usize = 180;

const PROMPTS: [(&str, &str); 5] = [
    ("en", "A golden star rises over the quiet ocean"),
    ("ru", "Золотая звезда восходит над тихим океаном"),
    ("el", "Ένα χρυσό αστέρι ανατέλλει πάνω από τον ήσυχο ωκεανό"),
    ("ar", "نجمة ذهبية تشرق فوق المحيط الهادئ"),
    ("ja", "静かな海の上に金色の星が昇る"),
];

fn compose(title: &Title) -> Vec<u8> {
    let mut out = vec![0u8; W * H];
    for word in &title.words {
        for row in 0..word.h {
            for col in 0..word.w {
                let (x, y) = (word.x + col as i32, word.y + row as i32);
                assert!(
                    (0..W as i32).contains(&x) && (0..H as i32).contains(&y),
                    "text outside the frame at ({x}, {y})"
                );
                let px = &mut out[y as usize * W + x as usize];
                *px = (*px).saturating_add(word.cov[row * word.w + col]);
            }
        }
    }
    out
}

fn reference(lang: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("testdata/render/title-{lang}.png"))
}

fn write_gray_png(path: &PathBuf, px: &[u8]) {
    let file = std::fs::File::create(path).expect("create reference");
    let mut enc = png::Encoder::new(std::io::BufWriter::new(file), W as u32, H as u32);
    enc.set_color(png::ColorType::Grayscale);
    enc.set_depth(png::BitDepth::Eight);
    let mut w = enc.write_header().expect("png header");
    w.write_image_data(px).expect("png data");
}

/// The README's sample frames (`docs/render-sample-*.png`), refreshed with the references.
fn write_sample_frame(lang: &str, prompt: &str) {
    if !["en", "ar", "ja"].contains(&lang) {
        return;
    }
    let scenes = scene::build_scenes(prompt, 4.0);
    let t = scenes.first().map_or(0.0, super::raster::settled_at);
    let rgb = render_frame(scenes, 640, 360, t);
    let png = super::encode_png(&rgb, 640, 360).expect("png");
    let docs = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../docs");
    std::fs::write(docs.join(format!("render-sample-{lang}.png")), png).expect("sample frame");
}

fn read_png(bytes: &[u8]) -> (png::OutputInfo, Vec<u8>) {
    let mut reader = png::Decoder::new(std::io::Cursor::new(bytes))
        .read_info()
        .expect("png");
    let mut buf = vec![0u8; reader.output_buffer_size().expect("size")];
    let info = reader.next_frame(&mut buf).expect("png frame");
    buf.truncate(info.buffer_size());
    (info, buf)
}

#[test]
fn titles_in_five_scripts_match_their_references_without_missing_glyphs() {
    let update = std::env::var("T2M_UPDATE_GOLDEN").is_ok_and(|v| v == "1");
    for (lang, prompt) in PROMPTS {
        let title = layout_title(prompt, W, H);
        assert!(
            title.missing.is_empty(),
            "{lang}: no font has {:?}; install fonts-noto-core and fonts-noto-cjk",
            title.missing
        );
        let ink = compose(&title);
        let inked = ink.iter().filter(|&&v| v > 128).count();
        assert!(inked > 300, "{lang}: only {inked} text pixels");
        let path = reference(lang);
        if update {
            std::fs::create_dir_all(path.parent().expect("dir")).expect("testdata dir");
            write_gray_png(&path, &ink);
            write_sample_frame(lang, prompt);
            continue;
        }
        let bytes = std::fs::read(&path).unwrap_or_else(|e| {
            panic!(
                "{}: {e}; set T2M_UPDATE_GOLDEN=1 to create it",
                path.display()
            )
        });
        let (info, want) = read_png(&bytes);
        assert_eq!((info.width, info.height), (W as u32, H as u32), "{lang}");
        // Tolerates rasteriser rounding (a grey level here and there, a pixel of shift at an
        // edge) but not a different font, size, line break or glyph order.
        let diff: Vec<u32> = ink
            .iter()
            .zip(&want)
            .map(|(&a, &b)| u32::from(a.abs_diff(b)))
            .collect();
        let mean = diff.iter().sum::<u32>() as f64 / diff.len() as f64;
        let far = diff.iter().filter(|&&d| d > 96).count();
        assert!(
            mean < 2.0 && far * 100 < inked,
            "{lang}: title differs from {} (mean {mean:.2}, {far} pixels far off)",
            path.display()
        );
    }
}

#[test]
fn arabic_is_laid_out_right_to_left() {
    let title = layout_title("نجمة ذهبية", W, H);
    assert!(title.missing.is_empty(), "{:?}", title.missing);
    assert_eq!(title.words.len(), 2);
    // Words are kept in reading order, so the first word read sits to the right.
    assert!(title.words[0].x > title.words[1].x);
}

#[test]
fn thumbnail_shows_the_first_scene_title_not_a_blank_frame() {
    let spec = RenderSpec {
        prompt: "Золотая звезда. Тихий океан.".into(),
        title: None,
        duration_secs: 4,
        width: 640,
        height: 360,
        fps: 30,
        soundtrack: false,
    };
    let (info, thumb) = read_png(&render_thumbnail_png(&spec, 320).expect("thumbnail"));
    assert_eq!((info.width, info.height), (320, 180));
    let white = |rgb: &[u8]| {
        rgb.chunks_exact(3)
            .filter(|p| p.iter().all(|&v| v > 235))
            .count()
    };
    let first = render_frame(scene::build_scenes(&spec.prompt, 4.0), 320, 180, 0.0);
    assert!(
        white(&thumb) > 400,
        "thumbnail has {} text pixels",
        white(&thumb)
    );
    assert!(
        white(&first) < white(&thumb) / 10,
        "frame 0 should show no text yet (titles animate in)"
    );
}

#[test]
fn thumbnail_skips_the_title_card_and_the_card_shows_the_title() {
    let spec = RenderSpec {
        prompt: "A red circle rises. Stars at night.".into(),
        title: Some("Evening film".into()),
        duration_secs: 10,
        width: 320,
        height: 180,
        fps: 30,
        soundtrack: false,
    };
    let scenes = scene::build_video(&spec.prompt, spec.title.as_deref(), 10.0);
    assert!(scenes[0].card && !scenes[1].card);
    let content = super::raster::settled_at(&scenes[1]);
    let card = super::raster::settled_at(&scenes[0]);
    let want = super::encode_png(&render_frame(scenes.clone(), W, H, content), 320, 180);
    assert_eq!(
        render_thumbnail_png(&spec, 320).expect("thumbnail"),
        want.expect("png")
    );
    let white = |rgb: &[u8]| {
        rgb.chunks_exact(3)
            .filter(|p| p.iter().all(|&v| v > 235))
            .count()
    };
    let card_frame = render_frame(scenes, W, H, card);
    assert!(white(&card_frame) > 200, "the title card shows its words");
}
