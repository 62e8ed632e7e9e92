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
    /// Several input fields are wrong (field, what is wrong), all of them, so that a person can
    /// mend the form at once; made by [`Error::invalid_all`], which makes one the `Invalid` above.
    #[error("{}", .0.iter().map(|(f, m)| format!("{f}: {m}")).collect::<Vec<_>>().join("; "))]
    InvalidFields(Vec<(String, String)>),
    /// The operation clashes with the current state (a duplicate, a stale version, a closed
    /// shift); `clash` says which, for clients to branch on.
    #[error("{message}")]
    Conflict { clash: Clash, message: String },
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

    /// What checking a whole input found: nothing (`Ok`), one wrong field (`Invalid`) or several
    /// (`InvalidFields`, in the order found).
    pub fn invalid_all(mut problems: Vec<(String, String)>) -> Result<(), Self> {
        match problems.len() {
            0 => Ok(()),
            1 => {
                let (field, message) = problems.remove(0);
                Err(Self::Invalid { field, message })
            }
            _ => Err(Self::InvalidFields(problems)),
        }
    }

    /// Every (field, what is wrong) this error names: one for `Invalid`, each for
    /// `InvalidFields`, none for the other kinds.
    pub fn field_problems(&self) -> Vec<(&str, &str)> {
        match self {
            Self::Invalid { field, message } => vec![(field.as_str(), message.as_str())],
            Self::InvalidFields(problems) => problems.iter().map(|(f, m)| (f.as_str(), m.as_str())).collect(),
            _ => Vec::new(),
        }
    }

    /// [`Error::field_problems`], owned: to gather the problems of several checks into one
    /// refusal.
    pub fn owned_problems(&self) -> Vec<(String, String)> {
        self.field_problems().into_iter().map(|(f, m)| (f.to_owned(), m.to_owned())).collect()
    }

    /// A `Conflict` of the given kind, with what a person should read.
    pub fn conflict(clash: Clash, message: impl Into<String>) -> Self {
        Self::Conflict { clash, message: message.into() }
    }

    /// Refuses `text` when it holds a NUL character, naming `field`: no text the suite keeps may
    /// hold one (the database cannot store it), so it is a mistake of the caller's.
    pub fn refuse_nul(field: &str, text: &str) -> Result<(), Self> {
        if text.contains('\0') { Err(Self::invalid(field, NUL_MESSAGE)) } else { Ok(()) }
    }
}

/// Which way an operation clashes with the current state. Each has a stable code (REST answers
/// it as `code` and in the problem's `type`), so a client can tell "not enough stock" from "the
/// first request is still running" without reading the words.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Clash {
    /// Fewer units are available than asked for.
    InsufficientStock,
    /// The record changed since the caller read it; read it again and redo the change.
    VersionMismatch,
    /// The first request with this idempotency key has not finished.
    IdempotencyInProgress,
    /// The record has stock history, which must be kept; archive instead of removing.
    StockHistory,
    /// The record still has others under it.
    NotEmpty,
    /// The document is no longer in a state that allows this (a sold hold, a finished count,
    /// a received transfer, a finished import).
    WrongState,
    /// People may not change their own role or deactivate themselves.
    OwnAccount,
    /// A business must keep one active owner.
    LastOwner,
    /// A counted quantity is too far from what was expected to be believed.
    CountOutOfRange,
}

impl Clash {
    /// Every kind, for documentation and tests.
    pub const ALL: [Self; 9] = [
        Self::InsufficientStock,
        Self::VersionMismatch,
        Self::IdempotencyInProgress,
        Self::StockHistory,
        Self::NotEmpty,
        Self::WrongState,
        Self::OwnAccount,
        Self::LastOwner,
        Self::CountOutOfRange,
    ];

