//! Live updates: every instance listens on Postgres' `stock` channel (each change of a stock
//! level notifies it when its transaction commits) and passes the news to the browsers
//! connected to it over Server-Sent Events. A change made through one instance therefore
//! reaches browsers connected to any other.
//!
//! A stream lasts only as long as its viewer may watch: it checks again every `recheck` (30
//! seconds) and at once whenever the `access` channel says that some access ended (a session
//! removed, a member deactivated or given another role, a business suspended), and ends when
//! the answer is no. The storefront's stream carries only products that are for sale.

use std::convert::Infallible;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use axum::Extension;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use commerce::base::{LocationId, Permission, Scope, TenantId};
use commerce::identity::session::{self, Resolved};
use serde::{Deserialize, Serialize};
use tokio::sync::{broadcast, mpsc};
use tokio_stream::wrappers::ReceiverStream;
use uuid::Uuid;

use crate::AppState;

/// How often an open stream checks that its viewer may still watch, when no notice asks sooner.
pub const RECHECK: Duration = Duration::from_secs(30);

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
    /// Whether the variant's product is on sale in the storefront (a notice without it is not).
    #[serde(default)]
    pub for_sale: bool,
}

/// The news this instance has heard, for every connected browser to pick from.
#[derive(Clone)]
pub struct LiveFeed {
    stock: broadcast::Sender<Arc<StockChange>>,
    /// Some access ended in this business (`None`: somewhere, or notices may have been missed):
    /// its streams check again.
    access: broadcast::Sender<Option<Uuid>>,
    recheck: Duration,
    /// The storefront's pages kept between requests, forgotten as changes are heard.
    pub store_cache: app::api::StoreCache,
}

impl Default for LiveFeed {
    fn default() -> Self {
        Self {
            stock: broadcast::channel(1024).0,
            access: broadcast::channel(16).0,
            recheck: RECHECK,
            store_cache: app::api::StoreCache::default(),
        }
    }
}

impl LiveFeed {
    /// The same feed, with open streams checking their viewer this often.
    #[must_use]
    pub fn rechecking_every(mut self, every: Duration) -> Self {
        self.recheck = every;
        self
    }

    /// Listens on the database until the process ends, reconnecting after an outage.
    pub async fn listen(self, db: sqlx::PgPool) {
        loop {
            match sqlx::postgres::PgListener::connect_with(&db).await {
                Ok(mut listener) => {
                    if let Err(error) = listener.listen_all(["stock", "access", "storefront"]).await {
                        tracing::warn!(%error, "cannot listen for stock and access changes");
                    } else {
                        tracing::debug!("listening for stock and access changes");
                        // Whatever was said while nobody listened is unknown: every stream checks,
                        // and the storefront keeps its pages only from now on.
                        self.access_changed(None);
                        self.store_cache.listening(true);
                        loop {
                            match listener.try_recv().await {
                                Ok(Some(notice)) => self.hear(notice.channel(), notice.payload()),
                                // The connection was lost and is back; notices in between are lost.
                                Ok(None) => {
                                    self.access_changed(None);
                                    self.store_cache.changed(None);
                                }
                                Err(error) => {
                                    tracing::warn!(%error, "stopped listening for stock and access changes");
                                    self.store_cache.listening(false);
                                    break;
                                }
                            }
                        }
                    }
                }
                Err(error) => tracing::warn!(%error, "cannot connect to listen for stock and access changes"),
            }
            // Streams cannot be told about access while nobody listens: they check on their timer.
            tokio::time::sleep(Duration::from_secs(2)).await;
        }
    }

    fn hear(&self, channel: &str, payload: &str) {
        match channel {
            // The business whose access ended; anything else (a platform admin's session) is news
            // for every stream.
            "access" => {
                self.access_changed(payload.parse().ok());
                self.store_cache.changed(payload.parse().ok());
            }
            // What a storefront shows changed: its catalog, shops or settings.
            "storefront" => self.store_cache.changed(payload.parse().ok()),
            _ => match serde_json::from_str::<StockChange>(payload) {
                Ok(change) => {
                    self.store_cache.changed(Some(change.tenant));
                    // No receiver is fine: nobody is watching right now.
                    let _ = self.stock.send(Arc::new(change));
                }
                Err(error) => {
                    tracing::warn!(%error, "unreadable stock notice");
                    self.store_cache.changed(None);
                }
            },
        }
    }

    fn access_changed(&self, tenant: Option<Uuid>) {
        let _ = self.access.send(tenant);
    }

