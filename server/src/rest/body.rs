//! JSON request bodies and query strings whose mistakes come back as problem+json naming the
//! field.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::header;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;

use super::Problem;

/// A JSON body of type `T`, with the raw bytes kept for idempotency checks.
pub struct JsonBody<T> {
    /// The parsed body.
    pub value: T,
    /// The bytes as sent.
    pub bytes: Bytes,
}

impl<S, T> FromRequest<S> for JsonBody<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = Response;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_json = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json") || v.contains("+json"));
        if !is_json {
            return Err(
                Problem::bad_request("Send the body as JSON with Content-Type: application/json.").into_response()
            );
        }
        let bytes = Bytes::from_request(request, state)
            .await
            .map_err(|_| Problem::bad_request("The body could not be read.").into_response())?;
        let mut deserializer = serde_json::Deserializer::from_slice(&bytes);
        serde_path_to_error::deserialize::<_, T>(&mut deserializer)
            .map(|value| Self { value, bytes })
            .map_err(|error| field_problem(&error, "body"))
    }
}

/// The query string as `T`; a value of the wrong form is a 422 naming the parameter.
pub struct QueryOf<T>(pub T);

impl<S, T> FromRequestParts<S> for QueryOf<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let query = parts.uri.query().unwrap_or_default();
        let deserializer = serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
        serde_path_to_error::deserialize::<_, T>(deserializer).map(Self).map_err(|error| field_problem(&error, "query"))
    }
}

/// A problem naming the field a deserializer stumbled on (`whole` when it is the input itself).
fn field_problem<E: std::fmt::Display>(error: &serde_path_to_error::Error<E>, whole: &str) -> Response {
    let path = error.path().to_string();
    let message = error.inner().to_string();
    let message = message.split(" at line ").next().unwrap_or_default().to_owned();
    // A missing field is reported at the path of the object that lacks it, with its name only
    // in the message.
    let missing = message.strip_prefix("missing field `").and_then(|rest| rest.split('`').next());
    let field = match (path.as_str(), missing) {
        (".", Some(name)) => name.to_owned(),
        (path, Some(name)) => format!("{path}.{name}"),
        (".", None) => whole.to_owned(),
        (path, None) => path.to_owned(),
    };
    let message = if message.starts_with("missing field") { "is required".to_owned() } else { message };
    Problem::from(commerce::Error::invalid(field, message)).into_response()
}

/// A record's id from the path (`/…/{id}`); an id that is not a UUID is simply not found.
pub struct IdPath(pub uuid::Uuid);

/// Two ids in the path (`/products/{id}/images/{image_id}`); either not a UUID answers a 404.
pub struct IdsPath(pub uuid::Uuid, pub uuid::Uuid);

impl<S> FromRequestParts<S> for IdPath
where
    S: Send + Sync,
{
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match path_ids(parts, state).await.as_deref() {
            Some(&[id]) => Ok(Self(id)),
            _ => Err(record_not_found()),
        }
    }
}

impl<S> FromRequestParts<S> for IdsPath
where
    S: Send + Sync,
{
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match path_ids(parts, state).await.as_deref() {
            Some(&[first, second]) => Ok(Self(first, second)),
            _ => Err(record_not_found()),
        }
    }
}

/// The path's parameters as UUIDs, or none when one of them is not a UUID.
async fn path_ids<S: Send + Sync>(parts: &mut Parts, state: &S) -> Option<Vec<uuid::Uuid>> {
    let axum::extract::Path(texts) = axum::extract::Path::<Vec<String>>::from_request_parts(parts, state).await.ok()?;
    texts.iter().map(|text| uuid::Uuid::parse_str(text).ok()).collect()
}

fn record_not_found() -> Response {
    Problem::from(commerce::Error::not_found("record")).into_response()
}
