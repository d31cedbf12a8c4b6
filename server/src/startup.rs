//! Builds the application from a `Config`: database, keys, storage, router, listener, render workers; then
//! serves until shutdown.

use crate::router;
use anyhow::Context;
use app::services::config::{Config, Environment};
use app::services::db::Db;
use app::services::{jobs, render, AppState, Handles};
use leptos::config::{Env, LeptosOptions};
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

/// A bound, ready-to-run server.
pub struct Application {
    listener: TcpListener,
    state: AppState,
    shutdown: CancellationToken,
}

impl Application {
    /// Binds the listen address (port 0 picks a free port), then opens everything the app needs.
    ///
    /// # Errors
    /// When the address cannot be bound or the state cannot be built.
    pub async fn build(mut config: Config) -> anyhow::Result<Self> {
        let listener = TcpListener::bind(config.listen_addr)
            .await
            .with_context(|| format!("binding LEPTOS_SITE_ADDR {}", config.listen_addr))?;
        let addr = listener.local_addr()?;
        config.bound_to(addr);
        let state = build_state(config, addr).await?;
        Ok(Self {
            listener,
            state,
            shutdown: CancellationToken::new(),
        })
    }

    /// The address actually bound.
    ///
    /// # Errors
    /// If the socket was closed.
    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// The shared state, for tests that inspect the database directly.
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// A token that stops the server when cancelled (tests use it; SIGTERM and Ctrl-C do the same).
    pub fn shutdown_token(&self) -> CancellationToken {
        self.shutdown.clone()
    }

    /// Serves (and runs `T2M_WORKERS` render workers) until SIGTERM/Ctrl-C or the shutdown token, letting
    /// in-flight requests finish and returning in-flight renders to the queue.
    ///
    /// # Errors
    /// When the server fails.
    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        let addr = self.listener.local_addr()?;
        let app = router::build(self.state.clone());
        tracing::info!("T2M listening on http://{addr}");
        let shutdown = self.shutdown.clone();
        tokio::spawn(watch_signals(shutdown.clone()));
        let workers = (self.state.config.workers > 0).then(|| {
            let renderer = render::from_config(self.state.config.render_command.as_deref());
            tokio::spawn(jobs::worker::run_workers(
                self.state.clone(),
                renderer,
                self.state.config.workers,
                shutdown.clone(),
            ))
        });
        // Live streams follow other machines' job changes, and end at shutdown so it need not wait for them.
        tokio::spawn(jobs::events::listen(self.state.clone(), shutdown.clone()));
        // The built-in provider's webhooks, pending ones included from before a restart.
        tokio::spawn(app::services::auth::local_idp::outbox::deliver::run(
            self.state.clone(),
            shutdown.clone(),
        ));
        let job_events = self.state.job_events.clone();
        let closing = shutdown.clone();
        tokio::spawn(async move {
            closing.cancelled().await;
            job_events.close();
        });
        let limits = self.state.config.abuse.clone();
        crate::serve::serve(self.listener, app, &limits, shutdown).await;
        if let Some(workers) = workers {
            let _ = workers.await;
        }
        tracing::info!("T2M stopped");
        Ok(())
    }
}

/// Runs render workers alone (`T2M_MODE=worker`), for scale-out on PostgreSQL.
///
/// # Errors
/// When the state cannot be built.
pub async fn run_worker_only(config: Config) -> anyhow::Result<()> {
    let addr = config.listen_addr;
    let probes = match config.ops.worker_http_addr {
        Some(at) => Some(
            TcpListener::bind(at)
                .await
                .with_context(|| format!("binding T2M_WORKER_HTTP_ADDR {at}"))?,
        ),
        None => None,
    };
    let state = build_state(config, addr).await?;
    let shutdown = CancellationToken::new();
    tokio::spawn(watch_signals(shutdown.clone()));
    let probes = match probes {
        Some(listener) => {
            tracing::info!("T2M worker probes on http://{}", listener.local_addr()?);
            let app = router::worker_probes(state.clone());
            let limits = state.config.abuse.clone();
            let stop = shutdown.clone();
            Some(tokio::spawn(async move {
                crate::serve::serve(listener, app, &limits, stop).await;
            }))
        }
        None => None,
    };
    let renderer = render::from_config(state.config.render_command.as_deref());
    let workers = state.config.workers.max(1);
    tracing::info!(workers, "T2M worker mode");
    jobs::worker::run_workers(state, renderer, workers, shutdown).await;
    if let Some(probes) = probes {
        let _ = probes.await;
    }
    Ok(())
}

