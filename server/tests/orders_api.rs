//! Orders, customers and payments through the REST API: placing, replaying, reading, moving by
//! the page's rules, and another business's ids answering not found.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "a test fails loudly on what it did not expect")]

mod support;

use axum::http::StatusCode;
use serde_json::{Value, json};
use sqlx::PgPool;
use support::{app, call, client, get, post_json, router_on, send_json, token};

/// An order for two units of `variant`, delivered in Lagos and paid on delivery.
fn order_of(variant: &str) -> Value {
    json!({
        "name": "Ada Obi", "phone": "0803 123 4567", "fulfilment": "delivery",
        "address": { "line": "12 Allen Avenue", "city": "Ikeja", "state": "Lagos" },
        "payment_method": "pay_on_delivery",
        "lines": [{ "variant_id": variant, "quantity": 2 }]
    })
}

#[sqlx::test(migrations = "../migrations")]
async fn an_order_placed_through_the_api_is_placed_once_and_moves_by_the_page_s_rules(owner: PgPool) {
    let (app, shop) = app(owner.clone()).await;
    shop.sells_online().await;
    let rice = shop.product("Ofada rice 1kg", "RICE-1", 2500).await.variants[0].id;
    shop.receive(shop.main, rice, 5).await;
    let (id, secret) = client(&shop, &["orders:write"]).await;
    let writer = token(&app, &id, &secret).await;
    let body = order_of(&rice.0.to_string());

    let (status, _, first) = call(&app, post_json("/api/v1/orders", &writer, Some("order-1"), &body)).await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    assert_eq!(first["number"], "#1001");
    assert!(first["payment_link"].as_str().unwrap().contains("/store/"), "{first}");
    let (status, _, again) = call(&app, post_json("/api/v1/orders", &writer, Some("order-1"), &body)).await;
    assert_eq!((status, &again), (StatusCode::CREATED, &first), "a replay answers the first order");
    let orders: i64 = sqlx::query_scalar("SELECT count(*) FROM orders").fetch_one(&owner).await.unwrap();
    assert_eq!(orders, 1, "placed once");

    let order_id = first["id"].as_str().unwrap();
    let (status, _, order) = call(&app, get(&format!("/api/v1/orders/{order_id}"), &writer)).await;
    assert_eq!(status, StatusCode::OK, "{order}");
    assert_eq!(order["channel"], "draft");
    assert_eq!(order["total"], "6500.00", "two at ₦2,500 and ₦1,500 delivery");
    assert_eq!(order["next_statuses"], json!(["processing", "cancelled"]));

    let path = format!("/api/v1/orders/{order_id}");
    let (status, _, refused) = call(&app, send_json("PUT", &path, &writer, &json!({ "status": "completed" }))).await;
    assert_eq!(status, StatusCode::CONFLICT, "{refused}");
    let (status, _, moved) =
        call(&app, send_json("PUT", &path, &writer, &json!({ "status": "processing", "note": "Packing" }))).await;
    assert_eq!(status, StatusCode::OK, "{moved}");
    assert_eq!(moved["status"], "processing");
    let (status, _, wrong) = call(&app, send_json("PUT", &path, &writer, &json!({ "status": "teleported" }))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{wrong}");

    let (status, _, page) = call(&app, get("/api/v1/orders?search=1001", &writer)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(page["data"].as_array().unwrap().len(), 1);
    let (_, _, customers) = call(&app, get("/api/v1/customers", &writer)).await;
    assert_eq!(customers["data"][0]["phone"], "+2348031234567");
    let customer = customers["data"][0]["id"].as_str().unwrap().to_owned();
    let (status, _, one) = call(&app, get(&format!("/api/v1/customers/{customer}"), &writer)).await;
    assert_eq!((status, one["orders"].as_i64()), (StatusCode::OK, Some(1)));
    let (_, _, payments) = call(&app, get("/api/v1/payments", &writer)).await;
    assert_eq!(payments["data"][0]["method"], "pay_on_delivery");

    // Another business, with a full token of its own, finds none of it.
    let other = support::builders::Business::open(&owner, "Other Shop").await;
    other.sells_online().await;
    let other_app = router_on(&other.db);
    let (id, secret) = client(&other, &["orders:write"]).await;
    let stranger = token(&other_app, &id, &secret).await;
    for path in [format!("/api/v1/orders/{order_id}"), format!("/api/v1/customers/{customer}")] {
        let (status, _, _) = call(&other_app, get(&path, &stranger)).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
    }
    let (status, _, _) = call(&other_app, send_json("PUT", &path, &stranger, &json!({ "status": "cancelled" }))).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // Its order for the first business's variant names the line.
    let (status, _, problem) = call(&other_app, post_json("/api/v1/orders", &stranger, None, &body)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    assert!(problem.to_string().contains("lines[0].variant_id"), "{problem}");
    let (_, _, payments) = call(&other_app, get("/api/v1/payments", &stranger)).await;
    assert_eq!(payments["data"], json!([]));
}

#[sqlx::test(migrations = "../migrations")]
async fn orders_answer_to_their_own_scopes(owner: PgPool) {
    let (app, shop) = app(owner).await;
    let (id, secret) = client(&shop, &["orders:read"]).await;
    let reader = token(&app, &id, &secret).await;
    let (status, _, _) = call(&app, get("/api/v1/orders", &reader)).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _, _) =
        call(&app, post_json("/api/v1/orders", &reader, None, &order_of(&uuid::Uuid::nil().to_string()))).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (id, secret) = client(&shop, &["inventory:write"]).await;
    let other = token(&app, &id, &secret).await;
    for path in ["/api/v1/orders", "/api/v1/customers", "/api/v1/payments"] {
        let (status, _, _) = call(&app, get(path, &other)).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path}");
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn a_store_s_sitemap_lists_its_products_on_sale_and_nothing_else(owner: PgPool) {
    use axum::body::Body;
    use axum::http::Request;
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let (app, shop) = app(owner).await;
    let rice = shop.product("Ofada rice 1kg", "RICE-1", 2500).await;
    let mut draft = support::builders::single("Secret launch", "SECRET-1", 100);
    draft.status = commerce::catalog::ProductStatus::Draft;
    let hidden = commerce::catalog::product::create(&shop.db, &shop.owner, draft, None).await.unwrap();
    let fetch = |path: String| {
        let app = app.clone();
        async move {
            let response = app.oneshot(Request::get(path).body(Body::empty()).unwrap()).await.unwrap();
            let status = response.status();
            let body = response.into_body().collect().await.unwrap().to_bytes();
            (status, String::from_utf8(body.to_vec()).unwrap())
        }
    };
    let (status, xml) = fetch(format!("/store/{}/sitemap.xml", shop.slug)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(xml.starts_with("<?xml"), "{xml}");
    assert!(xml.contains(&format!("/store/{}/p/{}</loc>", shop.slug, rice.id)), "{xml}");
    assert!(!xml.contains(&hidden.id.to_string()), "a draft is not listed");
    let (status, _) = fetch("/store/no-such-store/sitemap.xml".to_owned()).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
