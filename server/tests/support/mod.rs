//! What the REST tests share: the router on a business of the test's own, API clients with
//! chosen scopes, tokens, requests, and the domain tests' builders of data.

#![allow(dead_code, reason = "each test file uses its own part of the helpers")]

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use commerce::base::Actor;
use commerce::db::Db;
use http_body_util::BodyExt;
use serde_json::Value;
use server::{AppState, router};
use sqlx::PgPool;
use tower::ServiceExt;

/// The builders of test data the domain's tests use, shared.
#[path = "../../../tests/support/mod.rs"]
pub mod builders;

/// The router, and the business it is tried on: Oja Fresh Supermarket with its two shops
/// (see [`builders::Business::supermarket`]).
pub async fn app(owner: PgPool) -> (Router, builders::Business) {
    let shop = builders::Business::supermarket(&owner).await;
    (router_on(&shop.db), shop)
}

/// The router on these connections.
pub fn router_on(db: &PgPool) -> Router {
    router(AppState::new(Db::from_pool(db.clone()), "target/site", "http://127.0.0.1:3000"))
}

pub async fn call(app: &Router, request: Request<Body>) -> (StatusCode, axum::http::HeaderMap, Value) {
    let response = app.clone().oneshot(request).await.unwrap();
    let (parts, body) = response.into_parts();
    let bytes = body.collect().await.unwrap().to_bytes();
    (parts.status, parts.headers, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
}

/// An API client of the business with these scopes, made by its owner; answers (client id,
/// secret).
pub async fn client(business: &builders::Business, scopes: &[&str]) -> (String, String) {
    client_of(&business.db, &business.owner, scopes).await
}

/// An API client made by this owner, with these scopes; answers (client id, secret).
pub async fn client_of(db: &PgPool, owner: &Actor, scopes: &[&str]) -> (String, String) {
    let scopes: Vec<String> = scopes.iter().map(|s| (*s).to_owned()).collect();
    let made = commerce::identity::api_client::create(db, owner, "ERP", &scopes, None).await.unwrap().unwrap();
    (made.client_id, made.client_secret)
}

pub async fn token(app: &Router, id: &str, secret: &str) -> String {
    let (status, _, body) = call(
        app,
        Request::post("/api/v1/oauth/token")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(format!("grant_type=client_credentials&client_id={id}&client_secret={secret}")))
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["token_type"], "Bearer");
    body["access_token"].as_str().unwrap().to_owned()
}

pub fn get(path: &str, token: &str) -> Request<Body> {
    Request::get(path).header(header::AUTHORIZATION, format!("Bearer {token}")).body(Body::empty()).unwrap()
}

pub fn post_json(path: &str, token: &str, key: Option<&str>, body: &Value) -> Request<Body> {
    let mut request = Request::post(path)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/json");
    if let Some(key) = key {
        request = request.header("Idempotency-Key", key);
    }
    request.body(Body::from(body.to_string())).unwrap()
}

/// A request with a JSON body and a Bearer token.
pub fn send_json(method: &str, path: &str, token: &str, body: &Value) -> Request<Body> {
    Request::builder()
        .method(method)
        .uri(path)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .unwrap()
}
