//! Headers every response carries: a CSP whose scripts need this response's nonce, no sniffing, no framing,
//! and HSTS when the app is served over HTTPS.

use app::services::config::{Config, Environment, IdentityConfig};
use axum::extract::{Request, State};
use axum::http::{header, HeaderName, HeaderValue};
use axum::middleware::{from_fn_with_state, Next};
use axum::response::Response;
use axum::Router;
use leptos::config::{LeptosOptions, ReloadWSProtocol};
use leptos::nonce::Nonce;
use leptos::prelude::{provide_context, use_context};
use std::sync::Arc;
use tower_http::set_header::SetResponseHeaderLayer;

/// Where, beside the app itself, the browser may load scripts from or talk to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CspSources {
    /// Clerk's Frontend API origin: its script, hosted components, avatars and API calls.
    pub clerk_origin: Option<String>,
    /// cargo-leptos' live-reload websocket (development only), e.g. `ws://127.0.0.1:3001`.
    pub dev_reload: Option<String>,
    /// The apps the built-in provider signs in for (`T2M_LOCAL_REDIRECT_ORIGINS`): its sign-in and sign-up forms
    /// end in a redirect there, and browsers apply `form-action` to a form's redirects too.
    pub redirect_apps: Vec<String>,
}

impl CspSources {
    /// The sources this configuration needs.
    pub fn from_config(config: &Config, leptos: &LeptosOptions) -> Self {
        let clerk_origin = match &config.identity {
            IdentityConfig::Clerk(clerk) => clerk
                .frontend_api
                .as_deref()
                .and_then(|api| url::Url::parse(api).ok())
                .map(|u| u.origin().ascii_serialization()),
            IdentityConfig::Local => None,
        };
        // The reload script connects to the page's own host on the reload port, so that host and port only.
        let dev_reload = (config.environment == Environment::Development)
            .then(|| url::Url::parse(&config.app_url).ok())
            .flatten()
            .and_then(|url| url.host_str().map(str::to_owned))
            .map(|host| {
                let scheme = match leptos.reload_ws_protocol {
                    ReloadWSProtocol::WS => "ws",
                    ReloadWSProtocol::WSS => "wss",
                };
                let port = leptos.reload_external_port.unwrap_or(leptos.reload_port);
                format!("{scheme}://{host}:{port}")
            });
        Self {
            clerk_origin,
            dev_reload,
            redirect_apps: config.local_redirect_origins.clone(),
        }
    }
}

/// The Content-Security-Policy for a response whose inline scripts carry `nonce`. Inline scripts without it
/// (an injected `<script>`, an `on*=` attribute) do not run: there is no `'unsafe-inline'` for scripts.
/// `'wasm-unsafe-eval'` lets the browser compile our own WASM without opening `eval` to scripts. Styles keep
/// `'unsafe-inline'`: components set `style` attributes, and CSS cannot run code.
pub fn content_security_policy(sources: &CspSources, nonce: &str) -> String {
    let clerk = sources
        .clerk_origin
        .as_deref()
        .map(|o| format!(" {o}"))
        .unwrap_or_default();
    let reload = sources
        .dev_reload
        .as_deref()
        .map(|o| format!(" {o}"))
        .unwrap_or_default();
    let redirect_apps: String = sources
        .redirect_apps
        .iter()
        .map(|o| format!(" {o}"))
        .collect();
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'{clerk}; \
         style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:{clerk}; media-src 'self' blob:; \
         connect-src 'self'{clerk}{reload}; frame-src 'self'{clerk}; frame-ancestors 'none'; base-uri 'self'; \
         form-action 'self'{clerk}{redirect_apps}; object-src 'none'"
    )
}

/// Gives each request a fresh nonce (read by [`provide_request_nonce`] while the page renders) and answers
/// with the policy naming it, unless the handler set a stricter policy of its own (served files do).
async fn set_content_security_policy(
    State(sources): State<Arc<CspSources>>,
    mut request: Request,
    next: Next,
) -> Response {
    let nonce = Nonce::new();
    let policy = content_security_policy(&sources, &nonce);
    request.extensions_mut().insert(nonce);
    let mut response = next.run(request).await;
    if !response
        .headers()
        .contains_key(header::CONTENT_SECURITY_POLICY)
    {
        if let Ok(value) = HeaderValue::from_str(&policy) {
            response
                .headers_mut()
                .insert(header::CONTENT_SECURITY_POLICY, value);
        }
    }
    response
}

