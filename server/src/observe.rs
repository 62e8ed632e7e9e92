//! Prometheus metrics: request counts and latency by route and status, and the database pool.
//!
//! Every label takes few values (route templates, known methods, status codes), so the series
//! stay few however requests are made up. The figures are for the operator only: they are served
//! on a listen address of their own (`METRICS_ADDR`), or on the main one to a scraper that shows
//! the metrics token (`METRICS_TOKEN`), and to nobody else.

use std::sync::{Arc, OnceLock};
use std::time::Instant;

use axum::Router;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use sha2::{Digest, Sha256};

use crate::AppState;

/// Who may read the metrics.
#[derive(Clone, Debug, Default)]
pub struct MetricsAccess {
    /// The token a scraper must show (`Authorization: Bearer …`); kept as its SHA-256, so the
    /// comparison takes the same time whatever the token offered.
    token_hash: Option<Arc<[u8; 32]>>,
}

impl MetricsAccess {
    /// Access for scrapers that show this token; with `None` (or an empty token) nobody may read
    /// the metrics through the main address.
    pub fn with_token(token: Option<&str>) -> Self {
        let token_hash = token.map(str::trim).filter(|t| !t.is_empty()).map(|t| Arc::new(digest(t)));
        Self { token_hash }
    }

    /// Whether this request shows the token.
    fn admits(&self, headers: &HeaderMap) -> bool {
        let Some(expected) = self.token_hash.as_deref() else { return false };
        let offered = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split_once(' '))
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
            .map_or("", |(_, token)| token.trim());
        // Both sides are hashes of the same length: every byte is compared, whatever differs.
        digest(offered).iter().zip(expected).fold(0u8, |diff, (a, b)| diff | (a ^ b)) == 0
    }
}

fn digest(text: &str) -> [u8; 32] {
    Sha256::digest(text.as_bytes()).into()
}

/// Latency buckets in seconds, from a cached page to a slow report.
const LATENCY_BUCKETS: &[f64] = &[0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];

/// The process-wide recorder; installed once, shared by every router built in this process.
pub fn recorder() -> PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            let builder = PrometheusBuilder::new()
                .set_buckets_for_metric(Matcher::Full("http_request_duration_seconds".into()), LATENCY_BUCKETS)
                .unwrap_or_else(|_| PrometheusBuilder::new());
            let recorder = builder.build_recorder();
            let handle = recorder.handle();
            // Fails only when another recorder is installed already; this one then stays local.
            let _ = metrics::set_global_recorder(recorder);
            handle
        })
        .clone()
}

/// The route template a request matched, carried from the router to the outer middleware.
#[derive(Clone)]
struct RouteLabel(String);

/// Runs inside the router, where the matched route is known, and hands it outwards.
pub async fn label_route(request: Request, next: Next) -> Response {
    let route = request.extensions().get::<MatchedPath>().map(|p| p.as_str().to_owned());
    let mut response = next.run(request).await;
    if let Some(route) = route {
        response.extensions_mut().insert(RouteLabel(route));
    }
    response
}

/// Counts and times every request; requests no route matched (static files, 404s) are grouped,
/// and so are methods HTTP does not define (`OTHER`), which anyone could make up by the thousand.
pub async fn record(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = method_label(request.method()).to_owned();
    let response = next.run(request).await;
    let route = response.extensions().get::<RouteLabel>().map_or_else(|| "(fallback)".to_owned(), |r| r.0.clone());
    let labels = [("method", method), ("route", route), ("status", response.status().as_u16().to_string())];
    metrics::counter!("http_requests_total", &labels).increment(1);
    metrics::histogram!("http_request_duration_seconds", &labels).record(started.elapsed().as_secs_f64());
    response
}

/// The method as a label: one of HTTP's own, or `OTHER`.
fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::DELETE => "DELETE",
        Method::PATCH => "PATCH",
        Method::OPTIONS => "OPTIONS",
        Method::CONNECT => "CONNECT",
        Method::TRACE => "TRACE",
        _ => "OTHER",
    }
}

/// `/metrics` on the main address: only to a scraper that shows the metrics token. Without a
/// token configured the address answers as if there were nothing here.
pub async fn render_to_scraper(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if state.metrics_access.token_hash.is_none() {
        return StatusCode::NOT_FOUND.into_response();
    }
    if !state.metrics_access.admits(&headers) {
        return ask_for_token();
    }
    render(&state).into_response()
}

/// The router of the metrics address (`METRICS_ADDR`): `/metrics` and nothing else. That address
/// is meant for the operator's network; when a token is configured it is asked for here too.
pub fn metrics_router(state: AppState) -> Router {
    let serve = |State(state): State<AppState>, headers: HeaderMap| async move {
        if state.metrics_access.token_hash.is_some() && !state.metrics_access.admits(&headers) {
            return ask_for_token();
        }
        render(&state).into_response()
    };
    Router::new().route("/metrics", get(serve)).with_state(state)
}

fn ask_for_token() -> Response {
    (StatusCode::UNAUTHORIZED, [(header::WWW_AUTHENTICATE, "Bearer")], "Show the metrics token.").into_response()
}

/// Everything recorded so far, plus the pool's current state.
fn render(state: &AppState) -> impl IntoResponse + use<> {
    let (open, idle, max) = state.db.pool_state();
    metrics::gauge!("db_pool_connections", "state" => "open").set(f64::from(open));
    metrics::gauge!("db_pool_connections", "state" => "idle").set(f64::from(idle));
    metrics::gauge!("db_pool_connections", "state" => "in_use").set(f64::from(open.saturating_sub(idle)));
    metrics::gauge!("db_pool_max_connections").set(f64::from(max));
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], state.metrics.render())
}
