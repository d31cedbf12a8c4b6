//! Static assets (the WASM bundle, its JS glue, the stylesheet) reach browsers compressed.

use crate::helpers::{spawn_app_with, Backend};

/// A site root like `cargo leptos build --release --precompress` leaves: each asset beside its `.br` and `.gz`.
fn site_with_assets() -> tempfile::TempDir {
    let site = tempfile::tempdir().expect("temp site");
    let pkg = site.path().join("pkg");
    std::fs::create_dir_all(&pkg).unwrap();
    let wasm = vec![0u8; 64 * 1024];
    std::fs::write(pkg.join("t2m.wasm"), &wasm).unwrap();
    std::fs::write(pkg.join("t2m.wasm.br"), b"brotli bytes").unwrap();
    std::fs::write(pkg.join("t2m.wasm.gz"), b"gzip bytes").unwrap();
    // Glue without precompressed twins (a debug build): compressed on the fly instead.
    std::fs::write(
        pkg.join("t2m.js"),
        "export function hydrate() {}\n".repeat(200),
    )
    .unwrap();
    site
}

async fn fetch(app: &crate::helpers::TestApp, path: &str, accept: &str) -> reqwest::Response {
    // reqwest's own decompression is off in this client, so the test sees bytes as the server sent them.
    reqwest::Client::builder()
        .no_gzip()
        .no_brotli()
        .build()
        .unwrap()
        .get(app.url(path))
        .header("accept-encoding", accept)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn precompressed_assets_are_sent_as_brotli_or_gzip() {
    let site = site_with_assets();
    let root = site.path().display().to_string();
    let app = spawn_app_with(Backend::Suite, &[("LEPTOS_SITE_ROOT", root.as_str())]).await;

    let br = fetch(&app, "/pkg/t2m.wasm", "br, gzip").await;
    assert_eq!(br.status(), 200);
    assert_eq!(br.headers()["content-encoding"], "br");
    assert_eq!(br.bytes().await.unwrap().as_ref(), b"brotli bytes");

    let gz = fetch(&app, "/pkg/t2m.wasm", "gzip").await;
    assert_eq!(gz.headers()["content-encoding"], "gzip");
    assert_eq!(gz.bytes().await.unwrap().as_ref(), b"gzip bytes");

    let plain = fetch(&app, "/pkg/t2m.wasm", "identity").await;
    assert!(plain.headers().get("content-encoding").is_none());
    assert_eq!(plain.bytes().await.unwrap().len(), 64 * 1024);
}

#[tokio::test]
async fn assets_without_precompressed_twins_are_compressed_on_the_fly() {
    let site = site_with_assets();
    let root = site.path().display().to_string();
    let app = spawn_app_with(Backend::Suite, &[("LEPTOS_SITE_ROOT", root.as_str())]).await;

    let js = fetch(&app, "/pkg/t2m.js", "gzip").await;
    assert_eq!(js.status(), 200);
    assert_eq!(js.headers()["content-encoding"], "gzip");
    let sent = js.bytes().await.unwrap().len();
    assert!(
        sent < 29 * 200 / 4,
        "{sent} bytes sent for a highly repetitive 5.8 KB file"
    );
}
