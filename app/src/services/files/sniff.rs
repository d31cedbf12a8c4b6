//! What an upload really is: its type read from its first bytes (magic numbers), checked against the type
//! the client declared. Only types T2M can show or play are accepted.

use crate::error::AppError;

/// How many leading bytes are enough to recognise every accepted type.
pub const SNIFF_BYTES: usize = 8 * 1024;

/// An accepted type: what `infer` reports, what we store, its kind, and the declared types that agree.
struct Accepted {
    sniffed: &'static str,
    canonical: &'static str,
    kind: &'static str,
    declared: &'static [&'static str],
}

const ACCEPTED: &[Accepted] = &[
    Accepted {
        sniffed: "video/mp4",
        canonical: "video/mp4",
        kind: "video",
        declared: &["video/mp4", "application/mp4"],
    },
    Accepted {
        sniffed: "video/x-m4v",
        canonical: "video/mp4",
        kind: "video",
        declared: &["video/mp4", "video/x-m4v"],
    },
    Accepted {
        sniffed: "video/webm",
        canonical: "video/webm",
        kind: "video",
        declared: &["video/webm"],
    },
    Accepted {
        sniffed: "video/quicktime",
        canonical: "video/quicktime",
        kind: "video",
        declared: &["video/quicktime"],
    },
    Accepted {
        sniffed: "image/png",
        canonical: "image/png",
        kind: "image",
        declared: &["image/png"],
    },
    Accepted {
        sniffed: "image/jpeg",
        canonical: "image/jpeg",
        kind: "image",
        declared: &["image/jpeg", "image/jpg", "image/pjpeg"],
    },
    Accepted {
        sniffed: "image/gif",
        canonical: "image/gif",
        kind: "image",
        declared: &["image/gif"],
    },
    Accepted {
        sniffed: "image/webp",
        canonical: "image/webp",
        kind: "image",
        declared: &["image/webp"],
    },
    Accepted {
        sniffed: "audio/mpeg",
        canonical: "audio/mpeg",
        kind: "audio",
        declared: &["audio/mpeg", "audio/mp3"],
    },
    Accepted {
        sniffed: "audio/x-wav",
        canonical: "audio/wav",
        kind: "audio",
        declared: &["audio/wav", "audio/x-wav", "audio/wave", "audio/vnd.wave"],
    },
    Accepted {
        sniffed: "audio/ogg",
        canonical: "audio/ogg",
        kind: "audio",
        declared: &["audio/ogg", "application/ogg"],
    },
    Accepted {
        sniffed: "audio/m4a",
        canonical: "audio/mp4",
        kind: "audio",
        declared: &["audio/mp4", "audio/m4a", "audio/x-m4a"],
    },
    Accepted {
        sniffed: "application/pdf",
        canonical: "application/pdf",
        kind: "document",
        declared: &["application/pdf"],
    },
    Accepted {
        sniffed: "text/plain",
        canonical: "text/plain; charset=utf-8",
        kind: "document",
        declared: &["text/plain", "text/markdown", "text/csv"],
    },
];

/// Declared types that say nothing about the content (the browser did not know): the sniffed type stands.
const UNINFORMATIVE: &[&str] = &["", "application/octet-stream", "binary/octet-stream"];

/// The kinds `GET /files?kind=` accepts.
pub const KINDS: &[&str] = &["video", "image", "audio", "document"];

/// A recognised upload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Detected {
    /// The `Content-Type` to store and serve.
    pub content_type: &'static str,
    /// `video`, `image`, `audio` or `document`.
    pub kind: &'static str,
}

/// Whether `head` reads as UTF-8 text (a multi-byte character cut at the end of the sample is fine).
fn is_text(head: &[u8]) -> bool {
    if head.contains(&0) {
        return false;
    }
    match std::str::from_utf8(head) {
        Ok(_) => true,
        Err(err) => err.error_len().is_none() && head.len() - err.valid_up_to() < 4,
    }
}

/// Recognises `head` (the first bytes of the upload) and checks it against `declared`.
///
/// # Errors
/// `UnsupportedMediaType` when the content is not an accepted type or is not what was declared.
pub fn detect(head: &[u8], declared: Option<&str>) -> Result<Detected, AppError> {
    let sniffed = match infer::get(head) {
        Some(found) => found.mime_type(),
        None if is_text(head) => "text/plain",
        None => "",
    };
    let accepted = ACCEPTED.iter().find(|a| a.sniffed == sniffed).ok_or_else(|| {
        AppError::UnsupportedMediaType(
            "This type of file is not supported. Upload a video (MP4, WebM, MOV), an image (PNG, JPEG, GIF, \
             WebP), audio (MP3, WAV, OGG, M4A), a PDF or plain text."
                .into(),
        )
    })?;
    let declared = declared
        .unwrap_or_default()
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    if !UNINFORMATIVE.contains(&declared.as_str())
        && !accepted.declared.contains(&declared.as_str())
    {
        return Err(AppError::UnsupportedMediaType(format!(
            "The file was sent as {declared} but its content is {}.",
            accepted.canonical.split(';').next().unwrap_or_default()
        )));
    }
    Ok(Detected {
        content_type: accepted.canonical,
        kind: accepted.kind,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
    const MP4: &[u8] = b"\0\0\0\x20ftypisom\0\0\x02\0isomiso2avc1mp41";

    #[test]
    fn magic_bytes_decide_the_type() {
        assert_eq!(
            detect(PNG, Some("image/png")).unwrap().content_type,
            "image/png"
        );
        let video = detect(MP4, Some("video/mp4")).unwrap();
        assert_eq!((video.content_type, video.kind), ("video/mp4", "video"));
        assert_eq!(detect(b"%PDF-1.7\n", None).unwrap().kind, "document");
    }

    #[test]
    fn a_declared_type_must_agree_with_the_content() {
        let err = detect(PNG, Some("video/mp4")).unwrap_err();
        assert_eq!(err.code(), "unsupported_media_type");
        assert!(detect(PNG, Some("application/octet-stream")).is_ok());
        assert!(detect(b"hello\n", Some("text/plain; charset=utf-8")).is_ok());
        assert!(detect(b"hello\n", Some("text/html")).is_err());
    }

    #[test]
    fn unknown_binaries_are_refused() {
        assert!(detect(b"\x7fELF\x02\x01\x01\0\0\0", None).is_err());
        assert!(detect(b"PK\x03\x04 zip", Some("application/zip")).is_err());
        assert!(detect(b"text with a \0 byte", None).is_err());
    }

    #[test]
    fn text_cut_mid_character_is_still_text() {
        let mut sample = "héllo wörld ".repeat(10).into_bytes();
        sample.push(0xc3);
        assert!(is_text(&sample));
        assert!(!is_text(b"\xff\xfe bad"));
    }
}
