//! How every page shows a failure, whichever way it arrived (a server function called from the browser, or a
//! plain form post answered with a redirect): one `ApiError`, one notice.

use crate::error::ApiError;
use leptos::prelude::*;

/// Words for an error: the server's own sentence, except for the codes a person needs said differently.
pub fn describe(err: &ApiError) -> String {
    match err.code.as_str() {
        "rate_limited" => {
            let wait = err
                .details
                .get("retry_after")
                .and_then(serde_json::Value::as_u64)
                .unwrap_or(60);
            format!(
                "You've reached your hourly limit. Try again in {} minutes.",
                wait.div_ceil(60)
            )
        }
        "forbidden" if err.detail_str("required_tier") == Some("premium") => {
            "That needs the premium plan.".into()
        }
        "network_error" => "Could not reach T2M. Check your connection and try again.".into(),
        _ if err.is_unauthenticated() => {
            "Your session has ended. Sign in again to continue.".into()
        }
        _ => err.error.clone(),
    }
}

/// The notice for one error; `testid` names it for tests.
#[component]
pub fn ErrorNotice(
    #[prop(into)] error: ApiError,
    #[prop(optional)] testid: Option<&'static str>,
) -> impl IntoView {
    view! {
        <p class="notice notice-error" role="alert" data-testid=testid data-code=error.code.clone()>
            {describe(&error)}
        </p>
    }
}

#[cfg(test)]
mod tests {
    use super::describe;
    use crate::error::ApiError;

    #[test]
    fn codes_people_meet_are_put_in_words() {
        let mut limited = ApiError::new("rate_limited", "Too many requests");
        limited.details.insert("retry_after".into(), 125.into());
        assert_eq!(
            describe(&limited),
            "You've reached your hourly limit. Try again in 3 minutes."
        );
        let mut premium = ApiError::new("forbidden", "Forbidden");
        premium
            .details
            .insert("required_tier".into(), "premium".into());
        assert_eq!(describe(&premium), "That needs the premium plan.");
        let mut expired = ApiError::new("token_expired", "Token has expired");
        expired
            .details
            .insert("requires_refresh".into(), true.into());
        assert!(describe(&expired).contains("Sign in again"));
        assert_eq!(
            describe(&ApiError::new("not_found", "No such job.")),
            "No such job."
        );
    }
}
