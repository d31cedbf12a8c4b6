//! `t2m-server`: with no argument, reads configuration and serves HTTP (and runs render workers) until SIGTERM;
//! `migrate`, `create-admin` and `check-config` run an admin task and exit (see `cli`).

use clap::Parser;

#[tokio::main]
async fn main() {
    app::services::allocator::tune();
    let cli = t2m_server::cli::Cli::parse();
    let code = t2m_server::cli::run(cli).await;
    std::process::exit(code);
}
