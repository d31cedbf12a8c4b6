//! `t2m-server`: with no argument, reads configuration and serves HTTP (and runs render workers) until SIGTERM;
//! `migrate`, `create-admin` and `check-config` run an admin task and exit (see `cli`).

use clap::Parser;

// glibc's malloc gives each thread that allocates its own arena and rarely hands freed pages back, so a worker's
// RSS crept up render after render (a new drawing and encoding thread each time) until it settled far above its
// working set; mimalloc returns freed pages and keeps the soak's processes flat (README › Performance › Soak).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() {
    let cli = t2m_server::cli::Cli::parse();
    let code = t2m_server::cli::run(cli).await;
    std::process::exit(code);
}
