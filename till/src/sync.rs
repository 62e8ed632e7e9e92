//! Sending what the till made: the outbox, oldest first, in batches, to the server, which
//! books each document once. One tab syncs at a time (a browser lock); the other tabs' sends
//! would be harmless anyway, as the server acknowledges what it has.

use commerce::pos::{Batch, Receipt};
use leptos::prelude::*;

use crate::idb::OUTBOX;
use crate::state::{Till, Waiting, credential_now, db};
use crate::web::{self, Failure};

/// Documents per request: small enough for a slow connection to carry in one go.
const BATCH: usize = 100;

/// Sends everything waiting, batch by batch, while the server answers; then fetches what
/// changed in the catalog. A document kept while another sync held the lock (which that sync
/// had already looked past) is sent by the holder's second look, after it lets go.
pub async fn run(till: Till) {
    let mut looks = 0;
    while web::with_lock("sc1-till-sync", async move { send_all(till).await }).await {
        looks += 1;
        if looks >= 3 || !till.online.get_untracked() || !due().await {
            break;
        }
    }
    if looks > 0 && till.online.get_untracked() {
        let _ = till.refresh().await;
    }
}

/// Whether the outbox holds a document to send now.
async fn due() -> bool {
    let Ok(db) = db() else { return false };
    let now = js_sys::Date::now();
    db.all(OUTBOX)
        .await
        .unwrap_or_default()
        .iter()
        .any(|(_, t)| serde_json::from_str::<Waiting>(t).is_ok_and(|w| w.retry_at <= now))
}

async fn send_all(till: Till) {
    let Some(credential) = credential_now().await else { return };
    let Ok(db) = db() else { return };
    loop {
        let now = js_sys::Date::now();
        let Ok(all) = db.all(OUTBOX).await else { break };
        let due: Vec<(String, Waiting)> = all
            .into_iter()
            .filter_map(|(k, t)| serde_json::from_str::<Waiting>(&t).ok().map(|w| (k, w)))
            .filter(|(_, w)| w.retry_at <= now)
            .collect();
        if due.is_empty() {
            break;
        }
        let total = due.len();
        let batch: Vec<(String, Waiting)> = due.into_iter().take(BATCH).collect();
        till.progress.set(Some((0, total)));
        let body = Batch { documents: batch.iter().map(|(_, w)| w.doc.clone()).collect() };
        match web::call::<Receipt>("/api/v1/pos/transactions", Some(&credential), Some(&body)).await {
            Ok(receipt) => {
                till.online.set(true);
                if let Err(error) = till.settle(&batch, &receipt).await {
                    till.notice.set(Some(format!("The till could not keep the server's answer: {error}")));
                    break;
                }
                till.progress.set(Some((batch.len(), total)));
            }
            Err(Failure::Unreachable) => {
                till.online.set(false);
                break;
            }
            Err(Failure::Refused(401, _)) => {
                till.shut_out.set(true);
                break;
            }
            Err(Failure::Refused(_, detail)) => {
                till.notice.set(Some(format!("The server refused the batch: {detail}")));
                break;
            }
        }
    }
    till.progress.set(None);
}
