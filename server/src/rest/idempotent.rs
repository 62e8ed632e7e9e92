//! Runs a create once per `Idempotency-Key`: the first answer is stored and replayed to retries.

use std::future::Future;

use axum::body::{Body, to_bytes};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use commerce::idempotency::{self, Claim};
use commerce::identity::Actor;

use super::Problem;
use crate::AppState;

/// The header that carries the key.
pub const HEADER: &str = "idempotency-key";

/// Answers `work`'s response, or the stored answer of an earlier request with the same key.
pub async fn once<F, Fut>(
    state: &AppState,
    actor: &Actor,
    headers: &HeaderMap,
    route: &str,
    body: &[u8],
    work: F,
) -> Response
where
    F: FnOnce() -> Fut,
    Fut: Future<Output = Response>,
{
    let Some(key) = headers.get(HEADER).and_then(|v| v.to_str().ok()).map(str::to_owned) else {
        return work().await;
    };
    let (Some(tenant), Actor::ApiClient { client, .. }) = (actor.tenant(), actor) else {
        return work().await;
    };
    let client = client.to_string();
    let db = state.db.primary();
    match idempotency::claim(db, tenant, &client, &key, &idempotency::fingerprint(route, body)).await {
        Err(error) => Problem::from(error).into_response(),
        Ok(Claim::Replay { status, body }) => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
            let kind = if status.is_success() { "application/json" } else { "application/problem+json" };
            let mut response = (status, [(header::CONTENT_TYPE, kind)], body).into_response();
            response.headers_mut().insert("idempotency-replayed", HeaderValue::from_static("true"));
            response
        }
        Ok(Claim::Fresh) => {
            let response = work().await;
            let (parts, body) = response.into_parts();
            let bytes = to_bytes(body, 4 * 1024 * 1024).await.unwrap_or_default();
            let stored = if parts.status.is_server_error() {
                idempotency::release(db, tenant, &client, &key).await
            } else {
                idempotency::complete(db, tenant, &client, &key, parts.status.as_u16(), &bytes).await
            };
            if let Err(error) = stored {
                tracing::error!(%error, "could not store the answer for an idempotency key");
            }
            Response::from_parts(parts, Body::from(bytes))
        }
    }
}
