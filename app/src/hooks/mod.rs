//! Browser hooks: the Clerk session object, token refresh before expiry, inactivity sign-out, following jobs
//! live (server-sent events, with polling as the fallback) and uploads. They do their work in effects, which
//! run only in the browser. (Calls to the server go through server functions and their session-aware client,
//! `server_fns::client`.)

pub mod clerk;
pub mod event_source;
pub mod upload;
pub mod use_idle_sign_out;
pub mod use_job_feed;
pub mod use_job_poll;
pub mod use_token_refresh;
