//! Where the app may send a browser after sign-in: only to its own origin (or, for the built-in provider, to the
//! apps listed in `T2M_LOCAL_REDIRECT_ORIGINS`), judged the way a browser reads the target (tabs and newlines
//! dropped, `\` taken as `/`), so a phishing link cannot bounce through our sign-in.

use url::Url;

/// Percent-encodes a value for a query string.
pub fn urlencode(raw: &str) -> String {
    url::form_urlencoded::byte_serialize(raw.as_bytes()).collect()
}

/// The path, query and fragment of `target` when it resolves against `app_url` to the same origin;
/// `fallback` for anything else (another host, another scheme, junk, or nothing).
pub fn safe_redirect(app_url: &str, target: Option<&str>, fallback: &str) -> String {
    target
        .and_then(|target| same_origin_path(app_url, target))
        .unwrap_or_else(|| fallback.to_owned())
}

/// Where the built-in provider sends a browser after sign-in, sign-up or the handshake.
#[derive(Debug, PartialEq, Eq)]
pub enum ProviderTarget {
    /// A path on the provider's own origin.
    Here(String),
    /// An absolute URL on one of the apps it signs in for: that app's session cookies come through the handshake.
    App(String),
}

impl ProviderTarget {
    /// Where a browser that just signed in goes: the page itself, or the provider's handshake, which carries the
    /// app its session cookies (a browser never shares cookies between the provider's origin and the app's).
    pub fn after_sign_in(&self) -> String {
        match self {
            Self::Here(path) => path.clone(),
            Self::App(url) => format!("/v1/client/handshake?redirect_url={}", urlencode(url)),
        }
    }

    /// The absolute URL, for a redirect that may leave the provider.
    pub fn absolute(&self, app_url: &str) -> String {
        match self {
            Self::Here(path) => format!("{}{path}", app_url.trim_end_matches('/')),
            Self::App(url) => url.clone(),
        }
    }
}

/// `target` judged as [`safe_redirect`] does, except that a URL on one of `apps` (exact origins) is kept whole.
pub fn provider_target(
    app_url: &str,
    apps: &[String],
    target: Option<&str>,
    fallback: &str,
) -> ProviderTarget {
    target
        .and_then(|target| on_listed_app(app_url, apps, target))
        .map_or_else(
            || ProviderTarget::Here(safe_redirect(app_url, target, fallback)),
            ProviderTarget::App,
        )
}

fn on_listed_app(app_url: &str, apps: &[String], target: &str) -> Option<String> {
    let resolved = Url::parse(app_url).ok()?.join(target).ok()?;
    let origin = resolved.origin().ascii_serialization();
    // Credentials in the URL would only serve to disguise where the link goes.
    let plain = resolved.username().is_empty() && resolved.password().is_none();
    (plain && apps.contains(&origin)).then(|| resolved.into())
}

fn same_origin_path(app_url: &str, target: &str) -> Option<String> {
    let base = Url::parse(app_url).ok()?;
    // `join` applies the WHATWG parser browsers use, so what we judge is where the browser would go.
    let resolved = base.join(target).ok()?;
    if resolved.origin() != base.origin() {
        return None;
    }
    let path = resolved.path();
    // Dot segments can leave an empty first segment (`/.//evil`); sent alone, `//evil` names another host.
    if !path.starts_with('/') || path.starts_with("//") {
        return None;
    }
    let mut out = path.to_owned();
    if let Some(query) = resolved.query() {
        out.push('?');
        out.push_str(query);
    }
    if let Some(fragment) = resolved.fragment() {
        out.push('#');
        out.push_str(fragment);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::{provider_target, safe_redirect, ProviderTarget};

    const APP: &str = "https://t2m-app.com";

    fn to(target: &str) -> String {
        safe_redirect(APP, Some(target), "/dashboard")
    }

    #[test]
    fn same_site_paths_keep_their_query_and_fragment() {
        assert_eq!(to("/jobs?x=1&y=%20z"), "/jobs?x=1&y=%20z");
        assert_eq!(to("/videos/abc#player"), "/videos/abc#player");
        assert_eq!(
            to("https://t2m-app.com/files?kind=video"),
            "/files?kind=video"
        );
        assert_eq!(safe_redirect(APP, None, "/dashboard"), "/dashboard");
    }

    #[test]
    fn targets_a_browser_would_take_off_site_fall_back() {
        for evil in [
            "//x",
            "/\\x",
            "\\\\x",
            "/\t/x",
            "/\n/x",
            "\t//x",
            "/\r\n/x",
            "/.//x",
            "https://x",
            "http://t2m-app.com/",
            "https://t2m-app.com:8443/",
            "javascript:alert(1)",
            "javascript:x",
            "data:text/html,x",
        ] {
            assert_eq!(to(evil), "/dashboard", "{evil:?}");
        }
    }

    #[test]
    fn encoded_separators_stay_encoded_in_a_path_on_this_site() {
        // The browser keeps these as path bytes on our origin; they never become a host.
        for (target, path) in [
            ("/%09/x", "/%09/x"),
            ("/%0d%0a/x", "/%0d%0a/x"),
            ("/%2F%2Fx", "/%2F%2Fx"),
            ("/%5C%5Cx", "/%5C%5Cx"),
        ] {
            assert_eq!(to(target), path);
        }
    }

    #[test]
    fn a_scheme_relative_to_the_same_scheme_stays_on_this_site() {
        // Browsers read `https:x` against an https page as the relative path `x`.
        assert_eq!(to("https:x"), "/x");
        // Against an https app, `http:x` names the host `x` over http: another origin.
        assert_eq!(to("http:x"), "/dashboard");
        assert_eq!(
            safe_redirect("http://127.0.0.1:3000", Some("http:x"), "/dashboard"),
            "/x"
        );
    }

    #[test]
    fn the_provider_sends_browsers_back_only_to_the_apps_it_lists() {
        let apps = ["http://localhost:3001".to_owned()];
        let judge = |target: &str| provider_target(APP, &apps, Some(target), "/onboarding");
        assert_eq!(
            judge("http://localhost:3001/onboarding?x=1#top"),
            ProviderTarget::App("http://localhost:3001/onboarding?x=1#top".into())
        );
        assert_eq!(judge("/files"), ProviderTarget::Here("/files".into()));
        for refused in [
            "http://localhost:3002/onboarding",
            "https://localhost:3001/onboarding",
            "http://evil@localhost:3001/",
            "http://localhost:3001.evil.example/",
            "javascript:alert(1)",
        ] {
            assert_eq!(
                judge(refused),
                ProviderTarget::Here("/onboarding".into()),
                "{refused}"
            );
        }
        assert_eq!(
            provider_target(APP, &[], Some("http://localhost:3001/x"), "/"),
            ProviderTarget::Here("/".into())
        );
        assert_eq!(
            ProviderTarget::Here("/a".into()).absolute(APP),
            "https://t2m-app.com/a"
        );
        assert_eq!(
            ProviderTarget::App("http://localhost:3001/a?b=1".into()).after_sign_in(),
            "/v1/client/handshake?redirect_url=http%3A%2F%2Flocalhost%3A3001%2Fa%3Fb%3D1"
        );
    }
}
