//! The edges of the site, through the router: where a sign-in may send people, which sites may
//! post to it, who may read metrics, how long a live feed keeps talking, and who may follow an
//! import or download the product file.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "a test fails loudly on what it did not expect")]

mod support;

use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use commerce::base::Role;
use commerce::db::Db;
use commerce::identity::session;
use http_body_util::BodyExt;
use server::{AppState, router};
use sqlx::PgPool;
use support::builders::{Business, PASSWORD, email_of};
use tower::ServiceExt;
use uuid::Uuid;

const SITE: &str = "http://127.0.0.1:3000";
const HOST: &str = "127.0.0.1:3000";

struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    body: String,
}

impl Answer {
    fn location(&self) -> &str {
        self.headers.get(header::LOCATION).and_then(|v| v.to_str().ok()).unwrap_or_default()
    }

    /// The session cookie this answer set, as a `Cookie` header carries it.
    fn cookie(&self) -> String {
        let set = self.headers.get(header::SET_COOKIE).and_then(|v| v.to_str().ok()).unwrap_or_default();
        set.split(';').next().unwrap_or_default().to_owned()
    }
}

async fn send(app: &Router, request: axum::http::request::Builder, body: String) -> Answer {
    let response = app.clone().oneshot(request.body(Body::from(body)).unwrap()).await.unwrap_or_else(|e| match e {});
    let (parts, body) = response.into_parts();
    let bytes = body.collect().await.map(http_body_util::Collected::to_bytes).unwrap_or_default();
    Answer { status: parts.status, headers: parts.headers, body: String::from_utf8_lossy(&bytes).into_owned() }
}

/// A supermarket of the test's own (see `Business::supermarket`), and the server's state over
/// it as the application's role.
async fn shop_state(owner: &PgPool) -> (AppState, Business) {
    let oja = Business::supermarket(owner).await;
    (AppState::new(Db::from_pool(oja.db.clone()), "target/site", SITE), oja)
}

async fn shop_app(owner: &PgPool) -> (Router, Business) {
    let (state, oja) = shop_state(owner).await;
    (router(state), oja)
}

/// The address of the business's store, and what follows it.
fn store(business: &Business, rest: &str) -> String {
    format!("/store/{}{rest}", business.slug)
}

/// A form posted to a server function by a page of this site.
fn form_post(path: &str) -> axum::http::request::Builder {
    Request::post(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "text/html")
        .header(header::HOST, HOST)
        .header(header::ORIGIN, SITE)
}

/// A call of a server function by a script of this site, answered in JSON.
fn rpc_call(path: &str) -> axum::http::request::Builder {
    Request::post(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json")
        .header(header::HOST, HOST)
        .header(header::ORIGIN, SITE)
}

fn form(pairs: &[(&str, &str)]) -> String {
    form_urlencoded::Serializer::new(String::new()).extend_pairs(pairs).finish()
}

/// Signs in through the sign-in form; answers the `Cookie` header of the new session.
async fn sign_in(app: &Router, email: &str) -> String {
    let answer = send(app, form_post("/rpc/log_in"), form(&[("email", email), ("password", PASSWORD)])).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{email}: {}", answer.body);
    answer.cookie()
}

/// Whether the session of this `Cookie` header is still live.
async fn is_live(db: &PgPool, cookie: &str) -> bool {
    let value = cookie.strip_prefix("sc1_session=").unwrap_or_default();
    session::resolve(db, value).await.unwrap().is_some()
}

// ---- Where a sign-in sends people -------------------------------------------------------------

#[sqlx::test(migrations = "../migrations")]
async fn sign_in_sends_people_only_to_paths_on_this_site(owner: PgPool) {
    let (app, oja) = shop_app(&owner).await;
    let boss = email_of(&oja.owner).to_owned();
    let sign_in_then = |next: &'static str| {
        let (app, owner, boss) = (app.clone(), owner.clone(), boss.clone());
        async move {
            // Many sign-ins in a row: forget the attempts so the limit on them stays out of the way.
            sqlx::query("DELETE FROM rate_limits").execute(&owner).await.unwrap();
            let body = form(&[("email", &boss), ("password", PASSWORD), ("next", next)]);
            send(&app, form_post("/rpc/log_in"), body).await
        }
    };
    for next in [
        "/\t/evil.example/phish",
        "/\n/evil.example",
        "/\r\n/evil.example",
        "/ /evil.example",
        "//evil.example/phish",
        "/\\evil.example",
        "\\/evil.example",
        "https://evil.example/",
        "http:/evil.example",
        "javascript:alert(1)",
        "evil.example",
        "/\u{7f}/evil.example",
        "/\u{a0}/evil.example",
    ] {
        let answer = sign_in_then(next).await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "{next:?}: {}", answer.body);
        assert_eq!(answer.location(), "/admin", "{next:?} is not a path on this site");
    }
    for (next, kept) in [
        ("/admin/products?status=draft", "/admin/products?status=draft"),
        ("/admin/stock#counts", "/admin/stock#counts"),
        ("/admin/%2F%2Fevil.example", "/admin/%2F%2Fevil.example"),
    ] {
        let answer = sign_in_then(next).await;
        assert_eq!(answer.location(), kept, "{next:?}");
    }
}

// ---- Which sites may post -----------------------------------------------------------------------

