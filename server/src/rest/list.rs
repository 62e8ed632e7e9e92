//! Lists: key-based pages with an opaque cursor, and one syntax for sorting.
//!
//! `?limit=50&cursor=…&sort=name` (or `sort=-name` for descending). The answer is
//! `{ "data": [...], "next_cursor": "…" }`, with `next_cursor` null on the last page.

use serde::Deserialize;
use serde::de::DeserializeOwned;
use utoipa::IntoParams;

pub use commerce::base::page::{Page, cursor_after};

/// The query parameters every list takes.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Items per page, 1 to 200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    /// Where to continue: the `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// The field to sort by; `-` before it sorts descending.
    pub sort: Option<String>,
}

impl ListParams {
    /// The page size asked for, within bounds.
    pub fn limit(&self) -> Result<i64, commerce::Error> {
        match self.limit {
            None => Ok(50),
            Some(n @ 1..=200) => Ok(i64::from(n)),
            Some(_) => Err(commerce::Error::invalid("limit", "must be between 1 and 200")),
        }
    }

    /// The sort field and whether it is descending, checked against the fields this list allows.
    pub fn sort(&self, allowed: &[&'static str]) -> Result<(&'static str, bool), commerce::Error> {
        let text = self.sort.as_deref().unwrap_or(allowed[0]);
        let (field, descending) = text.strip_prefix('-').map_or((text, false), |f| (f, true));
        let field = allowed.iter().find(|a| **a == field).ok_or_else(|| {
            commerce::Error::invalid(
                "sort",
                format!("sort by one of: {} (prefix - for descending)", allowed.join(", ")),
            )
        })?;
        Ok((field, descending))
    }

    /// Checks the sort of a list that is only ever newest first by `field`: absent, or
    /// `-field`.
    pub fn newest_first(&self, field: &'static str) -> Result<(), commerce::Error> {
        match self.sort.as_deref() {
            None => Ok(()),
            Some(sort) if sort.strip_prefix('-') == Some(field) => Ok(()),
            Some(_) => Err(commerce::Error::invalid("sort", format!("this list is newest first: -{field}"))),
        }
    }

    /// The position the cursor stands for.
    pub fn cursor<K: DeserializeOwned>(&self) -> Result<Option<K>, commerce::Error> {
        commerce::base::page::read_cursor("cursor", self.cursor.as_deref())
    }
}
