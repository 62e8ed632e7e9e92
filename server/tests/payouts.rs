//! Vendor payouts by Paystack Transfers against a stand-in the test starts: the recipient made
//! once from the sealed account, the transfer under the payout's reference, and the signed
//! webhook's success, failure and reversal, each replayed, moving money once.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "a test fails loudly on what it did not expect")]

mod support;

use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, Request, StatusCode};
use axum::routing::post;
use axum::{Json, Router};
use commerce::base::{Actor, Role, StaffMember, VendorId};
use commerce::marketplace::{PayoutStatus, payouts, transfers};
use commerce::orders::paystack::{self, Paystack};
use commerce::secrets::Keyring;
use rust_decimal::Decimal;
use serde_json::{Value, json};
use sqlx::PgPool;
use support::builders::Business;
use support::call;

const SECRET: &str = "sk_test_0123456789abcdef";
const KEYS: &str = "k1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

/// What the stand-in was asked, and whether it refuses transfers.
#[derive(Default)]
struct Fake {
    recipients: Vec<Value>,
    transfers: Vec<Value>,
    refuse: bool,
}

type Shared = Arc<Mutex<Fake>>;

async fn stand_in() -> (String, Shared) {
    let shared = Shared::default();
    let app = Router::new()
        .route("/transferrecipient", post(recipient))
        .route("/transfer", post(transfer))
        .with_state(shared.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{address}"), shared)
}

fn authorised(headers: &HeaderMap) -> bool {
    headers.get("authorization").and_then(|v| v.to_str().ok()) == Some(&format!("Bearer {SECRET}"))
}

async fn recipient(State(fake): State<Shared>, headers: HeaderMap, Json(body): Json<Value>) -> Json<Value> {
    assert!(authorised(&headers));
    let mut fake = fake.lock().unwrap();
    fake.recipients.push(body);
    let code = format!("RCP_{}", fake.recipients.len());
    Json(json!({ "status": true, "message": "Transfer recipient created", "data": { "recipient_code": code } }))
}

async fn transfer(State(fake): State<Shared>, headers: HeaderMap, Json(body): Json<Value>) -> Json<Value> {
    assert!(authorised(&headers));
    let mut fake = fake.lock().unwrap();
    if fake.refuse {
        return Json(json!({ "status": false, "message": "Your balance is not enough to fulfil this request" }));
    }
    fake.transfers.push(body);
    let code = format!("TRF_{}", fake.transfers.len());
    Json(
        json!({ "status": true, "message": "Transfer has been queued", "data": { "transfer_code": code, "status": "pending" } }),
    )
}

fn vendor_of(actor: &Actor) -> VendorId {
    match actor {
        Actor::Staff(StaffMember { vendor: Some(vendor), .. }) => *vendor,
        other => panic!("not vendor staff: {other:?}"),
    }
}

fn event(name: &str, reference: &str, kobo: i64) -> Value {
    json!({ "event": name, "data": { "reference": reference, "amount": kobo, "currency": "NGN", "reason": "Bank declined" } })
}

fn webhook(body: &Value, signature: &str) -> Request<Body> {
    Request::post("/api/v1/payments/webhooks/paystack")
        .header("content-type", "application/json")
        .header("x-paystack-signature", signature)
        .body(Body::from(body.to_string()))
        .unwrap()
}

async fn entries(owner: &PgPool, vendor: VendorId) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM vendor_ledger WHERE vendor_id = $1")
        .bind(vendor.0)
        .fetch_one(owner)
        .await
        .unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn a_payout_sent_by_paystack_is_settled_by_its_webhook_once_and_failures_return_the_money(owner: PgPool) {
    let keyring = Keyring::parse(KEYS).unwrap();
    let (base_url, fake) = stand_in().await;
    let api = Paystack { base_url };
    let market = Business::marketplace(&owner, "Gadget Market").await;
    paystack::set_secret(&market.db, &market.owner, Some(&keyring), SECRET).await.unwrap();
    let seller = market.member(Role::Vendor).await;
    let vendor = vendor_of(&seller);
    sqlx::query(
        "UPDATE vendors SET bank_code = '058', bank_account_sealed = $2, bank_account_last4 = '4579',
                bank_account_name = 'SLOT PHONES LTD' WHERE id = $1",
    )
    .bind(vendor.0)
    .bind(keyring.encrypt(b"0000014579").unwrap())
    .execute(&owner)
    .await
    .unwrap();
    let db = &market.db;
    payouts::adjust(db, &market.owner, vendor, "60000", "Sales carried over", None).await.unwrap();

    let mut state =
        server::AppState::new(commerce::db::Db::from_pool(db.clone()), "target/site", "http://127.0.0.1:3000");
    state.secrets = Some(keyring.clone());
    let app = server::router(state);

    // A refusal from Paystack puts the payout back as asked for, and says why.
    let first = payouts::run(db, &market.owner, None).await.unwrap().remove(0);
    fake.lock().unwrap().refuse = true;
    let refused = transfers::send(db, &market.owner, Some(&keyring), &api, first.id).await;
    assert!(
        matches!(&refused, Err(commerce::Error::Conflict { message, .. }) if message.contains("balance is not enough")),
        "{refused:?}"
    );
    let listed = payouts::list(db, &market.owner, Some(vendor), true, None, 10).await.unwrap();
    assert_eq!(listed.data[0].status, PayoutStatus::Requested);
    fake.lock().unwrap().refuse = false;
    // Only the operator sends.
    let by_vendor = transfers::send(db, &seller, Some(&keyring), &api, first.id).await;
    assert!(matches!(by_vendor, Err(commerce::Error::Forbidden(_))), "{by_vendor:?}");

    let sent = transfers::send(db, &market.owner, Some(&keyring), &api, first.id).await.unwrap();
    assert_eq!(sent.status, PayoutStatus::Sending);
    {
        let fake = fake.lock().unwrap();
        assert_eq!(fake.recipients.len(), 1, "made once, on the refused attempt, and kept");
        assert_eq!(fake.recipients[0]["account_number"], "0000014579", "the sealed number, opened for the call");
        assert_eq!(fake.recipients[0]["bank_code"], "058");
        assert_eq!(fake.transfers[0]["amount"], 6_000_000, "₦60,000 in kobo");
        assert_eq!(fake.transfers[0]["reference"], first.reference.as_str());
        assert_eq!(fake.transfers[0]["recipient"], "RCP_1");
    }
    // Pressed twice: it is under way already.
    let twice = transfers::send(db, &market.owner, Some(&keyring), &api, first.id).await;
    assert!(matches!(twice, Err(commerce::Error::Conflict { .. })), "{twice:?}");

    // A bad signature moves nothing; the success, twice, pays it once.
    let success = event("transfer.success", &first.reference, 6_000_000);
    let (status, _, _) = call(&app, webhook(&success, &"00".repeat(64))).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let signature = paystack::sign(SECRET, success.to_string().as_bytes());
    let counted = entries(&owner, vendor).await;
    for _ in 0..2 {
        let (status, _, answer) = call(&app, webhook(&success, &signature)).await;
        assert_eq!(status, StatusCode::OK, "{answer}");
    }
    let paid = payouts::list(db, &seller, None, false, None, 10).await.unwrap().data.remove(0);
    assert_eq!(paid.status, PayoutStatus::Paid);
    assert_eq!(entries(&owner, vendor).await, counted, "a payout paid writes nothing more");
    assert_eq!(payouts::balance(db, &seller, vendor).await.unwrap().balance.amount, Decimal::ZERO);

    // Reversed by the bank after it was paid: the money comes back, once however often it is said.
    let reversed = event("transfer.reversed", &first.reference, 6_000_000);
    let signature = paystack::sign(SECRET, reversed.to_string().as_bytes());
    for _ in 0..3 {
        let (status, _, _) = call(&app, webhook(&reversed, &signature)).await;
        assert_eq!(status, StatusCode::OK);
    }
    let balance = payouts::balance(db, &seller, vendor).await.unwrap();
    assert_eq!(balance.balance.amount, Decimal::from(60_000));
    assert_eq!(entries(&owner, vendor).await, counted + 1);
    // A success arriving after the reversal changes nothing.
    let (status, _, _) = call(&app, webhook(&success, &paystack::sign(SECRET, success.to_string().as_bytes()))).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(entries(&owner, vendor).await, counted + 1);

    // The next payout reuses the recipient; it fails, and its money comes back once.
    let second = payouts::run(db, &market.owner, None).await.unwrap().remove(0);
    transfers::send(db, &market.owner, Some(&keyring), &api, second.id).await.unwrap();
    assert_eq!(fake.lock().unwrap().recipients.len(), 1, "the kept recipient is used");
    let failed = event("transfer.failed", &second.reference, 6_000_000);
    let signature = paystack::sign(SECRET, failed.to_string().as_bytes());
    for _ in 0..2 {
        call(&app, webhook(&failed, &signature)).await;
    }
    let now = payouts::list(db, &seller, None, false, None, 10).await.unwrap().data;
    assert_eq!(now[0].status, PayoutStatus::Failed);
    assert_eq!(now[0].reason, "Bank declined");
    assert_eq!(payouts::balance(db, &seller, vendor).await.unwrap().available.amount, Decimal::from(60_000));
    // An event for another amount is not this payout's.
    let third = payouts::run(db, &market.owner, None).await.unwrap().remove(0);
    transfers::send(db, &market.owner, Some(&keyring), &api, third.id).await.unwrap();
    let odd = event("transfer.success", &third.reference, 100);
    call(&app, webhook(&odd, &paystack::sign(SECRET, odd.to_string().as_bytes()))).await;
    let open = payouts::list(db, &seller, None, true, None, 10).await.unwrap().data;
    assert_eq!(open[0].status, PayoutStatus::Sending);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_vendors_balance_ledger_and_payouts_are_read_and_settled_through_the_api(owner: PgPool) {
    use support::{client_of, get, post_json, token};
    let market = Business::marketplace(&owner, "Gadget Market").await;
    let seller = market.member(Role::Vendor).await;
    let vendor = vendor_of(&seller);
    sqlx::query(
        "UPDATE vendors SET bank_code = '058', bank_account_sealed = 'sealed', bank_account_last4 = '4579',
                bank_account_name = 'SLOT PHONES LTD' WHERE id = $1",
    )
    .bind(vendor.0)
    .execute(&owner)
    .await
    .unwrap();
    payouts::adjust(&market.db, &market.owner, vendor, "12500.50", "Sales carried over", None).await.unwrap();
    let app = support::router_on(&market.db);
    let (id, secret) = client_of(&market.db, &market.owner, &["marketplace:read"]).await;
    let reader = token(&app, &id, &secret).await;
    let (id, secret) = client_of(&market.db, &market.owner, &["marketplace:write"]).await;
    let writer = token(&app, &id, &secret).await;

    let (status, _, body) =
        call(&app, get(&format!("/api/v1/marketplace/vendors/{}/balance", vendor.0), &reader)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["available"]["amount"], "12500.50", "{body}");
    let (status, _, body) = call(&app, get(&format!("/api/v1/marketplace/vendors/{}/ledger", vendor.0), &reader)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["data"][0]["kind"], "adjustment", "{body}");
    assert_eq!(body["data"][0]["note"], "Sales carried over");
    // Another business's vendor, and none at all, are not found.
    let other = Business::marketplace(&owner, "Other Market").await;
    let theirs = other.vendor("Their Vendor").await;
    for path in [
        format!("/api/v1/marketplace/vendors/{}/balance", theirs.0),
        format!("/api/v1/marketplace/vendors/{}/ledger", uuid::Uuid::nil()),
    ] {
        let (status, _, _) = call(&app, get(&path, &reader)).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
    }

    // Running payouts needs the write scope.
    let run = post_json("/api/v1/marketplace/payouts/run", &reader, None, &json!({}));
    assert_eq!(call(&app, run).await.0, StatusCode::FORBIDDEN);
    let run = post_json("/api/v1/marketplace/payouts/run", &writer, Some("run-1"), &json!({}));
    let (status, _, body) = call(&app, run).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let payout = body[0]["id"].as_str().unwrap().to_owned();
    assert_eq!(body[0]["amount"]["amount"], "12500.50");
    let again = post_json("/api/v1/marketplace/payouts/run", &writer, Some("run-1"), &json!({}));
    let (status, headers, body) = call(&app, again).await;
    assert_eq!((status, body[0]["id"].as_str()), (StatusCode::CREATED, Some(payout.as_str())), "replayed");
    assert_eq!(headers.get("idempotency-replayed").unwrap(), "true");
    let (status, _, body) = call(&app, get("/api/v1/marketplace/payouts?open=true", &reader)).await;
    assert_eq!((status, body["data"].as_array().unwrap().len()), (StatusCode::OK, 1), "{body}");

    let paid = |body: Value| post_json(&format!("/api/v1/marketplace/payouts/{payout}/paid"), &writer, None, &body);
    let (status, _, body) = call(&app, paid(json!({ "bank_reference": "" }))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, _, body) = call(&app, paid(json!({ "bank_reference": "x", "amount": 5 }))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "unknown fields are refused: {body}");
    let (status, _, body) = call(&app, paid(json!({ "bank_reference": "GTB-TRF-99812" }))).await;
    assert_eq!((status, body["status"].as_str()), (StatusCode::OK, Some("paid")), "{body}");
    let cancel = post_json(&format!("/api/v1/marketplace/payouts/{payout}/cancel"), &writer, None, &json!({}));
    assert_eq!(call(&app, cancel).await.0, StatusCode::CONFLICT, "a paid payout stays paid");
    let (_, _, body) = call(&app, get(&format!("/api/v1/marketplace/vendors/{}/balance", vendor.0), &reader)).await;
    assert_eq!(body["balance"]["amount"], "0.00", "{body}");
}
