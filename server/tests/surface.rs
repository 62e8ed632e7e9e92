//! What the site shows to people who have not signed in, and what the API says about itself:
//! the platform's businesses only to platform admins, the start page only to listed stores, the
//! demo password only on a demonstration server, staff pages asking to sign in, and an API
//! document that tells what the server does.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "a test fails loudly on what it did not expect")]

mod support;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use commerce::db::Db;
use http_body_util::BodyExt;
use serde_json::Value;
use server::{AppState, router};
use sqlx::PgPool;
use support::builders::{Business, PASSWORD, email_of, platform_admin};
use tower::ServiceExt;

struct Answer {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: String,
}

async fn send(app: &Router, request: axum::http::request::Builder, body: &str) -> Answer {
    let response = app.clone().oneshot(request.body(Body::from(body.to_owned())).unwrap()).await.unwrap();
    let (parts, body) = response.into_parts();
    let bytes = body.collect().await.map(http_body_util::Collected::to_bytes).unwrap_or_default();
    Answer { status: parts.status, headers: parts.headers, body: String::from_utf8_lossy(&bytes).into_owned() }
}

/// The server connected as the application's role; `demo` says whether it runs as a
/// demonstration.
fn site(db: &PgPool, demo: bool) -> Router {
    let mut state = AppState::new(Db::from_pool(db.clone()), "target/site", "http://127.0.0.1:3000");
    state.site.demo = demo;
    router(state)
}

/// Two businesses of the test's own, each listed on the start page by its owner: Oja Fresh
/// Supermarket and Naija Gadget Market.
async fn two_stores(owner: &PgPool) -> (Business, Business) {
    let oja = Business::supermarket(owner).await;
    let market = Business::marketplace(owner, "Naija Gadget Market").await;
    for business in [&oja, &market] {
        commerce::identity::set_listing(&business.db, &business.owner, true, None).await.unwrap();
    }
    (oja, market)
}

/// A request from this site's own pages (the origin checks let it through).
fn from_the_site(method: &str, path: &str) -> axum::http::request::Builder {
    Request::builder()
        .method(method)
        .uri(path)
        .header(header::HOST, "127.0.0.1:3000")
        .header(header::ORIGIN, "http://127.0.0.1:3000")
}

