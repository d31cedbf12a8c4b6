//! Clerk's Account Portal: when `CLERK_SIGN_IN_URL` / `CLERK_SIGN_UP_URL` are set, signed-out visitors are sent
//! there instead of to T2M's `/sign-in` and `/sign-up`, which otherwise mount Clerk's components.

use super::{ConfigError, Vars};

/// The hosted sign-in and sign-up pages, when configured.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HostedPages {
    pub sign_in: Option<String>,
    pub sign_up: Option<String>,
}

impl HostedPages {
    pub(super) fn from_vars<F: Fn(&str) -> Option<String>>(
        vars: &Vars<F>,
    ) -> Result<Self, ConfigError> {
        Ok(Self {
            sign_in: absolute_url(vars, "CLERK_SIGN_IN_URL")?,
            sign_up: absolute_url(vars, "CLERK_SIGN_UP_URL")?,
        })
    }

    /// Where a signed-out visitor of `app_url` + `target` signs in. The portal is on another origin, so it
    /// gets an absolute `redirect_url` to come back to.
    pub fn sign_in_redirect(&self, app_url: &str, target: &str) -> Option<String> {
        self.sign_in
            .as_deref()
            .map(|portal| with_redirect(portal, app_url, target))
    }

    /// The portal for `/sign-in` or `/sign-up`, carrying the page's own `redirect_url` on.
    pub fn for_page(&self, path: &str, app_url: &str, wanted: Option<&str>) -> Option<String> {
        let portal = match path {
            "/sign-in" => self.sign_in.as_deref()?,
            "/sign-up" => self.sign_up.as_deref()?,
            _ => return None,
        };
        let fallback = if path == "/sign-up" {
            "/onboarding"
        } else {
            "/dashboard"
        };
        Some(with_redirect(portal, app_url, wanted.unwrap_or(fallback)))
    }
}

fn with_redirect(portal: &str, app_url: &str, target: &str) -> String {
    let back = if target.starts_with('/') {
        format!("{app_url}{target}")
    } else {
        format!("{app_url}/")
    };
    let mut url = url::Url::parse(portal).expect("validated at start");
    url.query_pairs_mut().append_pair("redirect_url", &back);
    url.into()
}

fn absolute_url<F: Fn(&str) -> Option<String>>(
    vars: &Vars<F>,
    var: &'static str,
) -> Result<Option<String>, ConfigError> {
    let Some(raw) = vars.get(var) else {
        return Ok(None);
    };
    match url::Url::parse(&raw) {
        Ok(url) if matches!(url.scheme(), "http" | "https") && url.host_str().is_some() => {
            Ok(Some(url.into()))
        }
        _ => Err(ConfigError::Invalid {
            var,
            reason: format!(
                "{raw:?} must be an absolute http(s) URL such as https://accounts.t2m-app.com/sign-in"
            ),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pages(sign_in: &str) -> Result<HostedPages, ConfigError> {
        let sign_in = sign_in.to_owned();
        HostedPages::from_vars(&Vars(move |var: &str| {
            (var == "CLERK_SIGN_IN_URL").then(|| sign_in.clone())
        }))
    }

    #[test]
    fn the_portal_gets_an_absolute_way_back() {
        let pages = pages("https://accounts.t2m-app.com/sign-in").unwrap();
        assert_eq!(
            pages.sign_in_redirect("https://t2m-app.com", "/videos?q=cat").unwrap(),
            "https://accounts.t2m-app.com/sign-in?redirect_url=https%3A%2F%2Ft2m-app.com%2Fvideos%3Fq%3Dcat"
        );
        assert_eq!(
            pages.for_page("/sign-up", "https://t2m-app.com", None),
            None
        );
    }

    #[test]
    fn a_relative_or_foreign_scheme_url_is_refused_by_name() {
        for bad in ["/sign-in", "javascript:alert(1)", "accounts.t2m-app.com"] {
            let err = pages(bad).unwrap_err().to_string();
            assert!(err.contains("CLERK_SIGN_IN_URL"), "{bad}: {err}");
        }
    }
}
