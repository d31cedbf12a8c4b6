//! The one table of paths and who may open them; page rendering and the API both read it.

/// Who may open a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone.
    Public,
    /// Any signed-in user.
    SignedIn,
    /// Role `admin`.
    Admin,
    /// Tier `premium`, or role `admin`.
    Premium,
    /// A valid signed file URL, no session.
    Signature,
    /// A valid webhook signature, no session.
    Webhook,
}

const PUBLIC_PAGES: &[&str] = &[
    "/",
    "/pricing",
    "/about",
    "/contact",
    "/legal/privacy",
    "/legal/terms",
    "/sign-in",
    "/sign-up",
    "/forgot-password",
    "/reset-password",
];

const SIGNED_IN_PAGES: &[&str] = &[
    "/dashboard",
    "/profile",
    "/files",
    "/videos",
    "/jobs",
    "/generate",
    "/onboarding",
];

fn under(path: &str, prefix: &str) -> bool {
    path == prefix
        || path
            .strip_prefix(prefix)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// The access level of a request path (no query string).
pub fn access_for(path: &str) -> Access {
    let path = if path.len() > 1 {
        path.trim_end_matches('/')
    } else {
        path
    };
    if under(path, "/admin") || under(path, "/api/v1/admin") {
        Access::Admin
    } else if under(path, "/premium") {
        Access::Premium
    } else if under(path, "/api/files/secure") {
        Access::Signature
    } else if under(path, "/api/webhooks") {
        Access::Webhook
    } else if under(path, "/api/v1")
        || under(path, "/api/status")
        || under(path, "/videos")
        || SIGNED_IN_PAGES.iter().any(|p| under(path, p))
    {
        Access::SignedIn
    } else if PUBLIC_PAGES.contains(&path) || under(path, "/s") {
        // `/s/{token}`: a share link's page, for anyone holding the link.
        Access::Public
    } else {
        // Unknown paths render the 404 page, which is public; anything private is listed above.
        Access::Public
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_map_to_the_contract_levels() {
        assert_eq!(access_for("/"), Access::Public);
        assert_eq!(access_for("/legal/terms"), Access::Public);
        assert_eq!(access_for("/forgot-password"), Access::Public);
        assert_eq!(access_for("/reset-password"), Access::Public);
        assert_eq!(access_for("/dashboard"), Access::SignedIn);
        assert_eq!(access_for("/videos/abc"), Access::SignedIn);
        assert_eq!(access_for("/api/v1/jobs"), Access::SignedIn);
        assert_eq!(access_for("/admin"), Access::Admin);
        assert_eq!(access_for("/admin/users/"), Access::Admin);
        assert_eq!(access_for("/api/v1/admin/users"), Access::Admin);
        assert_eq!(access_for("/premium/batch-processing"), Access::Premium);
        assert_eq!(access_for("/api/files/secure/f1"), Access::Signature);
        assert_eq!(access_for("/api/webhooks/clerk"), Access::Webhook);
        assert_eq!(access_for("/s/abc"), Access::Public);
    }

    #[test]
    fn lookalike_prefixes_are_not_confused() {
        assert_eq!(access_for("/administrator"), Access::Public);
        assert_eq!(access_for("/jobsearch"), Access::Public);
    }
}
