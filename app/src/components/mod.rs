//! Reusable pieces of UI.

pub mod access;
pub mod error_notice;
pub mod job_status;
pub mod layout;
pub mod library_actions;
pub mod paging;
pub mod pricing_table;
pub mod session;
pub mod session_guard;
pub mod share_button;
pub mod share_links;
pub mod upload_form;
pub mod usage_meter;
pub mod user_menu;
pub mod video_actions;
pub mod video_player;