#[sqlx::test(migrations = "../migrations")]
async fn sign_in_and_sign_up_from_another_site_are_refused(owner: PgPool) {
    let (app, oja) = shop_app(&owner).await;
    let credentials = form(&[("email", email_of(&oja.owner)), ("password", PASSWORD)]);
    let cross_site = [
        ("origin", "https://evil.example"),
        ("sec-fetch-site", "cross-site"),
        ("sec-fetch-site", "same-site"),
        ("referer", "https://evil.example/login.html"),
    ];
    for (name, value) in cross_site {
        let request = Request::post("/rpc/log_in")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::HOST, HOST)
            .header(name, value);
        let answer = send(&app, request, credentials.clone()).await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN, "sign-in with {name}: {value}");
        assert!(answer.headers.get(header::SET_COOKIE).is_none(), "no session for {name}: {value}");
    }
    for path in ["/rpc/sign_up", "/rpc/register_shopper", "/rpc/log_in_shopper", "/rpc/accept_invitation"] {
        let request = Request::post(path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::HOST, HOST)
            .header(header::ORIGIN, "https://evil.example");
        assert_eq!(send(&app, request, String::new()).await.status, StatusCode::FORBIDDEN, "{path}");
    }
    // A tool that says nothing of where it comes from is no browser following another site.
    let tool = Request::post("/rpc/log_in")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "text/html");
    assert_eq!(send(&app, tool, credentials.clone()).await.status, StatusCode::SEE_OTHER);
    // The REST API is not signed in by cookie and keeps answering other origins.
    let api = Request::post("/api/v1/oauth/token")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ORIGIN, "https://evil.example");
    let answer = send(&app, api, "grant_type=client_credentials&client_id=x&client_secret=y".into()).await;
    assert_ne!(answer.status, StatusCode::FORBIDDEN, "{}", answer.body);
}

#[sqlx::test(migrations = "../migrations")]
async fn an_origin_with_another_scheme_is_refused(owner: PgPool) {
    let (app, oja) = shop_app(&owner).await;
    let cookie = sign_in(&app, email_of(&oja.owner)).await;
    for origin in ["https://127.0.0.1:3000", "http://127.0.0.1:3001", "http://127.0.0.1"] {
        let request = Request::post("/rpc/log_out")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, &cookie)
            .header(header::HOST, HOST)
            .header(header::ORIGIN, origin);
        assert_eq!(send(&app, request, String::new()).await.status, StatusCode::FORBIDDEN, "{origin}");
    }
    let request = Request::post("/rpc/log_out")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, &cookie)
        .header(header::HOST, HOST)
        .header(header::REFERER, "https://127.0.0.1:3000/admin");
    assert_eq!(send(&app, request, String::new()).await.status, StatusCode::FORBIDDEN, "referer");
    assert!(is_live(&owner, &cookie).await, "nothing refused was done");
}

#[sqlx::test(migrations = "../migrations")]
async fn behind_a_tls_proxy_the_public_address_is_this_site(owner: PgPool) {
    let (state, oja) = shop_state(&owner).await;
    let state = AppState::new(state.db.clone(), "target/site", "https://shop.example.ng");
    let app = router(state);
    // The proxy speaks plain HTTP to the server, under its own Host.
    let post = |origin: &'static str| {
        Request::post("/rpc/log_in")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "text/html")
            .header(header::HOST, HOST)
            .header(header::ORIGIN, origin)
    };
    let credentials = form(&[("email", email_of(&oja.owner)), ("password", PASSWORD)]);
    let signed_in = send(&app, post("https://shop.example.ng"), credentials.clone()).await;
    assert_eq!(signed_in.status, StatusCode::SEE_OTHER, "{}", signed_in.body);
    let cookie = signed_in.cookie();
    let log_out = |origin: &'static str| {
        Request::post("/rpc/log_out")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "text/html")
            .header(header::COOKIE, &cookie)
            .header(header::HOST, "shop.example.ng")
            .header(header::ORIGIN, origin)
    };
    assert_eq!(send(&app, log_out("http://shop.example.ng"), String::new()).await.status, StatusCode::FORBIDDEN);
    assert_eq!(send(&app, log_out("https://shop.example.ng"), String::new()).await.status, StatusCode::SEE_OTHER);
    assert!(!is_live(&owner, &cookie).await);
}

#[sqlx::test(migrations = "../migrations")]
async fn signing_in_again_ends_the_session_it_replaces(owner: PgPool) {
    let (app, oja) = shop_app(&owner).await;
    let first = sign_in(&app, email_of(&oja.owner)).await;
    let manager = oja.someone(Role::Manager).await;
    let credentials = form(&[("email", &manager), ("password", PASSWORD)]);
    let second = send(&app, form_post("/rpc/log_in").header(header::COOKIE, &first), credentials).await;
    assert_eq!(second.status, StatusCode::SEE_OTHER, "{}", second.body);
    assert!(!is_live(&owner, &first).await, "the owner's session ended when the manager signed in over it");
    assert!(is_live(&owner, &second.cookie()).await);

    let shopper = oja.shopper("Funmi Adebayo").await;
    let shopper = form(&[("slug", &oja.slug), ("email", &shopper), ("password", PASSWORD)]);
    let third = send(&app, form_post("/rpc/log_in_shopper").header(header::COOKIE, second.cookie()), shopper).await;
    assert_eq!(third.status, StatusCode::SEE_OTHER, "{}", third.body);
    assert!(!is_live(&owner, &second.cookie()).await, "the staff session ended when a shopper signed in over it");

    let registration = form(&[
        ("slug", &oja.slug),
        ("name", "Tunde Bello"),
        ("email", "tunde@example.ng"),
        ("password", "a-long-enough-password"),
    ]);
    let fourth =
        send(&app, form_post("/rpc/register_shopper").header(header::COOKIE, third.cookie()), registration).await;
    assert_eq!(fourth.status, StatusCode::SEE_OTHER, "{}", fourth.body);
    assert!(!is_live(&owner, &third.cookie()).await, "the shopper's session ended when another registered over it");
    assert!(is_live(&owner, &fourth.cookie()).await);
}

// ---- Metrics ------------------------------------------------------------------------------------

#[sqlx::test(migrations = "../migrations")]
async fn metrics_are_not_served_to_the_public_by_default(owner: PgPool) {
    let (app, _) = shop_app(&owner).await;
    let answer = send(&app, Request::get("/metrics"), String::new()).await;
    assert_eq!(answer.status, StatusCode::NOT_FOUND);
    assert!(!answer.body.contains("http_requests_total"));
}

