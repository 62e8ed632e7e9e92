//! Prometheus metrics: request counts and latency by route and status, and the database pool.

use std::sync::OnceLock;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

use crate::AppState;

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

/// Counts and times every request; requests no route matched (static files, 404s) are grouped.
pub async fn record(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().to_string();
    let response = next.run(request).await;
    let route = response.extensions().get::<RouteLabel>().map_or_else(|| "(fallback)".to_owned(), |r| r.0.clone());
    let labels = [("method", method), ("route", route), ("status", response.status().as_u16().to_string())];
    metrics::counter!("http_requests_total", &labels).increment(1);
    metrics::histogram!("http_request_duration_seconds", &labels).record(started.elapsed().as_secs_f64());
    response
}

/// `/metrics`: everything recorded so far, plus the pool's current state.
pub async fn render(State(state): State<AppState>) -> impl IntoResponse {
    let (open, idle, max) = state.db.pool_state();
    metrics::gauge!("db_pool_connections", "state" => "open").set(f64::from(open));
    metrics::gauge!("db_pool_connections", "state" => "idle").set(f64::from(idle));
    metrics::gauge!("db_pool_connections", "state" => "in_use").set(f64::from(open.saturating_sub(idle)));
    metrics::gauge!("db_pool_max_connections").set(f64::from(max));
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], state.metrics.render())
}
