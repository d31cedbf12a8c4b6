//! The T2M HTTP server as a library, so integration tests run the very same app on a random port.

pub mod api;
pub mod cli;
pub mod cookies;
pub mod extract;
pub mod middleware;
pub mod observability;
pub mod redirects;
pub mod router;
pub mod routes;
pub mod serve;
pub mod startup;
pub mod telemetry;
