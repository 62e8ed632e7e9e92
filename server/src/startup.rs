//! Building the application (state and router) and running the subcommands.

use std::time::Duration;

use app::{App, shell};
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::extract::FromRef;
use axum::http::HeaderValue;
use axum::http::header::{CONTENT_SECURITY_POLICY, REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS};
use axum::middleware;
use axum::routing::{get, post};
use axum::serve::ListenerExt;
use commerce::db::Db;
use leptos::prelude::*;
use leptos_axum::{LeptosRoutes, generate_route_list};
use metrics_exporter_prometheus::PrometheusHandle;
use tower::ServiceBuilder;
use tower_http::CompressionLevel;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;

use crate::config::{DatabaseSettings, SeedSettings, ServeSettings};
use crate::guard::{self, TrustedProxies};
use crate::{health, observe, rest, telemetry};
pub use app::SiteSettings;

/// What every handler can reach. Cheap to clone: pools and handles are shared.
#[derive(Clone)]
pub struct AppState {
    /// The database pools.
    pub db: Db,
    /// Where the built site is and what its files are called.
    pub leptos: LeptosOptions,
    /// The metrics recorder `/metrics` renders.
    pub metrics: PrometheusHandle,
    /// Who may read `/metrics` on the main address (nobody unless a token is configured).
    pub metrics_access: observe::MetricsAccess,
    /// The public address and cookie policy.
    pub site: SiteSettings,
    /// Proxies whose forwarded client addresses are believed.
    pub trusted_proxies: TrustedProxies,
    /// The keys that seal stored secrets, when configured.
    pub secrets: Option<commerce::secrets::Keyring>,
    /// Where Paystack's API is.
    pub paystack: commerce::orders::paystack::Paystack,
    /// Stock changes heard from the database, for browsers following them live.
    pub live: crate::live::LiveFeed,
    /// Where product pictures are kept.
    pub media: commerce::media::Media,
    /// API tokens resolved lately; kept only while `serve` hears of removed tokens.
    pub tokens: commerce::identity::api_client::TokenCache,
    /// Who delivers letters to people (reset links, invitations, sign-up links).
    pub mail: commerce::mail::Mail,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos.clone()
    }
}

impl AppState {
    /// State for a server whose site files are in `site_root`, reached at `public_url`.
    pub fn new(db: Db, site_root: &str, public_url: &str) -> Self {
        let assets = app::SiteAssets::read(std::path::Path::new(site_root));
        let leptos =
            LeptosOptions::builder().output_name(assets.app.clone()).site_root(site_root).site_pkg_dir("pkg").build();
        let site = SiteSettings {
            public_url: public_url.trim_end_matches('/').to_owned(),
            secure_cookies: public_url.starts_with("https://"),
            demo: false,
            assets,
        };
        Self {
            db,
            leptos,
            metrics: observe::recorder(),
            metrics_access: observe::MetricsAccess::default(),
            site,
            trusted_proxies: TrustedProxies::default(),
            secrets: None,
            paystack: commerce::orders::paystack::Paystack::default(),
            live: crate::live::LiveFeed::default(),
            // A folder of its own until the configured one is set (tests keep it so).
            media: std::sync::Arc::new(commerce::media::DiskStore::new(
                std::env::temp_dir().join(format!("sc1-media-{}", uuid::Uuid::now_v7().simple())),
            )),
            tokens: commerce::identity::api_client::TokenCache::default(),
            mail: std::sync::Arc::new(commerce::mail::Log),
        }
    }
}

