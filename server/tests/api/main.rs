//! Integration tests: the real server on a random port, real SQLite or PostgreSQL, real HTTP.

mod helpers;
mod tokens;

mod auth;
mod files;
mod health;
mod jobs;
pub mod limits;
mod pages;
mod slow_clients;
mod webhooks;
