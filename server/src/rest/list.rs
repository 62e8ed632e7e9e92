//! Lists: key-based pages with an opaque cursor, and one syntax for sorting.
//!
//! `?limit=50&cursor=…&sort=name` (or `sort=-name` for descending). The answer is
//! `{ "data": [...], "next_cursor": "…" }`, with `next_cursor` null on the last page.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

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

/// A page of a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct Page<T> {
    /// The items.
    pub data: Vec<T>,
    /// Pass as `cursor` for the next page; null on the last.
    pub next_cursor: Option<String>,
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

    /// The position the cursor stands for.
    pub fn cursor<K: DeserializeOwned>(&self) -> Result<Option<K>, commerce::Error> {
        let Some(text) = self.cursor.as_deref().filter(|c| !c.is_empty()) else { return Ok(None) };
        let bad = || commerce::Error::invalid("cursor", "is not a cursor this list gave out");
        let bytes = URL_SAFE_NO_PAD.decode(text).map_err(|_| bad())?;
        serde_json::from_slice(&bytes).map(Some).map_err(|_| bad())
    }
}

/// The cursor for continuing after `key`.
pub fn cursor_after<K: Serialize>(key: &K) -> String {
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(key).unwrap_or_default())
}

/// A page from `limit + 1` fetched items: the extra one only says there is more.
pub fn page<T, K: Serialize>(mut items: Vec<T>, limit: i64, key: impl Fn(&T) -> K) -> Page<T> {
    let limit = usize::try_from(limit).unwrap_or(50);
    let more = items.len() > limit;
    items.truncate(limit);
    let next_cursor = if more { items.last().map(|last| cursor_after(&key(last))) } else { None };
    Page { data: items, next_cursor }
}
