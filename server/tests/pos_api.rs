//! The till's endpoints through the router: enrolling with a code, downloading the till's data
//! with the register's credential, sending documents (one, a batch, the same batch again, one
//! refused in the middle), and credentials that are not this register's answering 401.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "a test fails loudly on what it did not expect")]

mod support;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use chrono::Utc;
use commerce::base::Role;
use serde_json::{Value, json};
use sqlx::PgPool;
use support::builders::{Business, user_of};
use support::{app, call, client, get, post_json, router_on, token};
use uuid::Uuid;

/// Enrols a register of `shop`'s first shop through the API; answers its credential.
async fn enrolled(app: &axum::Router, shop: &Business) -> String {
    let added =
        commerce::pos::register::add(&shop.db, &shop.owner, shop.main, "Till 1", None, None).await.unwrap().unwrap();
    let request = Request::post("/api/v1/pos/enrol")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(json!({ "code": added.code }).to_string()))
        .unwrap();
    let (status, _, body) = call(app, request).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    body["credential"].as_str().unwrap().to_owned()
}

fn sale(shift: Uuid, cashier: Uuid, variant: Uuid, receipt: &str) -> Value {
    json!({
        "kind": "sale", "id": Uuid::now_v7(), "made_at": Utc::now(), "cashier": cashier, "shift": shift,
        "receipt": receipt, "currency": "NGN", "vat": { "rate": "7.5", "prices_include_tax": true },
        "lines": [{ "variant": variant, "name": "Ofada rice 1kg", "sku": "RICE-1", "quantity": 2,
                    "unit_price": "2500", "shelf_price": "2500", "tax_class": "Standard" }],
        "tenders": [{ "tender": "cash", "amount": "4000", "tendered": "5000" },
                    { "tender": "card", "amount": "1000", "reference": "POS 42" }],
        "total": "5000"
    })
}

#[sqlx::test(migrations = "../migrations")]
async fn a_till_enrols_downloads_and_syncs_each_document_once(owner: PgPool) {
    let (app, shop) = app(owner.clone()).await;
    let rice = shop.product("Ofada rice 1kg", "RICE-1", 2500).await.variants[0].id;
    shop.receive(shop.main, rice, 10).await;
    let cashier = user_of(&shop.member(Role::Cashier).await);
    let credential = enrolled(&app, &shop).await;

    let (status, _, data) = call(&app, get("/api/v1/pos/till", &credential)).await;
    assert_eq!(status, StatusCode::OK, "{data}");
    assert_eq!(data["register"]["prefix"], "R01");
    assert_eq!(data["products"][0]["variants"][0]["price"], "2500.00");
    assert!(data["cashiers"].as_array().unwrap().iter().any(|c| c["id"] == json!(cashier)));

    let shift = Uuid::now_v7();
    let open = json!({ "kind": "shift_open", "id": shift, "made_at": Utc::now(), "cashier": cashier, "float": "5000" });
    let (status, _, one) = call(&app, post_json("/api/v1/pos/transactions", &credential, None, &open)).await;
    assert_eq!(status, StatusCode::OK, "{one}");
    assert_eq!(one["outcomes"][0]["status"], "booked");

    let mut wrong = sale(shift, cashier, rice.0, "R01-000002");
    wrong["total"] = json!("4999");
    let batch = json!({ "documents": [
        sale(shift, cashier, rice.0, "R01-000001"), wrong, sale(shift, cashier, rice.0, "R01-000003"),
    ]});
    let (status, _, first) = call(&app, post_json("/api/v1/pos/transactions", &credential, None, &batch)).await;
    assert_eq!(status, StatusCode::OK, "{first}");
    let statuses: Vec<&str> =
        first["outcomes"].as_array().unwrap().iter().map(|o| o["status"].as_str().unwrap()).collect();
    assert_eq!(statuses, ["booked", "refused", "booked"], "{first}");
    let (status, _, again) = call(&app, post_json("/api/v1/pos/transactions", &credential, None, &batch)).await;
    assert_eq!(status, StatusCode::OK);
    let statuses: Vec<&str> =
        again["outcomes"].as_array().unwrap().iter().map(|o| o["status"].as_str().unwrap()).collect();
    assert_eq!(statuses, ["already_booked", "refused", "already_booked"], "{again}");
    let orders: i64 =
        sqlx::query_scalar("SELECT count(*) FROM orders WHERE channel = 'pos'").fetch_one(&owner).await.unwrap();
    assert_eq!(orders, 2);

    // The shift, read by an integration with orders:read.
    let (id, secret) = client(&shop, &["orders:read"]).await;
    let reader = token(&app, &id, &secret).await;
    let (status, _, page) = call(&app, get("/api/v1/pos/shifts", &reader)).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert_eq!(page["data"][0]["sales"], 2);
    let (status, _, report) = call(&app, get(&format!("/api/v1/pos/shifts/{shift}"), &reader)).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!(report["sales_total"]["amount"], "10000.00");
    // A register's credential is not an API token, nor the reverse.
    let (status, _, _) = call(&app, get("/api/v1/pos/shifts", &credential)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _, _) = call(&app, get("/api/v1/pos/till", &reader)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[sqlx::test(migrations = "../migrations")]
async fn bad_batches_and_strangers_are_refused_whole(owner: PgPool) {
    let (app, shop) = app(owner.clone()).await;
    let credential = enrolled(&app, &shop).await;
    let other = Business::open(&owner, "Kano Kitchen").await;
    let other_app = router_on(&other.db);
    let theirs = enrolled(&other_app, &other).await;
    let cashier = user_of(&shop.owner);
    let open =
        json!({ "kind": "shift_open", "id": Uuid::now_v7(), "made_at": Utc::now(), "cashier": cashier, "float": "0" });

    for (body, why) in [
        (json!({ "documents": [] }), "empty"),
        (json!({ "documents": [open.clone(), open.clone()] }), "a document twice"),
        (json!({ "kind": "teleport", "id": Uuid::now_v7() }), "an unknown kind"),
        (
            json!({ "kind": "shift_open", "id": Uuid::now_v7(), "made_at": "yesterday", "cashier": cashier, "float": "0" }),
            "a bad time",
        ),
    ] {
        let (status, _, problem) = call(&app, post_json("/api/v1/pos/transactions", &credential, None, &body)).await;
        assert!(status.is_client_error(), "{why}: {status} {problem}");
    }
    let (status, _, _) = call(&app, post_json("/api/v1/pos/transactions", "made-up", None, &open)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    // Another business's register: its documents naming our owner are refused, in its own books.
    let (status, _, answer) = call(&app, post_json("/api/v1/pos/transactions", &theirs, None, &open)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(answer["outcomes"][0]["status"], "refused", "{answer}");
    let shifts: i64 = sqlx::query_scalar("SELECT count(*) FROM till_shifts").fetch_one(&owner).await.unwrap();
    assert_eq!(shifts, 0);
    let (status, _, _) = call(&app, post_json("/api/v1/pos/enrol", "", None, &json!({ "code": "AAAA-BBBB" }))).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}
