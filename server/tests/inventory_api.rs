//! The catalog and stock through the REST API: products, levels, reservations, transfers and
//! the sync batch.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "a test fails loudly on what it did not expect")]

mod support;

use axum::http::StatusCode;
use serde_json::{Value, json};
use sqlx::PgPool;
use support::{app, call, client, client_of, get, post_json, send_json, token};
use tower::ServiceExt;

fn rice() -> Value {
    json!({
        "name": "Mama's Pride rice",
        "brand": "Mama's Pride",
        "status": "active",
        "options": ["Size"],
        "variants": [
            { "sku": "MPR-5KG", "option_values": ["5kg"], "price": "9500.00", "barcode": "5449000000996" },
            { "sku": "MPR-10KG", "option_values": ["10kg"], "price": "18200" }
        ]
    })
}

async fn first_location(app: &axum::Router, token: &str) -> String {
    let (_, _, locations) = call(app, get("/api/v1/locations", token)).await;
    locations["data"][0]["id"].as_str().unwrap().to_owned()
}

#[sqlx::test(migrations = "../migrations")]
async fn products_are_created_read_replaced_and_deleted(owner: PgPool) {
    let (app, oja) = app(owner).await;
    let (id, secret) = client(&oja, &["products:write"]).await;
    let token = token(&app, &id, &secret).await;
    let (status, _, created) = call(&app, post_json("/api/v1/marketplace/products", &token, None, &rice())).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["variants"][1]["price"], "18200.00");
    let path = format!("/api/v1/marketplace/products/{}", created["id"].as_str().unwrap());

    let mut bad = rice();
    bad["variants"][1]["sku"] = json!("MPR-5KG");
    let (status, _, problem) = call(&app, post_json("/api/v1/marketplace/products", &token, None, &bad)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["errors"][0]["field"], "variants[1].sku");
    let mut bad = rice();
    bad["variants"][0]["price"] = json!("cheap");
    let (_, _, problem) = call(&app, post_json("/api/v1/marketplace/products", &token, None, &bad)).await;
    assert_eq!(problem["errors"][0]["field"], "variants[0].price", "{problem}");

    let (_, _, page) = call(&app, get("/api/v1/marketplace/products?search=mamas%20prid&status=active", &token)).await;
    let names: Vec<&str> = page["data"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap()).collect();
    assert!(names.contains(&"Mama's Pride rice"), "{page}");

    let mut renamed = rice();
    renamed["name"] = json!("Mama's Pride parboiled rice");
    renamed["variants"][0]["id"] = created["variants"][0]["id"].clone();
    renamed["variants"].as_array_mut().unwrap().pop();
    let (status, _, replaced) = call(&app, send_json("PUT", &path, &token, &renamed)).await;
    assert_eq!(status, StatusCode::OK, "{replaced}");
    assert_eq!(replaced["variants"].as_array().unwrap().len(), 1);

    let (status, _, _) = call(&app, send_json("DELETE", &path, &token, &Value::Null)).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _, _) = call(&app, get(&path, &token)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _, _) = call(&app, get("/api/v1/marketplace/products/not-an-id", &token)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[sqlx::test(migrations = "../migrations")]
async fn another_businesss_product_is_not_found_and_a_read_token_cannot_write(owner: PgPool) {
    let (app, oja) = app(owner.clone()).await;
    let (id, secret) = client(&oja, &["products:write"]).await;
    let shop = token(&app, &id, &secret).await;
    let (_, _, created) = call(&app, post_json("/api/v1/marketplace/products", &shop, None, &rice())).await;
    let path = format!("/api/v1/marketplace/products/{}", created["id"].as_str().unwrap());
    let market = support::builders::Business::marketplace(&owner, "Naija Gadget Market").await;
    let (id, secret) = client_of(&market.db, &market.owner, &["products:write"]).await;
    let market = token(&app, &id, &secret).await;
    for request in [
        get(&path, &market),
        send_json("PUT", &path, &market, &rice()),
        send_json("DELETE", &path, &market, &Value::Null),
    ] {
        let (status, _, _) = call(&app, request).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }
    let (id, secret) = client(&oja, &["products:read"]).await;
    let reader = token(&app, &id, &secret).await;
    let (status, _, _) = call(&app, post_json("/api/v1/marketplace/products", &reader, None, &rice())).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[sqlx::test(migrations = "../migrations")]
async fn stock_moves_through_sync_reservations_and_transfers(owner: PgPool) {
    let (app, oja) = app(owner.clone()).await;
    let (id, secret) = client(&oja, &["products:write", "inventory:write", "settings:read"]).await;
    let token = token(&app, &id, &secret).await;
    let (_, _, product) = call(&app, post_json("/api/v1/marketplace/products", &token, None, &rice())).await;
    let variant = product["variants"][0]["id"].as_str().unwrap().to_owned();
    let (_, _, locations) = call(&app, get("/api/v1/locations", &token)).await;
    let (shop, other) = (
        locations["data"][0]["id"].as_str().unwrap().to_owned(),
        locations["data"][1]["id"].as_str().unwrap().to_owned(),
    );
    assert_eq!(shop, first_location(&app, &token).await);

    let batch = json!({ "source": "warehouse system", "items": [
        { "sku": "mpr-5kg", "location_id": shop, "count": 40 },
        { "sku": "MPR-10KG", "location_id": shop, "change": 5, "reason": "receipt" },
        { "sku": "NOPE-1", "location_id": shop, "count": 3 },
        { "sku": "MPR-5KG", "location_id": shop, "change": -1, "reason": "sale", "expected_on_hand": 39 }
    ]});
    let (status, _, report) = call(&app, post_json("/api/v1/inventory/sync", &token, Some("batch-1"), &batch)).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!(report["applied"].as_array().unwrap().len(), 2, "{report}");
    assert_eq!(report["conflicts"][0]["index"], 2);
    assert!(report["conflicts"][1]["detail"].as_str().unwrap().contains("on hand is 40"), "{report}");
    let (_, _, again) = call(&app, post_json("/api/v1/inventory/sync", &token, Some("batch-1"), &batch)).await;
    assert_eq!(again, report, "a retried batch is answered, not applied again");
    let bad = json!({ "source": "x", "items": [{ "sku": "MPR-5KG", "location_id": shop }] });
    let (status, _, problem) = call(&app, post_json("/api/v1/inventory/sync", &token, None, &bad)).await;
    assert_eq!((status, &problem["errors"][0]["field"]), (StatusCode::UNPROCESSABLE_ENTITY, &json!("items[0]")));

    let hold = json!({ "variant_id": variant, "quantity": 39, "hold_seconds": 600 });
    let (status, _, held) = call(&app, post_json("/api/v1/inventory/reservations", &token, None, &hold)).await;
    assert_eq!(status, StatusCode::CREATED, "{held}");
    let (status, _, refused) = call(
        &app,
        post_json("/api/v1/inventory/reservations", &token, None, &json!({ "variant_id": variant, "quantity": 2 })),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "one unit left");
    assert_eq!(
        (refused["type"].as_str(), refused["code"].as_str()),
        (Some("/problems/conflict/insufficient_stock"), Some("insufficient_stock")),
        "a client tells not enough stock from any other conflict: {refused}"
    );
    let release = format!("/api/v1/inventory/reservations/{}/release", held["id"].as_str().unwrap());
    let (status, _, _) = call(&app, post_json(&release, &token, None, &Value::Null)).await;
    assert_eq!(status, StatusCode::NO_CONTENT);

    let draft = json!({ "from_location_id": shop, "to_location_id": other, "lines": [{ "variant_id": variant, "quantity": 10 }] });
    let (status, _, transfer) = call(&app, post_json("/api/v1/inventory/transfers", &token, None, &draft)).await;
    assert_eq!((status, transfer["status"].as_str()), (StatusCode::CREATED, Some("draft")), "{transfer}");
    let base = format!("/api/v1/inventory/transfers/{}", transfer["id"].as_str().unwrap());
    let (_, _, sent) = call(&app, post_json(&format!("{base}/send"), &token, None, &Value::Null)).await;
    assert_eq!(sent["status"], "sent");
    let (_, _, received) = call(&app, post_json(&format!("{base}/receive"), &token, None, &json!({}))).await;
    assert_eq!(received["lines"][0]["received"], 10);

    let (_, _, levels) = call(&app, get(&format!("/api/v1/inventory?variant_id={variant}"), &token)).await;
    let on_hand: Vec<i64> = levels["data"].as_array().unwrap().iter().map(|l| l["on_hand"].as_i64().unwrap()).collect();
    assert_eq!(on_hand.iter().sum::<i64>(), 40, "the stale sale was not applied");
    let (_, _, history) =
        call(&app, get(&format!("/api/v1/inventory/movements?variant_id={variant}&limit=2"), &token)).await;
    assert_eq!(history["data"][0]["reason"], "transfer_in");
    assert!(history["next_cursor"].is_string());
    let (status, _, problem) = call(&app, get("/api/v1/inventory/movements", &token)).await;
    assert_eq!((status, &problem["errors"][0]["field"]), (StatusCode::UNPROCESSABLE_ENTITY, &json!("variant_id")));
    support::builders::stock_adds_up(&owner).await;
}

fn png(width: u32, height: u32) -> Vec<u8> {
    let picture = image::RgbImage::from_pixel(width, height, image::Rgb([30, 120, 60]));
    let mut out = std::io::Cursor::new(Vec::new());
    picture.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

/// A `multipart/form-data` POST of `parts` (name, file name if a file, bytes).
fn multipart(path: &str, token: &str, parts: &[(&str, Option<&str>, &[u8])]) -> axum::http::Request<axum::body::Body> {
    let boundary = "sc1-test-boundary-7d3f";
    let mut body = Vec::new();
    for (name, file, bytes) in parts {
        body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        match file {
            Some(file) => body.extend_from_slice(
                format!("Content-Disposition: form-data; name=\"{name}\"; filename=\"{file}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes(),
            ),
            None => body.extend_from_slice(format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes()),
        }
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    axum::http::Request::post(path)
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", format!("multipart/form-data; boundary={boundary}"))
        .body(axum::body::Body::from(body))
        .unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn pictures_are_uploaded_served_moved_and_removed(owner: PgPool) {
    let (app, oja) = app(owner).await;
    let (id, secret) = client(&oja, &["products:write"]).await;
    let token = token(&app, &id, &secret).await;
    let (_, _, product) = call(&app, post_json("/api/v1/marketplace/products", &token, None, &rice())).await;
    let images = format!("/api/v1/marketplace/products/{}/images", product["id"].as_str().unwrap());

    let big = png(1800, 900);
    let (status, _, front) =
        call(&app, multipart(&images, &token, &[("file", Some("front.png"), &big), ("alt", None, b"Front")])).await;
    assert_eq!(status, StatusCode::CREATED, "{front}");
    assert_eq!(
        (front["width"].as_i64(), front["height"].as_i64(), front["alt"].as_str()),
        (Some(1600), Some(800), Some("Front"))
    );
    let small = png(240, 240);
    let (_, _, back) = call(&app, multipart(&images, &token, &[("file", Some("back.png"), &small)])).await;

    for url in [front["url"].as_str().unwrap(), front["thumbnail_url"].as_str().unwrap()] {
        let answer =
            app.clone().oneshot(axum::http::Request::get(url).body(axum::body::Body::empty()).unwrap()).await.unwrap();
        assert_eq!(answer.status(), StatusCode::OK, "{url}");
        assert_eq!(answer.headers()["content-type"], "image/jpeg");
        assert!(answer.headers()["cache-control"].to_str().unwrap().contains("immutable"));
    }
    for url in ["/media/../Cargo.toml", "/media/thumbs/nothing-here.jpg"] {
        let answer =
            app.clone().oneshot(axum::http::Request::get(url).body(axum::body::Body::empty()).unwrap()).await.unwrap();
        assert_eq!(answer.status(), StatusCode::NOT_FOUND, "{url}");
    }

    let (status, _, problem) =
        call(&app, multipart(&images, &token, &[("file", Some("prices.csv"), b"sku,price\nA,1\n")])).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["errors"][0]["field"], "file", "{problem}");
    let (status, _, problem) = call(&app, multipart(&images, &token, &[("alt", None, b"no file")])).await;
    assert_eq!((status, problem["errors"][0]["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("file")));
    let (status, _, _) = call(&app, post_json(&images, &token, None, &json!({ "file": "x" }))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "not a form");

    let back_path = format!("{images}/{}", back["id"].as_str().unwrap());
    let (status, _, order) =
        call(&app, send_json("PATCH", &back_path, &token, &json!({ "position": 0, "alt": "Back" }))).await;
    assert_eq!(status, StatusCode::OK, "{order}");
    assert_eq!((order[0]["id"].clone(), order[0]["alt"].clone()), (back["id"].clone(), json!("Back")));
    let (status, _, left) = call(&app, send_json("DELETE", &back_path, &token, &Value::Null)).await;
    assert_eq!((status, left.as_array().map(Vec::len)), (StatusCode::OK, Some(1)));
    let (status, _, _) = call(&app, send_json("DELETE", &back_path, &token, &Value::Null)).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "already gone");
    let (_, _, shown) =
        call(&app, get(&format!("/api/v1/marketplace/products/{}", product["id"].as_str().unwrap()), &token)).await;
    assert_eq!(shown["images"][0]["id"], front["id"]);

    let (reader, secret) = client(&oja, &["products:read"]).await;
    let reader = support::token(&app, &reader, &secret).await;
    let (status, _, _) = call(&app, multipart(&images, &reader, &[("file", Some("x.png"), &small)])).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "products:read may not add pictures");
}

/// What another business could change of a shop's stock, read straight from the database.
async fn stock_state(owner: &PgPool, variant: &str) -> Value {
    let variant: uuid::Uuid = variant.parse().unwrap();
    let row: (Value,) = sqlx::query_as(
        "SELECT json_build_object(
            'levels', (SELECT json_agg(json_build_array(location_id, on_hand, reserved) ORDER BY location_id)
                         FROM stock_levels WHERE variant_id = $1),
            'movements', (SELECT count(*) FROM stock_movements WHERE variant_id = $1),
            'holds', (SELECT json_agg(status ORDER BY id) FROM stock_reservations WHERE variant_id = $1),
            'transfers', (SELECT json_agg(t.status ORDER BY t.id) FROM stock_transfers t
                           WHERE EXISTS (SELECT 1 FROM stock_transfer_lines l
                                          WHERE l.tenant_id = t.tenant_id AND l.transfer_id = t.id AND l.variant_id = $1)),
            'pictures', (SELECT json_agg(json_build_array(i.id, i.position, i.alt) ORDER BY i.id)
                          FROM product_images i JOIN variants v ON v.tenant_id = i.tenant_id AND v.product_id = i.product_id
                         WHERE v.id = $1))",
    )
    .bind(variant)
    .fetch_one(owner)
    .await
    .unwrap();
    row.0
}

#[sqlx::test(migrations = "../migrations")]
async fn another_businesss_stock_documents_and_pictures_are_not_found_and_stay_unchanged(owner: PgPool) {
    let (app, oja) = app(owner.clone()).await;
    let scopes = ["products:write", "inventory:write", "settings:read"];
    let (id, secret) = client(&oja, &scopes).await;
    let shop = token(&app, &id, &secret).await;
    let (_, _, product) = call(&app, post_json("/api/v1/marketplace/products", &shop, None, &rice())).await;
    let variant = product["variants"][0]["id"].as_str().unwrap().to_owned();
    let (_, _, locations) = call(&app, get("/api/v1/locations", &shop)).await;
    let (here, there) = (
        locations["data"][0]["id"].as_str().unwrap().to_owned(),
        locations["data"][1]["id"].as_str().unwrap().to_owned(),
    );
    let count = json!({ "source": "shop", "items": [{ "sku": "MPR-5KG", "location_id": here, "count": 20 }] });
    call(&app, post_json("/api/v1/inventory/sync", &shop, None, &count)).await;
    let hold = json!({ "variant_id": variant, "quantity": 2, "hold_seconds": 600 });
    let (_, _, held) = call(&app, post_json("/api/v1/inventory/reservations", &shop, None, &hold)).await;
    let draft = json!({ "from_location_id": here, "to_location_id": there, "lines": [{ "variant_id": variant, "quantity": 3 }] });
    let (_, _, transfer) = call(&app, post_json("/api/v1/inventory/transfers", &shop, None, &draft)).await;
    let images = format!("/api/v1/marketplace/products/{}/images", product["id"].as_str().unwrap());
    let (_, _, picture) = call(&app, multipart(&images, &shop, &[("file", Some("front.png"), &png(240, 240))])).await;
    let before = stock_state(&owner, &variant).await;
    assert_eq!(before["holds"], json!(["held"]), "{before}");

    let gadgets = support::builders::Business::marketplace(&owner, "Naija Gadget Market").await;
    let own_sku = gadgets.product("Tecno Spark 20", "SPARK-20", 145_000).await.variants[0].sku.clone();
    let (id, secret) = client_of(&gadgets.db, &gadgets.owner, &scopes).await;
    let market = token(&app, &id, &secret).await;
    let transfer_path = format!("/api/v1/inventory/transfers/{}", transfer["id"].as_str().unwrap());
    let hold_path = format!("/api/v1/inventory/reservations/{}", held["id"].as_str().unwrap());
    let picture_path = format!("{images}/{}", picture["id"].as_str().unwrap());
    let by_path = [
        get(&transfer_path, &market),
        post_json(&format!("{transfer_path}/send"), &market, None, &Value::Null),
        post_json(&format!("{transfer_path}/receive"), &market, None, &json!({})),
        post_json(&format!("{hold_path}/commit"), &market, None, &json!({ "reference": "1042" })),
        post_json(&format!("{hold_path}/release"), &market, None, &Value::Null),
        send_json("PATCH", &picture_path, &market, &json!({ "position": 0, "alt": "Mine now" })),
        send_json("DELETE", &picture_path, &market, &Value::Null),
        multipart(&images, &market, &[("file", Some("x.png"), &png(240, 240))]),
    ];
    for request in by_path {
        let what = format!("{} {}", request.method(), request.uri());
        let (status, _, body) = call(&app, request).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{what}: {body}");
    }
    let by_body = [
        post_json(
            "/api/v1/inventory/adjustments",
            &market,
            None,
            &json!({ "variant_id": variant, "location_id": here, "change": 50, "note": "found" }),
        ),
        post_json("/api/v1/inventory/reservations", &market, None, &json!({ "variant_id": variant, "quantity": 1 })),
    ];
    for request in by_body {
        let what = format!("{} {}", request.method(), request.uri());
        let (status, _, body) = call(&app, request).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{what}: {body}");
    }
    // A document naming another business's shops is refused as it is for any shop not one's own.
    let foreign_transfer = json!({
        "from_location_id": here, "to_location_id": there, "lines": [{ "variant_id": variant, "quantity": 1 }]
    });
    let (status, _, problem) =
        call(&app, post_json("/api/v1/inventory/transfers", &market, None, &foreign_transfer)).await;
    assert_eq!((status, problem["errors"][0]["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("from")));
    let foreign_location =
        json!({ "source": "market", "items": [{ "sku": own_sku, "location_id": here, "count": 999 }] });
    let (status, _, report) = call(&app, post_json("/api/v1/inventory/sync", &market, None, &foreign_location)).await;
    assert!(
        status.is_client_error() || report["applied"].as_array().is_some_and(Vec::is_empty),
        "a count at another business's shop was applied: {status} {report}"
    );
    let (status, _, history) =
        call(&app, get(&format!("/api/v1/inventory/movements?variant_id={variant}"), &market)).await;
    assert!(status == StatusCode::NOT_FOUND || history["data"] == json!([]), "movements leaked: {history}");
    let (_, _, levels) = call(&app, get(&format!("/api/v1/inventory?variant_id={variant}"), &market)).await;
    assert!(levels["data"].as_array().is_none_or(Vec::is_empty), "levels leaked: {levels}");

    assert_eq!(stock_state(&owner, &variant).await, before, "nothing of the shop's changed");
    let here_count: i64 =
        sqlx::query_scalar("SELECT count(*) FROM stock_levels WHERE location_id = $1::uuid AND on_hand = 999")
            .bind(&here)
            .fetch_one(&owner)
            .await
            .unwrap();
    assert_eq!(here_count, 0, "nothing was counted into the shop's location");
    support::builders::stock_adds_up(&owner).await;
}

#[sqlx::test(migrations = "../migrations")]
async fn a_retried_hold_or_upload_is_done_once_and_a_failed_one_can_be_retried(owner: PgPool) {
    let (app, oja) = app(owner.clone()).await;
    let (id, secret) = client(&oja, &["products:write", "inventory:write", "settings:read"]).await;
    let token = token(&app, &id, &secret).await;
    let (_, _, product) = call(&app, post_json("/api/v1/marketplace/products", &token, None, &rice())).await;
    let variant = product["variants"][0]["id"].as_str().unwrap().to_owned();
    let shop = first_location(&app, &token).await;
    let variant_id: uuid::Uuid = variant.parse().unwrap();
    let held_units = || async {
        let (reserved, holds): (i64, i64) = sqlx::query_as(
            "SELECT (SELECT coalesce(sum(reserved), 0) FROM stock_levels WHERE variant_id = $1),
                    (SELECT count(*) FROM stock_reservations WHERE variant_id = $1)",
        )
        .bind(variant_id)
        .fetch_one(&owner)
        .await
        .unwrap();
        (reserved, holds)
    };

    // Not enough yet: refused, and the refusal is not kept with the key.
    let hold = json!({ "variant_id": variant, "quantity": 3, "reference": "checkout 77" });
    let (status, _, refused) =
        call(&app, post_json("/api/v1/inventory/reservations", &token, Some("checkout-77"), &hold)).await;
    assert_eq!((status, refused["code"].as_str()), (StatusCode::CONFLICT, Some("insufficient_stock")), "{refused}");
    let receipt = json!({ "variant_id": variant, "location_id": shop, "change": 10, "note": "delivery" });
    call(&app, post_json("/api/v1/inventory/adjustments", &token, None, &receipt)).await;

    // The checkout on a bad connection sends its hold three times at once, then once more.
    let tries: Vec<_> = (0..3)
        .map(|_| {
            let (app, request) =
                (app.clone(), post_json("/api/v1/inventory/reservations", &token, Some("checkout-77"), &hold));
            tokio::spawn(async move { call(&app, request).await })
        })
        .collect();
    let mut answers = Vec::new();
    for tried in tries {
        let (status, headers, body) = tried.await.unwrap();
        assert_eq!(status, StatusCode::CREATED, "{body}");
        answers.push((body, headers.get("idempotency-replayed").is_some()));
    }
    let (status, headers, last) =
        call(&app, post_json("/api/v1/inventory/reservations", &token, Some("checkout-77"), &hold)).await;
    assert_eq!(
        (status, headers.get("idempotency-replayed").and_then(|v| v.to_str().ok())),
        (StatusCode::CREATED, Some("true"))
    );
    assert!(answers.iter().all(|(body, _)| *body == last), "every try is answered with the one hold: {answers:?}");
    assert_eq!(answers.iter().filter(|(_, replayed)| !replayed).count(), 1, "one try held; the others replayed");
    assert_eq!(held_units().await, (3, 1), "three units held, by one hold");

    // A picture uploaded twice with one key is one picture.
    let images = format!("/api/v1/marketplace/products/{}/images", product["id"].as_str().unwrap());
    let upload = |key: &str| {
        let mut request = multipart(&images, &token, &[("file", Some("front.png"), &png(240, 240))]);
        request.headers_mut().insert("idempotency-key", key.parse().unwrap());
        request
    };
    let (status, _, first) = call(&app, upload("front-1")).await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    let (status, _, again) = call(&app, upload("front-1")).await;
    assert_eq!((status, &again), (StatusCode::CREATED, &first));
    let (_, _, now) =
        call(&app, get(&format!("/api/v1/marketplace/products/{}", product["id"].as_str().unwrap()), &token)).await;
    assert_eq!(now["images"].as_array().unwrap().len(), 1, "{now}");
    support::builders::stock_adds_up(&owner).await;
}
