//! Integration tests: the real server on a random port, real SQLite or PostgreSQL, real HTTP.

mod helpers;
mod tokens;

mod account;
mod assets;
mod auth;
mod batches;
mod csp;
mod data_permissions;
mod files;
mod health;
mod jobs;
mod library;
pub mod limits;
mod live;
mod observability;
mod ops;
mod pages;
mod shares;
mod slow_clients;
mod startup_refusals;
mod usage;
mod webhooks;
