//! Keeps the process's resident memory flat across renders and sign-ups.
//!
//! A render allocates frame, YUV and encoder buffers of several megabytes, on threads that come and go. glibc
//! serves the first such buffers with `mmap` and returns them on free, but then raises its mmap threshold to the
//! largest size freed (up to 32 MiB): every later buffer comes from a per-thread arena, and arenas give memory
//! back only from their top; the soak saw a worker's RSS climb 10–26 MB over 120 renders and swing by 20 MB
//! between them. Fixing the threshold keeps big buffers on `mmap`; trimming after each job hands back what the
//! arenas still hold (the README's soak figures show the difference). A password hash is the same story with one
//! 19 MiB buffer per sign-in: a server that had just signed 1,000 people up sat at 466 MB until it restarted.
//! Other allocators and platforms need neither, so both are no-ops there.
//!
//! The only `unsafe` in T2M: no maintained crate wraps `mallopt`/`malloc_trim`, and both are plain C calls
//! with integer arguments.
#![allow(unsafe_code)]

/// Buffers at least this large are mapped and unmapped on their own instead of living in an arena: a 480p RGB
/// frame is 1.2 MB, an Argon2 hash's memory 19 MiB, the encoder's scratch buffers a few hundred KB, a font glyph
/// a few KB.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const MMAP_THRESHOLD_BYTES: libc::c_int = 256 * 1024;

/// Called once at process start; setting the threshold also stops glibc from moving it.
pub fn tune() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes allocator parameters; any value is accepted or refused with 0.
    unsafe {
        if libc::mallopt(libc::M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES) == 0 {
            tracing::warn!("the allocator refused a fixed mmap threshold; memory may drift after renders and sign-ins");
        }
    }
}

/// Called after each render: returns the arenas' free pages to the system.
pub fn release_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim walks the allocator's own free lists; it is safe to call at any time.
    unsafe {
        libc::malloc_trim(0);
    }
}
