//! The error a page or server function can meet: a domain error, or the trip to the server failing.

use leptos::prelude::{FromServerFnError, ServerFnErrorErr};
use leptos::server_fn::codec::JsonEncoding;
use serde::{Deserialize, Serialize};

/// What a server function answers when it cannot give its result.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// The domain refused or failed.
    #[error(transparent)]
    Domain(commerce::Error),
    /// The call itself could not be read: its arguments are missing or not of their type (a
    /// hand-made request, or a form from another version of the page). A 400.
    #[error("{0}")]
    BadRequest(String),
    /// The request never got a proper answer (connection lost, server restarting).
    #[error("the server could not be reached: {0}")]
    Transport(String),
}

/// The one place a domain error becomes the page's or server function's answer. On the server it
/// also sets the response's HTTP status (a wrong password is a 401, not the 500 that server
/// functions answer for every error otherwise), and `Retry-After` when the caller must wait.
impl From<commerce::Error> for AppError {
    fn from(error: commerce::Error) -> Self {
        let error = Self::Domain(error);
        #[cfg(feature = "ssr")]
        if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>()
            && !plain_form_post()
        {
            response.set_status(
                http::StatusCode::from_u16(error.status()).unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR),
            );
            if let Self::Domain(commerce::Error::RateLimited { retry_after }) = &error {
                response.insert_header(http::header::RETRY_AFTER, http::HeaderValue::from(*retry_after));
            }
        }
        error
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    /// On the server, the errors of reading a call's arguments (`Args`, `MissingArg`, and
    /// `Deserialization` of a body) are the caller's mistake: a 400 that says what could not be
    /// read, not the 500 server functions answer otherwise. Everything else is the trip failing.
    fn from_server_fn_error(error: ServerFnErrorErr) -> Self {
        match error {
            ServerFnErrorErr::Args(detail) | ServerFnErrorErr::MissingArg(detail) => Self::bad_arguments(&detail),
            #[cfg(feature = "ssr")]
            ServerFnErrorErr::Deserialization(detail) => Self::bad_arguments(&detail),
            other => Self::Transport(other.to_string()),
        }
    }
}

impl AppError {
    /// A call whose arguments could not be read; on the server, the response becomes a 400.
    fn bad_arguments(detail: &str) -> Self {
        let error = Self::BadRequest(format!("The request's arguments could not be read: {detail}."));
        #[cfg(feature = "ssr")]
        if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>()
            && !plain_form_post()
        {
            response.set_status(http::StatusCode::BAD_REQUEST);
        }
        error
    }

    /// The HTTP status that goes with this error on a page.
    pub fn status(&self) -> u16 {
        match self {
            Self::BadRequest(_) => 400,
            Self::Domain(commerce::Error::NotFound(_)) => 404,
            Self::Domain(commerce::Error::Unauthorized(_)) => 401,
            Self::Domain(commerce::Error::Forbidden(_)) => 403,
            Self::Domain(commerce::Error::RateLimited { .. }) => 429,
            Self::Domain(commerce::Error::Invalid { .. } | commerce::Error::InvalidFields(_)) => 422,
            Self::Domain(commerce::Error::Conflict { .. }) => 409,
            Self::Domain(commerce::Error::Unavailable) | Self::Transport(_) => 503,
            Self::Domain(commerce::Error::Internal) => 500,
        }
    }
}

/// Whether the request is a form the browser posted itself (the page's script had not loaded, or
/// is off): it asks for a page back. Such a post is answered with a redirect to the form's page,
/// the refusal in the address (`__err`), which the page shows beside the field; an error status
/// would make the browser show the bare answer instead.
#[cfg(feature = "ssr")]
fn plain_form_post() -> bool {
    leptos::prelude::use_context::<http::request::Parts>().is_some_and(|parts| {
        parts.headers.get(http::header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|v| v.contains("text/html"))
    })
}
