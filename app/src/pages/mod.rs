//! One file per route.

pub mod about;
pub mod admin;
pub mod auth;
pub mod contact;
pub mod dashboard;
pub mod dashboard_activity;
pub mod files;
pub mod generate;
pub mod generate_result;
pub mod home;
pub mod jobs;
pub mod legal;
pub mod not_found;
pub mod onboarding;
pub mod premium;
pub mod pricing;
pub mod profile;
pub mod profile_account;
pub mod profile_delete;
pub mod shared_video;
pub mod video;
pub mod video_thumbnail;
pub mod videos;