/// The whole application: pages, server functions, REST, health, metrics and static files.
pub fn router(state: AppState) -> Router {
    spawn_in_the_request_span();
    let routes = site_routes();
    let (db, site, mail) = (state.db.clone(), state.site.clone(), state.mail.clone());
    let payments = app::Payments { keyring: state.secrets.clone(), paystack: state.paystack.clone() };
    let store_cache = state.live.store_cache.clone();
    let page_context = move || {
        provide_context(db.clone());
        provide_context(site.clone());
        provide_context(mail.clone());
        provide_context(payments.clone());
        provide_context(store_cache.clone());
    };
    let leptos = state.leptos.clone();
    Router::new()
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/metrics", get(observe::render_to_scraper))
        .route("/admin/live/stock", get(crate::live::stock))
        .route("/admin/live/dashboard", get(crate::live::sales))
        .route("/admin/export/products.csv", get(crate::exports::products))
        .route("/admin/export/stock.csv", get(crate::exports::stock))
        .route("/admin/export/customers.csv", get(crate::exports::customers))
        .route("/store/{slug}/sitemap.xml", get(crate::sitemap::store))
        .route("/admin/export/customers/{file}", get(crate::exports::customer))
        .route("/admin/export/products-template.csv", get(crate::exports::products_template))
        .route("/admin/export/stock-template.csv", get(crate::exports::stock_template))
        .route("/store/{slug}/live", get(crate::live::availability))
        .route("/media/{*key}", get(crate::media::serve))
        .route(
            "/admin/products/{id}/images",
            post(crate::media::upload_from_editor).layer(DefaultBodyLimit::max(crate::media::LARGEST_BODY)),
        )
        .route(
            "/vendor/documents",
            post(crate::vendor_files::upload_own).layer(DefaultBodyLimit::max(crate::vendor_files::LARGEST_BODY)),
        )
        .route("/vendor/documents/{id}", get(crate::vendor_files::download_own))
        .route("/vendor/statement.csv", get(crate::exports::own_statement))
        .route("/admin/vendors/{vendor}/statement.csv", get(crate::exports::vendor_statement))
        .route(
            "/admin/vendors/{id}/documents",
            post(crate::vendor_files::upload_for).layer(DefaultBodyLimit::max(crate::vendor_files::LARGEST_BODY)),
        )
        .route("/admin/vendors/{vendor}/documents/{id}", get(crate::vendor_files::download_for))
        .route(
            "/store/{slug}/order/{key}/disputes",
            post(crate::dispute_files::open).layer(DefaultBodyLimit::max(crate::dispute_files::LARGEST_BODY)),
        )
        .route(
            "/store/{slug}/order/{key}/disputes/{id}/messages",
            post(crate::dispute_files::shopper_reply).layer(DefaultBodyLimit::max(crate::dispute_files::LARGEST_BODY)),
        )
        .route("/store/{slug}/order/{key}/disputes/{id}/photos/{photo}", get(crate::dispute_files::shopper_photo))
        .route(
            "/vendor/disputes/{id}/messages",
            post(crate::dispute_files::staff_reply).layer(DefaultBodyLimit::max(crate::dispute_files::LARGEST_BODY)),
        )
        .route(
            "/admin/vendors/disputes/{id}/messages",
            post(crate::dispute_files::staff_reply).layer(DefaultBodyLimit::max(crate::dispute_files::LARGEST_BODY)),
        )
        .route("/vendor/disputes/{id}/photos/{photo}", get(crate::dispute_files::staff_photo))
        .route("/admin/vendors/disputes/{id}/photos/{photo}", get(crate::dispute_files::staff_photo))
        .merge(rest::router())
        .merge(rest::docs_page())
        .leptos_routes_with_context(&state, routes, page_context.clone(), move || shell(leptos.clone()))
        .route_layer(middleware::from_fn(observe::label_route))
        .fallback(site_files_or_not_found(&state, page_context))
        .layer(middleware::from_fn_with_state(state.clone(), crate::store_pages::send_kept))
        .layer(middleware::from_fn(crate::forms::plain_form_posts))
        .layer(middleware::from_fn_with_state(state.clone(), guard::identify))
        .layer(middleware::from_fn_with_state(state.clone(), guard::same_origin))
        .with_state(state)
        .layer(
            ServiceBuilder::new()
                .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
                .layer(
                    TraceLayer::new_for_http()
                        .make_span_with(telemetry::request_span)
                        .on_response(DefaultOnResponse::new().level(Level::INFO)),
                )
                .layer(PropagateRequestIdLayer::x_request_id())
                .layer(middleware::from_fn(observe::record))
                // Every response: no sniffing, no framing, no full referrers to other sites, and a
                // same-origin Content-Security-Policy unless the page set its own (pages add the
                // nonce of their inline scripts). The service worker runs under this policy, so it
                // must allow fetching from this site.
                .layer(SetResponseHeaderLayer::overriding(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
                .layer(SetResponseHeaderLayer::overriding(X_FRAME_OPTIONS, HeaderValue::from_static("DENY")))
                .layer(SetResponseHeaderLayer::overriding(
                    REFERRER_POLICY,
                    HeaderValue::from_static("strict-origin-when-cross-origin"),
                ))
                .layer(SetResponseHeaderLayer::if_not_present(
                    CONTENT_SECURITY_POLICY,
                    HeaderValue::from_static("default-src 'self'; object-src 'none'; frame-ancestors 'none'"),
                ))
                // Brotli's default (quality 11) spends seconds on a large wasm file; level 4 keeps
                // most of the saving at a fraction of the processor time.
                .layer(CompressionLayer::new().quality(CompressionLevel::Precise(4))),
        )
}

/// The site's files (the wasm, scripts, styles, icons, manifest and service worker) and, for
/// any other address, the page that says it leads nowhere.
///
/// This replaces `leptos_axum`'s `file_and_error_handler`, which answers a file inside a reactive
/// owner made as a child of whatever owner the worker thread last had current. When that was a
/// page still rendering for someone else, the file took that page's response options: its
/// headers (the page's security policy, any cookie) and its status. A stylesheet answered 401 and
/// the page came without its policy. Here a file is answered outside Leptos, and the page under
/// a root owner of its own.
fn site_files_or_not_found(
    state: &AppState,
    page_context: impl Fn() + Clone + Send + Sync + 'static,
) -> impl Fn(axum::extract::Request) -> std::pin::Pin<Box<dyn Future<Output = axum::response::Response> + Send>>
+ Clone
+ Send
+ Sync
+ 'static {
    use axum::http::{Method, StatusCode};
    use tower::ServiceExt;

    let files = tower_http::services::ServeDir::new(&*state.leptos.site_root).precompressed_br().precompressed_gzip();
    let options = state.leptos.clone();
    let with_state = state.clone();
    let page = leptos_axum::render_app_async_with_context(
        move || {
            provide_context(with_state.clone());
            page_context();
        },
        move || shell(options.clone()),
    );
    move |request| {
        let (files, page) = (files.clone(), page.clone());
        Box::pin(async move {
            if matches!(*request.method(), Method::GET | Method::HEAD) {
                let mut probe = axum::http::Request::new(axum::body::Body::empty());
                *probe.method_mut() = request.method().clone();
                *probe.uri_mut() = request.uri().clone();
                *probe.headers_mut() = request.headers().clone();
                let path = request.uri().path().to_owned();
                let Ok(mut file) = files.oneshot(probe).await;
                if file.status().is_success() || file.status() == StatusCode::NOT_MODIFIED {
                    file.headers_mut().insert(axum::http::header::CACHE_CONTROL, cache_policy(&path));
                    return file.map(axum::body::Body::new);
                }
            }
            let mut answer = page(request).await;
            if answer.status() == StatusCode::OK {
                *answer.status_mut() = StatusCode::NOT_FOUND;
            }
            answer
        })
    }
}

/// How long browsers may keep a site file: a year, never asking again, for the built files named
/// by their content (a new build has new names); for the others (icons, manifest, the service
/// worker), only after asking whether it changed, which costs a 304 and no body.
fn cache_policy(path: &str) -> HeaderValue {
    let name = ["/pkg/sc1-", "/pkg/store-", "/pkg/till-"]
        .into_iter()
        .find_map(|prefix| path.strip_prefix(prefix))
        .unwrap_or_default();
    let hashed =
        name.len() > 16 && name.as_bytes()[..16].iter().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(b));
    HeaderValue::from_static(if hashed { "public, max-age=31536000, immutable" } else { "no-cache" })
}

