//! Headers every response carries: CSP that admits the app's own WASM, no sniffing, no framing.

use axum::http::{header, HeaderName, HeaderValue};
use tower_http::set_header::SetResponseHeaderLayer;

/// The Content-Security-Policy. `'wasm-unsafe-eval'` lets the browser compile our own WASM without opening
/// `eval` to scripts; inline scripts are needed by Leptos' hydration bootstrap. With Clerk, its Frontend API
/// origin may serve scripts, be called and show images (avatars); nothing else is admitted.
pub fn content_security_policy(clerk_origin: Option<&str>) -> String {
    let clerk = clerk_origin.map(|o| format!(" {o}")).unwrap_or_default();
    format!(
        "default-src 'self'; script-src 'self' 'unsafe-inline' 'wasm-unsafe-eval'{clerk}; \
         style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:{clerk}; media-src 'self' blob:; \
         connect-src 'self' ws: wss:{clerk}; frame-src 'self'{clerk}; frame-ancestors 'none'; base-uri 'self'; \
         form-action 'self'{clerk}; object-src 'none'"
    )
}

/// The layers, outermost first.
pub fn layers(clerk_origin: Option<&str>) -> [SetResponseHeaderLayer<HeaderValue>; 5] {
    let csp = HeaderValue::from_str(&content_security_policy(clerk_origin))
        .unwrap_or_else(|_| HeaderValue::from_static("default-src 'self'"));
    [
        SetResponseHeaderLayer::if_not_present(header::CONTENT_SECURITY_POLICY, csp),
        SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ),
        SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("strict-origin-when-cross-origin"),
        ),
        SetResponseHeaderLayer::overriding(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ),
        SetResponseHeaderLayer::overriding(
            HeaderName::from_static("permissions-policy"),
            HeaderValue::from_static("camera=(), microphone=(), geolocation=()"),
        ),
    ]
}
