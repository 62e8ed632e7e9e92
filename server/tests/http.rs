//! The whole router, driven without a socket: pages, health, metrics and the API's errors.

use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use commerce::db::{Db, DbSettings};
use http_body_util::BodyExt;
use server::{AppState, router};
use sqlx::PgPool;
use tower::ServiceExt;

struct Answer {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: String,
}

async fn get(app: &Router, uri: &str) -> Answer {
    let request = Request::get(uri).body(Body::empty()).unwrap_or_default();
    let response = app.clone().oneshot(request).await.unwrap_or_else(|e| match e {});
    let (parts, body) = response.into_parts();
    let bytes = body.collect().await.map(http_body_util::Collected::to_bytes).unwrap_or_default();
    Answer { status: parts.status, headers: parts.headers, body: String::from_utf8_lossy(&bytes).into_owned() }
}

async fn app_with_demo_data(db: PgPool) -> Router {
    commerce::demo::load(&db).await.unwrap_or_else(|e| panic!("demo data: {e}"));
    router(AppState::new(Db::from_pool(db), "target/site"))
}

/// A server whose database is not there: every connection attempt is refused.
fn app_without_database() -> Router {
    let settings = DbSettings {
        url: "postgres://nobody@127.0.0.1:9/nothing".into(),
        read_url: None,
        max_connections: 2,
        acquire_timeout: Duration::from_millis(500),
    };
    let db = Db::connect_lazy(&settings).unwrap_or_else(|e| panic!("{e}"));
    router(AppState::new(db, "target/site"))
}

#[sqlx::test(migrations = "../migrations")]
async fn a_storefront_page_is_rendered_from_the_database(db: PgPool) {
    let app = app_with_demo_data(db).await;
    let page = get(&app, "/store/ojafresh").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Oja Fresh Supermarket"));
    assert!(page.body.contains("14 Admiralty Way"));
    assert!(page.body.contains("/pkg/sc1.js"), "the page loads its script to hydrate");
}

#[sqlx::test(migrations = "../migrations")]
async fn every_surface_answers(db: PgPool) {
    let app = app_with_demo_data(db).await;
    for (path, text) in [
        ("/", "Demo businesses"),
        ("/admin", "Naija Gadget Market"),
        ("/vendor", "Naija Gadget Market"),
        ("/pos", "Lekki Phase 1"),
    ] {
        let page = get(&app, path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        assert!(page.body.contains(text), "{path} shows {text}");
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn unknown_addresses_get_the_friendly_404_page(db: PgPool) {
    let app = app_with_demo_data(db).await;
    for path in ["/store/no-such-shop", "/definitely/not/here"] {
        let page = get(&app, path).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{path}");
        assert!(
            page.body.contains("We couldn&#x27;t find that page") || page.body.contains("We couldn't find that page"),
            "{path}"
        );
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn health_and_readiness_answer_when_the_database_is_up(db: PgPool) {
    let app = app_with_demo_data(db).await;
    assert_eq!(get(&app, "/healthz").await.status, StatusCode::OK);
    assert_eq!(get(&app, "/readyz").await.status, StatusCode::OK);
}

#[tokio::test]
async fn without_a_database_the_server_is_alive_but_not_ready_and_pages_explain() {
    let app = app_without_database();
    assert_eq!(get(&app, "/healthz").await.status, StatusCode::OK);
    assert_eq!(get(&app, "/readyz").await.status, StatusCode::SERVICE_UNAVAILABLE);
    let page = get(&app, "/store/ojafresh").await;
    assert_eq!(page.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(
        page.body.contains("We can&#x27;t reach our records right now")
            || page.body.contains("We can't reach our records right now")
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn every_response_carries_a_request_id(db: PgPool) {
    let app = app_with_demo_data(db).await;
    let answer = get(&app, "/healthz").await;
    let id = answer.headers.get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or_default();
    assert_eq!(id.len(), 36, "a UUID: {id:?}");
}

#[sqlx::test(migrations = "../migrations")]
async fn metrics_count_requests_by_route_and_status(db: PgPool) {
    let app = app_with_demo_data(db).await;
    get(&app, "/store/ojafresh").await;
    let metrics = get(&app, "/metrics").await;
    assert_eq!(metrics.status, StatusCode::OK);
    assert!(
        metrics.body.contains(r#"http_requests_total{method="GET",route="/store/{slug}",status="200"}"#),
        "{}",
        metrics.body
    );
    assert!(metrics.body.contains("http_request_duration_seconds_bucket{"));
    assert!(metrics.body.contains(r#"db_pool_connections{state="open"}"#));
}

#[sqlx::test(migrations = "../migrations")]
async fn unknown_api_paths_answer_problem_json(db: PgPool) {
    let app = app_with_demo_data(db).await;
    let answer = get(&app, "/api/v1/no-such-thing").await;
    assert_eq!(answer.status, StatusCode::NOT_FOUND);
    assert_eq!(
        answer.headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()),
        Some("application/problem+json")
    );
    let problem: serde_json::Value = serde_json::from_str(&answer.body).unwrap_or_default();
    assert_eq!(problem["type"], "/problems/not-found");
    assert_eq!(problem["status"], 404);
}
