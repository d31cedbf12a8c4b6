//! Browser hooks (token refresh, inactivity sign-out, job polling).
