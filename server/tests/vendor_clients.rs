//! A marketplace vendor's own API clients: made and revoked by the vendor's owner alone, with the
//! scopes of its products, stock and marketplace side alone, and reaching through REST its own
//! vendor's products, stock, orders and money and nothing of another vendor's or of the
//! marketplace's, however its requests are put.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "a test fails loudly on what it did not expect")]

mod support;

use axum::http::StatusCode;
use commerce::Error;
use commerce::base::{Actor, Role, StaffMember, VendorId};
use commerce::catalog::product;
use commerce::identity::api_client;
use commerce::marketplace::payouts;
use serde_json::json;
use sqlx::PgPool;
use support::builders::{Business, single, user_of};
use support::{call, client_of, get, post_json, send_json, token};

fn vendor_of(actor: &Actor) -> VendorId {
    match actor {
        Actor::Staff(StaffMember { vendor: Some(vendor), .. }) => *vendor,
        other => panic!("not vendor staff: {other:?}"),
    }
}

/// Makes this vendor staff member their vendor's owner.
async fn owns(owner: &PgPool, actor: &Actor) {
    sqlx::query("UPDATE memberships SET vendor_owner = true WHERE user_id = $1")
        .bind(user_of(actor))
        .execute(owner)
        .await
        .unwrap();
}

