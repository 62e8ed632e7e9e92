//! Live updates: every instance listens on Postgres' `stock` channel (each change of a stock
//! level notifies it when its transaction commits) and passes the news to the browsers
//! connected to it over Server-Sent Events. A change made through one instance therefore
//! reaches browsers connected to any other.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::Extension;
use axum::extract::{Path, State};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use commerce::identity::session::Resolved;
use commerce::identity::{Permission, TenantId};
use serde::{Deserialize, Serialize};
use tokio::sync::broadcast;
use tokio_stream::StreamExt;
use tokio_stream::wrappers::BroadcastStream;
use uuid::Uuid;

use crate::AppState;

/// A stock level as it is now, as the database announced it.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct StockChange {
    /// The business.
    pub tenant: Uuid,
    /// The variant.
    pub variant: Uuid,
    /// The location.
    pub location: Uuid,
    /// Units there.
    pub on_hand: i32,
    /// Units held there.
    pub reserved: i32,
    /// Units that can be sold across all locations.
    pub available_total: i64,
}

/// The news this instance has heard, for every connected browser to pick from.
#[derive(Clone)]
pub struct LiveFeed(broadcast::Sender<Arc<StockChange>>);

impl Default for LiveFeed {
    fn default() -> Self {
        Self(broadcast::channel(1024).0)
    }
}

impl LiveFeed {
    /// Listens on the database until the process ends, reconnecting after an outage.
    pub async fn listen(self, db: sqlx::PgPool) {
        loop {
            match sqlx::postgres::PgListener::connect_with(&db).await {
                Ok(mut listener) => {
                    if let Err(error) = listener.listen("stock").await {
                        tracing::warn!(%error, "cannot listen for stock changes");
                    } else {
                        tracing::debug!("listening for stock changes");
                        // `recv` reconnects by itself; an error here means it could not.
                        while let Ok(notice) = listener.recv().await {
                            match serde_json::from_str::<StockChange>(notice.payload()) {
                                Ok(change) => {
                                    // No receiver is fine: nobody is watching right now.
                                    let _ = self.0.send(Arc::new(change));
                                }
                                Err(error) => tracing::warn!(%error, "unreadable stock notice"),
                            }
                        }
                    }
                }
                Err(error) => tracing::warn!(%error, "cannot connect to listen for stock changes"),
            }
            tokio::time::sleep(Duration::from_secs(2)).await;
        }
    }

    fn of_tenant(&self, tenant: TenantId) -> impl tokio_stream::Stream<Item = Arc<StockChange>> + use<> {
        BroadcastStream::new(self.0.subscribe())
            .filter_map(Result::ok)
            .filter(move |change: &Arc<StockChange>| change.tenant == tenant.0)
    }
}

/// `GET /admin/live/stock`: every stock change of the signed-in person's business, for the
/// back office's stock pages (`event: stock`).
pub async fn stock(State(state): State<AppState>, session: Option<Extension<Resolved>>) -> Response {
    let Some(Extension(resolved)) = session else {
        return (axum::http::StatusCode::UNAUTHORIZED, "Sign in to follow stock.").into_response();
    };
    let tenant = match resolved.actor.require(Permission::ViewInventory) {
        Ok(tenant) => tenant,
        Err(error) => return (axum::http::StatusCode::FORBIDDEN, error.to_string()).into_response(),
    };
    let events = state.live.of_tenant(tenant).map(|change| {
        let data = serde_json::json!({
            "variant": change.variant,
            "location": change.location,
            "on_hand": change.on_hand,
            "reserved": change.reserved,
            "available": change.on_hand - change.reserved,
        });
        Ok::<_, Infallible>(Event::default().event("stock").data(data.to_string()))
    });
    Sse::new(events).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))).into_response()
}

/// `GET /store/{slug}/live`: how many of each variant can be bought, as it changes
/// (`event: availability`), for the storefront. Nothing but variant ids and counts.
pub async fn availability(State(state): State<AppState>, Path(slug): Path<String>) -> Response {
    let store = match commerce::identity::storefront(state.db.read(), &slug).await {
        Ok(store) => store,
        Err(error) => return crate::rest::Problem::from(error).into_response(),
    };
    let events = state.live.of_tenant(store.tenant.id).map(|change| {
        let data = serde_json::json!({ "variant": change.variant, "available": change.available_total.max(0) });
        Ok::<_, Infallible>(Event::default().event("availability").data(data.to_string()))
    });
    Sse::new(events).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))).into_response()
}
