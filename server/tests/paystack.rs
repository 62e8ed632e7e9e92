//! Paystack against a stand-in the test starts: starting a payment, the shopper's return, and
//! the signed webhook, in either order and twice, with a wrong amount and a bad signature.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "a test fails loudly on what it did not expect")]

mod support;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Request, StatusCode};
use axum::routing::{get, post};
use axum::{Json, Router};
use commerce::orders::payment::Outcome;
use commerce::orders::paystack::{self, Paystack};
use commerce::orders::{Address, CheckoutInput, OrderStatus, PaymentStatus, cart, checkout, selling, work};
use commerce::secrets::Keyring;
use serde_json::{Value, json};
use sqlx::PgPool;
use support::builders::Business;
use support::call;

const SECRET: &str = "sk_test_0123456789abcdef";
const KEYS: &str = "k1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

/// What the stand-in was asked, and what it answers for a verification.
#[derive(Default)]
struct Fake {
    /// The amount (kobo) each started reference was for.
    started: HashMap<String, i64>,
    /// Bodies of the initialize calls.
    bodies: Vec<Value>,
    /// What a verification says the charge was, when not the amount it started with.
    charged: Option<i64>,
    /// What a verification says the transaction's state is, when not `success`.
    state: Option<&'static str>,
}

type Shared = Arc<Mutex<Fake>>;

