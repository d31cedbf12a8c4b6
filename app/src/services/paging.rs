//! Keyset paging and text search shared by the lists (jobs, files, admin users): opaque cursors naming the last
//! row shown, and `LIKE` patterns that treat the user's `%` and `_` as plain characters on both engines.

use crate::error::AppError;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

/// The `ESCAPE` clause every search pattern from [`contains_pattern`] is used with.
pub const LIKE_ESCAPE: &str = r"ESCAPE '\'";

/// The cursor after a row created at `created_at` (ms) with `id`: opaque to clients.
pub fn encode_cursor(created_at: i64, id: &str) -> String {
    URL_SAFE_NO_PAD.encode(format!("{created_at}:{id}"))
}

/// Reads a cursor this API returned.
///
/// # Errors
/// `invalid_cursor` for anything else.
pub fn decode_cursor(raw: &str) -> Result<(i64, String), AppError> {
    let bad = || AppError::invalid("cursor", "The cursor is not one this API returned.");
    let text =
        String::from_utf8(URL_SAFE_NO_PAD.decode(raw).map_err(|_| bad())?).map_err(|_| bad())?;
    let (at, id) = text.split_once(':').ok_or_else(bad)?;
    Ok((at.parse().map_err(|_| bad())?, id.to_owned()))
}

/// Longest search text, in characters; a longer one cannot match anything stored worth finding.
pub const MAX_QUERY_CHARS: usize = 200;

/// A trimmed search text, `None` when blank.
///
/// # Errors
/// `invalid_q` when longer than [`MAX_QUERY_CHARS`].
pub fn search_text(raw: Option<&str>) -> Result<Option<String>, AppError> {
    let Some(text) = raw.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    if text.chars().count() > MAX_QUERY_CHARS {
        return Err(AppError::invalid(
            "q",
            format!("Search for at most {MAX_QUERY_CHARS} characters."),
        ));
    }
    Ok(Some(text.to_owned()))
}

/// `%text%` in lower case with `\`, `%` and `_` escaped, for `LOWER(column) LIKE $n ESCAPE '\'`; `""` (match
/// nothing is never wanted, so callers skip the condition) when `text` is `None`.
pub fn contains_pattern(text: Option<&str>) -> String {
    let Some(text) = text else {
        return String::new();
    };
    let mut pattern = String::with_capacity(text.len() + 2);
    pattern.push('%');
    for c in text.to_lowercase().chars() {
        if matches!(c, '\\' | '%' | '_') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

/// Keeps the first `limit` of `rows` (fetched with one extra) and returns the cursor for the rest, if any.
pub fn split_page<T>(
    rows: &mut Vec<T>,
    limit: i64,
    key: impl Fn(&T) -> (i64, &str),
) -> Option<String> {
    let limit = usize::try_from(limit).unwrap_or(0);
    if rows.len() <= limit {
        return None;
    }
    rows.truncate(limit);
    rows.last().map(|row| {
        let (at, id) = key(row);
        encode_cursor(at, id)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_junk_is_refused() {
        let encoded = encode_cursor(1_700_000_000_000, "file_abc");
        assert_eq!(
            decode_cursor(&encoded).unwrap(),
            (1_700_000_000_000, "file_abc".into())
        );
        assert_eq!(decode_cursor("!!").unwrap_err().code(), "invalid_cursor");
        assert!(decode_cursor(&URL_SAFE_NO_PAD.encode("nocolon")).is_err());
    }

    #[test]
    fn patterns_escape_wildcards_and_fold_case() {
        assert_eq!(contains_pattern(Some("Cat")), "%cat%");
        assert_eq!(contains_pattern(Some("50%_off\\")), r"%50\%\_off\\%");
        assert_eq!(contains_pattern(None), "");
    }

    #[test]
    fn search_text_is_trimmed_and_bounded() {
        assert_eq!(search_text(Some("  ")).unwrap(), None);
        assert_eq!(search_text(Some(" cat ")).unwrap().as_deref(), Some("cat"));
        assert_eq!(
            search_text(Some(&"x".repeat(201))).unwrap_err().code(),
            "invalid_q"
        );
    }

    #[test]
    fn a_page_holds_its_limit_and_points_past_its_last_row() {
        let mut rows = vec![(3, "c"), (2, "b"), (1, "a")];
        let next = split_page(&mut rows, 2, |r| (r.0, r.1));
        assert_eq!(rows.len(), 2);
        assert_eq!(decode_cursor(&next.unwrap()).unwrap(), (2, "b".into()));
        let mut short = vec![(1, "a")];
        assert_eq!(split_page(&mut short, 2, |r| (r.0, r.1)), None);
    }
}
