//! `t2m-server`: reads configuration, then serves HTTP (and runs render workers) until SIGTERM.

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let log_format = match t2m_server::telemetry::LogFormat::from_env() {
        Ok(format) => format,
        Err(err) => {
            eprintln!("t2m-server: configuration error: {err}");
            std::process::exit(2);
        }
    };
    t2m_server::telemetry::init(log_format);
    let config = match app::services::config::Config::from_env() {
        Ok(config) => config,
        Err(err) => {
            // Configuration errors are for the operator: plain text, exit code 2, no backtrace noise.
            eprintln!("t2m-server: configuration error: {err}");
            std::process::exit(2);
        }
    };
    if config.mode == app::services::config::Mode::Worker {
        return t2m_server::startup::run_worker_only(config).await;
    }
    let application = t2m_server::startup::Application::build(config).await?;
    application.run_until_stopped().await
}