/// The site's routes, worked out once per process. Working them out renders the whole app with
/// resource loading switched off by a flag of the whole process (Leptos'
/// `SuppressResourceLoad`); a page elsewhere in the process whose data was first asked for in
/// that moment waited for ever. Worked out once, before any router exists, no page can render
/// while it happens, however many routers are built (a test binary builds one per test).
fn site_routes() -> Vec<leptos_axum::AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<leptos_axum::AxumRouteListing>> = std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// Work a page starts while it renders (its resources) runs as tasks of its own; they carry the
/// request's span, so what they log names the request id.
fn spawn_in_the_request_span() {
    struct InTheRequestSpan;
    impl any_spawner::CustomExecutor for InTheRequestSpan {
        fn spawn(&self, work: any_spawner::PinnedFuture<()>) {
            tokio::spawn(tracing::Instrument::instrument(work, tracing::Span::current()));
        }
        fn spawn_local(&self, work: any_spawner::PinnedLocalFuture<()>) {
            tokio::task::spawn_local(tracing::Instrument::instrument(work, tracing::Span::current()));
        }
        fn poll_local(&self) {}
    }
    // Set once per process; Leptos' own (plain tokio) stays unset because this comes first.
    let _ = any_spawner::Executor::init_custom_executor(InTheRequestSpan);
}

