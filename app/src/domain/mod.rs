//! Types shared by the server and the browser: who the user is, which pages need what, jobs and files.

pub mod access;
pub mod account;
pub mod admin;
pub mod batch;
pub mod file;
pub mod job;
pub mod library;
pub mod session;
pub mod share;
pub mod user;
