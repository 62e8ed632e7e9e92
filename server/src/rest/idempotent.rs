//! The `Idempotency-Key` header: a create sent with one is done once, and a retry with the same
//! key and body gets the first result (marked `Idempotency-Replayed: true`). The key is claimed
//! and kept by the domain, in the transaction of the work (see `commerce::idempotency`).

use axum::http::{HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use commerce::idempotency::Once;
use commerce::identity::Actor;

use super::Problem;

/// The header that carries the key.
pub const HEADER: &str = "idempotency-key";

/// Answers `work`'s response, given the key this request carries for `route` (scoped to the API
/// client sending it), or none when it carries none.
pub async fn once(
    actor: &Actor,
    headers: &HeaderMap,
    route: &str,
    body: &[u8],
    work: impl AsyncFnOnce(Option<&Once>) -> Response,
) -> Response {
    let once = match key(actor, headers, route, body) {
        Ok(once) => once,
        Err(error) => return Problem::from(error).into_response(),
    };
    let mut response = work(once.as_ref()).await;
    if once.as_ref().is_some_and(Once::replayed) {
        response.headers_mut().insert("idempotency-replayed", HeaderValue::from_static("true"));
    }
    response
}

fn key(actor: &Actor, headers: &HeaderMap, route: &str, body: &[u8]) -> Result<Option<Once>, commerce::Error> {
    let Some(value) = headers.get(HEADER) else { return Ok(None) };
    let Actor::ApiClient { client, .. } = actor else { return Ok(None) };
    let key = value
        .to_str()
        .map_err(|_| commerce::Error::invalid("Idempotency-Key", "must be printable ASCII, 1 to 255 characters"))?;
    Once::new(client.to_string(), key, route, body).map(Some)
}
