//! Browser hooks: the Clerk session object, the one API client with refresh-and-retry, token refresh before
//! expiry, inactivity sign-out and job polling. They do their work in effects, which run only in the browser.

pub mod api;
pub mod clerk;
pub mod upload;
pub mod use_idle_sign_out;
pub mod use_job_poll;
pub mod use_token_refresh;