/// A server function called as the page's script calls it, with this session cookie (if any).
async fn rpc(app: &Router, name: &str, cookie: Option<&str>, form: &str) -> Answer {
    let mut request = from_the_site("POST", &format!("/rpc/{name}"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    send(app, request, form).await
}

/// Signs in through the sign-in form; answers the session cookie.
async fn sign_in(app: &Router, email: &str) -> String {
    let form = format!("email={}&password={PASSWORD}&next=", email.replace('@', "%40"));
    let request = from_the_site("POST", "/rpc/log_in")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "text/html");
    let answer = send(app, request, &form).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{email}: {}", answer.body);
    let cookie = answer.headers.get(header::SET_COOKIE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    cookie.split(';').next().unwrap_or_default().to_owned()
}

async fn start_page(app: &Router) -> Answer {
    send(app, Request::get("/"), "").await
}

async fn tenant_ids(db: &PgPool) -> Vec<String> {
    let ids: Vec<uuid::Uuid> = sqlx::query_scalar("SELECT id FROM tenants").fetch_all(db).await.unwrap();
    ids.iter().map(ToString::to_string).collect()
}

#[sqlx::test(migrations = "../migrations")]
async fn only_platform_admins_get_the_platform_overview(db: PgPool) {
    let (oja, market) = two_stores(&db).await;
    let app = site(&oja.db, false);
    let anonymous = rpc(&app, "load_platform_overview", None, "").await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED, "{}", anonymous.body);
    assert!(!anonymous.body.contains(&oja.slug), "{}", anonymous.body);

    let owner = sign_in(&app, email_of(&oja.owner)).await;
    let staff = rpc(&app, "load_platform_overview", Some(&owner), "").await;
    assert_eq!(staff.status, StatusCode::FORBIDDEN, "{}", staff.body);
    assert!(!staff.body.contains(&market.slug), "{}", staff.body);

    let admin = sign_in(&app, &platform_admin(&db).await).await;
    let overview = rpc(&app, "load_platform_overview", Some(&admin), "").await;
    assert_eq!(overview.status, StatusCode::OK, "{}", overview.body);
    assert!(overview.body.contains(&oja.slug) && overview.body.contains(&market.slug));
}

#[sqlx::test(migrations = "../migrations")]
async fn the_start_page_shows_listed_stores_and_nothing_else_of_the_businesses(db: PgPool) {
    let (oja, market) = two_stores(&db).await;
    let app = site(&oja.db, false);
    let page = start_page(&app).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Oja Fresh Supermarket") && page.body.contains("Naija Gadget Market"));
    assert!(page.body.contains(&format!("/store/{}", oja.slug)));
    for id in tenant_ids(&db).await {
        assert!(!page.body.contains(&id), "the start page gives away a business's id {id}");
    }
    for private in ["Africa/Lagos", "prices_include_tax", "location_count", "Active", "\"status\""] {
        assert!(!page.body.contains(private), "the start page shows {private}");
    }

    let listed = rpc(&app, "load_listed_stores", None, "").await;
    assert_eq!(listed.status, StatusCode::OK, "{}", listed.body);
    let stores: Value = serde_json::from_str(&listed.body).unwrap();
    let stores = stores.as_array().unwrap();
    assert_eq!(stores.len(), 2, "{stores:?}");
    for store in stores {
        let mut keys: Vec<&str> = store.as_object().unwrap().keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(keys, ["mode", "name", "slug", "tagline"]);
    }

    // A suspended business leaves the page, listed or not.
    sqlx::query("UPDATE tenants SET status = 'suspended' WHERE id = $1")
        .bind(market.tenant.0)
        .execute(&db)
        .await
        .unwrap();
    let page = start_page(&app).await;
    assert!(page.body.contains("Oja Fresh Supermarket"));
    assert!(!page.body.contains("Naija Gadget Market"), "a suspended business is still listed");

    // The platform page, to someone not signed in, carries no business either.
    let platform = send(&app, Request::get("/platform"), "").await;
    assert_eq!(platform.status, StatusCode::UNAUTHORIZED);
    for id in tenant_ids(&db).await {
        assert!(!platform.body.contains(&id), "/platform gives away a business's id {id}");
    }
    assert!(!platform.body.contains("Naija Gadget Market"));
}

#[sqlx::test(migrations = "../migrations")]
async fn a_business_is_listed_only_when_its_owner_chooses(db: PgPool) {
    let (oja, _) = two_stores(&db).await;
    let app = site(&oja.db, false);
    let owner = sign_in(&app, email_of(&oja.owner)).await;
    let unlisted = rpc(&app, "save_listing", Some(&owner), "").await;
    assert_eq!(unlisted.status, StatusCode::OK, "{}", unlisted.body);
    let page = start_page(&app).await;
    assert!(!page.body.contains("Oja Fresh Supermarket"), "an unlisted store is still shown");
    assert!(page.body.contains("Naija Gadget Market"));

    let accountant = sign_in(&app, email_of(&oja.member(commerce::base::Role::Accountant).await)).await;
    let refused = rpc(&app, "save_listing", Some(&accountant), "listed=on").await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
    assert!(!start_page(&app).await.body.contains("Oja Fresh Supermarket"));

    let listed = rpc(&app, "save_listing", Some(&owner), "listed=on").await;
    assert_eq!(listed.status, StatusCode::OK, "{}", listed.body);
    assert!(start_page(&app).await.body.contains("Oja Fresh Supermarket"));

    // A business that has just opened is not listed until it says so.
    sqlx::query("INSERT INTO tenants (id, slug, name, mode) VALUES ($1, 'adaskitchen', 'Ada Kitchen', 'svm')")
        .bind(uuid::Uuid::now_v7())
        .execute(&db)
        .await
        .unwrap();
    assert!(!start_page(&app).await.body.contains("Ada Kitchen"), "a new business is listed before it chooses");
}

#[sqlx::test(migrations = "../migrations")]
async fn the_rest_settings_say_whether_the_store_is_listed(db: PgPool) {
    let (app, oja) = support::app(db).await;
    let (id, secret) = support::client(&oja, &["settings:read"]).await;
    let token = support::token(&app, &id, &secret).await;
    let (status, _, settings) = support::call(&app, support::get("/api/v1/settings", &token)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(settings["listed"], Value::Bool(false), "a new business is not listed: {settings}");
    commerce::identity::set_listing(&oja.db, &oja.owner, true, None).await.unwrap();
    let (_, _, settings) = support::call(&app, support::get("/api/v1/settings", &token)).await;
    assert_eq!(settings["listed"], Value::Bool(true), "{settings}");
}

#[sqlx::test(migrations = "../migrations")]
async fn the_demo_password_is_shown_only_on_a_demonstration_server(db: PgPool) {
    // The demo itself, on purpose: its logins are what a demonstration shows.
    commerce::demo::load(&db).await.unwrap_or_else(|e| panic!("demo data: {e}"));
    let app_db = commerce::db::pool_as_role(&db, support::builders::APP_ROLE).await.unwrap();
    let app = site(&app_db, false);
    let page = start_page(&app).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains(commerce::demo::PASSWORD), "the start page gives away the demo password");
    assert!(!page.body.contains("cashier@ojafresh.ng"));
    let logins = rpc(&app, "load_demo_logins", None, "").await;
    assert!(!logins.body.contains(commerce::demo::PASSWORD), "{}", logins.body);

    let demo = site(&app_db, true);
    let page = start_page(&demo).await;
    assert!(page.body.contains(commerce::demo::PASSWORD) && page.body.contains("cashier@ojafresh.ng"));
}

#[sqlx::test(migrations = "../migrations")]
async fn every_staff_page_asks_an_anonymous_visitor_to_sign_in(db: PgPool) {
    let app = site(&commerce::db::pool_as_role(&db, support::builders::APP_ROLE).await.unwrap(), false);
    let pages = [
        "/platform",
        "/admin",
        "/admin/roles",
        "/admin/products",
        "/admin/products/import",
        "/admin/settings",
        "/admin/staff",
        "/admin/registers",
        "/admin/shifts",
        "/vendor",
    ];
    for path in pages {
        let client = send(&app, Request::get(path), "").await;
        assert_eq!(client.status, StatusCode::UNAUTHORIZED, "{path}");
        let browser = send(&app, Request::get(path).header(header::ACCEPT, "text/html"), "").await;
        assert_eq!(browser.status, StatusCode::FOUND, "{path}");
        let location = browser.headers.get(header::LOCATION).and_then(|v| v.to_str().ok()).unwrap_or_default();
        assert_eq!(location, format!("/admin/login?next={path}"));
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn a_body_over_the_limit_answers_413(db: PgPool) {
    let (app, oja) = support::app(db).await;
    let (id, secret) = support::client(&oja, &["products:write"]).await;
    let token = support::token(&app, &id, &secret).await;
    let huge = format!("{{\"name\":\"{}\",\"variants\":[]}}", "x".repeat(3 * 1024 * 1024));
    let request = Request::post("/api/v1/marketplace/products")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(huge))
        .unwrap();
    let (status, headers, problem) = support::call(&app, request).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{problem}");
    assert_eq!(headers[header::CONTENT_TYPE], "application/problem+json");
    assert_eq!(problem["status"], 413);
}

/// The operations of the API document, as (method, path, operation).
fn operations(doc: &Value) -> Vec<(String, String, Value)> {
    let mut found = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            found.push((method.clone(), path.clone(), operation.clone()));
        }
    }
    found
}

