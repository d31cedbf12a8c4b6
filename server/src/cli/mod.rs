//! The one binary's commands: with none it serves (what cargo-leptos and the spec run); `migrate`,
//! `create-admin` and `check-config` are admin tasks that exit when done.

pub mod check_config;

use crate::telemetry::{self, LogFormat};
use app::services::auth::local_idp::promote::{self, AdminOutcome};
use app::services::config::{Config, Mode};
use app::services::db::Db;
use clap::{Parser, Subcommand};

/// T2M: text-to-video web app (server, render workers, admin tasks).
#[derive(Debug, Parser)]
#[command(name = "t2m-server", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// An admin task; none means serve.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve HTTP (and render workers; `T2M_MODE=worker` runs workers only). The default.
    Serve,
    /// Apply pending database migrations, print each one applied, and exit.
    Migrate,
    /// Make an account of the built-in identity provider an admin, creating it if needed; a new account's
    /// password goes to `<T2M_DATA_DIR>/first-admin.txt`, never to the terminal.
    CreateAdmin {
        /// The account's email address.
        #[arg(long)]
        email: String,
    },
    /// Print the resolved settings with secrets redacted; exit 1 naming the variable of a bad one.
    CheckConfig,
}

/// Runs the command; the process' exit code.
pub async fn run(cli: Cli) -> i32 {
    let command = cli.command.unwrap_or(Command::Serve);
    // Serving keeps its exit code 2 for a bad setting (operators' scripts rely on it); admin tasks say 1.
    let bad_setting = if matches!(command, Command::Serve) {
        2
    } else {
        1
    };
    let log_format = match LogFormat::from_env() {
        Ok(format) => format,
        Err(err) => {
            eprintln!("t2m-server: configuration error: {err}");
            return bad_setting;
        }
    };
    if matches!(command, Command::Serve) {
        telemetry::init(log_format);
    } else {
        // Admin tasks print their own results on stdout; logs (warnings and worse) go to stderr.
        telemetry::init_for_command(log_format);
    }
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(err) => {
            // Configuration errors are for the operator: plain text, no backtrace noise.
            eprintln!("t2m-server: configuration error: {err}");
            return bad_setting;
        }
    };
    let outcome = match command {
        Command::Serve => serve(config).await,
        Command::Migrate => migrate(&config).await,
        Command::CreateAdmin { email } => create_admin(&config, &email).await,
        Command::CheckConfig => {
            print!("{}", check_config::report(&config, log_format));
            Ok(())
        }
    };
    match outcome {
        Ok(()) => 0,
        Err(err) => {
            eprintln!("t2m-server: {err:#}");
            1
        }
    }
}

async fn serve(config: Config) -> anyhow::Result<()> {
    if config.mode == Mode::Worker {
        return crate::startup::run_worker_only(config).await;
    }
    let application = crate::startup::Application::build(config).await?;
    application.run_until_stopped().await
}

async fn migrate(config: &Config) -> anyhow::Result<()> {
    crate::startup::prepare_data_dir(config)?;
    let (_db, applied) = Db::connect_reporting(&config.database_url).await?;
    if applied.is_empty() {
        println!("t2m-server: the database is up to date; no migration applied");
    }
    for migration in &applied {
        println!("applied {migration}");
    }
    Ok(())
}

async fn create_admin(config: &Config, email: &str) -> anyhow::Result<()> {
    if !config.uses_local_identity() {
        anyhow::bail!(
            "create-admin manages accounts of the built-in identity provider, but CLERK_ISSUER is set: \
             Clerk owns the accounts. Make the user an admin in Clerk's dashboard (public metadata \
             role: admin), or promote them at /admin/users"
        );
    }
    crate::startup::prepare_data_dir(config)?;
    let db = Db::connect(&config.database_url).await?;
    match promote::create_or_promote(&db, &config.data_dir, email).await? {
        AdminOutcome::Created { credentials_file } => println!(
            "created admin {email}; its password is in {} (readable by this user only)",
            credentials_file.display()
        ),
        AdminOutcome::Promoted => println!("{email} is now an admin"),
        AdminOutcome::AlreadyAdmin => println!("{email} was already an admin; nothing changed"),
    }
    Ok(())
}
