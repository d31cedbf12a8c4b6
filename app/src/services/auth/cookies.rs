//! The one place the `Cookie` request header is parsed, and the names of the cookies the session protocol uses
//! (Clerk's names, which the built-in provider shares so both modes read the same cookies).

use http::HeaderMap;

/// The short-lived session token.
pub const SESSION: &str = "__session";
/// The long-lived client secret (Clerk keeps its own on the Frontend API's domain; the built-in provider on ours).
pub const CLIENT: &str = "__client";
/// When the client last signed in, in seconds; `0` or absent means signed out.
pub const CLIENT_UAT: &str = "__client_uat";

/// Every `name=value` pair the request carries, in order, across all `Cookie` headers.
pub fn pairs(headers: &HeaderMap) -> impl Iterator<Item = (&str, &str)> {
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .map(|(name, value)| (name.trim(), value.trim()))
}

/// One cookie's value (the first when repeated).
pub fn get<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    pairs(headers).find(|(key, _)| *key == name).map(|(_, v)| v)
}

/// Whether any of `names` is present, with or without a value.
pub fn has_any(headers: &HeaderMap, names: &[&str]) -> bool {
    pairs(headers).any(|(key, _)| names.contains(&key))
}

/// The `Cookie` header value with `name` replaced by `value` (added when absent), the other cookies kept.
pub fn with_replaced(headers: &HeaderMap, name: &str, value: &str) -> String {
    pairs(headers)
        .filter(|(key, _)| *key != name)
        .map(|(k, v)| format!("{k}={v}"))
        .chain(std::iter::once(format!("{name}={value}")))
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(values: &[&'static str]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for v in values {
            map.append(http::header::COOKIE, v.parse().unwrap());
        }
        map
    }

    #[test]
    fn reads_across_headers_and_ignores_lookalikes() {
        let h = headers(&["theme=dark; x__session=evil", " __session = tok ; a=b=c"]);
        assert_eq!(get(&h, SESSION), Some("tok"));
        assert_eq!(get(&h, "a"), Some("b=c"));
        assert_eq!(get(&h, CLIENT), None);
        assert!(has_any(&h, &[CLIENT, SESSION]));
        assert!(!has_any(&h, &[CLIENT, CLIENT_UAT]));
    }

    #[test]
    fn replaces_one_cookie_and_keeps_the_rest() {
        let h = headers(&["__session=old; theme=dark"]);
        assert_eq!(
            with_replaced(&h, SESSION, "new"),
            "theme=dark; __session=new"
        );
    }
}
