//! Any bytes as a multipart upload body: multer (axum's parser) splits it, then T2M's upload checks run on each
//! field as the upload handler runs them (file name sanitising, type sniffing). Nothing may panic, and a sniffed
//! type is always one T2M accepts.
#![no_main]

use app::services::files::sniff::{detect, KINDS};
use app::services::files::upload::sanitize_filename;
use libfuzzer_sys::fuzz_target;

const BOUNDARY: &str = "XBOUNDARYX";

fn runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: std::sync::OnceLock<tokio::runtime::Runtime> = std::sync::OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("runtime")
    })
}

fuzz_target!(|data: &[u8]| {
    let body = bytes::Bytes::copy_from_slice(data);
    let stream = futures_util::stream::iter([Ok::<_, std::io::Error>(body)]);
    let mut multipart = multer::Multipart::new(stream, BOUNDARY);
    runtime().block_on(async {
        while let Ok(Some(mut field)) = multipart.next_field().await {
            let name = sanitize_filename(field.file_name().unwrap_or_default());
            assert!(!name.is_empty() && name.len() <= 200 && !name.contains(['/', '\\']));
            let declared = field.content_type().map(ToString::to_string);
            let mut head = Vec::new();
            while let Ok(Some(chunk)) = field.chunk().await {
                head.extend_from_slice(&chunk);
            }
            if let Ok(found) = detect(&head, declared.as_deref()) {
                assert!(KINDS.contains(&found.kind));
            }
        }
    });
});
