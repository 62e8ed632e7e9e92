//! The error a page or server function can meet: a domain error, or the trip to the server failing.

use leptos::prelude::{FromServerFnError, ServerFnErrorErr};
use leptos::server_fn::codec::JsonEncoding;
use serde::{Deserialize, Serialize};

/// What a server function answers when it cannot give its result.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// The domain refused or failed.
    #[error(transparent)]
    Domain(#[from] commerce::Error),
    /// The request never got a proper answer (connection lost, server restarting).
    #[error("the server could not be reached: {0}")]
    Transport(String),
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(error: ServerFnErrorErr) -> Self {
        Self::Transport(error.to_string())
    }
}

impl AppError {
    /// The HTTP status that goes with this error on a page.
    pub fn status(&self) -> u16 {
        match self {
            Self::Domain(commerce::Error::NotFound(_)) => 404,
            Self::Domain(commerce::Error::Unauthorized(_)) => 401,
            Self::Domain(commerce::Error::Forbidden(_)) => 403,
            Self::Domain(commerce::Error::RateLimited { .. }) => 429,
            Self::Domain(commerce::Error::Invalid { .. }) => 422,
            Self::Domain(commerce::Error::Conflict(_)) => 409,
            Self::Domain(commerce::Error::Unavailable) | Self::Transport(_) => 503,
            Self::Domain(commerce::Error::Internal) => 500,
        }
    }
}
