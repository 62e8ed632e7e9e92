//! The whole router, driven without a socket: pages, health, metrics and the API's errors.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "a test fails loudly on what it did not expect")]

mod support;

use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use commerce::db::{Db, DbSettings};
use http_body_util::BodyExt;
use server::{AppState, router};
use sqlx::PgPool;
use support::builders::{Business, PASSWORD, email_of};
use tower::ServiceExt;

struct Answer {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: String,
}

async fn get(app: &Router, uri: &str) -> Answer {
    send(app, Request::get(uri)).await
}

async fn send(app: &Router, request: axum::http::request::Builder) -> Answer {
    send_body(app, request, String::new()).await
}

async fn send_body(app: &Router, request: axum::http::request::Builder, body: String) -> Answer {
    let request = request.body(Body::from(body)).unwrap();
    let response = app.clone().oneshot(request).await.unwrap_or_else(|e| match e {});
    let (parts, body) = response.into_parts();
    let bytes = body.collect().await.map(http_body_util::Collected::to_bytes).unwrap_or_default();
    Answer { status: parts.status, headers: parts.headers, body: String::from_utf8_lossy(&bytes).into_owned() }
}

/// The server, connected as the application's role, and the business it is tried on: Oja
/// Fresh Supermarket with its two shops (see `Business::supermarket`).
async fn shop_app(owner: PgPool) -> (Router, Business) {
    let oja = Business::supermarket(&owner).await;
    (support::router_on(&oja.db), oja)
}

/// A server whose database is not there: every connection attempt is refused.
fn app_without_database() -> Router {
    let settings = DbSettings {
        url: "postgres://nobody@127.0.0.1:9/nothing".into(),
        read_url: None,
        max_connections: 2,
        acquire_timeout: Duration::from_millis(500),
    };
    let db = Db::connect_lazy(&settings).unwrap_or_else(|e| panic!("{e}"));
    router(AppState::new(db, "target/site", "http://127.0.0.1:3000"))
}

