//! The headers every signed-file answer carries, and the conditional-request rules around them.

use app::services::files::signing::{encode_component, Grant};
use app::services::files::FileRow;
use axum::http::{header, HeaderMap, HeaderName, HeaderValue};

/// What a browser may do with a served file: nothing active, whatever its type claims.
const FILE_CSP: &str =
    "default-src 'none'; media-src 'self'; img-src 'self'; style-src 'unsafe-inline'; sandbox";

/// `"sha256-hex"`: the content never changes under one id, so the hash is a strong validator.
pub fn etag(row: &FileRow) -> String {
    format!("\"{}\"", row.sha256)
}

fn plays_inline(content_type: &str) -> bool {
    ["video/", "audio/", "image/"]
        .iter()
        .any(|p| content_type.starts_with(p))
}

/// RFC 6266: an ASCII fallback name and the exact name as UTF-8 in `filename*`.
pub fn disposition(row: &FileRow, download: bool) -> String {
    let kind = if download || !plays_inline(&row.content_type) {
        "attachment"
    } else {
        "inline"
    };
    let fallback: String = row
        .filename
        .chars()
        .map(|c| match c {
            '"' | '\\' => '_',
            c if c.is_ascii_graphic() || c == ' ' => c,
            _ => '_',
        })
        .collect();
    format!(
        "{kind}; filename=\"{fallback}\"; filename*=UTF-8''{}",
        encode_component(&row.filename)
    )
}

/// Type, disposition, caching and validators for a file served at `now` (unix seconds).
pub fn for_file(row: &FileRow, grant: &Grant, now: i64) -> HeaderMap {
    let mut headers = HeaderMap::new();
    let mut put = |name: HeaderName, value: String| {
        if let Ok(value) = HeaderValue::from_str(&value) {
            headers.insert(name, value);
        }
    };
    put(header::CONTENT_TYPE, row.content_type.clone());
    put(
        header::CONTENT_DISPOSITION,
        disposition(row, grant.download),
    );
    // Never cacheable past the URL's own expiry, and only by the browser that fetched it.
    put(
        header::CACHE_CONTROL,
        format!("private, max-age={}", (grant.expires - now).max(0)),
    );
    put(header::ETAG, etag(row));
    put(header::ACCEPT_RANGES, "bytes".into());
    put(header::CONTENT_SECURITY_POLICY, FILE_CSP.into());
    headers
}

fn matches_etag(value: &HeaderValue, row: &FileRow) -> bool {
    let ours = etag(row);
    value.to_str().is_ok_and(|list| {
        list.split(',')
            .map(|t| t.trim().trim_start_matches("W/"))
            .any(|t| t == "*" || t == ours)
    })
}

/// Whether `If-None-Match` names our ETag (answer 304).
pub fn not_modified(request: &HeaderMap, row: &FileRow) -> bool {
    request
        .get(header::IF_NONE_MATCH)
        .is_some_and(|v| matches_etag(v, row))
}

/// Ignores `Range` when it cannot apply: an `If-Range` validator that is not ours, or several ranges (served
/// whole rather than as multipart/byteranges, which RFC 9110 allows).
pub fn drop_stale_range(request: &mut HeaderMap, row: &FileRow) {
    let stale = request
        .get(header::IF_RANGE)
        .is_some_and(|v| v.to_str().is_ok_and(|s| s.starts_with('"')) && !matches_etag(v, row));
    let several = request
        .get(header::RANGE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains(','));
    if stale || several {
        request.remove(header::RANGE);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(filename: &str, content_type: &str) -> FileRow {
        FileRow {
            id: "file_1".into(),
            user_id: "user_1".into(),
            kind: "video".into(),
            filename: filename.into(),
            content_type: content_type.into(),
            size_bytes: 10,
            sha256: "ab".repeat(32),
            storage_key: "0".repeat(32),
            metadata: "{}".into(),
            created_at: 0,
        }
    }

    #[test]
    fn media_plays_inline_and_downloads_are_attachments() {
        let clip = row("clip été.mp4", "video/mp4");
        assert_eq!(
            disposition(&clip, false),
            "inline; filename=\"clip _t_.mp4\"; filename*=UTF-8''clip%20%C3%A9t%C3%A9.mp4"
        );
        assert!(disposition(&clip, true).starts_with("attachment;"));
        assert!(disposition(&row("notes.txt", "text/plain"), false).starts_with("attachment;"));
    }

    #[test]
    fn cache_lifetime_never_outlives_the_url() {
        let grant = Grant {
            user_id: "user_1".into(),
            expires: 1_000,
            download: false,
        };
        let h = for_file(&row("a.mp4", "video/mp4"), &grant, 400);
        assert_eq!(h[header::CACHE_CONTROL], "private, max-age=600");
        let h = for_file(&row("a.mp4", "video/mp4"), &grant, 1_000);
        assert_eq!(h[header::CACHE_CONTROL], "private, max-age=0");
    }

    #[test]
    fn validators_are_compared_as_listed() {
        let r = row("a.mp4", "video/mp4");
        let mut h = HeaderMap::new();
        h.insert(
            header::IF_NONE_MATCH,
            HeaderValue::from_str(&format!("\"x\", {}", etag(&r))).unwrap(),
        );
        assert!(not_modified(&h, &r));
        h.insert(header::RANGE, HeaderValue::from_static("bytes=0-1"));
        h.insert(header::IF_RANGE, HeaderValue::from_static("\"old\""));
        drop_stale_range(&mut h, &r);
        assert!(!h.contains_key(header::RANGE));
    }
}
