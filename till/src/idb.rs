//! A small binding of the browser's `IndexedDB`: one database, a few stores of JSON text by key,
//! and transactions that write several of them at once or not at all.
//!
//! Values are stored as JSON text (not structured clones), so that what is kept is exactly what
//! `serde` wrote and reads back the same on every browser.

use js_sys::{Array, Function, Promise};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbDatabase, IdbOpenDbRequest, IdbRequest, IdbTransactionMode};

/// The database's name and version; a new version adds stores in `upgrade`.
const NAME: &str = "sc1-till";
const VERSION: u32 = 1;

/// Key-value settings: the credential, the till's data, the receipt sequence, the open shift.
pub const META: &str = "meta";
/// Documents waiting to be sent (or refused), by a key that keeps the order they were made in.
pub const OUTBOX: &str = "outbox";
/// Every document this till made, by id: receipts to print again, returns, the shift's report.
pub const DOCS: &str = "docs";

const STORES: [&str; 3] = [META, OUTBOX, DOCS];

/// What went wrong in the browser's storage, as a person can read it.
#[derive(Clone, Debug)]
pub struct StoreError(pub String);

impl From<JsValue> for StoreError {
    fn from(value: JsValue) -> Self {
        let text = value
            .dyn_ref::<web_sys::DomException>()
            .map(web_sys::DomException::message)
            .or_else(|| value.as_string())
            .unwrap_or_else(|| "the browser's storage failed".to_owned());
        Self(text)
    }
}

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// The open database.
#[derive(Clone)]
pub struct Db(IdbDatabase);

/// One write of a transaction: put `value` under `key` in `store`, or delete the key (`None`).
pub struct Write {
    /// The store.
    pub store: &'static str,
    /// The key.
    pub key: String,
    /// The JSON text to keep, or `None` to delete.
    pub value: Option<String>,
}

impl Db {
    /// Opens (and on first use creates) the till's database.
    pub async fn open() -> Result<Self, StoreError> {
        let factory = web_sys::window()
            .and_then(|w| w.indexed_db().ok().flatten())
            .ok_or_else(|| StoreError("this browser keeps no data for pages (IndexedDB is off)".to_owned()))?;
        let request = factory.open_with_u32(NAME, VERSION)?;
        let upgrade = Closure::<dyn FnMut(web_sys::IdbVersionChangeEvent)>::new({
            let request = request.clone();
            move |_event: web_sys::IdbVersionChangeEvent| {
                if let Ok(result) = request.result()
                    && let Ok(db) = result.dyn_into::<IdbDatabase>()
                {
                    let names = db.object_store_names();
                    for store in STORES {
                        if !names.contains(store) {
                            let _ = db.create_object_store(store);
                        }
                    }
                }
            }
        });
        request.set_onupgradeneeded(Some(upgrade.as_ref().unchecked_ref()));
        let result = done(request.unchecked_ref::<IdbRequest>()).await;
        drop(upgrade);
        let _: &IdbOpenDbRequest = &request;
        Ok(Self(result?.dyn_into::<IdbDatabase>()?))
    }

    /// The JSON text under `key` in `store`.
    pub async fn get(&self, store: &'static str, key: &str) -> Result<Option<String>, StoreError> {
        let tx = self.0.transaction_with_str(store)?;
        let request = tx.object_store(store)?.get(&JsValue::from_str(key))?;
        Ok(done(&request).await?.as_string())
    }

    /// Every (key, JSON text) of `store`, in key order.
    pub async fn all(&self, store: &'static str) -> Result<Vec<(String, String)>, StoreError> {
        let tx = self.0.transaction_with_str(store)?;
        let objects = tx.object_store(store)?;
        let keys = done(&objects.get_all_keys()?).await?;
        let values = done(&objects.get_all()?).await?;
        let keys: Array = keys.unchecked_into();
        let values: Array = values.unchecked_into();
        Ok(keys.iter().zip(values.iter()).filter_map(|(k, v)| Some((k.as_string()?, v.as_string()?))).collect())
    }

