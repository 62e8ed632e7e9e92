//! RFC 9457 problem details: the one place where domain errors become HTTP answers for the API.

use axum::Json;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use commerce::Clash;
use serde::Serialize;
use utoipa::ToSchema;

/// A problem+json body (RFC 9457).
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    /// A stable URI naming the kind of problem; clients branch on this.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// A short, fixed summary of the kind.
    pub title: &'static str,
    /// The HTTP status, repeated for clients that lose headers.
    pub status: u16,
    /// What went wrong this time, for a person.
    pub detail: String,
    /// For a conflict (409), what it clashes with: `insufficient_stock`, `version_mismatch`,
    /// `idempotency_in_progress`… (the same word ends the `type`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<&'static str>,
    /// The fields that were wrong, when the input was.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// On the token endpoint, the OAuth 2.0 error code (`invalid_client`, `invalid_scope`…).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<&'static str>,
    /// Seconds to wait before trying again, when rate-limited.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<u64>,
}

impl Problem {
    /// A 400 for a request that cannot be read at all.
    pub fn bad_request(detail: &str) -> Self {
        Self {
            kind: "/problems/bad-request",
            title: "Bad request",
            status: 400,
            detail: detail.to_owned(),
            code: None,
            errors: vec![],
            error: None,
            retry_after: None,
        }
    }
}

/// One wrong field.
#[derive(Debug, Serialize, ToSchema)]
pub struct FieldError {
    /// The field as the client sent it (`lines[2].quantity`).
    pub field: String,
    /// What is wrong with it.
    pub message: String,
}

impl From<commerce::Error> for Problem {
    fn from(error: commerce::Error) -> Self {
        use commerce::Error as E;
        let detail = error.to_string();
        let retry_after = match &error {
            E::RateLimited { retry_after } => Some(*retry_after),
            _ => None,
        };
        let code = match &error {
            E::Conflict { clash, .. } => Some(clash.code()),
            _ => None,
        };
        let (kind, title, status, errors) = match error {
            E::NotFound(_) => ("/problems/not-found", "Not found", StatusCode::NOT_FOUND, vec![]),
            E::Unauthorized(_) => ("/problems/unauthorized", "Unauthorized", StatusCode::UNAUTHORIZED, vec![]),
            E::Forbidden(_) => ("/problems/forbidden", "Forbidden", StatusCode::FORBIDDEN, vec![]),
            E::RateLimited { .. } => {
                ("/problems/rate-limited", "Too many requests", StatusCode::TOO_MANY_REQUESTS, vec![])
            }
            E::Invalid { field, message } => (
                "/problems/invalid-input",
                "Invalid input",
                StatusCode::UNPROCESSABLE_ENTITY,
                vec![FieldError { field, message }],
            ),
            E::InvalidFields(problems) => (
                "/problems/invalid-input",
                "Invalid input",
                StatusCode::UNPROCESSABLE_ENTITY,
                problems.into_iter().map(|(field, message)| FieldError { field, message }).collect(),
            ),
            // Through REST a version is named by `If-Match`, whose failing is a 412 (RFC 9110).
            E::Conflict { clash: Clash::VersionMismatch, .. } => (
                conflict_type(Clash::VersionMismatch),
                Clash::VersionMismatch.title(),
                StatusCode::PRECONDITION_FAILED,
                vec![],
            ),
            E::Conflict { clash, .. } => (conflict_type(clash), clash.title(), StatusCode::CONFLICT, vec![]),
            E::Unavailable => ("/problems/unavailable", "Service unavailable", StatusCode::SERVICE_UNAVAILABLE, vec![]),
            E::Internal => ("/problems/internal", "Internal error", StatusCode::INTERNAL_SERVER_ERROR, vec![]),
        };
        Self { kind, title, status: status.as_u16(), detail, code, errors, error: None, retry_after }
    }
}

/// The problem type of each kind of conflict: `/problems/conflict/` and its code.
pub fn conflict_type(clash: Clash) -> &'static str {
    match clash {
        Clash::InsufficientStock => "/problems/conflict/insufficient_stock",
        Clash::VersionMismatch => "/problems/conflict/version_mismatch",
        Clash::IdempotencyInProgress => "/problems/conflict/idempotency_in_progress",
        Clash::StockHistory => "/problems/conflict/stock_history",
        Clash::NotEmpty => "/problems/conflict/not_empty",
        Clash::WrongState => "/problems/conflict/wrong_state",
        Clash::OwnAccount => "/problems/conflict/own_account",
        Clash::LastOwner => "/problems/conflict/last_owner",
        Clash::CountOutOfRange => "/problems/conflict/count_out_of_range",
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut response = (status, [(header::CONTENT_TYPE, "application/problem+json")], Json(&self)).into_response();
        if let Some(seconds) = self.retry_after
            && let Ok(value) = header::HeaderValue::from_str(&seconds.to_string())
        {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use commerce::Clash;
    use utoipa::OpenApi;

    use super::conflict_type;

    #[test]
    fn every_conflict_has_its_own_type_named_by_its_code_and_documented() {
        let described = super::super::docs::ApiDoc::openapi().info.description.unwrap_or_default();
        let mut seen = std::collections::HashSet::new();
        for clash in Clash::ALL {
            assert!(conflict_type(clash).ends_with(&format!("/{}", clash.code())), "{clash:?}");
            assert!(seen.insert(clash.code()), "{clash:?} shares its code");
            assert!(described.contains(&format!("`{}`", clash.code())), "{clash:?} is not in the API's description");
        }
    }
}
