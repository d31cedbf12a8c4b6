//! The connection loop, on hyper-util rather than `axum::serve`, for what that lacks: a client must finish its
//! request headers within `T2M_HEADER_READ_TIMEOUT_SECS` (a slowloris cannot hold sockets), at most
//! `T2M_MAX_CONNECTIONS` sockets are served at once (the rest wait in the kernel's backlog), every request
//! carries its peer address as `ConnectInfo<SocketAddr>`, and shutdown lets in-flight requests finish.

use app::services::config::abuse::AbuseConfig;
use axum::extract::ConnectInfo;
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto::Builder;
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::{Notify, Semaphore};
use tokio_util::sync::CancellationToken;
use tower::ServiceExt;

/// Serves `app` on `listener` until `shutdown` is cancelled, then waits for open connections to finish
/// their requests.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: &AbuseConfig,
    shutdown: CancellationToken,
) {
    let mut builder = Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout);
    let slots = Arc::new(Semaphore::new(limits.max_connections));
    let graceful = GracefulShutdown::new();
    loop {
        // The slot is taken before accepting, so connections past the cap are not even accepted.
        let slot = tokio::select! {
            slot = Arc::clone(&slots).acquire_owned() => match slot {
                Ok(slot) => slot,
                Err(_) => break,
            },
            () = shutdown.cancelled() => break,
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(pair) => pair,
                Err(err) => {
                    pause_after_accept_error(&err).await;
                    continue;
                }
            },
            () = shutdown.cancelled() => break,
        };
        let _ = stream.set_nodelay(true);
        let first_request = Arc::new(Notify::new());
        let service = app.clone().map_request({
            let first_request = Arc::clone(&first_request);
            move |mut request: axum::http::Request<Incoming>| {
                first_request.notify_one();
                request.extensions_mut().insert(ConnectInfo(peer));
                request
            }
        });
        let connection = builder
            .serve_connection_with_upgrades(TokioIo::new(stream), TowerToHyperService::new(service))
            .into_owned();
        let connection = graceful.watch(connection);
        let header_timeout = limits.header_read_timeout;
        tokio::spawn(async move {
            let _slot = slot;
            let mut connection = std::pin::pin!(connection);
            // hyper times out partial headers over HTTP/1, but not a client that sends nothing at all (hyper-util
            // first waits to tell HTTP/1 from HTTP/2): the first request must arrive within the same time.
            tokio::select! {
                _ = &mut connection => return,
                waited = tokio::time::timeout(header_timeout, first_request.notified()) => {
                    if waited.is_err() {
                        tracing::debug!(%peer, "no request headers in time; closing");
                        return;
                    }
                }
            }
            if let Err(err) = connection.await {
                tracing::debug!(%peer, %err, "connection ended with an error");
            }
        });
    }
    drop(listener);
    graceful.shutdown().await;
}

/// Errors about one connection (reset before accept) are the client's; others (out of file descriptors) are
/// ours, and retrying at once would spin.
async fn pause_after_accept_error(err: &std::io::Error) {
    use std::io::ErrorKind::{ConnectionAborted, ConnectionRefused, ConnectionReset};
    if matches!(
        err.kind(),
        ConnectionRefused | ConnectionAborted | ConnectionReset
    ) {
        return;
    }
    tracing::error!(%err, "accepting a connection failed; pausing");
    tokio::time::sleep(Duration::from_secs(1)).await;
}