#[sqlx::test(migrations = "../migrations")]
async fn a_storefront_page_is_rendered_from_the_database(db: PgPool) {
    let (app, oja) = shop_app(db).await;
    let page = get(&app, &format!("/store/{}", oja.slug)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Oja Fresh Supermarket"));
    assert!(page.body.contains("Ikeja GRA") && page.body.contains("Lekki Phase 1"), "its shops");
    let assets = app::SiteAssets::read(std::path::Path::new("target/site"));
    assert!(page.body.contains(&assets.store_script()), "the page loads the storefront's own script");
    assert!(!page.body.contains(&format!("/pkg/{}.js", assets.app)), "and not the application's");
}

#[sqlx::test(migrations = "../migrations")]
async fn public_pages_answer_and_staff_pages_ask_to_sign_in(db: PgPool) {
    let (app, _) = shop_app(db).await;
    // The till's shell is public: the device enrols with a code and syncs with its own
    // credential, never a person's session.
    for (path, text) in [
        ("/", "Demo businesses"),
        ("/admin/login", "Sign in"),
        ("/signup", "Open an account"),
        ("/pos", "Starting the till"),
    ] {
        let page = get(&app, path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        assert!(page.body.contains(text), "{path} shows {text}");
    }
    for path in ["/admin", "/admin/staff", "/admin/registers", "/admin/shifts", "/vendor", "/platform"] {
        let page = send(&app, Request::get(path).header(header::ACCEPT, "text/html")).await;
        assert_eq!(page.status, StatusCode::FOUND, "{path}");
        let location = page.headers.get(header::LOCATION).and_then(|v| v.to_str().ok()).unwrap_or_default();
        assert_eq!(location, format!("/admin/login?next={path}"));
    }
}

/// Signs in through the sign-in form as a browser on this site would; answers the cookie.
async fn sign_in(app: &Router, email: &str) -> String {
    let body = format!("email={}&password={PASSWORD}&next=", email.replace('@', "%40"));
    let answer = send_body(
        app,
        Request::post("/rpc/log_in")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "text/html")
            .header(header::HOST, "127.0.0.1:3000")
            .header(header::ORIGIN, "http://127.0.0.1:3000"),
        body,
    )
    .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{email}: {}", answer.body);
    let cookie = answer.headers.get(header::SET_COOKIE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");
    cookie.split(';').next().unwrap_or_default().to_owned()
}

#[sqlx::test(migrations = "../migrations")]
async fn signed_in_staff_see_their_pages_and_only_those(db: PgPool) {
    let market = Business::marketplace(&db, "Naija Gadget Market").await;
    market.location("Computer Village", "shop").await;
    let (app, oja) = shop_app(db).await;
    let owner = sign_in(&app, email_of(&oja.owner)).await;
    let page = send(&app, Request::get("/admin").header(header::COOKIE, &owner)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Oja Fresh Supermarket") && page.body.contains("Lekki Phase 1"));
    assert!(!page.body.contains("Naija Gadget Market"), "another business never shows");
    assert!(!page.body.contains("Computer Village"), "nor its shops");

    let cashier = sign_in(&app, &oja.someone(commerce::base::Role::Cashier).await).await;
    let refused = send(&app, Request::get("/admin/staff").header(header::COOKIE, &cashier)).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let till = send(&app, Request::get("/pos").header(header::COOKIE, &cashier)).await;
    assert_eq!(till.status, StatusCode::OK);
    let assets = app::SiteAssets::read(std::path::Path::new("target/site"));
    let (module, _) = assets.till_files();
    assert!(till.body.contains(&module), "the till's page starts the till's own wasm");
    assert!(!till.body.contains(&format!("/pkg/{}.js", assets.app)), "and never the back office's");
}

/// Transfers and counts are listed fifty to a page, with a link to the older ones; before, the
/// list stopped at the fifty newest and the rest could not be reached.
#[sqlx::test(migrations = "../migrations")]
async fn the_transfer_list_pages_to_the_oldest(db: PgPool) {
    let (app, oja) = shop_app(db).await;
    let owner = sign_in(&app, email_of(&oja.owner)).await;
    let (app_db, boss) = (&oja.db, &oja.owner);
    let places = support::builders::locations(app_db, boss).await;
    let variant = oja.product("Mama Gold Rice 5kg", "RICE-5", 9500).await.variants[0].id;
    let line = [commerce::inventory::Line { variant, quantity: 1 }];
    for n in 0..51 {
        let note = format!("transfer {n}");
        commerce::inventory::transfer::create(app_db, boss, places[0], places[1], &line, &note, None).await.unwrap();
    }
    let first = send(&app, Request::get("/admin/stock/transfers").header(header::COOKIE, &owner)).await;
    assert_eq!(first.status, StatusCode::OK);
    assert!(first.body.contains("transfer 50") && !first.body.contains("transfer 0<"), "the newest fifty first");
    let link = first.body.split("href=\"/admin/stock/transfers?after=").nth(1).expect("a link to the older ones");
    let after = link.split('"').next().unwrap();
    let older =
        send(&app, Request::get(format!("/admin/stock/transfers?after={after}")).header(header::COOKIE, &owner)).await;
    assert_eq!(older.status, StatusCode::OK);
    assert!(older.body.contains("transfer 0") && !older.body.contains("transfer 50"), "then the oldest");
    assert!(!older.body.contains("Older transfers"), "and no further link");
}

#[sqlx::test(migrations = "../migrations")]
async fn a_post_from_another_site_is_refused(db: PgPool) {
    let (app, oja) = shop_app(db).await;
    let owner = sign_in(&app, email_of(&oja.owner)).await;
    let forged = send_body(
        &app,
        Request::post("/rpc/invite_staff")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, &owner)
            .header(header::HOST, "127.0.0.1:3000")
            .header(header::ORIGIN, "https://evil.example"),
        "email=mallory%40evil.example&role=owner".into(),
    )
    .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let fetch_metadata = send_body(
        &app,
        Request::post("/rpc/invite_staff")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, &owner)
            .header("sec-fetch-site", "cross-site"),
        "email=mallory%40evil.example&role=owner".into(),
    )
    .await;
    assert_eq!(fetch_metadata.status, StatusCode::FORBIDDEN);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_wrong_password_is_a_401_with_a_readable_reason(db: PgPool) {
    let (app, oja) = shop_app(db).await;
    let answer = send_body(
        &app,
        Request::post("/rpc/log_in")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::HOST, "127.0.0.1:3000")
            .header(header::ORIGIN, "http://127.0.0.1:3000"),
        format!("email={}&password=guess-again-now&next=", email_of(&oja.owner).replace('@', "%40")),
    )
    .await;
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
    assert!(answer.body.contains("The email or password is not right."), "{}", answer.body);
}

#[sqlx::test(migrations = "../migrations")]
async fn the_eleventh_wrong_password_is_a_429_that_says_when_to_try_again(db: PgPool) {
    let (app, oja) = shop_app(db).await;
    let manager = oja.someone(commerce::base::Role::Manager).await.replace('@', "%40");
    let attempt = || {
        send_body(
            &app,
            Request::post("/rpc/log_in")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::HOST, "127.0.0.1:3000")
                .header(header::ORIGIN, "http://127.0.0.1:3000"),
            format!("email={manager}&password=guess-again-now&next="),
        )
    };
    for _ in 0..10 {
        assert_eq!(attempt().await.status, StatusCode::UNAUTHORIZED);
    }
    let limited = attempt().await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS, "{}", limited.body);
    let wait: u64 = limited.headers[header::RETRY_AFTER].to_str().unwrap().parse().unwrap();
    assert!((1..=900).contains(&wait), "Retry-After: {wait}");
}

