//! `T2M_LOCAL_REDIRECT_ORIGINS`: the apps the built-in provider signs people in for, like a Clerk instance's
//! allowed redirect origins. After sign-in, sign-up and the handshake it sends browsers back only to its own
//! origin or to one of these; anything else falls back to a page of its own.

use super::{parse_origin, ConfigError, Vars};

const VAR: &str = "T2M_LOCAL_REDIRECT_ORIGINS";

/// The exact origins (scheme, host, port) listed, in order, without repeats.
pub(super) fn from_vars<F: Fn(&str) -> Option<String>>(
    vars: &Vars<F>,
    local_identity: bool,
) -> Result<Vec<String>, ConfigError> {
    let mut origins = Vec::new();
    for raw in vars.get(VAR).unwrap_or_default().split(',') {
        let raw = raw.trim();
        if raw.is_empty() {
            continue;
        }
        let origin = parse_origin(VAR, raw)?;
        if !origins.contains(&origin) {
            origins.push(origin);
        }
    }
    if !origins.is_empty() && !local_identity {
        return Err(ConfigError::Invalid {
            var: VAR,
            reason: "is for the built-in provider; with CLERK_ISSUER set, Clerk decides where its pages redirect"
                .into(),
        });
    }
    Ok(origins)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(raw: &str, local: bool) -> Result<Vec<String>, ConfigError> {
        let raw = raw.to_owned();
        from_vars(&Vars(move |k: &str| (k == VAR).then(|| raw.clone())), local)
    }

    #[test]
    fn origins_are_normalised_and_deduplicated() {
        assert_eq!(
            load(
                "http://localhost:3001/, https://b.example/ignored/path, http://localhost:3001",
                true
            )
            .unwrap(),
            vec!["http://localhost:3001", "https://b.example"]
        );
        assert!(load("", true).unwrap().is_empty());
    }

    #[test]
    fn junk_and_clerk_mode_are_refused_by_name() {
        for bad in ["localhost:3001", "ftp://b.example", "not a url"] {
            let err = load(bad, true).unwrap_err().to_string();
            assert!(err.starts_with(VAR), "{bad}: {err}");
        }
        let err = load("https://b.example", false).unwrap_err().to_string();
        assert!(err.contains("CLERK_ISSUER"), "{err}");
    }
}