#[sqlx::test(migrations = "../migrations")]
async fn made_up_http_methods_share_one_metrics_label(owner: PgPool) {
    let (state, oja) = shop_state(&owner).await;
    let metrics = state.metrics.clone();
    let app = router(state);
    for n in 0..20 {
        let method = format!("MADEUP{n}");
        let request = Request::builder().method(method.as_str()).uri(store(&oja, ""));
        send(&app, request, String::new()).await;
    }
    let text = metrics.render();
    assert!(!text.contains("MADEUP"), "no series per made-up method");
    assert!(text.contains(r#"method="OTHER""#), "made-up methods are counted together");
}

// ---- Live feeds ---------------------------------------------------------------------------------

/// The next event of a Server-Sent Events body as (event, data), skipping keep-alive comments;
/// `None` when the stream ended, or nothing came within `within`.
async fn next_event(body: &mut Body, within: Duration) -> Option<(String, serde_json::Value)> {
    let deadline = tokio::time::Instant::now() + within;
    let mut text = String::new();
    loop {
        let frame = tokio::time::timeout_at(deadline, body.frame()).await.ok()??.ok()?;
        if let Ok(data) = frame.into_data() {
            text.push_str(&String::from_utf8_lossy(&data));
        }
        while let Some(end) = text.find("\n\n") {
            let block: String = text.drain(..end + 2).collect();
            let field = |name: &str| {
                block.lines().find_map(|l| l.strip_prefix(name).map(|v| v.trim_start().to_owned())).unwrap_or_default()
            };
            let (event, data) = (field("event:"), field("data:"));
            if !event.is_empty() {
                return Some((event, serde_json::from_str(&data).unwrap_or_default()));
            }
        }
    }
}

/// Whether the stream ends within `within` (events before its end are read and dropped).
async fn ends_within(body: &mut Body, within: Duration) -> bool {
    let deadline = tokio::time::Instant::now() + within;
    loop {
        match tokio::time::timeout_at(deadline, body.frame()).await {
            Err(_) => return false,
            Ok(None | Some(Err(_))) => return true,
            Ok(Some(Ok(_))) => {}
        }
    }
}

async fn open_stream(app: &Router, path: &str, cookie: Option<&str>) -> Body {
    let mut request = Request::get(path).header(header::ACCEPT, "text/event-stream");
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    let response = app.clone().oneshot(request.body(Body::empty()).unwrap()).await.unwrap_or_else(|e| match e {});
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    response.into_body()
}

/// Tells listeners that access changed, as the database does when a session, member or business
/// ends; again and again, since the listener may not be listening yet when the first is said.
fn keep_announcing_access(owner: &PgPool) -> tokio::task::JoinHandle<()> {
    let owner = owner.clone();
    tokio::spawn(async move {
        loop {
            let _ = sqlx::query("SELECT pg_notify('access', '')").execute(&owner).await;
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    })
}

#[sqlx::test(migrations = "../migrations")]
async fn a_stock_stream_ends_at_once_when_access_ends(owner: PgPool) {
    let (state, oja) = shop_state(&owner).await;
    tokio::spawn(state.live.clone().listen(oja.db.clone()));
    let app = router(state);
    let cookie = sign_in(&app, &oja.someone(Role::Manager).await).await;
    let mut stream = open_stream(&app, "/admin/live/stock", Some(&cookie)).await;
    assert!(!ends_within(&mut stream, Duration::from_millis(300)).await, "open while the session lives");
    let announcing = keep_announcing_access(&owner);
    assert!(!ends_within(&mut stream, Duration::from_millis(500)).await, "a notice alone ends nothing");

    let log_out = form_post("/rpc/log_out").header(header::COOKIE, &cookie);
    assert_eq!(send(&app, log_out, String::new()).await.status, StatusCode::SEE_OTHER);
    assert!(ends_within(&mut stream, Duration::from_secs(5)).await, "the stream ends once the session has");
    announcing.abort();
}

/// Moves a stock level of this variant by one, as the owner; the database announces it.
async fn nudge_stock(owner: &PgPool, variant: Uuid) {
    sqlx::query("UPDATE stock_levels SET on_hand = on_hand + 1 WHERE variant_id = $1")
        .bind(variant)
        .execute(owner)
        .await
        .unwrap();
}

/// Three products of the business on sale, each with stock (received at a cost) at its first
/// shop: (product, variant).
async fn stocked_variants(business: &Business) -> Vec<(Uuid, Uuid)> {
    let mut made = Vec::new();
    for (name, sku) in [("Mama Gold Rice 5kg", "RICE-5"), ("Power Oil 1L", "OIL-1"), ("Peak Milk 400g", "PEAK-400")] {
        let product = business.product(name, sku, 2500).await;
        business.receive(business.main, product.variants[0].id, 10).await;
        made.push((product.id.0, product.variants[0].id.0));
    }
    made
}

#[sqlx::test(migrations = "../migrations")]
async fn the_store_feed_carries_only_products_for_sale(owner: PgPool) {
    let (state, oja) = shop_state(&owner).await;
    tokio::spawn(state.live.clone().listen(oja.db.clone()));
    let app = router(state);
    let [(draft, hidden), (archived, retired), (_, on_sale)] = stocked_variants(&oja).await[..] else {
        panic!("three products with stock")
    };
    sqlx::query("UPDATE products SET status = 'draft' WHERE id = $1").bind(draft).execute(&owner).await.unwrap();
    sqlx::query("UPDATE products SET status = 'archived' WHERE id = $1").bind(archived).execute(&owner).await.unwrap();

    let manager = sign_in(&app, &oja.someone(Role::Manager).await).await;
    let mut staff_feed = open_stream(&app, "/admin/live/stock", Some(&manager)).await;
    let mut feed = open_stream(&app, &store(&oja, "/live"), None).await;
    let mut seen = Vec::new();
    // Until the listener hears them, the nudges go unheard; each round says the hidden ones first.
    'rounds: for _ in 0..50 {
        nudge_stock(&owner, hidden).await;
        nudge_stock(&owner, retired).await;
        nudge_stock(&owner, on_sale).await;
        while let Some((event, data)) = next_event(&mut feed, Duration::from_millis(200)).await {
            assert_eq!(event, "availability");
            let variant: Uuid = data["variant"].as_str().unwrap().parse().unwrap();
            seen.push(variant);
            if variant == on_sale {
                break 'rounds;
            }
        }
    }
    assert!(seen.contains(&on_sale), "the product on sale is announced");
    assert!(!seen.contains(&hidden), "a draft product's stock is not announced");
    assert!(!seen.contains(&retired), "an archived product's stock is not announced");
    // Staff follow every level of their business, on sale or not.
    let mut staff_seen = Vec::new();
    while let Some((event, data)) = next_event(&mut staff_feed, Duration::from_millis(500)).await {
        assert_eq!(event, "stock");
        staff_seen.push(data["variant"].as_str().unwrap().parse::<Uuid>().unwrap());
    }
    assert!(staff_seen.contains(&hidden) && staff_seen.contains(&on_sale), "{staff_seen:?}");
}

/// The store's home page, as a visitor gets it.
async fn store_home(app: &Router, business: &Business) -> String {
    let page = send(app, Request::get(store(business, "")).header(header::ACCEPT, "text/html"), String::new()).await;
    assert_eq!(page.status, StatusCode::OK);
    page.body
}

/// Changes a product's name without the database announcing it (its notice switched off for
/// the moment), as the owner.
async fn rename_unannounced(owner: &PgPool, product: Uuid, name: &str) {
    let mut tx = owner.begin().await.unwrap();
    sqlx::query("ALTER TABLE products DISABLE TRIGGER storefront_changed").execute(&mut *tx).await.unwrap();
    sqlx::query("UPDATE products SET name = $2 WHERE id = $1")
        .bind(product)
        .bind(name)
        .execute(&mut *tx)
        .await
        .unwrap();
    sqlx::query("ALTER TABLE products ENABLE TRIGGER storefront_changed").execute(&mut *tx).await.unwrap();
    tx.commit().await.unwrap();
}

/// Asks for the store's home until it says `wanted`, for up to five seconds.
async fn store_home_says(app: &Router, business: &Business, wanted: &str) -> bool {
    for _ in 0..50 {
        if store_home(app, business).await.contains(wanted) {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    false
}

#[sqlx::test(migrations = "../migrations")]
async fn the_storefront_loads_its_own_script_and_no_wasm(owner: PgPool) {
    let (app, oja) = shop_app(&owner).await;
    stocked_variants(&oja).await;
    let home = store_home(&app, &oja).await;
    assert!(home.contains("<script type=\"module\" src=\"/pkg/store"), "the storefront's script");
    assert!(!home.contains("wasm"), "no wasm is started");
    assert!(!home.contains("price_range"), "no data written for a hydration that will not happen");
    // The back office still starts the application's wasm.
    let login = send(&app, Request::get("/admin/login").header(header::ACCEPT, "text/html"), String::new()).await;
    assert!(login.body.contains("_bg.wasm"), "the back office hydrates");
}

#[sqlx::test(migrations = "../migrations")]
async fn a_kept_store_page_is_forgotten_when_its_catalog_or_stock_changes(owner: PgPool) {
    let (app, cache, oja) = keeping_app(&owner).await;
    let (product, variant) = stocked_variants(&oja).await[0];

    // A change nobody announced is not seen: the page was kept. The setup's own notices may
    // still be on their way and forget it meanwhile (the first attempt stands for one arriving
    // between the two visits): then the page is made again and kept, and the next attempt's
    // new name does not show either.
    assert!(store_home(&app, &oja).await.contains("Mama Gold Rice 5kg"), "the product is on the home page");
    let mut kept = false;
    for attempt in 0..50 {
        store_home(&app, &oja).await;
        let quiet = format!("Quietly Renamed Rice {attempt}");
        rename_unannounced(&owner, product, &quiet).await;
        if attempt == 0 {
            cache.changed(Some(oja.tenant.0));
        }
        if !store_home(&app, &oja).await.contains(&quiet) {
            kept = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(kept, "the kept page is served");

    // An announced change of the catalog is seen at once.
    sqlx::query("UPDATE products SET name = 'Mama Gold Rice 10kg' WHERE id = $1")
        .bind(product)
        .execute(&owner)
        .await
        .unwrap();
    assert!(store_home_says(&app, &oja, "Mama Gold Rice 10kg").await, "a renamed product shows");

    // So is a change of stock: it forgets the page, which is made again from the database.
    rename_unannounced(&owner, product, "Quietly Renamed Rice").await;
    nudge_stock(&owner, variant).await;
    assert!(store_home_says(&app, &oja, "Quietly Renamed Rice").await, "a stock change forgets the kept page");

    // And another business's change forgets nothing of this one's.
    rename_unannounced(&owner, product, "Mama Gold Rice 5kg").await;
    let market = Business::marketplace(&owner, "Naija Gadget Market").await;
    stocked_variants(&market).await;
    assert!(store_home(&app, &oja).await.contains("Quietly Renamed Rice"), "still kept");
}

/// A router whose storefront keeps pages (its listener connected), with its cache.
async fn keeping_app(owner: &PgPool) -> (Router, app::api::StoreCache, Business) {
    let (state, oja) = shop_state(owner).await;
    let cache = state.live.store_cache.clone();
    tokio::spawn(state.live.clone().listen(oja.db.clone()));
    for _ in 0..50 {
        if cache.is_listening() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(cache.is_listening(), "the listener connects");
    (router(state), cache, oja)
}

/// A kept page's text as sent with `encoding`, undone.
async fn sent_as(app: &Router, address: &str, encoding: &str) -> String {
    use std::io::Read as _;
    let response = app
        .clone()
        .oneshot(Request::get(address).header(header::ACCEPT_ENCODING, encoding).body(Body::empty()).unwrap())
        .await
        .unwrap_or_else(|e| match e {});
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()[header::CONTENT_ENCODING], encoding);
    assert_eq!(response.headers()[header::VARY], "accept-encoding, cookie");
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let mut text = String::new();
    match encoding {
        "gzip" => flate2::read::GzDecoder::new(&bytes[..]).read_to_string(&mut text),
        _ => brotli::Decompressor::new(&bytes[..], 4096).read_to_string(&mut text),
    }
    .unwrap();
    text
}

#[sqlx::test(migrations = "../migrations")]
async fn a_store_page_kept_whole_goes_only_to_visitors_without_cookies_without_inline_scripts(owner: PgPool) {
    let (app, cache, oja) = keeping_app(&owner).await;
    stocked_variants(&oja).await;
    let home = store(&oja, "");
    let visit = |address: String| send(&app, Request::get(address).header(header::ACCEPT, "text/html"), String::new());

    // Made afresh, the page carries Leptos' hydration scripts, allowed by their nonce.
    let made = send(
        &app,
        Request::get(home.clone()).header(header::COOKIE, "unrelated=1").header(header::ACCEPT, "text/html"),
        String::new(),
    )
    .await;
    assert!(made.body.contains("<script nonce="), "a page made afresh has its inline scripts");

    // Kept once the setup's own notices have passed, then sent from memory.
    for _ in 0..50 {
        visit(home.clone()).await;
        if cache.page(&oja.slug, &home).is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(cache.page(&oja.slug, &home).is_some(), "the home is kept whole");
    let kept = visit(home.clone()).await;
    assert_eq!(kept.status, StatusCode::OK);
    let policy = kept.headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
    assert!(!policy.contains("nonce"), "no nonce anyone could know: {policy}");
    assert!(!kept.body.contains("<script nonce") && !kept.body.contains("__RESOLVED_RESOURCES"), "no inline script");
    assert!(kept.body.contains("<script type=\"module\" src=\"/pkg/store"), "the storefront's own script stays");
    assert!(kept.body.contains("Mama Gold Rice 5kg"), "the shelf");
    assert_eq!(kept.headers[header::CONTENT_TYPE], "text/html; charset=utf-8");
    assert_eq!(kept.headers[header::X_FRAME_OPTIONS], "DENY", "the site's own headers still go on it");
    assert_eq!(sent_as(&app, &home, "gzip").await, kept.body, "gzipped, the same page");
    assert_eq!(sent_as(&app, &home, "br").await, kept.body, "compressed with Brotli, the same page");

    // A signed-in shopper is sent a page of their own, named; the kept page names nobody.
    let shopper = shopper_cookie(&app, &oja).await;
    let theirs = send(
        &app,
        Request::get(home.clone()).header(header::ACCEPT, "text/html").header(header::COOKIE, &shopper),
        String::new(),
    )
    .await;
    assert!(theirs.body.contains("Hi, Funmi"), "the shopper's own header");
    assert!(!visit(home.clone()).await.body.contains("Hi, Funmi"), "a visitor without cookies is named nowhere");

    // A category's page and a narrowed shelf are kept; an address with a made-up parameter, or
    // a page that could not be made, is not.
    let rice = format!("{home}?q=rice&sort=price");
    assert_eq!(visit(format!("{home}?sort=price&brand=&q=rice")).await.status, StatusCode::OK);
    assert!(cache.page(&oja.slug, &rice).is_some(), "a narrowed shelf is kept, by what narrows it");
    let shared = format!("{home}?utm_source=whatsapp");
    assert_eq!(visit(shared.clone()).await.status, StatusCode::OK);
    assert!(cache.page(&oja.slug, &shared).is_none(), "a made-up parameter is not kept");
    let sideways = format!("{home}/c/..%5C..%5C{}", oja.slug);
    visit(sideways.clone()).await;
    assert!(cache.page(&oja.slug, &sideways).is_none(), "an address that is not plain is not kept");
    let wrong = format!("{home}?sort=backwards");
    assert_eq!(visit(wrong.clone()).await.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(cache.page(&oja.slug, &wrong).is_none(), "a refusal is not kept");

    // A change of the business forgets its pages.
    cache.changed(Some(oja.tenant.0));
    assert!(cache.page(&oja.slug, &home).is_none(), "forgotten with its store");
}

#[sqlx::test(migrations = "../migrations")]
async fn no_live_feed_carries_another_businesss_stock(owner: PgPool) {
    let (state, oja) = shop_state(&owner).await;
    tokio::spawn(state.live.clone().listen(oja.db.clone()));
    let app = router(state);
    let (_, ours) = stocked_variants(&oja).await[0];
    let market = Business::marketplace(&owner, "Naija Gadget Market").await;
    let (_, theirs) = stocked_variants(&market).await[0];
    let manager = sign_in(&app, &oja.someone(Role::Manager).await).await;
    let mut feeds = [
        open_stream(&app, "/admin/live/stock", Some(&manager)).await,
        open_stream(&app, &store(&oja, "/live"), None).await,
    ];
    // The other business's level moves first in every round; ours after it, so that once ours
    // is heard, theirs (had it been let through) would have been heard before it.
    for (i, feed) in feeds.iter_mut().enumerate() {
        let mut seen = Vec::new();
        'rounds: for _ in 0..50 {
            nudge_stock(&owner, theirs).await;
            nudge_stock(&owner, ours).await;
            while let Some((_, data)) = next_event(feed, Duration::from_millis(200)).await {
                let variant: Uuid = data["variant"].as_str().unwrap().parse().unwrap();
                seen.push(variant);
                if variant == ours {
                    break 'rounds;
                }
            }
        }
        assert!(seen.contains(&ours), "feed {i} hears its own business");
        assert!(!seen.contains(&theirs), "feed {i} carried another business's stock");
    }
}

// ---- Imports and the product file ---------------------------------------------------------------

const IMPORT: &str = "name,sku,price,status\nZobo Drink 50cl,ZOBO-50,350,active\n";

/// An import the business's owner has started and that is still running.
async fn running_import(business: &Business) -> Uuid {
    let kind = commerce::files::ImportKind::Products;
    commerce::files::begin(&business.db, &business.owner, kind, IMPORT, false).await.unwrap()
}

/// A shopper of the business signed in at its store; answers the `Cookie` header.
async fn shopper_cookie(app: &Router, business: &Business) -> String {
    let email = business.shopper("Funmi Adebayo").await;
    let shopper = form(&[("slug", &business.slug), ("email", &email), ("password", PASSWORD)]);
    let answer = send(app, form_post("/rpc/log_in_shopper"), shopper).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
    answer.cookie()
}

#[sqlx::test(migrations = "../migrations")]
async fn only_those_who_may_import_can_follow_or_cancel_an_import(owner: PgPool) {
    let (app, oja) = shop_app(&owner).await;
    let market = Business::marketplace(&owner, "Naija Gadget Market").await;
    let shop_import = running_import(&oja).await;
    let market_import = running_import(&market).await;
    let outsiders = [
        (sign_in(&app, &oja.someone(Role::Cashier).await).await, shop_import, "cashier"),
        (sign_in(&app, &oja.someone(Role::Accountant).await).await, shop_import, "accountant"),
        (shopper_cookie(&app, &oja).await, shop_import, "shopper"),
        (sign_in(&app, &market.someone(Role::Vendor).await).await, market_import, "vendor staff"),
    ];
    for (cookie, job, who) in &outsiders {
        for endpoint in ["/rpc/load_import", "/rpc/cancel_import"] {
            let request = rpc_call(endpoint).header(header::COOKIE, cookie);
            let answer = send(&app, request, form(&[("id", &job.to_string())])).await;
            assert_eq!(answer.status, StatusCode::FORBIDDEN, "{who} at {endpoint}: {}", answer.body);
        }
    }
    let manager = sign_in(&app, &oja.someone(Role::Manager).await).await;
    let request = rpc_call("/rpc/load_import").header(header::COOKIE, &manager);
    let answer = send(&app, request, form(&[("id", &shop_import.to_string())])).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let job: serde_json::Value = serde_json::from_str(&answer.body).unwrap();
    assert_eq!(job["status"], "running", "nobody outside could stop it");
}

/// The cells of one line of a CSV file (quotes honoured; no line breaks inside cells).
fn cells(line: &str) -> Vec<String> {
    let (mut cells, mut cell, mut quoted, mut chars) = (Vec::new(), String::new(), false, line.chars().peekable());
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                cell.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => cells.push(std::mem::take(&mut cell)),
            _ => cell.push(c),
        }
    }
    cells.push(cell);
    cells
}

/// The cost column of every row of a product file.
fn costs(csv: &str) -> Vec<String> {
    let mut lines = csv.lines();
    let header = cells(lines.next().unwrap_or_default());
    let at = header.iter().position(|c| c == "cost").expect("a cost column");
    lines.map(|l| cells(l).get(at).cloned().unwrap_or_default()).collect()
}

#[sqlx::test(migrations = "../migrations")]
async fn cost_prices_reach_only_those_who_may_see_them(owner: PgPool) {
    let (app, oja) = shop_app(&owner).await;
    let (product, _) = stocked_variants(&oja).await[0];
    let download = |cookie: String| {
        let app = app.clone();
        async move {
            let answer =
                send(&app, Request::get("/admin/export/products.csv").header(header::COOKIE, cookie), String::new())
                    .await;
            assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
            answer.body
        }
    };
    let cashier_cookie = sign_in(&app, &oja.someone(Role::Cashier).await).await;
    let cashier = download(cashier_cookie.clone()).await;
    assert_eq!(costs(&cashier).len(), 3, "the cashier still gets the products");
    assert!(costs(&cashier).iter().all(String::is_empty), "but no cost prices");
    let manager = oja.someone(Role::Manager).await;
    for who in [manager.clone(), oja.someone(Role::Accountant).await] {
        let file = download(sign_in(&app, &who).await).await;
        assert_eq!(costs(&file), ["100.00"; 3], "{who} sees cost prices");
    }

    // The same product read one at a time, as the product page does.
    let read = |cookie: String| {
        let app = app.clone();
        async move {
            let answer = send(
                &app,
                rpc_call("/rpc/load_product").header(header::COOKIE, cookie),
                form(&[("id", &product.to_string())]),
            )
            .await;
            assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
            let value: serde_json::Value = serde_json::from_str(&answer.body).unwrap();
            value[0]["variants"].as_array().unwrap().iter().map(|v| v["cost"].clone()).collect::<Vec<_>>()
        }
    };
    assert!(read(cashier_cookie).await.iter().all(serde_json::Value::is_null), "the cashier reads no cost price");
    let manager = sign_in(&app, &manager).await;
    assert!(read(manager).await.iter().any(|c| !c.is_null()), "the manager does");
}

// ---- Metrics, when configured -------------------------------------------------------------------

#[sqlx::test(migrations = "../migrations")]
async fn metrics_answer_only_with_the_configured_token(owner: PgPool) {
    let (mut state, oja) = shop_state(&owner).await;
    state.metrics_access = server::observe::MetricsAccess::with_token(Some("scrape-me-0123456789"));
    let app = router(state);
    send(&app, Request::get(store(&oja, "")), String::new()).await;
    let scrape = |authorization: Option<&'static str>| {
        let mut request = Request::get("/metrics");
        if let Some(value) = authorization {
            request = request.header(header::AUTHORIZATION, value);
        }
        send(&app, request, String::new())
    };
    for refused in [None, Some("Bearer wrong"), Some("Bearer scrape-me-012345678"), Some("Basic c2NyYXBlLW1l")] {
        let answer = scrape(refused).await;
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "{refused:?}");
        assert!(!answer.body.contains("http_requests_total"), "{refused:?}");
    }
    let metrics = scrape(Some("Bearer scrape-me-0123456789")).await;
    assert_eq!(metrics.status, StatusCode::OK);
    assert!(
        metrics.body.contains(r#"http_requests_total{method="GET",route="/store/{slug}",status="200"}"#),
        "{}",
        metrics.body
    );
    assert!(metrics.body.contains("http_request_duration_seconds_bucket{"));
    assert!(metrics.body.contains(r#"db_pool_connections{state="open"}"#));
}

#[sqlx::test(migrations = "../migrations")]
async fn the_metrics_address_serves_metrics_and_nothing_else(owner: PgPool) {
    let (state, oja) = shop_state(&owner).await;
    let metrics = server::observe::metrics_router(state.clone());
    let app = router(state);
    send(&app, Request::get(store(&oja, "")), String::new()).await;
    assert_eq!(send(&app, Request::get("/metrics"), String::new()).await.status, StatusCode::NOT_FOUND);
    let scraped = send(&metrics, Request::get("/metrics"), String::new()).await;
    assert_eq!(scraped.status, StatusCode::OK);
    assert!(scraped.body.contains(r#"route="/store/{slug}""#), "{}", scraped.body);
    for path in ["/", &store(&oja, ""), "/admin/login", "/api/v1/settings"] {
        assert_eq!(send(&metrics, Request::get(path), String::new()).await.status, StatusCode::NOT_FOUND, "{path}");
    }
}

// ---- Live feeds, on their timer -----------------------------------------------------------------

/// A supermarket's state with live streams checking their viewer every quarter second (and no
/// listener, so that only the timer can end them), and the email of its manager.
async fn quick_checking_app(owner: &PgPool) -> (Router, Business, String) {
    let (mut state, oja) = shop_state(owner).await;
    state.live = server::live::LiveFeed::default().rechecking_every(Duration::from_millis(250));
    let manager = oja.someone(Role::Manager).await;
    (router(state), oja, manager)
}

/// Stops a member, as the database would see a deactivation from any door.
async fn deactivate(owner: &PgPool, email: &str) {
    sqlx::query("UPDATE memberships SET active = false WHERE user_id = (SELECT id FROM users WHERE email = $1)")
        .bind(email)
        .execute(owner)
        .await
        .unwrap();
}

/// Suspends a business, as the database would see it from any door.
async fn suspend(owner: &PgPool, business: &Business) {
    sqlx::query("UPDATE tenants SET status = 'suspended' WHERE id = $1")
        .bind(business.tenant.0)
        .execute(owner)
        .await
        .unwrap();
}

#[sqlx::test(migrations = "../migrations")]
async fn a_stock_stream_ends_soon_after_sign_out(owner: PgPool) {
    let (app, _, manager) = quick_checking_app(&owner).await;
    let cookie = sign_in(&app, &manager).await;
    let mut stream = open_stream(&app, "/admin/live/stock", Some(&cookie)).await;
    assert!(!ends_within(&mut stream, Duration::from_millis(800)).await, "open while the session lives");
    let log_out = form_post("/rpc/log_out").header(header::COOKIE, &cookie);
    assert_eq!(send(&app, log_out, String::new()).await.status, StatusCode::SEE_OTHER);
    assert!(ends_within(&mut stream, Duration::from_secs(3)).await, "the stream ends after sign-out");
}

#[sqlx::test(migrations = "../migrations")]
async fn a_stock_stream_ends_when_the_member_is_deactivated(owner: PgPool) {
    let (app, _, manager) = quick_checking_app(&owner).await;
    let cookie = sign_in(&app, &manager).await;
    let mut stream = open_stream(&app, "/admin/live/stock", Some(&cookie)).await;
    assert!(!ends_within(&mut stream, Duration::from_millis(800)).await);
    deactivate(&owner, &manager).await;
    assert!(ends_within(&mut stream, Duration::from_secs(3)).await, "the stream ends with the membership");
}

#[sqlx::test(migrations = "../migrations")]
async fn live_streams_end_when_the_business_is_suspended(owner: PgPool) {
    let (app, oja, manager) = quick_checking_app(&owner).await;
    let market = Business::marketplace(&owner, "Naija Gadget Market").await;
    let cookie = sign_in(&app, &manager).await;
    let mut staff = open_stream(&app, "/admin/live/stock", Some(&cookie)).await;
    let mut own_store = open_stream(&app, &store(&oja, "/live"), None).await;
    let mut other_store = open_stream(&app, &store(&market, "/live"), None).await;
    assert!(!ends_within(&mut staff, Duration::from_millis(800)).await);
    suspend(&owner, &oja).await;
    assert!(ends_within(&mut staff, Duration::from_secs(3)).await, "the staff stream ends");
    assert!(ends_within(&mut own_store, Duration::from_secs(3)).await, "the store's stream ends");
    assert!(!ends_within(&mut other_store, Duration::from_millis(800)).await, "another store's goes on");
}

#[sqlx::test(migrations = "../migrations")]
async fn the_database_itself_ends_streams_at_once_when_a_member_or_business_is_stopped(owner: PgPool) {
    // The real listener and the 30-second timer: only the database's own notices can end these
    // streams within seconds.
    let (state, oja) = shop_state(&owner).await;
    tokio::spawn(state.live.clone().listen(oja.db.clone()));
    let app = router(state);
    let manager_email = oja.someone(Role::Manager).await;
    let manager = sign_in(&app, &manager_email).await;
    let mut deactivated = open_stream(&app, "/admin/live/stock", Some(&manager)).await;
    let mut own_store = open_stream(&app, &store(&oja, "/live"), None).await;
    assert!(!ends_within(&mut deactivated, Duration::from_millis(1500)).await, "the listener is listening by now");
    deactivate(&owner, &manager_email).await;
    assert!(ends_within(&mut deactivated, Duration::from_secs(5)).await, "ended by the membership's notice");
    assert!(!ends_within(&mut own_store, Duration::from_millis(500)).await, "the store stays open");
    suspend(&owner, &oja).await;
    assert!(ends_within(&mut own_store, Duration::from_secs(5)).await, "ended by the suspension's notice");
}

// ---- One rule, both doors ---------------------------------------------------------------------

#[sqlx::test(migrations = "../migrations")]
async fn a_filter_or_sort_the_product_list_does_not_know_is_refused_by_page_and_api_alike(owner: PgPool) {
    let (app, oja) = shop_app(&owner).await;
    let cookie = sign_in(&app, &oja.someone(Role::Manager).await).await;
    let list = |pairs: &[(&str, &str)]| {
        let (app, cookie, body) = (app.clone(), cookie.clone(), form(pairs));
        async move { send(&app, rpc_call("/rpc/load_products").header(header::COOKIE, cookie), body).await }
    };
    let known = list(&[("status", "active"), ("sort", "-updated_at")]).await;
    assert_eq!(known.status, StatusCode::OK, "{}", known.body);
    for (field, value) in [("status", "sold"), ("sort", "price"), ("category", "drinks")] {
        let refused = list(&[(field, value)]).await;
        let said: String = refused.body.chars().take(300).collect();
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{field}={value}: {said}");
        assert!(refused.body.contains(field), "{field}={value} is named: {}", refused.body);
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn another_business_s_category_has_no_page_here_and_a_mangled_link_breaks_nothing(owner: PgPool) {
    let (app, oja) = shop_app(&owner).await;
    stocked_variants(&oja).await;
    let market = Business::marketplace(&owner, "Naija Gadget Market").await;
    let theirs = commerce::catalog::category::create(&market.db, &market.owner, "Phones", None, None).await.unwrap();
    let page = |path: String| send(&app, Request::get(path).header(header::ACCEPT, "text/html"), String::new());
    assert_eq!(page(store(&oja, &format!("/c/{}", theirs.0))).await.status, StatusCode::NOT_FOUND);
    assert!(page(store(&oja, "/c/not-a-category")).await.status.is_client_error());
    // Links mailed to shoppers, mangled (a NUL, an unknown token): the form says so, nothing fails.
    for (path, body) in [
        ("/rpc/confirm_shopper_email", format!("slug={}&token=ab%00cd", oja.slug)),
        ("/rpc/reset_shopper_password", format!("slug={}&token=ab%00cd&password=a-long-new-password", oja.slug)),
        ("/rpc/reset_shopper_password", format!("slug={}&token=made-up&password=a-long-new-password", oja.slug)),
        ("/rpc/request_shopper_reset", format!("slug={}&email=ada%00@example.com", oja.slug)),
    ] {
        let answer =
            send(&app, form_post(path).header(header::REFERER, format!("{SITE}/store/{}/forgot", oja.slug)), body)
                .await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "{path}: {}", answer.body);
        let back = answer.headers[header::LOCATION].to_str().unwrap();
        assert!(back.contains("__err="), "{path} comes back with its refusal: {back}");
    }
}

/// An order of one unit of `variant`, placed by a guest of `business`'s store (paid on delivery).
async fn an_order(business: &Business, variant: commerce::catalog::VariantId) {
    let guest = business.visitor();
    commerce::orders::cart::add(&business.db, &guest, variant, 1).await.unwrap();
    commerce::orders::checkout::place(&business.db, &guest, &support::builders::delivery("pay_on_delivery"), None)
        .await
        .unwrap();
}

#[sqlx::test(migrations = "../migrations")]
async fn an_order_placed_anywhere_moves_the_dashboards_of_its_business_alone(owner: PgPool) {
    let (state, oja) = shop_state(&owner).await;
    oja.sells_online().await;
    let rice = oja.product("Ofada rice 1kg", "RICE-1", 2500).await.variants[0].id;
    oja.receive(oja.main, rice, 100).await;
    let other = Business::open(&owner, "Mama Put").await;
    other.sells_online().await;
    let beans = other.product("Honey beans 1kg", "BEANS-1", 1800).await.variants[0].id;
    other.receive(other.main, beans, 100).await;
    tokio::spawn(state.live.clone().listen(oja.db.clone()));
    let app = router(state);

    // Only someone who may see the dashboard may follow it.
    for (cookie, status) in [
        (None, StatusCode::UNAUTHORIZED),
        (Some(sign_in(&app, &oja.someone(Role::Cashier).await).await), StatusCode::FORBIDDEN),
    ] {
        let mut request = Request::get("/admin/live/dashboard");
        if let Some(cookie) = &cookie {
            request = request.header(header::COOKIE, cookie);
        }
        let answer = app.clone().oneshot(request.body(Body::empty()).unwrap()).await.unwrap_or_else(|e| match e {});
        assert_eq!(answer.status(), status);
    }
    let cookie = sign_in(&app, &oja.someone(Role::Accountant).await).await;
    let mut stream = open_stream(&app, "/admin/live/dashboard", Some(&cookie)).await;
    // The orders are placed straight into the database, as another instance would: this one
    // hears of them only through the database. The listener may not be listening at first.
    let mut heard = None;
    for _ in 0..10 {
        an_order(&oja, rice).await;
        heard = next_event(&mut stream, Duration::from_millis(1500)).await;
        if heard.is_some() {
            break;
        }
    }
    assert_eq!(heard.map(|(event, _)| event).as_deref(), Some("sales"));
    // Another business's orders say nothing here.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    while next_event(&mut stream, Duration::from_millis(200)).await.is_some() {}
    an_order(&other, beans).await;
    assert!(next_event(&mut stream, Duration::from_millis(1500)).await.is_none(), "another business's order");
    // Many orders in a moment are a "look again" a second at most, not one each.
    let started = std::time::Instant::now();
    for _ in 0..6 {
        an_order(&oja, rice).await;
    }
    let seconds = started.elapsed().as_secs() + 1;
    let mut events = 0;
    while next_event(&mut stream, Duration::from_millis(1500)).await.is_some() {
        events += 1;
    }
    assert!(events >= 1 && events <= seconds + 1, "{events} events for six orders in {seconds} s");
}