/// `serve`: migrate, then answer requests until Ctrl-C or SIGTERM, letting open ones finish.
pub async fn serve(settings: ServeSettings) -> Result<(), String> {
    migrate(&settings.database).await?;
    let db = Db::connect_lazy(&settings.database.pools()).map_err(|e| e.to_string())?;
    commerce::db::ensure_bound_by_row_security(db.primary()).await?;
    let site_root = settings.site_root.to_string_lossy().into_owned();
    if !settings.site_root.join("pkg").is_dir() {
        tracing::warn!(site_root, "no built site here (pkg/ is missing): pages will load without script or style");
    }
    let public_url = settings.public_url.clone().unwrap_or_else(|| format!("http://{}", settings.bind));
    let mut state = AppState::new(db.clone(), &site_root, &public_url);
    state.site.demo = settings.demo;
    if settings.demo {
        tracing::warn!("demo mode: the start page shows the demo accounts and their password");
    }
    state.media = settings.media.store();
    state.mail = settings.mail.postman()?;
    state.trusted_proxies = TrustedProxies(std::sync::Arc::new(settings.trusted_proxies.clone()));
    state.metrics_access = observe::MetricsAccess::with_token(settings.metrics_token.as_deref());
    state.secrets = if let Some(spec) = settings.secrets_keys.as_deref() {
        Some(commerce::secrets::Keyring::parse(spec).map_err(|e| e.to_string())?)
    } else {
        tracing::warn!("SECRETS_KEYS is not set: features that store secrets will refuse until it is");
        None
    };
    if let Some(url) = &settings.paystack_url {
        state.paystack = commerce::orders::paystack::Paystack { base_url: url.trim_end_matches('/').to_owned() };
    }
    if !settings.store_cache {
        state.live.store_cache = app::api::StoreCache::keeping_nothing();
    }
    let (state_live, media, tokens) = (state.live.clone(), state.media.clone(), state.tokens.clone());
    let mail = state.mail.clone();
    if let Some(address) = settings.metrics_addr {
        let listener =
            tokio::net::TcpListener::bind(address).await.map_err(|e| format!("cannot listen on {address}: {e}"))?;
        tracing::info!(%address, "serving metrics at http://{address}/metrics");
        let metrics = observe::metrics_router(state.clone());
        tokio::spawn(async move {
            if let Err(error) = axum::serve(listener, metrics).await {
                tracing::error!(%error, "the metrics address stopped");
            }
        });
    }
    let app = router(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    let listener = tokio::net::TcpListener::bind(settings.bind)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", settings.bind))?
        // Pages stream in several chunks; without this each waits for a delayed ACK (~40 ms).
        .tap_io(|tcp| {
            let _ = tcp.set_nodelay(true);
        });
    tracing::info!(address = %settings.bind, "serving http://{}", settings.bind);
    let grace = Duration::from_secs(settings.shutdown_grace);
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    tokio::spawn(async move {
        stop_signal().await;
        let _ = stop_tx.send(true);
    });
    let stopped = |mut rx: tokio::sync::watch::Receiver<bool>| async move {
        let _ = rx.wait_for(|stop| *stop).await;
    };
    tokio::spawn(state_live.listen(db.primary().clone()));
    tokio::spawn(tokens.follow(db.primary().clone()));
    let worker = tokio::spawn(crate::worker::run(db, media, mail, stop_rx.clone()));
    let server = axum::serve(listener, app).with_graceful_shutdown(stopped(stop_rx.clone()));
    tokio::select! {
        result = server => result.map_err(|e| format!("server failed: {e}"))?,
        () = async { stopped(stop_rx).await; tokio::time::sleep(grace).await } => {
            tracing::warn!("requests still open after {}s; stopping anyway", grace.as_secs());
        }
    }
    if tokio::time::timeout(grace, worker).await.is_err() {
        tracing::warn!("the worker did not stop within {}s", grace.as_secs());
    }
    tracing::info!("stopped");
    Ok(())
}

/// `migrate`: apply pending migrations as the owner and grant the application's role its rights.
pub async fn migrate(settings: &DatabaseSettings) -> Result<(), String> {
    let app_role = commerce::db::role_of(&settings.database_url);
    commerce::db::migrate(settings.owner_url(), app_role.as_deref())
        .await
        .map_err(|e| format!("migrating the database failed: {e}"))?;
    tracing::info!("database migrated");
    Ok(())
}

/// `seed`: load each part of the demo data that is not loaded yet.
pub async fn seed(settings: &SeedSettings) -> Result<(), String> {
    migrate(&settings.database).await?;
    let mut owner = settings.database.pools();
    owner.url = settings.database.owner_url().to_owned();
    let db = Db::connect_lazy(&owner).map_err(|e| e.to_string())?;
    let media = settings.media.store();
    let applied = commerce::demo::load_with(db.primary(), Some(&*media))
        .await
        .map_err(|e| format!("loading demo data failed: {e}"))?;
    if applied.is_empty() {
        tracing::info!("demo data already loaded");
    } else {
        tracing::info!(steps = applied.len(), "demo data loaded");
    }
    if let Some(orders) = settings.orders {
        let started = std::time::Instant::now();
        let written = commerce::demo::history::load(db.primary(), orders)
            .await
            .map_err(|e| format!("loading a history of orders failed: {e}"))?;
        for (business, n) in written {
            tracing::info!(business, orders = n, "history of orders loaded");
        }
        tracing::info!(seconds = started.elapsed().as_secs(), "history loaded");
    }
    Ok(())
}

/// Resolves on Ctrl-C or SIGTERM.
async fn stop_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
    tracing::info!("stop signal received; finishing open requests");
}
