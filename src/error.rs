//! The one error type of the domain. Adapters map it once: to problem+json for REST and to a
//! readable page for people.

use serde::{Deserialize, Serialize};

/// What went wrong in a domain operation, in terms a caller can act on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum Error {
    /// The thing asked for does not exist, or belongs to another tenant (the two look the same).
    #[error("{0} was not found")]
    NotFound(String),
    /// Nobody is signed in, or the credentials are wrong; the message says which, for a person.
    #[error("{0}")]
    Unauthorized(String),
    /// The actor may not do this.
    #[error("you are not allowed to {0}")]
    Forbidden(String),
    /// One input field is wrong; `field` names it as the caller sent it.
    #[error("{field}: {message}")]
    Invalid { field: String, message: String },
    /// The operation clashes with the current state (a duplicate, a stale version, a closed shift).
    #[error("{0}")]
    Conflict(String),
    /// Too many attempts; the caller may try again after this many seconds.
    #[error("too many attempts; try again in {retry_after} seconds")]
    RateLimited { retry_after: u64 },
    /// The database could not be reached or did not answer in time; trying again later may work.
    #[error("the database is not reachable right now")]
    Unavailable,
    /// Something the caller cannot fix; the details are in the server's log, not in the message.
    #[error("something went wrong on our side")]
    Internal,
}

impl Error {
    /// A `NotFound` for the named kind of thing.
    pub fn not_found(what: impl Into<String>) -> Self {
        Self::NotFound(what.into())
    }

    /// An `Invalid` naming the field and what is wrong with it.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Invalid { field: field.into(), message: message.into() }
    }
}

#[cfg(feature = "server")]
impl From<sqlx::Error> for Error {
    fn from(error: sqlx::Error) -> Self {
        match &error {
            sqlx::Error::RowNotFound => Self::NotFound("record".into()),
            sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) | sqlx::Error::Tls(_) => {
                tracing::warn!(%error, "database unavailable");
                Self::Unavailable
            }
            _ => {
                tracing::error!(%error, "database error");
                Self::Internal
            }
        }
    }
}