/// Starts the stand-in on a free port; answers its address and its record.
async fn stand_in() -> (String, Shared) {
    let shared = Shared::default();
    let app = Router::new()
        .route("/transaction/initialize", post(initialize))
        .route("/transaction/verify/{reference}", get(verify))
        .with_state(shared.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{address}"), shared)
}

fn authorised(headers: &HeaderMap) -> bool {
    headers.get("authorization").and_then(|v| v.to_str().ok()) == Some(&format!("Bearer {SECRET}"))
}

async fn initialize(
    State(fake): State<Shared>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> (StatusCode, Json<Value>) {
    if !authorised(&headers) {
        return (StatusCode::UNAUTHORIZED, Json(json!({ "status": false, "message": "Invalid key" })));
    }
    let reference = body["reference"].as_str().unwrap().to_owned();
    let kobo: i64 = body["amount"].as_str().unwrap().parse().unwrap();
    let mut fake = fake.lock().unwrap();
    fake.started.insert(reference.clone(), kobo);
    fake.bodies.push(body);
    let url = format!("https://checkout.paystack.test/{reference}");
    (
        StatusCode::OK,
        Json(
            json!({ "status": true, "message": "Authorization URL created", "data": { "authorization_url": url, "reference": reference } }),
        ),
    )
}

async fn verify(
    State(fake): State<Shared>,
    headers: HeaderMap,
    Path(reference): Path<String>,
) -> (StatusCode, Json<Value>) {
    if !authorised(&headers) {
        return (StatusCode::UNAUTHORIZED, Json(json!({ "status": false, "message": "Invalid key" })));
    }
    let fake = fake.lock().unwrap();
    let amount = fake.charged.or_else(|| fake.started.get(&reference).copied()).unwrap_or(0);
    let state = fake.state.unwrap_or("success");
    (
        StatusCode::OK,
        Json(
            json!({ "status": true, "data": { "status": state, "reference": reference, "amount": amount, "currency": "NGN" } }),
        ),
    )
}

/// A shop that takes Paystack, with rice in stock, and a guest's order for two bags paid
/// through Paystack: the shop, the guest and the order.
async fn paystack_order(
    owner: &PgPool,
    keyring: &Keyring,
) -> (Business, commerce::base::Actor, commerce::orders::Placed) {
    let shop = Business::open(owner, "Oja Fresh").await;
    shop.sells_online().await;
    paystack::set_secret(&shop.db, &shop.owner, Some(keyring), SECRET).await.unwrap();
    let rice = shop.product("Ofada rice 1kg", "RICE-1", 2500).await.variants[0].id;
    shop.receive(shop.main, rice, 5).await;
    let guest = shop.visitor();
    cart::add(&shop.db, &guest, rice, 2).await.unwrap();
    let input = CheckoutInput {
        name: "Ada Obi".into(),
        phone: "0803 123 4567".into(),
        email: "ada@example.com".into(),
        fulfilment: "delivery".into(),
        address: Address {
            line: "12 Allen Avenue".into(),
            city: "Ikeja".into(),
            lga: String::new(),
            state: "Lagos".into(),
        },
        payment: "paystack".into(),
        ..CheckoutInput::default()
    };
    let placed = checkout::place(&shop.db, &guest, &input, None).await.unwrap();
    (shop, guest, placed)
}

fn webhook(body: &Value, signature: &str) -> Request<Body> {
    Request::post("/api/v1/payments/webhooks/paystack")
        .header("content-type", "application/json")
        .header("x-paystack-signature", signature)
        .body(Body::from(body.to_string()))
        .unwrap()
}

fn charge(reference: &str, kobo: i64) -> Value {
    json!({ "event": "charge.success", "data": { "reference": reference, "amount": kobo, "currency": "NGN", "status": "success" } })
}

/// The router with the keyring that sealed the shop's key.
fn router_with_keys(db: &PgPool, keyring: &Keyring) -> Router {
    let mut state =
        server::AppState::new(commerce::db::Db::from_pool(db.clone()), "target/site", "http://127.0.0.1:3000");
    state.secrets = Some(keyring.clone());
    server::router(state)
}

#[sqlx::test(migrations = "../migrations")]
async fn a_paystack_payment_is_started_verified_on_return_and_a_replayed_webhook_changes_nothing(owner: PgPool) {
    let keyring = Keyring::parse(KEYS).unwrap();
    let (base_url, fake) = stand_in().await;
    let paystack = Paystack { base_url };
    let (shop, guest, placed) = paystack_order(&owner, &keyring).await;
    let to = paystack::begin(&shop.db, &guest, Some(&keyring), &paystack, placed.view_key, "http://shop.test/return")
        .await
        .unwrap();
    assert!(to.starts_with("https://checkout.paystack.test/"), "{to}");
    let reference = to.rsplit('/').next().unwrap().to_owned();
    {
        let fake = fake.lock().unwrap();
        assert_eq!(fake.bodies[0]["amount"], "650000", "₦6,500 in kobo");
        assert_eq!(fake.bodies[0]["email"], "ada@example.com");
        assert_eq!(fake.bodies[0]["callback_url"], "http://shop.test/return");
    }
    // The reference alone opens nothing: the return address carries the order's key.
    let stranger = shop.visitor();
    let guessed =
        paystack::verify_return(&shop.db, &stranger, Some(&keyring), &paystack, uuid::Uuid::nil(), &reference).await;
    assert!(matches!(guessed, Err(commerce::Error::NotFound(_))), "{guessed:?}");
    let outcome = paystack::verify_return(&shop.db, &guest, Some(&keyring), &paystack, placed.view_key, &reference)
        .await
        .unwrap();
    assert_eq!(outcome, Outcome::Paid);
    let order = work::get(&shop.db, &shop.owner, placed.order).await.unwrap();
    assert_eq!(order.status, OrderStatus::Paid);
    let events = order.events.len();

    // The webhook for the same charge, twice, after the return: taken, and nothing changes.
    let app = router_with_keys(&shop.db, &keyring);
    let body = charge(&reference, 650_000);
    let signature = paystack::sign(SECRET, body.to_string().as_bytes());
    for _ in 0..2 {
        let (status, _, answer) = call(&app, webhook(&body, &signature)).await;
        assert_eq!(status, StatusCode::OK, "{answer}");
    }
    let again = work::get(&shop.db, &shop.owner, placed.order).await.unwrap();
    assert_eq!((again.events.len(), again.paid), (events, true));
    let (on_hand, reserved): (i32, i32) =
        sqlx::query_as("SELECT on_hand, reserved FROM stock_levels").fetch_one(&owner).await.unwrap();
    assert_eq!((on_hand, reserved), (3, 0), "sold once");
    support::builders::stock_adds_up(&owner).await;
}

#[sqlx::test(migrations = "../migrations")]
async fn a_webhook_before_the_return_pays_once_and_a_bad_signature_or_amount_changes_nothing(owner: PgPool) {
    let keyring = Keyring::parse(KEYS).unwrap();
    let (base_url, fake) = stand_in().await;
    let paystack = Paystack { base_url };
    let (shop, guest, placed) = paystack_order(&owner, &keyring).await;
    let to = paystack::begin(&shop.db, &guest, Some(&keyring), &paystack, placed.view_key, "http://shop.test/r")
        .await
        .unwrap();
    let reference = to.rsplit('/').next().unwrap().to_owned();
    let app = router_with_keys(&shop.db, &keyring);

    // A wrong signature, a signature under another key, and none at all: 401, nothing changes.
    let body = charge(&reference, 650_000);
    for signature in ["00".repeat(64), paystack::sign("sk_test_other", body.to_string().as_bytes()), String::new()] {
        let (status, _, _) = call(&app, webhook(&body, &signature)).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    // An unknown reference is refused the same way.
    let unknown = charge("NOBODY-1-1", 650_000);
    let (status, _, _) = call(&app, webhook(&unknown, &paystack::sign(SECRET, unknown.to_string().as_bytes()))).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(!work::get(&shop.db, &shop.owner, placed.order).await.unwrap().paid);

    // The signed webhook first, then the shopper's return: paid once.
    let (status, _, _) = call(&app, webhook(&body, &paystack::sign(SECRET, body.to_string().as_bytes()))).await;
    assert_eq!(status, StatusCode::OK);
    let outcome = paystack::verify_return(&shop.db, &guest, Some(&keyring), &paystack, placed.view_key, &reference)
        .await
        .unwrap();
    assert_eq!(outcome, Outcome::AlreadySettled);
    let order = work::get(&shop.db, &shop.owner, placed.order).await.unwrap();
    assert!(order.paid);
    assert_eq!(order.events.iter().filter(|e| e.to == Some(OrderStatus::Paid)).count(), 1);

    // Another order, charged less than it costs: flagged, not paid.
    let (second, guest2, placed2) = {
        let rice = second_rice(&shop).await;
        let guest = shop.visitor();
        cart::add(&shop.db, &guest, rice, 1).await.unwrap();
        let input = CheckoutInput { payment: "paystack".into(), ..delivery_input() };
        (shop.db.clone(), guest.clone(), checkout::place(&shop.db, &guest, &input, None).await.unwrap())
    };
    let to = paystack::begin(&second, &guest2, Some(&keyring), &paystack, placed2.view_key, "http://shop.test/r")
        .await
        .unwrap();
    let reference2 = to.rsplit('/').next().unwrap().to_owned();
    fake.lock().unwrap().charged = Some(100);
    let outcome = paystack::verify_return(&second, &guest2, Some(&keyring), &paystack, placed2.view_key, &reference2)
        .await
        .unwrap();
    assert_eq!(outcome, Outcome::Flagged);
    let order = work::get(&shop.db, &shop.owner, placed2.order).await.unwrap();
    assert!(!order.paid && order.payment_flagged);
    assert_eq!(order.payments[0].status, PaymentStatus::Flagged);
    support::builders::stock_adds_up(&owner).await;
}

async fn second_rice(shop: &Business) -> commerce::catalog::VariantId {
    let oil = shop.product("Palm oil 1l", "OIL-1", 1800).await.variants[0].id;
    shop.receive(shop.main, oil, 3).await;
    oil
}

fn delivery_input() -> CheckoutInput {
    CheckoutInput {
        name: "Bola Ade".into(),
        phone: "0809 555 1234".into(),
        email: "bola@example.com".into(),
        fulfilment: "delivery".into(),
        address: Address {
            line: "3 Awolowo Road".into(),
            city: "Ikoyi".into(),
            lga: String::new(),
            state: "Lagos".into(),
        },
        ..CheckoutInput::default()
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn paystack_is_offered_only_with_a_key_kept_sealed(owner: PgPool) {
    let keyring = Keyring::parse(KEYS).unwrap();
    let shop = Business::open(&owner, "Oja Fresh").await;
    shop.sells_online().await;
    let guest = shop.visitor();
    let methods = |o: commerce::orders::CheckoutOptions| o.methods.iter().map(|m| m.code()).collect::<Vec<_>>();
    assert!(!methods(selling::options(&shop.db, &guest).await.unwrap()).contains(&"paystack"));
    let wrong = paystack::set_secret(&shop.db, &shop.owner, Some(&keyring), "pk_test_public").await;
    assert!(matches!(wrong, Err(commerce::Error::Invalid { .. })), "{wrong:?}");
    let no_keys = paystack::set_secret(&shop.db, &shop.owner, None, SECRET).await;
    assert!(matches!(no_keys, Err(commerce::Error::Invalid { .. })), "{no_keys:?}");
    paystack::set_secret(&shop.db, &shop.owner, Some(&keyring), SECRET).await.unwrap();
    assert!(methods(selling::options(&shop.db, &guest).await.unwrap()).contains(&"paystack"));
    let kept: String = sqlx::query_scalar("SELECT paystack_secret FROM tenants WHERE id = $1")
        .bind(shop.tenant.0)
        .fetch_one(&owner)
        .await
        .unwrap();
    assert!(!kept.contains(SECRET), "kept sealed");
    let manager = shop.member(commerce::base::Role::Accountant).await;
    assert!(matches!(
        paystack::set_secret(&shop.db, &manager, Some(&keyring), SECRET).await,
        Err(commerce::Error::Forbidden(_))
    ));
}

#[sqlx::test(migrations = "../migrations")]
async fn a_shopper_back_before_paying_can_still_pay_and_a_failed_card_can_be_tried_again(owner: PgPool) {
    let keyring = Keyring::parse(KEYS).unwrap();
    let (base_url, fake) = stand_in().await;
    let paystack = Paystack { base_url };
    let (shop, guest, placed) = paystack_order(&owner, &keyring).await;
    let to = paystack::begin(&shop.db, &guest, Some(&keyring), &paystack, placed.view_key, "http://shop.test/r")
        .await
        .unwrap();
    let first = to.rsplit('/').next().unwrap().to_owned();
    fake.lock().unwrap().state = Some("abandoned");
    let outcome =
        paystack::verify_return(&shop.db, &guest, Some(&keyring), &paystack, placed.view_key, &first).await.unwrap();
    assert_eq!(outcome, Outcome::Waiting);
    fake.lock().unwrap().state = Some("failed");
    let outcome =
        paystack::verify_return(&shop.db, &guest, Some(&keyring), &paystack, placed.view_key, &first).await.unwrap();
    assert_eq!(outcome, Outcome::Failed);
    // Trying again starts a new attempt with a new reference, and that one pays.
    let again = paystack::begin(&shop.db, &guest, Some(&keyring), &paystack, placed.view_key, "http://shop.test/r")
        .await
        .unwrap();
    let second = again.rsplit('/').next().unwrap().to_owned();
    assert_ne!(first, second);
    fake.lock().unwrap().state = None;
    let outcome =
        paystack::verify_return(&shop.db, &guest, Some(&keyring), &paystack, placed.view_key, &second).await.unwrap();
    assert_eq!(outcome, Outcome::Paid);
    let order = work::get(&shop.db, &shop.owner, placed.order).await.unwrap();
    let states: Vec<PaymentStatus> = order.payments.iter().map(|p| p.status).collect();
    assert_eq!(states, [PaymentStatus::Failed, PaymentStatus::Succeeded]);
    support::builders::stock_adds_up(&owner).await;
}
