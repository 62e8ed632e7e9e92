//! Hostile input through the whole router: numbers at the edges of their types and of what a
//! shelf can hold, NUL characters in text, server-function arguments that are not arguments, and
//! pictures that are small files but enormous images. Each is refused with a 4xx that says what
//! is wrong; none is a panic or a 500.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "a test fails loudly on what it did not expect")]

mod support;

use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use sqlx::PgPool;
use support::builders::{Business, PASSWORD, email_of};
use support::{app, call, client, get, post_json, token};
use tower::ServiceExt;

/// The router on a supermarket of the test's own, the supermarket, and a token that may
/// manage its products and stock.
async fn api(owner: PgPool) -> (Router, Business, String) {
    let (app, shop) = app(owner).await;
    let (id, secret) = client(&shop, &["products:write", "inventory:read", "inventory:write", "settings:read"]).await;
    let token = token(&app, &id, &secret).await;
    (app, shop, token)
}

/// A new product of the shop with two variants (SKUs `HRD-5KG` and `HRD-10KG`); answers
/// (product id, first variant id, first location id).
async fn product(app: &Router, token: &str) -> (String, String, String) {
    let rice = json!({
        "name": "Hardened rice",
        "status": "active",
        "options": ["Size"],
        "variants": [
            { "sku": "HRD-5KG", "option_values": ["5kg"], "price": "9500.00" },
            { "sku": "HRD-10KG", "option_values": ["10kg"], "price": "18200" }
        ]
    });
    let (status, _, made) = call(app, post_json("/api/v1/marketplace/products", token, None, &rice)).await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    let (_, _, locations) = call(app, get("/api/v1/locations", token)).await;
    (
        made["id"].as_str().unwrap().to_owned(),
        made["variants"][0]["id"].as_str().unwrap().to_owned(),
        locations["data"][0]["id"].as_str().unwrap().to_owned(),
    )
}

/// On hand of `variant` at `location`, as the API lists it.
async fn on_hand(app: &Router, token: &str, variant: &str, location: &str) -> i64 {
    let (status, _, page) =
        call(app, get(&format!("/api/v1/inventory?variant_id={variant}&location_id={location}"), token)).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    page["data"][0]["on_hand"].as_i64().unwrap()
}

/// The field the first error of a problem names.
fn field(problem: &Value) -> &str {
    problem["errors"][0]["field"].as_str().unwrap_or_default()
}

