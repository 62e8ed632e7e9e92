//! Logging: `tracing` to standard error, as text or JSON, with each request's id on every line
//! logged while serving it.

use axum::http::Request;
use tower_http::request_id::RequestId;
use tracing::Span;
use tracing_subscriber::EnvFilter;

use crate::config::{LogFormat, LogSettings};

/// Installs the global subscriber. An unreadable filter falls back to `info` with a warning.
pub fn init(settings: &LogSettings) {
    let (filter, bad_filter) = match EnvFilter::try_new(&settings.log_level) {
        Ok(filter) => (filter, None),
        Err(error) => (EnvFilter::new("info"), Some(error)),
    };
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    let installed = match settings.log_format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder.json().with_current_span(true).with_span_list(false).try_init(),
    };
    if installed.is_ok()
        && let Some(error) = bad_filter
    {
        tracing::warn!(%error, filter = settings.log_level, "unreadable LOG_LEVEL; logging at info");
    }
}

/// The span every request is served in: its id, method and path. It is made at the error level
/// so that it stays enabled whatever `LOG_LEVEL` keeps: a warning logged at `LOG_LEVEL=warn` still
/// carries its request id.
pub fn request_span<B>(request: &Request<B>) -> Span {
    let id = request.extensions().get::<RequestId>().and_then(|id| id.header_value().to_str().ok()).unwrap_or("-");
    tracing::error_span!("request", request_id = %id, method = %request.method(), path = %request.uri().path())
}