#[sqlx::test(migrations = "../migrations")]
async fn unknown_addresses_get_the_friendly_404_page(db: PgPool) {
    let (app, _) = shop_app(db).await;
    for path in ["/store/no-such-shop", "/definitely/not/here"] {
        let page = get(&app, path).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{path}");
        assert!(
            page.body.contains("We couldn&#x27;t find that page") || page.body.contains("We couldn't find that page"),
            "{path}"
        );
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn health_and_readiness_answer_when_the_database_is_up(db: PgPool) {
    let (app, _) = shop_app(db).await;
    assert_eq!(get(&app, "/healthz").await.status, StatusCode::OK);
    assert_eq!(get(&app, "/readyz").await.status, StatusCode::OK);
}

#[tokio::test]
async fn without_a_database_the_server_is_alive_but_not_ready_and_pages_explain() {
    let app = app_without_database();
    assert_eq!(get(&app, "/healthz").await.status, StatusCode::OK);
    assert_eq!(get(&app, "/readyz").await.status, StatusCode::SERVICE_UNAVAILABLE);
    let page = get(&app, "/store/ojafresh").await;
    assert_eq!(page.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(
        page.body.contains("We can&#x27;t reach our records right now")
            || page.body.contains("We can't reach our records right now")
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn pages_carry_security_headers_and_a_policy_that_names_their_scripts(db: PgPool) {
    let (app, oja) = shop_app(db).await;
    let page = get(&app, &format!("/store/{}", oja.slug)).await;
    let header = |name: &str| page.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    assert_eq!(header("x-content-type-options"), "nosniff");
    assert_eq!(header("x-frame-options"), "DENY");
    assert_eq!(header("referrer-policy"), "strict-origin-when-cross-origin");
    let policy = header("content-security-policy");
    let nonce = policy.split("'nonce-").nth(1).and_then(|rest| rest.split('\'').next()).unwrap_or_default();
    assert!(nonce.len() >= 16, "{policy}");
    assert!(page.body.contains(&format!("nonce=\"{nonce}\"")), "inline scripts carry the policy's nonce");
    assert!(policy.contains("frame-ancestors 'none'"));
    let api = get(&app, "/api/v1/nothing").await;
    assert_eq!(
        api.headers.get("content-security-policy").and_then(|v| v.to_str().ok()),
        Some("default-src 'self'; object-src 'none'; frame-ancestors 'none'")
    );
}

/// The built files are named by their content in every page, sent as the build compressed them
/// (never compressed again per request), kept by browsers for a year, and the other files are
/// answered 304 when the browser's copy is current.
#[sqlx::test(migrations = "../migrations")]
async fn built_files_are_named_by_content_sent_precompressed_and_kept(db: PgPool) {
    let oja = Business::supermarket(&db).await;
    let site = std::env::temp_dir().join(format!("sc1-site-{}", uuid::Uuid::now_v7().simple()));
    std::fs::create_dir_all(site.join("pkg")).unwrap();
    let stem = "sc1-0123456789abcdef";
    let wasm: Vec<u8> = (0..200_000_u32).map(|i| u8::try_from(i % 251).unwrap()).collect();
    let files: [(String, &[u8]); 7] = [
        (format!("pkg/{stem}_bg.wasm"), &wasm),
        (format!("pkg/{stem}_bg.wasm.br"), b"brotli made at build time"),
        (format!("pkg/{stem}_bg.wasm.gz"), b"gzip made at build time"),
        (format!("pkg/{stem}.js"), b"export default function () {}"),
        ("pkg/sc1-fedcba9876543210.css".to_owned(), b"body{}"),
        ("pkg/store-00112233aabbccdd.js".to_owned(), b"document.body.dataset.hydrated = 'true';"),
        ("manifest.webmanifest".to_owned(), b"{}"),
    ];
    for (name, body) in &files {
        std::fs::write(site.join(name), body).unwrap();
    }
    std::fs::write(
        site.join("pkg/assets.txt"),
        format!("app {stem}\ncss sc1-fedcba9876543210.css\nstore store-00112233aabbccdd.js\n"),
    )
    .unwrap();
    let app = router(AppState::new(Db::from_pool(oja.db.clone()), &site.to_string_lossy(), "http://127.0.0.1:3000"));

    let page = get(&app, "/admin/login").await;
    for name in [format!("/pkg/{stem}.js"), format!("/pkg/{stem}_bg.wasm"), "/pkg/sc1-fedcba9876543210.css".to_owned()]
    {
        assert!(page.body.contains(&name), "the page names {name}");
    }
    let store = get(&app, &format!("/store/{}", oja.slug)).await;
    for name in ["/pkg/store-00112233aabbccdd.js", "/pkg/sc1-fedcba9876543210.css"] {
        assert!(store.body.contains(name), "the storefront names {name}");
    }
    assert!(!page.body.contains("/pkg/sc1.css"), "and no file by its plain name");
    let script = get(&app, "/pkg/store-00112233aabbccdd.js").await;
    assert_eq!(script.status, StatusCode::OK);
    assert_eq!(
        script.headers.get(header::CACHE_CONTROL).and_then(|v| v.to_str().ok()),
        Some("public, max-age=31536000, immutable"),
        "the storefront's script is kept a year too"
    );

    let fetch = |encoding: &'static str, since: Option<String>, path: String| {
        let app = app.clone();
        async move {
            let mut request = Request::get(path).header(header::ACCEPT_ENCODING, encoding);
            if let Some(since) = since {
                request = request.header(header::IF_MODIFIED_SINCE, since);
            }
            let response = app.oneshot(request.body(Body::empty()).unwrap()).await.unwrap_or_else(|e| match e {});
            let (parts, body) = response.into_parts();
            (parts, body.collect().await.unwrap().to_bytes())
        }
    };
    let wasm_path = format!("/pkg/{stem}_bg.wasm");
    for (encoding, expected, sent) in [
        ("br, gzip", Some("br"), b"brotli made at build time".to_vec()),
        ("gzip", Some("gzip"), b"gzip made at build time".to_vec()),
        ("identity", None, wasm.clone()),
    ] {
        let (parts, body) = fetch(encoding, None, wasm_path.clone()).await;
        assert_eq!(parts.status, StatusCode::OK, "{encoding}");
        let used = parts.headers.get(header::CONTENT_ENCODING).and_then(|v| v.to_str().ok());
        assert_eq!(used, expected, "{encoding}");
        assert_eq!(body.to_vec(), sent, "the file as built, for {encoding}");
        assert_eq!(
            parts.headers.get(header::CACHE_CONTROL).and_then(|v| v.to_str().ok()),
            Some("public, max-age=31536000, immutable")
        );
    }

    // A file whose name does not change is checked each time, and answered 304 when current.
    let (first, _) = fetch("br", None, "/manifest.webmanifest".to_owned()).await;
    assert_eq!(first.headers.get(header::CACHE_CONTROL).and_then(|v| v.to_str().ok()), Some("no-cache"));
    let modified = first.headers.get(header::LAST_MODIFIED).and_then(|v| v.to_str().ok()).unwrap().to_owned();
    let (again, body) = fetch("br", Some(modified.clone()), "/manifest.webmanifest".to_owned()).await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert!(body.is_empty());
    let (built, _) = fetch("br", None, wasm_path.clone()).await;
    let modified = built.headers.get(header::LAST_MODIFIED).and_then(|v| v.to_str().ok()).unwrap().to_owned();
    let (built, _) = fetch("br", Some(modified), wasm_path).await;
    assert_eq!(built.status, StatusCode::NOT_MODIFIED);
    std::fs::remove_dir_all(site).unwrap();
}

/// Pages and the site's files asked for at once, as a browser does: each page keeps its own
/// policy and status, and no file answer carries what a page set while it rendered (the files'
/// handler once read a concurrent page's response options and took its headers and status).
#[sqlx::test(migrations = "../migrations")]
async fn a_page_rendered_while_files_are_served_keeps_its_own_headers(db: PgPool) {
    let oja = Business::supermarket(&db).await;
    let site = std::env::temp_dir().join(format!("sc1-site-{}", uuid::Uuid::now_v7().simple()));
    std::fs::create_dir_all(site.join("pkg")).unwrap();
    std::fs::write(site.join("pkg/sc1.css"), "body{}").unwrap();
    std::fs::write(site.join("manifest.webmanifest"), "{}").unwrap();
    let app = router(AppState::new(Db::from_pool(oja.db.clone()), &site.to_string_lossy(), "http://127.0.0.1:3000"));
    let store = format!("/store/{}", oja.slug);
    let uris = [store.as_str(), "/pkg/sc1.css", "/admin/products", "/manifest.webmanifest", "/no-such-page"];
    let tasks: Vec<_> = (0..60)
        .map(|i| {
            let (app, uri) = (app.clone(), uris[i % uris.len()].to_owned());
            tokio::spawn(async move {
                let answer = get(&app, &uri).await;
                (uri, answer)
            })
        })
        .collect();
    for task in tasks {
        let (uri, answer) = task.await.unwrap();
        let policy = answer.headers.get("content-security-policy").and_then(|v| v.to_str().ok()).unwrap_or_default();
        let expected = match uri.as_str() {
            "/admin/products" => StatusCode::UNAUTHORIZED,
            "/no-such-page" => StatusCode::NOT_FOUND,
            _ => StatusCode::OK,
        };
        assert_eq!(answer.status, expected, "{uri}");
        if uri.contains('.') {
            assert!(!policy.contains("'nonce-"), "{uri} carries a page's policy: {policy}");
            assert!(answer.headers.get(header::SET_COOKIE).is_none(), "{uri} carries a page's cookie");
        } else {
            let nonce = policy.split("'nonce-").nth(1).and_then(|rest| rest.split('\'').next()).unwrap_or_default();
            assert!(nonce.len() >= 16, "{uri} came without its policy: {policy:?}");
            assert!(answer.body.contains(&format!("nonce=\"{nonce}\"")), "{uri}: the policy names this page's scripts");
        }
    }
    std::fs::remove_dir_all(site).ok();
}

/// Pages rendered while other routers are being built in the same process (as the tests do, and
/// as a second router on one server would): building a router once worked the routes out with
/// resource loading switched off for the whole process, and a page whose data was first asked
/// for in that moment waited for ever.
#[sqlx::test(migrations = "../migrations")]
async fn pages_finish_while_other_routers_are_built(db: PgPool) {
    let (app, oja) = shop_app(db).await;
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let building = {
        let (stop, pool) = (stop.clone(), oja.db.clone());
        tokio::task::spawn_blocking(move || {
            let mut built = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                drop(support::router_on(&pool));
                built += 1;
            }
            built
        })
    };
    // A page that never finishes stalls this test's runtime with it (no timer of its own would
    // fire), so a watchdog thread ends the run, saying why, instead of letting it hang.
    let watchdog = {
        let stop = stop.clone();
        std::thread::spawn(move || {
            for _ in 0..600 {
                if stop.load(std::sync::atomic::Ordering::Relaxed) {
                    return;
                }
                std::thread::sleep(Duration::from_millis(100));
            }
            eprintln!("a page never finished while other routers were built");
            std::process::exit(101);
        })
    };
    let store = format!("/store/{}", oja.slug);
    for _ in 0..30 {
        for uri in ["/", store.as_str()] {
            assert_eq!(get(&app, uri).await.status, StatusCode::OK, "{uri}");
        }
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    watchdog.join().unwrap();
    assert!(building.await.unwrap() > 0, "routers were built while the pages rendered");
}

#[sqlx::test(migrations = "../migrations")]
async fn every_response_carries_a_request_id(db: PgPool) {
    let (app, _) = shop_app(db).await;
    let answer = get(&app, "/healthz").await;
    let id = answer.headers.get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or_default();
    assert_eq!(id.len(), 36, "a UUID: {id:?}");
}

#[sqlx::test(migrations = "../migrations")]
async fn unknown_api_paths_answer_problem_json(db: PgPool) {
    let (app, _) = shop_app(db).await;
    let answer = get(&app, "/api/v1/no-such-thing").await;
    assert_eq!(answer.status, StatusCode::NOT_FOUND);
    assert_eq!(
        answer.headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()),
        Some("application/problem+json")
    );
    let problem: serde_json::Value = serde_json::from_str(&answer.body).unwrap_or_default();
    assert_eq!(problem["type"], "/problems/not-found");
    assert_eq!(problem["status"], 404);
}
