//! `/api/v1/admin/**`: role `admin` only.

pub mod users;