/// Opens the database, keys and storage shared by the HTTP server and the workers.
///
/// # Errors
/// When the database, keys or storage cannot be opened.
pub async fn build_state(config: Config, site_addr: SocketAddr) -> anyhow::Result<AppState> {
    if config.dev_mode {
        tracing::warn!("DEV_MODE=true: every request is treated as dev_user (admin, premium); never use this in production");
    }
    prepare_data_dir(&config)?;
    let db = Db::connect(&config.database_url).await?;
    let leptos_options = LeptosOptions::builder()
        // cargo-leptos bakes the name in at build time; plain `cargo test` builds fall back to the same name.
        .output_name(option_env!("LEPTOS_OUTPUT_NAME").unwrap_or("t2m"))
        .site_root(config.site_root.clone())
        .site_pkg_dir("pkg")
        .env(if config.environment == Environment::Production {
            Env::PROD
        } else {
            Env::DEV
        })
        .site_addr(site_addr)
        .build();
    let (verifier, local_keys) = app::services::auth::build(&config)?;
    let store =
        app::services::files::Storage::open(&config.data_dir.join("files"), config.s3.as_ref())?;
    let signer = app::services::files::UrlSigner::from_config(&config)?;
    let limiter = app::services::limits::Limiter::from_config(&config)?;
    let sign_in_guard = app::services::auth::local_idp::guard::SignInGuard::from_config(&config)?;
    let mailer = app::services::mail::Mailer::from_config(&config.mail, &config.data_dir)?;
    // The built-in provider's Backend API answers only to its own secret key.
    let local_backend_key = if local_keys.is_some() {
        Some(Arc::new(
            app::services::auth::local_idp::BackendKey::load_or_create(&config.data_dir)?,
        ))
    } else {
        None
    };
    let local_webhooks = if local_keys.is_some() {
        app::services::auth::local_idp::outbox::LocalWebhooks::open(
            &config.local_webhooks,
            &config.data_dir,
        )?
        .map(Arc::new)
    } else {
        None
    };
    let clerk_backend =
        app::services::users::clerk_api::ClerkBackend::from_config(&config)?.map(Arc::new);
    let state = AppState::new(Handles {
        config: Arc::new(config),
        db,
        verifier: Arc::new(verifier),
        local_keys,
        local_backend_key,
        local_webhooks,
        clerk_backend,
        store,
        signer: Arc::new(signer),
        limiter: Arc::new(limiter),
        sign_in_guard: Arc::new(sign_in_guard),
        mailer,
        job_signal: Arc::new(tokio::sync::Notify::new()),
        job_events: jobs::events::JobEvents::new(),
        leptos_options,
    });
    if let Some(admin) = app::services::auth::local_idp::account::seed_admin(&state).await? {
        tracing::info!(
            email = %admin.email,
            password_in = %admin.credentials_file.display(),
            "first start: created an admin account; its password is in a file only this user can read"
        );
    }
    Ok(state)
}

/// Creates the data directory, owner-only: keys, the database and every user's files live there.
///
/// # Errors
/// When it cannot be created or restricted.
pub fn prepare_data_dir(config: &Config) -> anyhow::Result<()> {
    std::fs::create_dir_all(&config.data_dir)
        .with_context(|| format!("creating T2M_DATA_DIR {}", config.data_dir.display()))?;
    app::services::key_file::restrict_mode(&config.data_dir, 0o700).with_context(|| {
        format!(
            "setting mode 0700 on T2M_DATA_DIR {}",
            config.data_dir.display()
        )
    })
}

async fn watch_signals(shutdown: CancellationToken) {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(err) => {
                tracing::error!(%err, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutdown signal received; finishing in-flight requests");
    shutdown.cancel();
}
