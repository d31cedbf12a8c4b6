//! Operator-facing settings: who may scrape `/metrics`, and where a worker process answers probes.

use super::{ConfigError, Environment, Vars};
use secrecy::SecretString;
use std::net::SocketAddr;

/// Metrics and worker-probe settings.
#[derive(Debug, Clone)]
pub struct OpsConfig {
    /// `T2M_METRICS_TOKEN`: when set, `/metrics` answers only `Authorization: Bearer <token>`.
    pub metrics_token: Option<SecretString>,
    /// `T2M_WORKER_HTTP_ADDR`: where a `T2M_MODE=worker` process serves `/metrics`, `/livez` and `/readyz`.
    pub worker_http_addr: Option<SocketAddr>,
}

impl OpsConfig {
    /// Without a token in production `/metrics` is public: that is allowed (many deployments keep it off the
    /// public proxy and scrape each machine directly), but said loudly, since route counts and queue depth are
    /// nobody else's business.
    pub(super) fn from_vars<F: Fn(&str) -> Option<String>>(
        vars: &Vars<F>,
        environment: Environment,
    ) -> Result<Self, ConfigError> {
        let metrics_token = vars.get("T2M_METRICS_TOKEN");
        if metrics_token.is_none() && environment == Environment::Production {
            tracing::warn!(
                "T2M_METRICS_TOKEN is unset: /metrics is public; set it or block /metrics at the proxy"
            );
        }
        let worker_http_addr = match vars.get("T2M_WORKER_HTTP_ADDR") {
            None => None,
            Some(raw) => Some(raw.parse().map_err(|e| ConfigError::Invalid {
                var: "T2M_WORKER_HTTP_ADDR",
                reason: format!("{raw:?}: {e}; expected e.g. 127.0.0.1:9100"),
            })?),
        };
        Ok(Self {
            metrics_token: metrics_token.map(SecretString::from),
            worker_http_addr,
        })
    }
}
