//! JSON request bodies and query strings whose mistakes come back as problem+json naming the
//! field. Text holding a NUL character is one such mistake: nothing the suite keeps may hold
//! one, so it is refused here, by the name of its field, before any handler sees it.

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
        let bytes = Bytes::from_request(request, state).await.map_err(|rejection| {
            if rejection.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                let mut problem = Problem::bad_request("The body is larger than this endpoint accepts.");
                (problem.kind, problem.title, problem.status) = ("/problems/too-large", "Payload too large", 413);
                problem.into_response()
            } else {
                Problem::bad_request("The body could not be read.").into_response()
            }
        })?;
        let mut deserializer = serde_json::Deserializer::from_slice(&bytes);
        let value = serde_path_to_error::deserialize::<_, T>(&mut deserializer)
            .map_err(|error| field_problem(&error, "body"))?;
        // JSON can carry a NUL only escaped; the bytes are searched first, so that an ordinary
        // body is not parsed twice.
        if bytes.windows(6).any(|w| w == br"\u0000")
            && let Ok(parsed) = serde_json::from_slice::<serde_json::Value>(&bytes)
            && let Some(field) = nul_in(&parsed, "")
        {
            return Err(nul_problem(if field.is_empty() { "body" } else { &field }));
        }
        Ok(Self { value, bytes })
    }
}

/// The path (`items[1].sku`) of the first string in `value` holding a NUL, keys included;
/// empty when it is `value` itself.
fn nul_in(value: &serde_json::Value, path: &str) -> Option<String> {
    match value {
        serde_json::Value::String(text) => text.contains('\0').then(|| path.to_owned()),
        serde_json::Value::Array(items) => {
            items.iter().enumerate().find_map(|(i, item)| nul_in(item, &format!("{path}[{i}]")))
        }
        serde_json::Value::Object(fields) => fields.iter().find_map(|(key, item)| {
            let inner = if path.is_empty() { key.clone() } else { format!("{path}.{key}") };
            if key.contains('\0') { Some(inner) } else { nul_in(item, &inner) }
        }),
        _ => None,
    }
}

fn nul_problem(field: &str) -> Response {
    Problem::from(commerce::Error::invalid(field, commerce::base::error::NUL_MESSAGE)).into_response()
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
        if let Some((name, _)) =
            form_urlencoded::parse(query.as_bytes()).find(|(name, value)| name.contains('\0') || value.contains('\0'))
        {
            return Err(nul_problem(if name.contains('\0') { "query" } else { &name }));
        }
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
