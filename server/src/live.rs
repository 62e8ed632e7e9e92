//! Live updates: every instance listens on Postgres' `stock` channel (each change of a stock
//! level notifies it when its transaction commits) and `sales` channel (each order placed,
//! paid or cancelled names its business), and passes the news to the browsers connected to it
//! over Server-Sent Events. A change made through one instance therefore reaches browsers
//! connected to any other.
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
    /// A business whose sales changed.
    sales: broadcast::Sender<Uuid>,
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
            sales: broadcast::channel(1024).0,
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
                    if let Err(error) = listener.listen_all(["stock", "sales", "access", "storefront"]).await {
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
            // A business's orders changed: its open dashboards read their figures again.
            "sales" => {
                if let Ok(tenant) = payload.parse() {
                    let _ = self.sales.send(tenant);
                }
            }
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

    /// The news of one business on `news` (`tenant_of` says whose each is), as events (`pick`
    /// turns news into an event or drops it), for as long as `allowed` says yes: it is asked
    /// every `recheck` and whenever access ends somewhere. The stream ends at the first no, or
    /// when the browser goes away. With a `quiet` time, events within it of the last one sent are
    /// merged into one sent at its end (news that only says "look again" needs saying once).
    fn follow<T, A, F>(
        &self,
        tenant: TenantId,
        mut news: broadcast::Receiver<T>,
        tenant_of: fn(&T) -> Uuid,
        pick: impl Fn(&T) -> Option<Event> + Send + 'static,
        quiet: Duration,
        allowed: A,
    ) -> ReceiverStream<Result<Event, Infallible>>
    where
        T: Clone + Send + 'static,
        A: Fn() -> F + Send + 'static,
        F: Future<Output = bool> + Send,
    {
        let (sender, receiver) = mpsc::channel(64);
        let (mut access, every) = (self.access.subscribe(), self.recheck);
        tokio::spawn(async move {
            let mut timer = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
            timer.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            let mut last_sent = tokio::time::Instant::now() - quiet;
            let mut held: Option<Event> = None;
            loop {
                let due = last_sent + quiet;
                let check = tokio::select! {
                    () = sender.closed() => return,
                    () = tokio::time::sleep_until(due), if held.is_some() => {
                        if let Some(event) = held.take() {
                            if sender.send(Ok(event)).await.is_err() {
                                return;
                            }
                            last_sent = tokio::time::Instant::now();
                        }
                        false
                    }
                    item = news.recv() => match item {
                        Ok(item) if tenant_of(&item) == tenant.0 => {
                            if let Some(event) = pick(&item) {
                                if tokio::time::Instant::now() < due {
                                    held = Some(event);
                                } else {
                                    if sender.send(Ok(event)).await.is_err() {
                                        return;
                                    }
                                    last_sent = tokio::time::Instant::now();
                                }
                            }
                            false
                        }
                        // Another business's news, or some missed while this browser was slow.
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
    let (scope, cookie) = match viewer(&headers, session, Permission::ViewInventory, "Sign in to follow stock.") {
        Ok(viewer) => viewer,
        Err(refused) => return *refused,
    };
    let (tenant, shops) = (scope.tenant, scope.shops.clone());
    // Someone bound to some shops follows the levels there alone, as their stock page lists.
    let pick = move |change: &Arc<StockChange>| {
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
    let still_allowed = still_allowed(state.db.primary().clone(), cookie, Permission::ViewInventory, scope);
    let events = state.live.follow(
        tenant,
        state.live.stock.subscribe(),
        |change| change.tenant,
        pick,
        Duration::ZERO,
        still_allowed,
    );
    Sse::new(events).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))).into_response()
}

/// `GET /admin/live/dashboard`: `event: sales` whenever the signed-in person's business's
/// orders change (placed, paid, cancelled, rung at a till), at most one a second, while they
/// may see the dashboard. The event says only "look again"; the page reads its figures anew.
pub async fn sales(
    State(state): State<AppState>,
    headers: HeaderMap,
    session: Option<Extension<Resolved>>,
) -> Response {
    let (scope, cookie) = match viewer(&headers, session, Permission::ViewDashboard, "Sign in to follow the dashboard.")
    {
        Ok(viewer) => viewer,
        Err(refused) => return *refused,
    };
    let tenant = scope.tenant;
    let still_allowed = still_allowed(state.db.primary().clone(), cookie, Permission::ViewDashboard, scope);
    let pick = |_: &Uuid| Some(Event::default().event("sales").data("changed"));
    let events =
        state.live.follow(tenant, state.live.sales.subscribe(), |tenant| *tenant, pick, SALES_QUIET, still_allowed);
    Sse::new(events).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))).into_response()
}

/// How close together two "look again" events of the dashboard may be.
const SALES_QUIET: Duration = Duration::from_secs(1);

/// The signed-in person's reach for `permission` and their session's cookie, or the answer that
/// refuses them: 401 (saying `sign_in`) without a session, 403 without the permission.
fn viewer(
    headers: &HeaderMap,
    session: Option<Extension<Resolved>>,
    permission: Permission,
    sign_in: &'static str,
) -> Result<(Scope, String), Box<Response>> {
    let (Some(Extension(resolved)), Some(cookie)) = (session, crate::guard::cookie(headers, session::COOKIE)) else {
        return Err(Box::new((StatusCode::UNAUTHORIZED, sign_in).into_response()));
    };
    match resolved.actor.require(permission) {
        Ok(scope) => Ok((scope, cookie.to_owned())),
        Err(error) => Err(Box::new((StatusCode::FORBIDDEN, error.to_string()).into_response())),
    }
}

/// What a stream asks to know whether its viewer may still watch (see [`still_sees`]).
fn still_allowed(
    db: sqlx::PgPool,
    cookie: String,
    permission: Permission,
    scope: Scope,
) -> impl Fn() -> std::pin::Pin<Box<dyn Future<Output = bool> + Send>> + Send + 'static {
    move || {
        let (db, cookie, scope) = (db.clone(), cookie.clone(), scope.clone());
        Box::pin(async move { still_sees(&db, &cookie, permission, &scope).await })
    }
}

/// Whether the session of this cookie still lets its person do `permission` as far as they
/// could when the stream began (a change of the shops they are bound to ends it, and the
/// browser's reconnect follows the new ones). A database that cannot answer says no: the browser
/// reconnects and asks again.
async fn still_sees(db: &sqlx::PgPool, cookie: &str, permission: Permission, scope: &Scope) -> bool {
    match session::still_live(db, cookie).await {
        Ok(Some(resolved)) => resolved.actor.require(permission).is_ok_and(|now| now == *scope),
        Ok(None) => false,
        Err(error) => {
            tracing::warn!(%error, "could not check a live stream's session; ending it");
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
    let pick = |change: &Arc<StockChange>| {
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
    let events = state.live.follow(
        tenant,
        state.live.stock.subscribe(),
        |change| change.tenant,
        pick,
        Duration::ZERO,
        store_open,
    );
    Sse::new(events).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))).into_response()
}
