//! The `Idempotency-Key` header: a create sent with one is done once, and a retry with the same
//! key and body gets the first result (marked `Idempotency-Replayed: true`). The key is claimed
//! and kept by the domain, in the transaction of the work (see `commerce::idempotency`).

use std::convert::Infallible;

use axum::extract::{FromRequestParts, OriginalUri};
use axum::http::HeaderValue;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use commerce::base::Actor;
use commerce::idempotency::Once;

use super::Problem;

/// The header that carries the key.
pub const HEADER: &str = "idempotency-key";

/// The key a request carries, if any, and what the request is (its method and path, as the
/// client sent them), which the key's fingerprint includes: a handler never names its route.
pub struct Keyed {
    key: Option<HeaderValue>,
    request: String,
}

impl<S: Send + Sync> FromRequestParts<S> for Keyed {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        // Below a nested router the URI lacks its prefix; the original one has it.
        let path = parts.extensions.get::<OriginalUri>().map_or_else(|| parts.uri.path(), |uri| uri.0.path());
        Ok(Self { key: parts.headers.get(HEADER).cloned(), request: format!("{} {path}", parts.method) })
    }
}

impl Keyed {
    /// Answers `work`'s result, run with this request's key (scoped to the API client sending
    /// it) and `body` in its fingerprint, or with none when the request carries no key.
    pub async fn run<T: IntoResponse>(
        self,
        actor: &Actor,
        body: &[u8],
        work: impl AsyncFnOnce(Option<&Once>) -> Result<T, Problem>,
    ) -> Result<Response, Problem> {
        let once = self.once(actor, body)?;
        let mut response = work(once.as_ref()).await?.into_response();
        if once.as_ref().is_some_and(Once::replayed) {
            response.headers_mut().insert("idempotency-replayed", HeaderValue::from_static("true"));
        }
        Ok(response)
    }

    fn once(&self, actor: &Actor, body: &[u8]) -> Result<Option<Once>, commerce::Error> {
        let Some(value) = &self.key else { return Ok(None) };
        let Actor::ApiClient { client, .. } = actor else { return Ok(None) };
        let key = value
            .to_str()
            .map_err(|_| commerce::Error::invalid("Idempotency-Key", "must be printable ASCII, 1 to 255 characters"))?;
        Once::new(client.to_string(), key, &self.request, body).map(Some)
    }
}
