//! Structured logs through `tracing`; `RUST_LOG` picks the level, `T2M_LOG_FORMAT` the line format.

use tracing_subscriber::EnvFilter;

/// How each log line is written: human-readable text, or one JSON object per line for log shippers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

/// `T2M_LOG_FORMAT` holds something other than `text` or `json`.
#[derive(Debug, thiserror::Error)]
#[error("T2M_LOG_FORMAT must be `text` or `json` (got {0:?}); unset it for text")]
pub struct BadLogFormat(String);

impl LogFormat {
    /// Reads `T2M_LOG_FORMAT`; unset or empty means text.
    pub fn from_env() -> Result<Self, BadLogFormat> {
        match std::env::var("T2M_LOG_FORMAT").unwrap_or_default().trim() {
            "" | "text" => Ok(Self::Text),
            "json" => Ok(Self::Json),
            other => Err(BadLogFormat(other.to_owned())),
        }
    }
}

/// Installs the global subscriber once; later calls (tests) are ignored.
pub fn init(format: LogFormat) {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false);
    let _ = match format {
        LogFormat::Text => builder
            .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stdout()))
            .try_init(),
        // Spans' fields go into each line so a shipper can filter on them without parsing text.
        LogFormat::Json => builder
            .json()
            .with_current_span(true)
            .with_span_list(false)
            .try_init(),
    };
}

/// For admin commands: stdout is their result, so log lines (warnings and worse unless `RUST_LOG` says
/// otherwise) go to stderr.
pub fn init_for_command(format: LogFormat) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        .with_writer(std::io::stderr);
    let _ = match format {
        LogFormat::Text => builder.with_ansi(false).try_init(),
        LogFormat::Json => builder.json().try_init(),
    };
}
