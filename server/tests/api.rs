//! The REST API's frame through the router: tokens, scopes, problems, pages and idempotency.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "a test fails loudly on what it did not expect")]

mod support;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use serde_json::json;
use sqlx::PgPool;
use support::{app, call, client, get, post_json, token};
use tower::ServiceExt;

#[sqlx::test(migrations = "../migrations")]
async fn a_client_gets_a_token_and_reads_its_own_business(owner: PgPool) {
    let (app, shop) = app(owner).await;
    let (id, secret) = client(&shop, &["settings:read"]).await;
    let token = token(&app, &id, &secret).await;
    let (status, _, settings) = call(&app, get("/api/v1/settings", &token)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        (settings["name"].as_str(), settings["currency"].as_str(), settings["vat_rate"].as_str()),
        (Some("Oja Fresh Supermarket"), Some("NGN"), Some("7.5"))
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn missing_wrong_and_insufficient_credentials_are_refused_as_problems(owner: PgPool) {
    let (app, shop) = app(owner).await;
    let (status, headers, problem) = call(&app, Request::get("/api/v1/settings").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(headers.get(header::CONTENT_TYPE).unwrap(), "application/problem+json");
    assert!(headers.get(header::WWW_AUTHENTICATE).is_some());
    assert_eq!(problem["type"], "/problems/unauthorized");

    let (id, _) = client(&shop, &["settings:read"]).await;
    let (status, _, problem) = call(
        &app,
        Request::post("/api/v1/oauth/token")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(format!("grant_type=client_credentials&client_id={id}&client_secret=guess")))
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(problem["error"], "invalid_client");

    let (id, secret) = client(&shop, &["audit:read"]).await;
    let token = token(&app, &id, &secret).await;
    let (status, _, problem) = call(&app, get("/api/v1/settings", &token)).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "a token without settings:read");
    assert_eq!(problem["type"], "/problems/forbidden");
}

#[sqlx::test(migrations = "../migrations")]
async fn wrong_or_missing_fields_are_named_in_the_problem(owner: PgPool) {
    let (app, shop) = app(owner).await;
    let (id, secret) = client(&shop, &["settings:write"]).await;
    let token = token(&app, &id, &secret).await;
    for (body, field) in [
        (json!({ "kind": "shop" }), "name"),
        (json!({ "name": "Ajah", "kind": "kiosk" }), "kind"),
        (json!({ "name": 42, "kind": "shop" }), "name"),
        (json!({ "name": "Lekki Phase 1", "kind": "shop" }), "name"),
        (json!({ "name": "Ajah", "kind": "shop", "colour": "red" }), "colour"),
    ] {
        let (status, _, problem) = call(&app, post_json("/api/v1/locations", &token, None, &body)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {problem}");
        assert_eq!(problem["type"], "/problems/invalid-input");
        assert_eq!(problem["errors"][0]["field"], field, "{body}: {problem}");
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn a_retried_create_returns_the_first_answer_and_creates_once(owner: PgPool) {
    let (app, shop) = app(owner).await;
    let (id, secret) = client(&shop, &["settings:write"]).await;
    let token = token(&app, &id, &secret).await;
    let body = json!({ "name": "Ajah", "kind": "shop", "city": "Ajah", "state": "Lagos" });
    let (first_status, _, first) = call(&app, post_json("/api/v1/locations", &token, Some("k-1"), &body)).await;
    assert_eq!(first_status, StatusCode::CREATED, "{first}");
    let (again_status, headers, again) = call(&app, post_json("/api/v1/locations", &token, Some("k-1"), &body)).await;
    assert_eq!(again_status, StatusCode::CREATED);
    assert_eq!(again, first, "the replay is the first answer");
    assert_eq!(headers.get("idempotency-replayed").unwrap(), "true");

    let other = json!({ "name": "Ikorodu", "kind": "warehouse" });
    let (status, _, problem) = call(&app, post_json("/api/v1/locations", &token, Some("k-1"), &other)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "same key, other body");
    assert_eq!(problem["errors"][0]["field"], "Idempotency-Key");

    let mut tx = commerce::db::tenant_tx(&shop.db, shop.tenant).await.unwrap();
    let created: i64 = sqlx::query_scalar("SELECT count(*) FROM locations WHERE tenant_id = $1 AND name = 'Ajah'")
        .bind(shop.tenant.0)
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    assert_eq!(created, 1, "the retry created nothing more");
}

#[sqlx::test(migrations = "../migrations")]
async fn lists_page_by_cursor_and_sort_both_ways(owner: PgPool) {
    let (app, shop) = app(owner).await;
    let (id, secret) = client(&shop, &["settings:write"]).await;
    let token = token(&app, &id, &secret).await;
    for name in ["Ajah", "Surulere", "Yaba"] {
        let (status, _, _) =
            call(&app, post_json("/api/v1/locations", &token, None, &json!({ "name": name, "kind": "shop" }))).await;
        assert_eq!(status, StatusCode::CREATED);
    }
    let mut names = Vec::new();
    let mut cursor = String::new();
    loop {
        let (status, _, page) = call(&app, get(&format!("/api/v1/locations?limit=2&cursor={cursor}"), &token)).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        names.extend(page["data"].as_array().unwrap().iter().map(|l| l["name"].as_str().unwrap().to_owned()));
        match page["next_cursor"].as_str() {
            Some(next) => cursor = next.to_owned(),
            None => break,
        }
    }
    assert_eq!(names, ["Ajah", "Ikeja GRA", "Lekki Phase 1", "Surulere", "Yaba"]);
    let (_, _, page) = call(&app, get("/api/v1/locations?sort=-name&limit=1", &token)).await;
    assert_eq!(page["data"][0]["name"], "Yaba");
    let (status, _, problem) = call(&app, get("/api/v1/locations?sort=colour", &token)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["errors"][0]["field"], "sort");
}

#[sqlx::test(migrations = "../migrations")]
async fn the_openapi_document_describes_the_api(owner: PgPool) {
    let (app, _) = app(owner).await;
    let (status, _, doc) = call(&app, Request::get("/api/v1/openapi.json").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    for path in [
        "/api/v1/oauth/token",
        "/api/v1/settings",
        "/api/v1/locations",
        "/api/v1/staff",
        "/api/v1/audit",
        "/api/v1/dashboard",
    ] {
        assert!(doc["paths"][path].is_object(), "{path}");
    }
    assert!(
        doc["components"]["securitySchemes"]["bearer"]["flows"]["clientCredentials"]["scopes"]["settings:read"]
            .is_string()
    );
    let page = app.clone().oneshot(Request::get("/api/docs").body(Body::empty()).unwrap()).await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let html = String::from_utf8(page.into_body().collect().await.unwrap().to_bytes().to_vec()).unwrap();
    assert!(html.contains("/api/v1/locations") && html.contains("settings:write"));
}

#[sqlx::test(migrations = "../migrations")]
async fn staff_audit_and_dashboard_answer_to_their_own_scopes(owner: PgPool) {
    let (app, shop) = app(owner).await;
    for role in [commerce::base::Role::Cashier, commerce::base::Role::Manager] {
        shop.member(role).await;
    }
    let (id, secret) = client(&shop, &["staff:read", "audit:read", "dashboard:read"]).await;
    let reader = token(&app, &id, &secret).await;

    let (status, _, page) = call(&app, get("/api/v1/staff?role=cashier&active=true", &reader)).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let cashiers = page["data"].as_array().unwrap();
    assert!(!cashiers.is_empty() && cashiers.iter().all(|m| m["role"] == "cashier"), "{page}");
    let (_, _, first) = call(&app, get("/api/v1/staff?limit=1", &reader)).await;
    let cursor = first["next_cursor"].as_str().expect("more than one member");
    let (_, _, second) = call(&app, get(&format!("/api/v1/staff?limit=1&cursor={cursor}"), &reader)).await;
    assert!(first["data"][0]["name"].as_str() < second["data"][0]["name"].as_str(), "{first} {second}");
    for (query, field) in [("role=pilot", "role"), ("limit=many", "limit"), ("active=perhaps", "active")] {
        let (status, _, problem) = call(&app, get(&format!("/api/v1/staff?{query}"), &reader)).await;
        assert_eq!((status, &problem["errors"][0]["field"]), (StatusCode::UNPROCESSABLE_ENTITY, &json!(field)));
    }

    let (status, _, trail) = call(&app, get("/api/v1/audit?entity=api%20client&limit=5", &reader)).await;
    assert_eq!(status, StatusCode::OK, "{trail}");
    assert_eq!(trail["data"][0]["action"], "created", "creating the client was recorded: {trail}");
    assert_eq!(trail["data"][0]["after"]["name"], "ERP");
    let (status, _, problem) = call(&app, get("/api/v1/audit?from=yesterday", &reader)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "a date that is not RFC 3339");
    assert_eq!(problem["errors"][0]["field"], "from");

    // The figures are those the back office's page reads for the same days; what stands now
    // (open orders, stock, tills) only for a token that may also read orders or inventory.
    let (status, _, dashboard) = call(&app, get("/api/v1/dashboard?from=2026-11-01&until=2026-11-30", &reader)).await;
    assert_eq!(status, StatusCode::OK, "{dashboard}");
    let november = commerce::dashboard::Period {
        from: chrono::NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
        until: chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
    };
    let filter = commerce::dashboard::Filter::default();
    let page = commerce::dashboard::read(&shop.db, &shop.owner, november, &filter).await.unwrap();
    let page = serde_json::to_value(page).unwrap();
    for key in ["period", "previous", "now", "before", "channels", "shops", "payments", "days", "days_before", "hours"]
    {
        assert_eq!(dashboard[key], page[key], "{key}");
    }
    assert_eq!(dashboard["days"].as_array().map(Vec::len), Some(30));
    assert_eq!(dashboard["previous"]["from"], "2026-10-02");
    assert!(dashboard["open"].is_null() && dashboard["stock"].is_null(), "{dashboard}");
    let elsewhere = uuid::Uuid::now_v7();
    for (query, field) in [
        ("from=yesterday", "from"),
        ("from=2026-02-01&until=2026-01-01", "until"),
        ("from=2010-01-01&until=2026-01-01", "from"),
        ("span=fortnight", "span"),
        ("channel=fax", "channel"),
        (&*format!("shop={elsewhere}"), "shop"),
    ] {
        let (status, _, problem) = call(&app, get(&format!("/api/v1/dashboard?{query}"), &reader)).await;
        assert_eq!(
            (status, &problem["errors"][0]["field"]),
            (StatusCode::UNPROCESSABLE_ENTITY, &json!(field)),
            "{query}"
        );
    }

    let (id, secret) = client(&shop, &["settings:read"]).await;
    let other = token(&app, &id, &secret).await;
    for path in ["/api/v1/staff", "/api/v1/audit", "/api/v1/dashboard"] {
        let (status, _, _) = call(&app, get(path, &other)).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path} without its scope");
    }
}

/// The body of a PUT that sends a product back as it was read, less what it leaves out.
fn product_body(product: &serde_json::Value) -> serde_json::Value {
    let variants: Vec<serde_json::Value> = product["variants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            json!({
                "id": v["id"], "sku": v["sku"], "barcode": v["barcode"], "option_values": v["option_values"],
                "price": v["price"], "compare_at_price": v["compare_at_price"], "cost": v["cost"],
                "weight_grams": v["weight_grams"], "dimensions_mm": v["dimensions_mm"],
            })
        })
        .collect();
    json!({
        "name": product["name"], "description": product["description"], "brand": product["brand"],
        "category_id": product["category_id"], "status": product["status"], "tax_class": product["tax_class"],
        "options": product["options"], "variants": variants,
    })
}

fn put_if_match(path: &str, token: &str, etag: &str, body: &serde_json::Value) -> Request<Body> {
    let mut request = support::send_json("PUT", path, token, body);
    request.headers_mut().insert(header::IF_MATCH, etag.parse().unwrap());
    request
}

#[sqlx::test(migrations = "../migrations")]
async fn a_product_edit_from_an_old_copy_is_refused_and_a_left_out_vendor_is_kept(owner: PgPool) {
    let market = support::builders::Business::marketplace(&owner, "Naija Gadget Market").await;
    let app = support::router_on(&market.db);
    let (id, secret) = support::client(&market, &["products:read", "products:write"]).await;
    let token = token(&app, &id, &secret).await;
    let vendor = market.vendor("Chinedu Phones").await;
    let sold = commerce::catalog::ProductInput {
        brand: "Tecno".into(),
        vendor: commerce::catalog::Keep::To(Some(vendor)),
        ..support::builders::single("Tecno Spark 20", "SPARK-20", 145_000)
    };
    let product = commerce::catalog::product::create(&market.db, &market.owner, sold, None).await.unwrap().id;
    let vendor = vendor.0;
    let path = format!("/api/v1/marketplace/products/{product}");
    let (status, headers, read) = call(&app, get(&path, &token)).await;
    assert_eq!(status, StatusCode::OK, "{read}");
    let first = headers.get(header::ETAG).unwrap().to_str().unwrap().to_owned();
    assert_eq!(first, format!("\"{}\"", read["revision"]), "the ETag is the revision");

    // An integration that knows nothing of vendors sends the product back: the vendor stays.
    let mut renamed = product_body(&read);
    renamed["name"] = json!("Renamed by the ERP");
    let (status, headers, saved) = call(&app, put_if_match(&path, &token, &first, &renamed)).await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_eq!(saved["vendor_id"], json!(vendor), "a PUT that leaves vendor_id out keeps it");
    let second = headers.get(header::ETAG).unwrap().to_str().unwrap().to_owned();
    assert_ne!(second, first, "a change makes a new revision");

    // A second copy, read before that change, cannot overwrite it.
    let mut stale = product_body(&read);
    stale["name"] = json!("Renamed from an old copy");
    let (status, _, problem) = call(&app, put_if_match(&path, &token, &first, &stale)).await;
    assert_eq!(status, StatusCode::PRECONDITION_FAILED, "{problem}");
    assert_eq!(
        (problem["type"].as_str(), problem["code"].as_str()),
        (Some("/problems/conflict/version_mismatch"), Some("version_mismatch"))
    );
    let (_, _, now) = call(&app, get(&path, &token)).await;
    assert_eq!(now["name"], "Renamed by the ERP", "the refused change left nothing behind");

    let (status, _, problem) = call(&app, put_if_match(&path, &token, "yesterday", &stale)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{problem}");

    // Sent as null, the vendor is cleared; without If-Match the change is made as before.
    let mut unsold = product_body(&now);
    unsold["vendor_id"] = serde_json::Value::Null;
    let (status, _, saved) = call(&app, support::send_json("PUT", &path, &token, &unsold)).await;
    assert_eq!((status, &saved["vendor_id"]), (StatusCode::OK, &serde_json::Value::Null), "{saved}");
}

#[sqlx::test(migrations = "../migrations")]
async fn a_product_is_featured_through_the_api_and_a_left_out_flag_is_kept(owner: PgPool) {
    let (app, shop) = app(owner).await;
    let (id, secret) = client(&shop, &["products:read", "products:write"]).await;
    let token = token(&app, &id, &secret).await;
    let made = json!({
        "name": "Dangote Sugar 500g", "status": "active", "featured": true,
        "variants": [{"sku": "DANG-SUGAR-500", "price": "1200.00"}]
    });
    let (status, _, product) = call(&app, post_json("/api/v1/marketplace/products", &token, None, &made)).await;
    assert_eq!(status, StatusCode::CREATED, "{product}");
    assert_eq!(product["featured"], true, "made featured");
    let path = format!("/api/v1/marketplace/products/{}", product["id"].as_str().unwrap());

    // Sent back by an integration that knows nothing of featuring: it stays featured.
    let mut renamed = product_body(&product);
    renamed["name"] = json!("Dangote Sugar 500g pack");
    let (status, _, saved) = call(&app, support::send_json("PUT", &path, &token, &renamed)).await;
    assert_eq!((status, &saved["featured"]), (StatusCode::OK, &json!(true)), "{saved}");
    let home = commerce::catalog::ShelfFilter { featured: true, ..commerce::catalog::ShelfFilter::default() };
    let visitor = commerce::base::Actor::Visitor { tenant: shop.tenant, visit: uuid::Uuid::nil() };
    let shown = commerce::catalog::product::for_sale(&shop.db, &visitor, &home, None, 10).await.unwrap();
    assert_eq!(shown.len(), 1, "the store's home features it");

    // Cleared when sent as false; a flag that is not a boolean is refused and changes nothing.
    let mut plain = product_body(&saved);
    plain["featured"] = json!("yes");
    let (status, _, problem) = call(&app, support::send_json("PUT", &path, &token, &plain)).await;
    assert!(status.is_client_error(), "{status} {problem}");
    let (_, _, still) = call(&app, get(&path, &token)).await;
    assert_eq!(still["featured"], true);
    plain["featured"] = json!(false);
    let (status, _, saved) = call(&app, support::send_json("PUT", &path, &token, &plain)).await;
    assert_eq!((status, &saved["featured"]), (StatusCode::OK, &json!(false)), "{saved}");
}