/// Leptos context: makes the page render with the nonce the CSP header names. leptos_axum provides a nonce
/// of its own first; this one replaces it, so `HydrationScripts`, the streamed resource and Suspense chunks,
/// and `use_nonce()` all carry the value the browser will check.
pub fn provide_request_nonce() {
    let nonce = use_context::<axum::http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<Nonce>().cloned());
    if let Some(nonce) = nonce {
        provide_context(nonce);
    }
}

/// Wraps `router` in every security header layer.
pub fn apply(router: Router, config: &Config, leptos: &LeptosOptions) -> Router {
    let mut router = router.layer(from_fn_with_state(
        Arc::new(CspSources::from_config(config, leptos)),
        set_content_security_policy,
    ));
    for (name, value) in [
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "strict-origin-when-cross-origin"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (
            HeaderName::from_static("permissions-policy"),
            "camera=(), microphone=(), geolocation=()",
        ),
    ] {
        router = router.layer(SetResponseHeaderLayer::overriding(
            name,
            HeaderValue::from_static(value),
        ));
    }
    // Only an https origin may ask for HTTPS-only: on plain http the header is ignored at best.
    if config.is_https() {
        router = router.layer(SetResponseHeaderLayer::overriding(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        ));
    }
    router
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_need_the_nonce_and_nothing_inline_is_allowed() {
        let csp = content_security_policy(&CspSources::default(), "abc123");
        let script_src = csp
            .split(';')
            .find(|d| d.trim_start().starts_with("script-src"))
            .unwrap();
        assert!(script_src.contains("'nonce-abc123'"), "{csp}");
        assert!(script_src.contains("'wasm-unsafe-eval'"), "{csp}");
        assert!(!script_src.contains("'unsafe-inline'"), "{csp}");
        assert!(csp.contains("connect-src 'self';"), "{csp}");
    }

    #[test]
    fn clerk_and_the_dev_reload_socket_are_named_exactly() {
        let sources = CspSources {
            clerk_origin: Some("https://clerk.t2m-app.com".into()),
            dev_reload: Some("ws://127.0.0.1:3001".into()),
            redirect_apps: Vec::new(),
        };
        let csp = content_security_policy(&sources, "n");
        assert!(csp.contains("connect-src 'self' https://clerk.t2m-app.com ws://127.0.0.1:3001;"));
        assert!(
            csp.contains("form-action 'self' https://clerk.t2m-app.com;"),
            "{csp}"
        );
        assert!(!csp.contains("ws: ") && !csp.contains("wss:"), "{csp}");
    }

    #[test]
    fn the_reload_socket_is_admitted_in_development_only() {
        let load = |env: &str| {
            Config::from_lookup(|k| match k {
                "ENVIRONMENT" => Some(env.to_owned()),
                "APP_URL" => Some("http://localhost:3000".to_owned()),
                "FILE_SIGNING_SECRET" => Some("x".repeat(32)),
                _ => None,
            })
            .unwrap()
        };
        let leptos = LeptosOptions::builder().output_name("t2m").build();
        let dev = CspSources::from_config(&load("development"), &leptos);
        assert_eq!(dev.dev_reload.as_deref(), Some("ws://localhost:3001"));
        let prod = CspSources::from_config(&load("production"), &leptos);
        assert_eq!(prod.dev_reload, None);
    }

    #[test]
    fn forms_may_end_on_the_apps_the_built_in_provider_signs_in_for() {
        let sources = CspSources {
            redirect_apps: vec!["http://localhost:3001".into(), "https://b.example".into()],
            ..CspSources::default()
        };
        let csp = content_security_policy(&sources, "n");
        assert!(
            csp.contains("form-action 'self' http://localhost:3001 https://b.example;"),
            "{csp}"
        );
        assert!(csp.contains("connect-src 'self';"), "only forms: {csp}");
    }
}