#[sqlx::test(migrations = "../migrations")]
async fn an_adjustment_at_the_edge_of_the_integer_is_refused_naming_change(owner: PgPool) {
    let (app, _, token) = api(owner).await;
    let (_, variant, location) = product(&app, &token).await;
    for change in [i64::from(i32::MIN), i64::from(i32::MAX), 1_000_001, -1_000_001] {
        let body = json!({ "variant_id": variant, "location_id": location, "change": change, "note": "typo" });
        let (status, _, problem) = call(&app, post_json("/api/v1/inventory/adjustments", &token, None, &body)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{change}: {problem}");
        assert_eq!(field(&problem), "change", "{problem}");
    }
    assert_eq!(on_hand(&app, &token, &variant, &location).await, 0, "nothing was booked");
}

#[sqlx::test(migrations = "../migrations")]
async fn a_count_past_the_bound_is_refused_even_on_an_oversold_level(owner: PgPool) {
    let (app, _, token) = api(owner).await;
    let (_, variant, location) = product(&app, &token).await;
    let oversold = json!({ "source": "till", "items": [
        { "sku": "HRD-5KG", "location_id": location, "change": -5, "reason": "sale" }
    ]});
    let (status, _, report) = call(&app, post_json("/api/v1/inventory/sync", &token, None, &oversold)).await;
    assert_eq!((status, report["applied"][0]["on_hand"].as_i64()), (StatusCode::OK, Some(-5)), "{report}");

    for count in [i64::from(i32::MAX), 1_000_000_001, -1] {
        let batch = json!({ "source": "warehouse", "items": [
            { "sku": "HRD-10KG", "location_id": location, "change": 1 },
            { "sku": "HRD-5KG", "location_id": location, "count": count }
        ]});
        let (status, _, problem) = call(&app, post_json("/api/v1/inventory/sync", &token, None, &batch)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{count}: {problem}");
        assert_eq!(field(&problem), "items[1].count", "{problem}");
    }
    let batch = json!({ "source": "warehouse", "items": [
        { "sku": "HRD-5KG", "location_id": location, "change": i32::MIN }
    ]});
    let (status, _, problem) = call(&app, post_json("/api/v1/inventory/sync", &token, None, &batch)).await;
    assert_eq!((status, field(&problem)), (StatusCode::UNPROCESSABLE_ENTITY, "items[0].change"), "{problem}");
    assert_eq!(on_hand(&app, &token, &variant, &location).await, -5, "a refused batch changes nothing");
}

#[sqlx::test(migrations = "../migrations")]
async fn on_hand_stops_at_a_billion_and_the_refusal_says_so(owner: PgPool) {
    let (app, _, token) = api(owner.clone()).await;
    let (_, variant, location) = product(&app, &token).await;
    let adjust = |change: i64| {
        let body = json!({ "variant_id": variant, "location_id": location, "change": change, "note": "delivery" });
        post_json("/api/v1/inventory/adjustments", &token, None, &body)
    };
    let (status, _, _) = call(&app, adjust(10)).await;
    assert_eq!(status, StatusCode::CREATED);
    // A level near the bound; no request could build it up in reasonable time.
    sqlx::query("UPDATE stock_levels SET on_hand = 999999990 WHERE variant_id = $1::uuid")
        .bind(&variant)
        .execute(&owner)
        .await
        .unwrap();

    let (status, _, problem) = call(&app, adjust(11)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    assert_eq!(field(&problem), "change", "{problem}");
    assert!(problem["errors"][0]["message"].as_str().unwrap().contains("1,000,000,000"), "{problem}");
    assert_eq!(on_hand(&app, &token, &variant, &location).await, 999_999_990);
    let (status, _, left) = call(&app, adjust(10)).await;
    assert_eq!((status, left["on_hand"].as_i64()), (StatusCode::CREATED, Some(1_000_000_000)), "{left}");

    let batch = json!({ "source": "warehouse", "items": [
        { "sku": "HRD-5KG", "location_id": location, "change": 1, "reason": "receipt" },
        { "sku": "HRD-10KG", "location_id": location, "change": 3, "reason": "receipt" }
    ]});
    let (status, _, report) = call(&app, post_json("/api/v1/inventory/sync", &token, None, &batch)).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!(report["conflicts"][0]["index"], 0, "{report}");
    assert!(report["conflicts"][0]["detail"].as_str().unwrap().contains("1,000,000,000"), "{report}");
    assert_eq!((report["applied"][0]["index"].as_i64(), report["applied"][0]["on_hand"].as_i64()), (Some(1), Some(3)));
}

#[sqlx::test(migrations = "../migrations")]
async fn a_sync_batch_carries_at_most_five_hundred_items(owner: PgPool) {
    let (app, _, token) = api(owner).await;
    let (_, _, location) = product(&app, &token).await;
    let items: Vec<Value> =
        (0..501).map(|_| json!({ "sku": "HRD-5KG", "location_id": location, "change": 1_000_000 })).collect();
    let started = Instant::now();
    let (status, _, problem) =
        call(&app, post_json("/api/v1/inventory/sync", &token, None, &json!({ "source": "erp", "items": items })))
            .await;
    assert_eq!((status, field(&problem)), (StatusCode::UNPROCESSABLE_ENTITY, "items"), "{problem}");
    assert!(started.elapsed() < Duration::from_secs(2), "refused before any work: {:?}", started.elapsed());
}

/// Signs in through the sign-in form as a browser on this site would; answers the cookie.
async fn sign_in(app: &Router, email: &str) -> String {
    let body = format!("email={}&password={PASSWORD}&next=", email.replace('@', "%40"));
    let request = Request::post("/rpc/log_in")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "text/html")
        .header(header::HOST, "127.0.0.1:3000")
        .header(header::ORIGIN, "http://127.0.0.1:3000")
        .body(Body::from(body))
        .unwrap();
    let answer = app.clone().oneshot(request).await.unwrap();
    assert_eq!(answer.status(), StatusCode::SEE_OTHER, "{email}");
    let cookie = answer.headers().get(header::SET_COOKIE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    cookie.split(';').next().unwrap_or_default().to_owned()
}

/// Calls a server function from this site with `body` of `content_type`; answers the status and
/// the body as text.
async fn rpc(app: &Router, cookie: &str, endpoint: &str, content_type: &str, body: String) -> (StatusCode, String) {
    let request = Request::post(format!("/rpc/{endpoint}"))
        .header(header::CONTENT_TYPE, content_type)
        .header(header::COOKIE, cookie)
        .header(header::HOST, "127.0.0.1:3000")
        .header(header::ORIGIN, "http://127.0.0.1:3000")
        .body(Body::from(body))
        .unwrap();
    let answer = app.clone().oneshot(request).await.unwrap();
    let status = answer.status();
    let bytes = answer.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8_lossy(&bytes).into_owned())
}

const FORM: &str = "application/x-www-form-urlencoded";

#[sqlx::test(migrations = "../migrations")]
async fn a_unit_cost_beyond_any_price_is_refused_naming_the_line(owner: PgPool) {
    let (app, shop, token) = api(owner).await;
    let (_, _, location) = product(&app, &token).await;
    let owner = sign_in(&app, email_of(&shop.owner)).await;
    let body = format!("location={location}&supplier=Mill&reference=D-1&lines=HRD-5KG+5+100000000000000000000");
    let (status, answer) = rpc(&app, &owner, "receive_stock", FORM, body).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    assert!(answer.contains(r#""field":"lines","message":"HRD-5KG, unit cost: at most"#), "{answer}");
}

#[sqlx::test(migrations = "../migrations")]
async fn a_nul_character_in_a_json_body_is_a_422_naming_the_field(owner: PgPool) {
    let (app, _, token) = api(owner).await;
    let (_, variant, location) = product(&app, &token).await;
    let body = json!({ "variant_id": variant, "location_id": location, "change": 2, "note": "bad\u{0}note" });
    let (status, _, problem) = call(&app, post_json("/api/v1/inventory/adjustments", &token, None, &body)).await;
    assert_eq!((status, field(&problem)), (StatusCode::UNPROCESSABLE_ENTITY, "note"), "{problem}");
    let batch = json!({ "source": "erp", "items": [
        { "sku": "HRD-5KG", "location_id": location, "change": 1 },
        { "sku": "HRD\u{0}5KG", "location_id": location, "change": 1 }
    ]});
    let (status, _, problem) = call(&app, post_json("/api/v1/inventory/sync", &token, None, &batch)).await;
    assert_eq!((status, field(&problem)), (StatusCode::UNPROCESSABLE_ENTITY, "items[1].sku"), "{problem}");
    // An escaped backslash before "u0000" is two ordinary characters, not a NUL.
    let body = json!({ "variant_id": variant, "location_id": location, "change": 2, "note": "C:\\u0000" });
    let (status, _, left) = call(&app, post_json("/api/v1/inventory/adjustments", &token, None, &body)).await;
    assert_eq!((status, left["on_hand"].as_i64()), (StatusCode::CREATED, Some(2)), "{left}");
}

#[sqlx::test(migrations = "../migrations")]
async fn a_nul_character_in_a_query_is_a_422_naming_the_parameter(owner: PgPool) {
    let (app, _, token) = api(owner).await;
    let (status, _, problem) = call(&app, get("/api/v1/inventory?search=ri%00ce", &token)).await;
    assert_eq!((status, field(&problem)), (StatusCode::UNPROCESSABLE_ENTITY, "search"), "{problem}");
}

#[sqlx::test(migrations = "../migrations")]
async fn a_nul_character_in_a_store_address_or_search_is_never_a_500(owner: PgPool) {
    let (app, shop, _) = api(owner).await;
    let page = |uri: &str| Request::get(uri).header(header::ACCEPT, "text/html").body(Body::empty()).unwrap();
    let answer = app.clone().oneshot(page("/store/a%00b")).await.unwrap();
    assert_eq!(answer.status(), StatusCode::NOT_FOUND);
    let answer = app.clone().oneshot(page(&format!("/store/{}?q=ri%00ce", shop.slug))).await.unwrap();
    assert_eq!(answer.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_nul_character_in_a_server_function_argument_is_a_422(owner: PgPool) {
    let (app, shop, token) = api(owner).await;
    let (_, variant, location) = product(&app, &token).await;
    let owner = sign_in(&app, email_of(&shop.owner)).await;
    let body = format!("variant={variant}&location={location}&change=2&note=bad%00note");
    let (status, answer) = rpc(&app, &owner, "adjust_stock", FORM, body).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    assert!(answer.contains("\"note\""), "{answer}");
    // A path no boundary checks: the database's refusal is still the caller's mistake.
    let (status, answer) = rpc(&app, &owner, "add_category", FORM, "name=Ri%00ce&parent=".into()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    assert!(answer.contains("NUL"), "{answer}");
}

#[sqlx::test(migrations = "../migrations")]
async fn malformed_server_function_arguments_are_a_400_that_says_why(owner: PgPool) {
    let (app, shop, token) = api(owner).await;
    let (_, variant, location) = product(&app, &token).await;
    let owner = sign_in(&app, email_of(&shop.owner)).await;
    let not_an_id = format!("variant=not-a-uuid&location={location}&change=2&note=found");
    let missing = format!("variant={variant}&location={location}&change=2");
    for body in [not_an_id, missing] {
        let (status, answer) = rpc(&app, &owner, "adjust_stock", FORM, body.clone()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}: {answer}");
        assert!(answer.contains("arguments"), "{answer}");
    }
    let (status, answer) = rpc(&app, &owner, "start_import", "application/json", "{\"kind\": ".into()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{answer}");
    assert_eq!(on_hand(&app, &token, &variant, &location).await, 0);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_nul_character_in_a_csv_cell_is_refused_naming_its_line_and_column(owner: PgPool) {
    let (app, shop, _) = api(owner).await;
    let owner = sign_in(&app, email_of(&shop.owner)).await;
    let text = "sku,location,on_hand\nHRD-5KG,Lekki Phase 1,5\nHRD\u{0}10KG,Lekki Phase 1,5\n";
    let body = json!({ "kind": "stock", "text": text, "dry_run": true }).to_string();
    let (status, answer) = rpc(&app, &owner, "start_import", "application/json", body).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    let error: Value = serde_json::from_str(&answer).unwrap();
    let invalid = &error["Domain"]["Invalid"];
    assert_eq!(invalid["field"], "file", "{answer}");
    let message = invalid["message"].as_str().unwrap();
    assert!(message.contains("line 3") && message.contains("sku"), "{message}");
}

/// A PNG of one colour, `side` pixels square: a small file for an enormous picture.
fn flat_png(side: u32) -> Vec<u8> {
    use image::ImageEncoder;
    let pixels = vec![255_u8; usize::try_from(side * side).unwrap()];
    let mut out = Vec::new();
    image::codecs::png::PngEncoder::new(&mut out)
        .write_image(&pixels, side, side, image::ExtendedColorType::L8)
        .unwrap();
    out
}

/// A `multipart/form-data` POST of one file, as the API takes pictures.
fn upload(path: &str, token: &str, file: &[u8]) -> Request<Body> {
    let boundary = "sc1-hardening-boundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"bomb.png\"\r\nContent-Type: image/png\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    Request::post(path)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={boundary}"))
        .body(Body::from(body))
        .unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn a_picture_of_too_many_pixels_is_refused_before_it_is_decoded(owner: PgPool) {
    let (app, _, token) = api(owner).await;
    let (product, _, _) = product(&app, &token).await;
    let bomb = flat_png(10_000);
    assert!(bomb.len() < 1024 * 1024, "a small file: {} bytes", bomb.len());
    let started = Instant::now();
    let (status, _, problem) =
        call(&app, upload(&format!("/api/v1/marketplace/products/{product}/images"), &token, &bomb)).await;
    assert_eq!((status, field(&problem)), (StatusCode::UNPROCESSABLE_ENTITY, "file"), "{problem}");
    assert!(problem["errors"][0]["message"].as_str().unwrap().contains("megapixels"), "{problem}");
    assert!(started.elapsed() < Duration::from_secs(3), "refused without decoding: {:?}", started.elapsed());
}

#[tokio::test]
async fn pictures_are_decoded_a_few_at_a_time() {
    use commerce::media::picture::{DECODES_AT_ONCE, decodes_under_way, prepare_in_turn};
    let picture = flat_png(2_000);
    let tasks: Vec<_> = (0..DECODES_AT_ONCE * 3).map(|_| tokio::spawn(prepare_in_turn(picture.clone()))).collect();
    let mut most = 0;
    while tasks.iter().any(|t| !t.is_finished()) {
        most = most.max(decodes_under_way());
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    for task in tasks {
        let prepared = task.await.unwrap().unwrap();
        assert_eq!((prepared.width, prepared.height), (1600, 1600));
    }
    assert!((1..=DECODES_AT_ONCE).contains(&most), "{most} decoded at once");
}