    /// The stable code: `insufficient_stock`.
    pub fn code(self) -> &'static str {
        match self {
            Self::InsufficientStock => "insufficient_stock",
            Self::VersionMismatch => "version_mismatch",
            Self::IdempotencyInProgress => "idempotency_in_progress",
            Self::StockHistory => "stock_history",
            Self::NotEmpty => "not_empty",
            Self::WrongState => "wrong_state",
            Self::OwnAccount => "own_account",
            Self::LastOwner => "last_owner",
            Self::CountOutOfRange => "count_out_of_range",
        }
    }

    /// A short, fixed summary of the kind.
    pub fn title(self) -> &'static str {
        match self {
            Self::InsufficientStock => "Not enough stock",
            Self::VersionMismatch => "Changed since it was read",
            Self::IdempotencyInProgress => "First request still running",
            Self::StockHistory => "Has stock history",
            Self::NotEmpty => "Not empty",
            Self::WrongState => "Not possible in its current state",
            Self::OwnAccount => "Not on your own account",
            Self::LastOwner => "Last owner",
            Self::CountOutOfRange => "Count out of range",
        }
    }
}

/// What is wrong with text that holds a NUL character.
pub const NUL_MESSAGE: &str = "cannot contain the NUL character (\\0)";

/// The checks that bound stock quantities in the database, the last wall behind the domain's
/// own limits (the inventory module's `MAX_ON_HAND` and its siblings).
#[cfg(feature = "server")]
const QUANTITY_BOUNDS: [&str; 6] = [
    "stock_levels_bounded",
    "stock_movements_bounded",
    "stock_reservations_bounded",
    "stock_receipt_lines_bounded",
    "stock_transfer_lines_bounded",
    "stock_count_lines_bounded",
];

#[cfg(feature = "server")]
impl From<sqlx::Error> for Error {
    fn from(error: sqlx::Error) -> Self {
        match &error {
            sqlx::Error::RowNotFound => Self::NotFound("record".into()),
            sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) | sqlx::Error::Tls(_) => {
                tracing::warn!(%error, "database unavailable");
                Self::Unavailable
            }
            // What the database refuses to store because of what the caller sent. The boundaries
            // refuse these first, naming the field; this is for any path they do not cover, so
            // that bad input is never taken for a fault of ours.
            sqlx::Error::Database(db) => match db.code().as_deref() {
                // A NUL in text (22021), or in text bound for JSON (22P05).
                Some("22021" | "22P05") => {
                    tracing::info!(%error, "text with a NUL character refused");
                    Self::invalid("input", format!("text {NUL_MESSAGE}"))
                }
                // A number past what its column holds.
                Some("22003") => {
                    tracing::warn!(%error, "number out of range refused");
                    Self::invalid("input", "a number is out of range")
                }
                // Two transactions each waiting for the other (one is ended by the database),
                // or a serializable one that lost: nothing was done, and the same work sent
                // again succeeds.
                Some("40P01" | "40001") => {
                    tracing::warn!(%error, "transaction ended by a deadlock or a serialization failure");
                    Self::Unavailable
                }
                Some("23514") if db.constraint().is_some_and(|c| QUANTITY_BOUNDS.contains(&c)) => {
                    tracing::info!(%error, "stock quantity out of bounds refused");
                    Self::invalid("quantity", "stock stays within 1,000,000,000 units either side of zero")
                }
                // A vendor's location holds its own products alone (see the vendor products
                // migration); the product, or the place, was another's.
                Some("23514") if db.constraint() == Some("stock_stays_with_its_vendor") => {
                    tracing::info!(%error, "stock of another vendor's product at a vendor's location refused");
                    Self::invalid("variant", "a vendor's location holds that vendor's own products alone")
                }
                Some("23514") if db.constraint() == Some("product_keeps_its_vendors_stock") => {
                    tracing::info!(%error, "a product stocked at its vendor's location moved to another vendor");
                    Self::invalid("vendor", "the product is stocked at its vendor's location; it stays that vendor's")
                }
                _ => {
                    tracing::error!(%error, "database error");
                    Self::Internal
                }
            },
            _ => {
                tracing::error!(%error, "database error");
                Self::Internal
            }
        }
    }
}