    /// The stock changes of one business, as events (`pick` turns a change into an event or
    /// drops it), for as long as `allowed` says yes: it is asked every `recheck` and whenever
    /// access ends somewhere. The stream ends at the first no, or when the browser goes away.
    fn follow<A, F>(
        &self,
        tenant: TenantId,
        pick: impl Fn(&StockChange) -> Option<Event> + Send + 'static,
        allowed: A,
    ) -> ReceiverStream<Result<Event, Infallible>>
    where
        A: Fn() -> F + Send + 'static,
        F: Future<Output = bool> + Send,
    {
        let (sender, receiver) = mpsc::channel(64);
        let (mut changes, mut access, every) = (self.stock.subscribe(), self.access.subscribe(), self.recheck);
        tokio::spawn(async move {
            let mut timer = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
            timer.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                let check = tokio::select! {
                    () = sender.closed() => return,
                    change = changes.recv() => match change {
                        Ok(change) if change.tenant == tenant.0 => {
                            if let Some(event) = pick(&change)
                                && sender.send(Ok(event)).await.is_err()
                            {
                                return;
                            }
                            false
                        }
                        // Another business's change, or some missed while this browser was slow.
                        Ok(_) | Err(broadcast::error::RecvError::Lagged(_)) => false,
                        Err(broadcast::error::RecvError::Closed) => return,
                    },
                    notice = access.recv() => match notice {
                        Ok(Some(ended)) => ended == tenant.0,
                        Ok(None) | Err(broadcast::error::RecvError::Lagged(_)) => true,
                        Err(broadcast::error::RecvError::Closed) => false,
                    },
                    _ = timer.tick() => true,
                };
                if check && !allowed().await {
                    return;
                }
            }
        });
        ReceiverStream::new(receiver)
    }
}

/// `GET /admin/live/stock`: every stock change of the signed-in person's business, for the
/// back office's stock pages (`event: stock`), while they may see stock.
pub async fn stock(
    State(state): State<AppState>,
    headers: HeaderMap,
    session: Option<Extension<Resolved>>,
) -> Response {
    let (Some(Extension(resolved)), Some(cookie)) = (session, crate::guard::cookie(&headers, session::COOKIE)) else {
        return (StatusCode::UNAUTHORIZED, "Sign in to follow stock.").into_response();
    };
    let scope = match resolved.actor.require(Permission::ViewInventory) {
        Ok(scope) => scope,
        Err(error) => return (StatusCode::FORBIDDEN, error.to_string()).into_response(),
    };
    let (tenant, shops) = (scope.tenant, scope.shops.clone());
    // Someone bound to some shops follows the levels there alone, as their stock page lists.
    let pick = move |change: &StockChange| {
        if !shops.reach(LocationId(change.location)) {
            return None;
        }
        let data = serde_json::json!({
            "variant": change.variant,
            "location": change.location,
            "on_hand": change.on_hand,
            "reserved": change.reserved,
            "available": change.on_hand - change.reserved,
        });
        Some(Event::default().event("stock").data(data.to_string()))
    };
    let (db, cookie) = (state.db.primary().clone(), cookie.to_owned());
    let still_allowed = move || {
        let (db, cookie, scope) = (db.clone(), cookie.clone(), scope.clone());
        async move { may_see_stock(&db, &cookie, &scope).await }
    };
    let events = state.live.follow(tenant, pick, still_allowed);
    Sse::new(events).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))).into_response()
}

/// Whether the session of this cookie still lets its person see this business's stock, as far
/// as they saw it when the stream began (a change of the shops they are bound to ends it, and
/// the browser's reconnect follows the new ones). A database that cannot answer says no: the
/// browser reconnects and asks again.
async fn may_see_stock(db: &sqlx::PgPool, cookie: &str, scope: &Scope) -> bool {
    match session::still_live(db, cookie).await {
        Ok(Some(resolved)) => resolved.actor.require(Permission::ViewInventory).is_ok_and(|now| now == *scope),
        Ok(None) => false,
        Err(error) => {
            tracing::warn!(%error, "could not check a stock stream's session; ending it");
            false
        }
    }
}

/// `GET /store/{slug}/live`: how many of each variant can be bought, as it changes
/// (`event: availability`), for the storefront. Nothing but variant ids and counts, and only of
/// products on sale; the stream ends when the store closes (its business suspended).
pub async fn availability(State(state): State<AppState>, Path(slug): Path<String>) -> Response {
    let store = match commerce::identity::storefront(state.db.read(), &slug).await {
        Ok(store) => store,
        Err(error) => return crate::rest::Problem::from(error).into_response(),
    };
    let tenant = store.tenant.id;
    let pick = |change: &StockChange| {
        change.for_sale.then(|| {
            let data = serde_json::json!({ "variant": change.variant, "available": change.available_total.max(0) });
            Event::default().event("availability").data(data.to_string())
        })
    };
    let db = state.db.read().clone();
    let store_open = move || {
        let (db, slug) = (db.clone(), slug.clone());
        async move { commerce::identity::storefront(&db, &slug).await.is_ok_and(|store| store.tenant.id == tenant) }
    };
    let events = state.live.follow(tenant, pick, store_open);
    Sse::new(events).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))).into_response()
}