#[sqlx::test(migrations = "../migrations")]
async fn a_vendor_s_api_client_reaches_its_own_vendor_and_nothing_of_another_s_or_the_marketplace_s(owner: PgPool) {
    let market = Business::marketplace(&owner, "Gadget Market").await;
    let app = support::router_on(&market.db);
    let mine = market.member(Role::Vendor).await;
    owns(&owner, &mine).await;
    let theirs = market.member(Role::Vendor).await;
    owns(&owner, &theirs).await;
    let (my_vendor, their_vendor) = (vendor_of(&mine), vendor_of(&theirs));
    let my_place = market.place_of(my_vendor).await;
    let their_place = market.place_of(their_vendor).await;
    let spark = product::create(&market.db, &mine, single("Tecno Spark 20", "SPARK-20", 90_000), None).await.unwrap();
    let hot = product::create(&market.db, &theirs, single("Infinix Hot 40", "HOT-40", 140_000), None).await.unwrap();
    let mug = market.product("Marketplace Mug", "MUG-1", 5_000).await;
    support::builders::receive(&market.db, &mine, my_place, spark.variants[0].id, 8).await;
    support::builders::receive(&market.db, &theirs, their_place, hot.variants[0].id, 5).await;
    support::builders::receive(&market.db, &market.owner, market.main, mug.variants[0].id, 40).await;
    payouts::adjust(&market.db, &market.owner, my_vendor, "12500.50", "Sales carried over", None).await.unwrap();
    payouts::adjust(&market.db, &market.owner, their_vendor, "999.00", "Theirs", None).await.unwrap();

    // What a vendor's client may be given: its products, stock and marketplace side alone.
    for scope in ["orders:read", "settings:write", "staff:read", "dashboard:read", "audit:read"] {
        let refused = api_client::create(&market.db, &mine, "Shelf sync", &[scope.to_owned()], None).await;
        assert!(matches!(&refused, Err(Error::Invalid { field, .. }) if field == "scopes"), "{scope}: {refused:?}");
    }
    let (id, secret) = client_of(&market.db, &mine, &["products:write", "inventory:write", "marketplace:write"]).await;
    let mine_token = token(&app, &id, &secret).await;

    // Products: its own, listed and read; another vendor's and the marketplace's not found.
    let (status, _, page) = call(&app, get("/api/v1/marketplace/products", &mine_token)).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let names: Vec<&str> = page["data"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Tecno Spark 20"], "{page}");
    for other in [hot.id.0, mug.id.0] {
        let path = format!("/api/v1/marketplace/products/{other}");
        assert_eq!(call(&app, get(&path, &mine_token)).await.0, StatusCode::NOT_FOUND, "{path}");
        let change = json!({"name": "Mine now", "status": "active", "variants": [{"sku": "X-1", "price": "1"}]});
        let (status, _, body) = call(&app, send_json("PUT", &path, &mine_token, &change)).await;
        assert!(matches!(status, StatusCode::NOT_FOUND | StatusCode::FORBIDDEN), "{path}: {status} {body}");
        let (status, _, _) = call(&app, send_json("DELETE", &path, &mine_token, &json!({}))).await;
        assert!(matches!(status, StatusCode::NOT_FOUND | StatusCode::FORBIDDEN), "{path}: {status}");
    }
    assert_eq!(product::get(&market.db, &theirs, hot.id).await.unwrap().name, "Infinix Hot 40");

    // Stock: at its own place alone; another's place is refused.
    let (status, _, levels) = call(&app, get("/api/v1/inventory", &mine_token)).await;
    assert_eq!(status, StatusCode::OK, "{levels}");
    let places: Vec<&str> =
        levels["data"].as_array().unwrap().iter().map(|l| l["location_id"].as_str().unwrap()).collect();
    assert!(!places.is_empty() && places.iter().all(|p| *p == my_place.0.to_string()), "{levels}");
    assert!(!levels.to_string().contains("HOT-40") && !levels.to_string().contains("MUG-1"), "{levels}");
    for (variant, place) in [(hot.variants[0].id.0, their_place.0), (spark.variants[0].id.0, market.main.0)] {
        let body = json!({"variant_id": variant, "location_id": place, "change": -3, "note": "taken"});
        let (status, _, answer) =
            call(&app, post_json("/api/v1/inventory/adjustments", &mine_token, None, &body)).await;
        assert!(matches!(status, StatusCode::NOT_FOUND | StatusCode::FORBIDDEN), "{status} {answer}");
    }

    // The marketplace: its own vendor alone, its own money and orders; another's not found.
    let (status, _, vendors) = call(&app, get("/api/v1/marketplace/vendors", &mine_token)).await;
    assert_eq!(status, StatusCode::OK, "{vendors}");
    let ids: Vec<&str> = vendors["data"].as_array().unwrap().iter().map(|v| v["id"].as_str().unwrap()).collect();
    assert_eq!(ids, [my_vendor.0.to_string()], "{vendors}");
    for what in ["", "/balance", "/ledger", "/orders"] {
        let path = format!("/api/v1/marketplace/vendors/{}{what}", their_vendor.0);
        let (status, _, body) = call(&app, get(&path, &mine_token)).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}: {body}");
        let path = format!("/api/v1/marketplace/vendors/{}{what}", my_vendor.0);
        let (status, _, body) = call(&app, get(&path, &mine_token)).await;
        assert_eq!(status, StatusCode::OK, "{path}: {body}");
    }
    let (_, _, balance) =
        call(&app, get(&format!("/api/v1/marketplace/vendors/{}/balance", my_vendor.0), &mine_token)).await;
    assert_eq!(balance["balance"]["amount"], "12500.50", "{balance}");
    let (status, _, listed) = call(&app, get("/api/v1/marketplace/payouts", &mine_token)).await;
    assert_eq!(status, StatusCode::OK, "{listed}");
    let (_, _, filtered) =
        call(&app, get(&format!("/api/v1/marketplace/payouts?vendor_id={}", their_vendor.0), &mine_token)).await;
    assert_eq!(filtered["status"], 404, "another vendor's payouts are not found: {filtered}");

    // The operator's work: refused, however the client was scoped.
    let path = format!("/api/v1/marketplace/vendors/{}", my_vendor.0);
    let (status, _, body) =
        call(&app, send_json("PUT", &path, &mine_token, &json!({"status": "suspended", "reason": "x"}))).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let (status, _, body) = call(&app, send_json("PUT", &path, &mine_token, &json!({"moderated": false}))).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    for request in [
        post_json("/api/v1/marketplace/payouts/run", &mine_token, None, &json!({})),
        post_json(
            "/api/v1/marketplace/vendors",
            &mine_token,
            None,
            &json!({"details": {"name": "Mine too", "contact_name": "Emeka Obi", "email": "emeka@alaba.test",
                                "phone": "0803 555 0101", "state": "Lagos"}}),
        ),
        get("/api/v1/orders", &mine_token),
        get("/api/v1/customers", &mine_token),
        get("/api/v1/locations", &mine_token),
    ] {
        let path = request.uri().to_string();
        let (status, _, body) = call(&app, request).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path}: {body}");
    }

    // Who sees and revokes which clients: the other vendor sees none of these and cannot
    // revoke this one; the marketplace's owner sees it as the vendor's; the vendor's owner
    // revokes it, and its tokens stop at once.
    assert!(api_client::list(&market.db, &theirs).await.unwrap().is_empty());
    let made = api_client::list(&market.db, &mine).await.unwrap();
    assert_eq!(made.len(), 1);
    assert!(api_client::revoke(&market.db, &theirs, made[0].id, None).await.is_err());
    let everyone = api_client::list(&market.db, &market.owner).await.unwrap();
    assert!(
        everyone.iter().any(|c| c.id == made[0].id && c.vendor.as_deref().is_some_and(|v| v.starts_with("Vendor ")))
    );
    let (status, _, _) = call(&app, get("/api/v1/marketplace/products", &mine_token)).await;
    assert_eq!(status, StatusCode::OK, "the other vendor's try revoked nothing");
    api_client::revoke(&market.db, &mine, made[0].id, None).await.unwrap();
    let (status, _, _) = call(&app, get("/api/v1/marketplace/products", &mine_token)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[sqlx::test(migrations = "../migrations")]
async fn only_a_vendor_s_owner_makes_its_clients(owner: PgPool) {
    let market = Business::marketplace(&owner, "Gadget Market").await;
    let staff = market.member(Role::Vendor).await;
    let refused = api_client::create(&market.db, &staff, "Shelf sync", &["products:read".to_owned()], None).await;
    assert!(matches!(refused, Err(Error::Forbidden(_))), "{refused:?}");
    owns(&owner, &staff).await;
    let made = api_client::create(&market.db, &staff, "Shelf sync", &["products:read".to_owned()], None).await;
    assert!(made.unwrap().is_some());
    let kept: Option<uuid::Uuid> =
        sqlx::query_scalar("SELECT vendor_id FROM api_clients").fetch_one(&owner).await.unwrap();
    assert_eq!(kept, Some(vendor_of(&staff).0), "the client is the vendor's");
    // A business client made by the marketplace's owner is the marketplace's, and a cashier
    // makes none.
    let cashier = market.member(Role::Cashier).await;
    assert!(api_client::create(&market.db, &cashier, "Till", &["products:read".to_owned()], None).await.is_err());
}