#[sqlx::test(migrations = "../migrations")]
async fn the_api_document_states_the_limits_and_answers_of_the_server(db: PgPool) {
    let (app, _) = support::app(db).await;
    let (status, _, doc) = support::call(&app, Request::get("/api/v1/openapi.json").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    let answers = |op: &Value| op["responses"].as_object().unwrap().keys().cloned().collect::<Vec<_>>();
    for (method, path, op) in operations(&doc) {
        let answers = answers(&op);
        let has = |code: &str| answers.iter().any(|a| a == code);
        let secured = op["security"].as_array().is_some_and(|s| !s.is_empty());
        if secured {
            assert!(has("401") && has("403"), "{method} {path}: {answers:?}");
        }
        if op.get("requestBody").is_some() {
            assert!(has("400") && has("413"), "{method} {path}: {answers:?}");
        }
        let params = op["parameters"].as_array().cloned().unwrap_or_default();
        if params.iter().any(|p| p["in"] == "path") {
            assert!(has("404"), "{method} {path}: {answers:?}");
        }
        if params.iter().any(|p| p["in"] == "query") || op.get("requestBody").is_some() {
            assert!(has("422"), "{method} {path}: {answers:?}");
        }
        if let Some(limit) = params.iter().find(|p| p["name"] == "limit") {
            assert_eq!(
                (limit["schema"]["minimum"].as_u64(), limit["schema"]["maximum"].as_u64()),
                (Some(1), Some(200))
            );
        }
    }
    // Every schema an operation names is defined: the document is gathered from the routes.
    let text = doc.to_string();
    for reference in text.split("\"$ref\":\"#/components/schemas/").skip(1) {
        let name = reference.split('"').next().unwrap_or_default();
        assert!(doc["components"]["schemas"][name].is_object(), "{name} is named but not defined");
    }
    let paths = doc["paths"].as_object().unwrap();
    assert_eq!(paths.len(), 42, "{:?}", paths.keys().collect::<Vec<_>>());
    assert_eq!(operations(&doc).len(), 51);
    let token = &doc["paths"]["/api/v1/oauth/token"]["post"];
    assert!(answers(token).contains(&"415".to_owned()), "a form of another type is a 415");
    let schemas = &doc["components"]["schemas"];
    assert_eq!(schemas["ProductIn"]["properties"]["name"]["maxLength"], 200);
    assert_eq!(schemas["LocationIn"]["properties"]["name"]["maxLength"], 120);
    assert_eq!(schemas["ImageUpload"]["properties"]["file"]["format"], "binary");
    assert!(schemas["ImageUpload"]["required"].as_array().unwrap().contains(&Value::from("file")));
}

/// The products a storefront page shows, in order, and the address of its "More products"
/// link, if it has one.
fn shelf_of(page: &str) -> (Vec<String>, Option<String>) {
    let attribute = |text: &str, name: &str| {
        let start = text.find(&format!("{name}=\""))? + name.len() + 2;
        Some(text[start..start + text[start..].find('"')?].replace("&amp;", "&"))
    };
    let items = page.split("data-testid=\"shop-item\"").skip(1).filter_map(|rest| attribute(rest, "data-product"));
    let more = page
        .split("<a")
        .find(|tag| tag.contains("data-testid=\"more-products\""))
        .and_then(|tag| attribute(tag, "href"));
    (items.collect(), more)
}

#[sqlx::test(migrations = "../migrations")]
async fn every_product_of_a_store_is_found_page_by_page_without_a_script(db: PgPool) {
    let oja = Business::supermarket(&db).await;
    for i in 0..50 {
        oja.product(&format!("Garri {i:02}"), &format!("GARRI-{i:02}"), 1200).await;
    }
    for name in ["Rice 5 kg", "Rice 10 kg", "Beans 1 kg"] {
        oja.product(name, &name.to_uppercase().replace(' ', "-"), 5000).await;
    }
    let app = site(&db, false);
    let (mut seen, mut next, mut pages) = (Vec::new(), Some(format!("/store/{}", oja.slug)), 0);
    while let Some(address) = next {
        let page = send(&app, Request::get(address.as_str()), "").await;
        assert_eq!(page.status, StatusCode::OK, "{address}");
        let (items, more) = shelf_of(&page.body);
        assert!(items.len() <= 48, "{address}: {}", items.len());
        seen.extend(items);
        (next, pages) = (more, pages + 1);
    }
    assert_eq!((seen.len(), pages), (53, 2), "every product once, 48 to a page");
    let unique: std::collections::HashSet<&String> = seen.iter().collect();
    assert_eq!(unique.len(), 53);

    // A search pages the same way, and its next page keeps the search.
    let first = send(&app, Request::get(format!("/store/{}?q=garri", oja.slug).as_str()), "").await;
    let (items, more) = shelf_of(&first.body);
    let more = more.expect("a second page of garri");
    assert!(more.contains("q=garri"), "{more}");
    let second = send(&app, Request::get(more.as_str()), "").await;
    let (rest, after) = shelf_of(&second.body);
    assert_eq!((items.len(), rest.len(), after), (48, 2, None));
    assert!(second.body.contains("Back to the start"));

    // An address with a cursor the store never gave out shows the first page.
    let made_up = send(&app, Request::get(format!("/store/{}?after=not-a-cursor", oja.slug).as_str()), "").await;
    assert_eq!(shelf_of(&made_up.body).0.len(), 48);
}
