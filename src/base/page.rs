//! Lists a page at a time, by key: a page holds its rows and the cursor that continues after
//! the last of them. One type and one cursor encoding for every door: REST's `cursor`
//! parameter and the back office's `after` in the address.

use serde::{Deserialize, Serialize};

/// A page of a list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Page<T> {
    /// The items.
    pub data: Vec<T>,
    /// Pass as `cursor` for the next page; null on the last.
    pub next_cursor: Option<String>,
}

impl<T> Page<T> {
    /// A page from `limit + 1` fetched rows (the extra one only says that there is more), its
    /// cursor made from `key` of the last row kept.
    #[cfg(feature = "server")]
    pub fn from_extra<K: Serialize>(mut rows: Vec<T>, limit: i64, key: impl Fn(&T) -> K) -> Self {
        let limit = usize::try_from(limit).unwrap_or(0);
        let more = rows.len() > limit;
        rows.truncate(limit);
        let next_cursor = if more { rows.last().map(|last| cursor_after(&key(last))) } else { None };
        Self { data: rows, next_cursor }
    }

    /// The same page with each row changed by `change`.
    #[must_use]
    pub fn map<U>(self, change: impl FnMut(T) -> U) -> Page<U> {
        Page { data: self.data.into_iter().map(change).collect(), next_cursor: self.next_cursor }
    }
}

/// The cursor that continues after `key`: its JSON in URL-safe base64, safe in any address.
#[cfg(feature = "server")]
pub fn cursor_after<K: Serialize>(key: &K) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(serde_json::to_vec(key).unwrap_or_default())
}

/// The key a cursor stands for; none for an absent or empty one. A cursor this site did not
/// give out is refused, naming `field` (where the caller sent it).
#[cfg(feature = "server")]
pub fn read_cursor<K: serde::de::DeserializeOwned>(
    field: &str,
    cursor: Option<&str>,
) -> Result<Option<K>, crate::Error> {
    use base64::Engine;
    let Some(text) = cursor.filter(|c| !c.is_empty()) else { return Ok(None) };
    let bad = || crate::Error::invalid(field, "is not a cursor this list gave out");
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(text).map_err(|_| bad())?;
    serde_json::from_slice(&bytes).map(Some).map_err(|_| bad())
}

#[cfg(all(test, feature = "server"))]
mod tests {
    use super::*;

    #[test]
    fn a_page_keeps_its_limit_and_says_where_the_next_starts() {
        let page = Page::from_extra(vec![1, 2, 3], 2, |n| *n);
        assert_eq!(page.data, vec![1, 2]);
        assert_eq!(read_cursor::<i32>("cursor", page.next_cursor.as_deref()).unwrap(), Some(2));
        assert_eq!(Page::from_extra(vec![1, 2], 2, |n| *n).next_cursor, None, "no extra row, no next page");
        assert!(read_cursor::<i32>("after", Some("not!base64")).is_err());
        assert!(read_cursor::<(String, i32)>("after", Some(&cursor_after(&7))).is_err(), "another list's cursor");
        assert_eq!(read_cursor::<i32>("after", Some("")).unwrap(), None);
    }
}
