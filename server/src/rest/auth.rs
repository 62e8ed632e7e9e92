//! Who is calling the API: the Bearer token in `Authorization`.

use axum::extract::{FromRef, FromRequestParts};
use axum::http::header;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use commerce::base::Actor;

use super::Problem;
use crate::AppState;

/// The API client a request's Bearer token belongs to.
pub struct ApiActor(pub Actor);

impl<S> FromRequestParts<S> for ApiActor
where
    AppState: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let state = AppState::from_ref(state);
        let bearer = bearer(&parts.headers);
        let challenge = |detail: &str| {
            let problem = Problem::from(commerce::Error::Unauthorized(detail.to_owned()));
            ([(header::WWW_AUTHENTICATE, "Bearer realm=\"sc1\"")], problem).into_response()
        };
        let Some(bearer) = bearer else {
            return Err(challenge(
                "Send an access token: Authorization: Bearer <token> (see POST /api/v1/oauth/token).",
            ));
        };
        match state.tokens.resolve(state.db.primary(), bearer).await {
            Ok(Some(actor)) => Ok(Self(actor)),
            Ok(None) => Err(challenge("The access token is not valid or has expired.")),
            Err(error) => Err(Problem::from(error).into_response()),
        }
    }
}

/// The token an `Authorization: Bearer …` header carries, if it carries one.
pub fn bearer(headers: &axum::http::HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
        .map(str::trim)
        .filter(|t| !t.is_empty())
}