    /// Writes every one of `writes` in one transaction: all are kept, or none.
    pub async fn write(&self, writes: &[Write]) -> Result<(), StoreError> {
        let mut stores: Vec<&str> = writes.iter().map(|w| w.store).collect();
        stores.sort_unstable();
        stores.dedup();
        let names: Array = stores.iter().map(|s| JsValue::from_str(s)).collect();
        let tx = self.0.transaction_with_str_sequence_and_mode(&names, IdbTransactionMode::Readwrite)?;
        for write in writes {
            let objects = tx.object_store(write.store)?;
            let key = JsValue::from_str(&write.key);
            match &write.value {
                Some(value) => objects.put_with_key(&JsValue::from_str(value), &key)?,
                None => objects.delete(&key)?,
            };
        }
        committed(&tx).await
    }

    /// Reads the number under `key` in the meta store, adds one and keeps it, in one
    /// transaction with `writes` (made from the new number): two tabs never draw one number.
    pub async fn next_number(
        &self,
        key: &str,
        floor: i64,
        writes: impl FnOnce(i64) -> Vec<Write>,
    ) -> Result<i64, StoreError> {
        let tx = self.0.transaction_with_str_sequence_and_mode(
            &STORES.iter().map(|s| JsValue::from_str(s)).collect::<Array>(),
            IdbTransactionMode::Readwrite,
        )?;
        let meta = tx.object_store(META)?;
        let before = done(&meta.get(&JsValue::from_str(key))?).await?;
        let last: i64 = before.as_string().and_then(|t| t.parse().ok()).unwrap_or(0);
        let next = last.max(floor) + 1;
        meta.put_with_key(&JsValue::from_str(&next.to_string()), &JsValue::from_str(key))?;
        for write in writes(next) {
            let objects = tx.object_store(write.store)?;
            let k = JsValue::from_str(&write.key);
            match &write.value {
                Some(value) => objects.put_with_key(&JsValue::from_str(value), &k)?,
                None => objects.delete(&k)?,
            };
        }
        committed(&tx).await?;
        Ok(next)
    }
}

/// The result of a request, once it succeeds.
async fn done(request: &IdbRequest) -> Result<JsValue, StoreError> {
    let promise = Promise::new(&mut |resolve: Function, reject: Function| {
        let ok = request.clone();
        let success = Closure::once_into_js(move |_: web_sys::Event| {
            let _ = resolve.call1(&JsValue::NULL, &ok.result().unwrap_or(JsValue::UNDEFINED));
        });
        let failed = request.clone();
        let error = Closure::once_into_js(move |_: web_sys::Event| {
            let why = failed.error().ok().flatten().map_or(JsValue::from_str("storage request failed"), JsValue::from);
            let _ = reject.call1(&JsValue::NULL, &why);
        });
        request.set_onsuccess(Some(success.unchecked_ref()));
        request.set_onerror(Some(error.unchecked_ref()));
    });
    Ok(JsFuture::from(promise).await?)
}

/// Waits for a transaction to commit.
async fn committed(tx: &web_sys::IdbTransaction) -> Result<(), StoreError> {
    let promise = Promise::new(&mut |resolve: Function, reject: Function| {
        let complete = Closure::once_into_js(move |_: web_sys::Event| {
            let _ = resolve.call0(&JsValue::NULL);
        });
        let failed = tx.clone();
        let error = Closure::once_into_js(move |_: web_sys::Event| {
            let why = failed.error().map_or(JsValue::from_str("storage transaction failed"), JsValue::from);
            let _ = reject.call1(&JsValue::NULL, &why);
        });
        tx.set_oncomplete(Some(complete.unchecked_ref()));
        tx.set_onerror(Some(error.clone().unchecked_ref()));
        tx.set_onabort(Some(error.unchecked_ref()));
    });
    JsFuture::from(promise).await?;
    Ok(())
}
