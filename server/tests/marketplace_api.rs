//! The marketplace's vendors over HTTP: the REST API under `/api/v1/marketplace/vendors` with the
//! page's rules, and a vendor's private documents, uploaded by form and given only to those who
//! may see them (never through `/media/`).

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "a test fails loudly on what it did not expect")]

mod support;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use commerce::db::Db;
use http_body_util::BodyExt;
use serde_json::{Value, json};
use server::{AppState, router};
use sqlx::PgPool;
use support::builders::{Business, PASSWORD};
use support::{call, client_of, get, post_json, send_json, token};
use tower::ServiceExt;

/// The router on a marketplace's connections, with a keyring to seal bank details.
fn market_app(db: &PgPool) -> Router {
    let mut state = AppState::new(Db::from_pool(db.clone()), "target/site", "http://127.0.0.1:3000");
    state.secrets = Some(commerce::secrets::Keyring::parse("t1:MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=").unwrap());
    router(state)
}

fn new_vendor(name: &str) -> Value {
    json!({
        "details": {"name": name, "contact_name": "Emeka Obi", "email": "emeka@alaba.test", "phone": "0803 555 0101",
                    "state": "Lagos"},
        "bank": {"bank_code": "011", "account_number": "0000014579", "account_name": name}
    })
}

#[sqlx::test(migrations = "../migrations")]
async fn vendors_are_added_reviewed_and_read_through_the_api_by_the_pages_rules(owner: PgPool) {
    let market = Business::marketplace(&owner, "Gadget Market").await;
    let app = market_app(&market.db);
    let (id, secret) = client_of(&market.db, &market.owner, &["marketplace:write"]).await;
    let writer = token(&app, &id, &secret).await;

    let (status, _, made) =
        call(&app, post_json("/api/v1/marketplace/vendors", &writer, Some("v-1"), &new_vendor("Alaba Sound"))).await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    assert_eq!(made["status"], "applied");
    assert_eq!(made["bank_account"]["last4"], "4579");
    assert!(!made.to_string().contains("0000014579"), "the number never travels back: {made}");
    let (status, _, again) =
        call(&app, post_json("/api/v1/marketplace/vendors", &writer, Some("v-1"), &new_vendor("Alaba Sound"))).await;
    assert_eq!((status, &again), (StatusCode::CREATED, &made), "a replay answers the first");
    let vendors: i64 = sqlx::query_scalar("SELECT count(*) FROM vendors").fetch_one(&owner).await.unwrap();
    assert_eq!(vendors, 1);

    let path = format!("/api/v1/marketplace/vendors/{}", made["id"].as_str().unwrap());
    let (status, _, bare) = call(&app, send_json("PUT", &path, &writer, &json!({"status": "rejected"}))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "a refusal says why: {bare}");
    let (status, _, odd) = call(&app, send_json("PUT", &path, &writer, &json!({"status": "promoted"}))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{odd}");
    let (status, _, approved) = call(&app, send_json("PUT", &path, &writer, &json!({"status": "approved"}))).await;
    assert_eq!(status, StatusCode::OK, "{approved}");
    assert_eq!(approved["moves"], json!(["suspended"]));
    let (status, _, wrong) =
        call(&app, send_json("PUT", &path, &writer, &json!({"status": "changes_requested", "reason": "x"}))).await;
    assert_eq!(status, StatusCode::CONFLICT, "{wrong}");
    let (status, _, changed) = call(
        &app,
        send_json("PUT", &path, &writer, &json!({"moderated": false, "status": "suspended", "reason": "Fake goods"})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{changed}");
    assert_eq!((changed["moderated"].clone(), changed["status"].clone()), (json!(false), json!("suspended")));

    let (status, _, page) = call(&app, get("/api/v1/marketplace/vendors?status=suspended&q=alaba", &writer)).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert_eq!(page["data"].as_array().unwrap().len(), 1);
    let (status, _, bad) = call(&app, get("/api/v1/marketplace/vendors?status=asleep", &writer)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");

    // A reader cannot change; a client of other scopes cannot read; another business's client
    // finds nothing.
    let (id, secret) = client_of(&market.db, &market.owner, &["marketplace:read"]).await;
    let reader = token(&app, &id, &secret).await;
    let (status, _, _) = call(&app, send_json("PUT", &path, &reader, &json!({"moderated": true}))).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (id, secret) = client_of(&market.db, &market.owner, &["orders:read"]).await;
    let orders_only = token(&app, &id, &secret).await;
    let (status, _, _) = call(&app, get("/api/v1/marketplace/vendors", &orders_only)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let other = Business::marketplace(&owner, "Other Market").await;
    let (id, secret) = client_of(&other.db, &other.owner, &["marketplace:write"]).await;
    let stranger = token(&app, &id, &secret).await;
    let (status, _, _) = call(&app, get(&path, &stranger)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _, _) = call(&app, send_json("PUT", &path, &stranger, &json!({"status": "approved"}))).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

struct Answer {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: Vec<u8>,
}

async fn send(app: &Router, request: Request<Body>) -> Answer {
    let response = app.clone().oneshot(request).await.unwrap();
    let (parts, body) = response.into_parts();
    Answer { status: parts.status, headers: parts.headers, body: body.collect().await.unwrap().to_bytes().to_vec() }
}

/// Signs in through the sign-in form; answers the cookie.
async fn sign_in(app: &Router, email: &str) -> String {
    let body = format!("email={}&password={PASSWORD}&next=", email.replace('@', "%40"));
    let answer = send(
        app,
        Request::post("/rpc/log_in")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "text/html")
            .header(header::ORIGIN, "http://127.0.0.1:3000")
            .body(Body::from(body))
            .unwrap(),
    )
    .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{email}");
    let cookie = answer.headers.get(header::SET_COOKIE).unwrap().to_str().unwrap();
    cookie.split(';').next().unwrap().to_owned()
}

/// A document form as a browser posts it: `kind` and a file.
fn upload(path: &str, cookie: &str, file: &[u8]) -> Request<Body> {
    let boundary = "----sc1boundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\ncac_certificate\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"cac.pdf\"\r\n\
         Content-Type: application/pdf\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    Request::post(path)
        .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={boundary}"))
        .header(header::COOKIE, cookie)
        .header(header::ORIGIN, "http://127.0.0.1:3000")
        .body(Body::from(body))
        .unwrap()
}

fn fetch(path: &str, cookie: &str) -> Request<Body> {
    Request::get(path).header(header::COOKIE, cookie).body(Body::empty()).unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn a_vendors_documents_go_only_to_the_vendor_and_the_operator(owner: PgPool) {
    let market = Business::marketplace(&owner, "Gadget Market").await;
    let app = market_app(&market.db);
    let (mine, theirs) =
        (market.someone(commerce::base::Role::Vendor).await, market.someone(commerce::base::Role::Vendor).await);
    let me = sign_in(&app, &mine).await;
    let them = sign_in(&app, &theirs).await;

    let refused = send(&app, upload("/vendor/documents", &me, b"<html>not a pdf</html>")).await;
    assert_eq!(refused.status, StatusCode::SEE_OTHER);
    let back = refused.headers[header::LOCATION].to_str().unwrap().to_owned();
    assert!(back.starts_with("/vendor/application?") && back.contains("document_error="), "{back}");

    let sent = send(&app, upload("/vendor/documents", &me, b"%PDF-1.4 the certificate")).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER);
    let back = sent.headers[header::LOCATION].to_str().unwrap().to_owned();
    let document = back.split("uploaded=").nth(1).expect(&back).to_owned();
    let (vendor, key): (uuid::Uuid, String) =
        sqlx::query_as("SELECT vendor_id, file_key FROM vendor_documents").fetch_one(&owner).await.unwrap();

    let own = send(&app, fetch(&format!("/vendor/documents/{document}"), &me)).await;
    assert_eq!(own.status, StatusCode::OK);
    assert_eq!(own.body, b"%PDF-1.4 the certificate");
    assert_eq!(own.headers[header::CONTENT_TYPE], "application/pdf");
    assert!(own.headers[header::CONTENT_DISPOSITION].to_str().unwrap().starts_with("attachment"));
    assert_eq!(own.headers[header::CACHE_CONTROL], "private, no-store");

    // Another vendor, a cashier, nobody signed in, and the public media address get nothing.
    let other = send(&app, fetch(&format!("/vendor/documents/{document}"), &them)).await;
    assert_eq!(other.status, StatusCode::NOT_FOUND);
    let sideways = send(&app, fetch(&format!("/admin/vendors/{vendor}/documents/{document}"), &them)).await;
    assert_eq!(sideways.status, StatusCode::NOT_FOUND);
    let cashier = sign_in(&app, &market.someone(commerce::base::Role::Cashier).await).await;
    let till = send(&app, fetch(&format!("/admin/vendors/{vendor}/documents/{document}"), &cashier)).await;
    assert_eq!(till.status, StatusCode::FORBIDDEN);
    let anyone =
        send(&app, Request::get(format!("/admin/vendors/{vendor}/documents/{document}")).body(Body::empty()).unwrap())
            .await;
    assert_eq!(anyone.status, StatusCode::UNAUTHORIZED);
    let public = send(&app, Request::get(format!("/media/{key}")).body(Body::empty()).unwrap()).await;
    assert_eq!(public.status, StatusCode::NOT_FOUND, "a private file is never served at /media/");

    // The operator reads it, and may add one for the vendor.
    let operator = sign_in(&app, support::builders::email_of(&market.owner)).await;
    let read = send(&app, fetch(&format!("/admin/vendors/{vendor}/documents/{document}"), &operator)).await;
    assert_eq!(read.status, StatusCode::OK);
    let added = send(&app, upload(&format!("/admin/vendors/{vendor}/documents"), &operator, b"%PDF-1.4 another")).await;
    assert_eq!(added.status, StatusCode::SEE_OTHER);
    assert!(added.headers[header::LOCATION].to_str().unwrap().contains("uploaded="));
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM vendor_documents").fetch_one(&owner).await.unwrap();
    assert_eq!(count, 2);
}

/// A request as a signed-in browser's script sends it to a server function: a form.
fn rpc_form(path: &str, cookie: &str, body: &str) -> Request<Body> {
    Request::post(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, cookie)
        .header(header::ORIGIN, "http://127.0.0.1:3000")
        .body(Body::from(body.to_owned()))
        .unwrap()
}

/// A request to a server function that takes JSON.
fn rpc(path: &str, cookie: &str, body: &Value) -> Request<Body> {
    Request::post(path)
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::COOKIE, cookie)
        .header(header::ORIGIN, "http://127.0.0.1:3000")
        .body(Body::from(body.to_string()))
        .unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn a_vendors_staff_reach_nothing_of_another_vendor_or_the_operator_through_the_back_offices_doors(owner: PgPool) {
    let market = Business::marketplace(&owner, "Gadget Market").await;
    let app = market_app(&market.db);
    let theirs = market.member(commerce::base::Role::Vendor).await;
    let commerce::base::Actor::Staff(commerce::base::StaffMember { vendor: Some(theirs_vendor), .. }) = &theirs else {
        panic!("vendor staff")
    };
    let product = commerce::catalog::product::create(
        &market.db,
        &theirs,
        support::builders::single("Infinix Hot 40", "HOT-40", 140_000),
        None,
    )
    .await
    .unwrap();
    let me = sign_in(&app, &market.someone(commerce::base::Role::Vendor).await).await;

    // Another vendor's product: not found by the editor's load and save, nor its pictures.
    let load = send(&app, rpc_form("/rpc/load_product", &me, &format!("id={}", product.id.0))).await;
    assert_eq!(load.status, StatusCode::NOT_FOUND, "{}", String::from_utf8_lossy(&load.body));
    let mut input = support::builders::single("Mine now", "HOT-40", 1);
    input.variants[0].id = Some(product.variants[0].id);
    let save = send(
        &app,
        rpc(
            "/rpc/save_product",
            &me,
            &json!({ "id": product.id.0, "revision": null, "input": input, "submission": "" }),
        ),
    )
    .await;
    assert_eq!(save.status, StatusCode::NOT_FOUND, "{}", String::from_utf8_lossy(&save.body));
    let page = send(&app, fetch(&format!("/admin/products/{}", product.id.0), &me)).await;
    assert!(!String::from_utf8_lossy(&page.body).contains("Infinix Hot 40"), "the editor shows nothing of it");
    // The operator's pages and files.
    for path in ["/admin/export/products.csv", "/admin/export/stock.csv", "/admin/export/customers.csv"] {
        let answer = send(&app, fetch(path, &me)).await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN, "{path}");
    }
    // The marketplace's list of vendors holds their own vendor alone.
    let vendors = send(&app, rpc_form("/rpc/load_vendors", &me, "")).await;
    let seen: Value = serde_json::from_slice(&vendors.body).unwrap();
    assert_eq!(vendors.status, StatusCode::OK, "{seen}");
    assert_eq!(seen["data"].as_array().unwrap().len(), 1, "{seen}");
    assert!(!seen.to_string().contains(&theirs_vendor.0.to_string()), "{seen}");
    let stock = send(&app, rpc_form("/rpc/load_stock", &me, &format!("location={}", market.main.0))).await;
    // Stock elsewhere lists nothing, and only its own place is offered.
    let seen: Value = serde_json::from_slice(&stock.body).unwrap();
    assert_eq!(stock.status, StatusCode::OK, "{seen}");
    assert_eq!(seen["levels"], json!([]), "{seen}");
    assert_eq!(seen["locations"].as_array().unwrap().len(), 1, "{seen}");
    // At its own place, another vendor's products are not listed (not even as nothing in stock).
    let place = seen["locations"][0]["id"].as_str().unwrap().to_owned();
    let stock = send(&app, rpc_form("/rpc/load_stock", &me, &format!("location={place}"))).await;
    assert_eq!(stock.status, StatusCode::OK);
    assert!(!String::from_utf8_lossy(&stock.body).contains("HOT-40"), "{}", String::from_utf8_lossy(&stock.body));
    let unchanged = commerce::catalog::product::get(&market.db, &theirs, product.id).await.unwrap();
    assert_eq!(unchanged.name, "Infinix Hot 40");
}

/// A dispute form as a browser posts it: its words, and photos under `photos`.
fn dispute_form(path: &str, cookie: Option<&str>, fields: &[(&str, &str)], photos: &[&[u8]]) -> Request<Body> {
    let boundary = "----sc1dispute";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes(),
        );
    }
    for photo in photos {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"photos\"; filename=\"box.png\"\r\n\
                 Content-Type: image/png\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(photo);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    let mut request = Request::post(path)
        .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={boundary}"))
        .header(header::ORIGIN, "http://127.0.0.1:3000");
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    request.body(Body::from(body)).unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn a_disputes_messages_and_photos_go_through_plain_forms_to_its_parties_alone(owner: PgPool) {
    use commerce::orders::parts::{self, CashInput};
    use commerce::orders::{OrderStatus, cart, checkout, payment, work};
    let market = Business::marketplace(&owner, "Gadget Market").await;
    market.sells_online().await;
    let app = market_app(&market.db);
    let seller = market.member(commerce::base::Role::Vendor).await;
    let commerce::base::Actor::Staff(commerce::base::StaffMember { vendor: Some(vendor), .. }) = &seller else {
        panic!("vendor staff")
    };
    sqlx::query("UPDATE vendors SET moderated = false WHERE id = $1").bind(vendor.0).execute(&owner).await.unwrap();
    let phone = commerce::catalog::product::create(
        &market.db,
        &seller,
        support::builders::single("Spark 20", "SPARK-20", 90_000),
        None,
    )
    .await
    .unwrap();
    let place = market.place_of(*vendor).await;
    support::builders::receive(&market.db, &seller, place, phone.variants[0].id, 5).await;
    let shopper = market.visitor();
    cart::add(&market.db, &shopper, phone.variants[0].id, 1).await.unwrap();
    let placed =
        checkout::place(&market.db, &shopper, &support::builders::delivery("bank_transfer"), None).await.unwrap();
    payment::confirm_transfer(&market.db, &market.owner, placed.order, None).await.unwrap();
    let part = work::get(&market.db, &market.owner, placed.order).await.unwrap().parts[0].id;
    for to in [OrderStatus::Processing, OrderStatus::Shipped, OrderStatus::Delivered] {
        parts::move_part(&market.db, &seller, part, to, "", &CashInput::default(), None).await.unwrap();
    }
    let page = format!("/store/{}/order/{}", market.slug, placed.view_key);
    let png: &[u8] = &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3, 4];
    let part_text = part.to_string();
    let fields = [
        ("submission", "open-1"),
        ("part", part_text.as_str()),
        ("reason", "damaged"),
        ("asked", ""),
        ("message", "Cracked screen"),
    ];

    // A file that is not a photo comes back beside the photos, and opens nothing.
    let refused = send(&app, dispute_form(&format!("{page}/disputes"), None, &fields, &[b"GIF89a".as_slice()])).await;
    assert_eq!(refused.status, StatusCode::SEE_OTHER);
    let back = refused.headers[header::LOCATION].to_str().unwrap().to_owned();
    assert!(back.starts_with(&format!("{page}?dispute_field=photos&dispute_error=")), "{back}");
    // Opened, and a second press of the same form opens nothing more.
    for _ in 0..2 {
        let opened = send(&app, dispute_form(&format!("{page}/disputes"), None, &fields, &[png])).await;
        assert_eq!(opened.status, StatusCode::SEE_OTHER);
        assert_eq!(opened.headers[header::LOCATION], format!("{page}?dispute=opened#disputes"));
    }
    let (dispute, photo, key): (uuid::Uuid, uuid::Uuid, String) =
        sqlx::query_as("SELECT dispute_id, id, file_key FROM dispute_photos").fetch_one(&owner).await.unwrap();
    let disputes: i64 = sqlx::query_scalar("SELECT count(*) FROM disputes").fetch_one(&owner).await.unwrap();
    assert_eq!(disputes, 1);

    // The photo: to the shopper by their page's key, the seller and the marketplace; to nobody
    // else, and never at the public media address.
    let mine =
        send(&app, Request::get(format!("{page}/disputes/{dispute}/photos/{photo}")).body(Body::empty()).unwrap())
            .await;
    assert_eq!((mine.status, mine.body.as_slice()), (StatusCode::OK, png));
    assert_eq!(mine.headers[header::CACHE_CONTROL], "private, no-store");
    let guessed = format!("/store/{}/order/{}/disputes/{dispute}/photos/{photo}", market.slug, uuid::Uuid::now_v7());
    assert_eq!(send(&app, Request::get(guessed).body(Body::empty()).unwrap()).await.status, StatusCode::NOT_FOUND);
    let public = send(&app, Request::get(format!("/media/{key}")).body(Body::empty()).unwrap()).await;
    assert_eq!(public.status, StatusCode::NOT_FOUND);
    let them = sign_in(&app, &market.someone(commerce::base::Role::Vendor).await).await;
    let me = sign_in(&app, support::builders::email_of(&seller)).await;
    let operator = sign_in(&app, support::builders::email_of(&market.owner)).await;
    let at = format!("/vendor/disputes/{dispute}/photos/{photo}");
    assert_eq!(send(&app, fetch(&at, &me)).await.status, StatusCode::OK);
    assert_eq!(send(&app, fetch(&at, &them)).await.status, StatusCode::NOT_FOUND);
    assert_eq!(send(&app, Request::get(&at).body(Body::empty()).unwrap()).await.status, StatusCode::UNAUTHORIZED);
    let admin_at = format!("/admin/vendors/disputes/{dispute}/photos/{photo}");
    assert_eq!(send(&app, fetch(&admin_at, &operator)).await.status, StatusCode::OK);

    // The seller answers by form; another seller's answer lands nowhere.
    let reply = [("submission", "r-1"), ("message", "It left us whole.")];
    let answered =
        send(&app, dispute_form(&format!("/vendor/disputes/{dispute}/messages"), Some(&me), &reply, &[])).await;
    assert_eq!(answered.headers[header::LOCATION], format!("/vendor/disputes/{dispute}?dispute=sent#disputes"));
    let other = [("submission", "r-2"), ("message", "Me too")];
    let intruded =
        send(&app, dispute_form(&format!("/vendor/disputes/{dispute}/messages"), Some(&them), &other, &[])).await;
    assert!(intruded.headers[header::LOCATION].to_str().unwrap().contains("dispute_error="));
    let messages: Vec<String> =
        sqlx::query_scalar("SELECT side FROM dispute_messages ORDER BY at, id").fetch_all(&owner).await.unwrap();
    assert_eq!(messages, ["shopper", "vendor"]);
    // Its pages, for each side.
    let seller_page = send(&app, fetch(&format!("/vendor/disputes/{dispute}"), &me)).await;
    assert!(String::from_utf8_lossy(&seller_page.body).contains("Cracked screen"));
    let shopper_page =
        send(&app, Request::get(&page).header(header::ACCEPT, "text/html").body(Body::empty()).unwrap()).await;
    assert!(String::from_utf8_lossy(&shopper_page.body).contains("It left us whole."));
}
