//! `POST /api/v1/oauth/token`: the OAuth 2.0 client-credentials grant.

use axum::Form;
use axum::Json;
use axum::extract::State;
use axum::extract::rejection::FormRejection;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use commerce::identity::api_client;
use commerce::identity::session::ClientInfo;
use serde::Deserialize;
use utoipa::ToSchema;

use super::Problem;
use crate::AppState;

/// The token request (form-encoded, as OAuth 2.0 specifies).
#[derive(Debug, Deserialize, ToSchema)]
pub struct TokenRequest {
    /// Must be `client_credentials`.
    pub grant_type: String,
    /// The client id; or send it with the secret in HTTP Basic authentication.
    pub client_id: Option<String>,
    /// The client secret; or send it in HTTP Basic authentication.
    pub client_secret: Option<String>,
    /// Space-separated scopes to narrow the token to; all of the client's when absent.
    pub scope: Option<String>,
}

/// An issued access token.
#[derive(Debug, serde::Serialize, ToSchema)]
pub struct TokenResponse {
    /// The Bearer token.
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: &'static str,
    /// Seconds until it expires.
    pub expires_in: i64,
    /// The scopes it carries.
    pub scope: String,
}

/// Issues an access token to an API client that proves its secret.
#[utoipa::path(
    post,
    path = "/oauth/token",
    tag = "auth",
    request_body(content = TokenRequest, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 200, description = "A token", body = TokenResponse),
        (status = 400, description = "Not a client-credentials request", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Wrong client id or secret", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is larger than this endpoint accepts", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not application/x-www-form-urlencoded", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The form cannot be read (grant_type missing, a field given twice…)", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many requests", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn issue(
    State(state): State<AppState>,
    headers: HeaderMap,
    client: Option<axum::Extension<ClientInfo>>,
    form: Result<Form<TokenRequest>, FormRejection>,
) -> Response {
    let form = match form {
        Ok(Form(form)) => form,
        Err(rejection) => return form_problem(&rejection),
    };
    if form.grant_type != "client_credentials" {
        let mut problem = Problem::from(commerce::Error::invalid("grant_type", "only client_credentials is supported"));
        problem.status = 400;
        problem.error = Some("unsupported_grant_type");
        return problem.into_response();
    }
    let Some((id, secret)) = basic_credentials(&headers).or_else(|| form.client_id.zip(form.client_secret)) else {
        let mut problem = Problem::from(commerce::Error::Unauthorized(
            "Send client_id and client_secret, in the form or with HTTP Basic authentication.".into(),
        ));
        problem.error = Some("invalid_client");
        return problem.into_response();
    };
    let ip = client.map(|c| c.0.ip).unwrap_or_default();
    match api_client::issue_token(state.db.primary(), &id, &secret, form.scope.as_deref(), &ip).await {
        Ok(token) => (
            [(header::CACHE_CONTROL, "no-store")],
            Json(TokenResponse {
                access_token: token.access_token,
                token_type: "Bearer",
                expires_in: token.expires_in,
                scope: token.scope,
            }),
        )
            .into_response(),
        Err(error) => {
            let code = match &error {
                commerce::Error::Unauthorized(_) => Some("invalid_client"),
                commerce::Error::Invalid { .. } => Some("invalid_scope"),
                _ => None,
            };
            let mut problem = Problem::from(error);
            problem.error = code;
            problem.into_response()
        }
    }
}

/// A form that could not be read, as a problem with the status the form reader chose.
fn form_problem(rejection: &FormRejection) -> Response {
    let mut problem = Problem::bad_request(&rejection.body_text());
    problem.status = rejection.status().as_u16();
    problem.error = Some("invalid_request");
    (problem.kind, problem.title) = match problem.status {
        413 => ("/problems/too-large", "Payload too large"),
        415 => ("/problems/unsupported-media-type", "Unsupported media type"),
        422 => ("/problems/invalid-input", "Invalid input"),
        _ => (problem.kind, problem.title),
    };
    problem.into_response()
}

fn basic_credentials(headers: &HeaderMap) -> Option<(String, String)> {
    let encoded = headers.get(header::AUTHORIZATION)?.to_str().ok()?.strip_prefix("Basic ")?;
    let decoded = String::from_utf8(STANDARD.decode(encoded.trim()).ok()?).ok()?;
    let (id, secret) = decoded.split_once(':')?;
    Some((id.to_owned(), secret.to_owned()))
}
