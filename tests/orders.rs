//! Selling online against a real database, acting as the application's role: carts, checkout,
//! payments and working orders. Every test that moves stock ends by checking that the ledger
//! adds up.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "a test fails loudly on what it did not expect")]

mod support;

use commerce::base::{Actor, LocationId, Role};
use commerce::catalog::VariantId;
use commerce::idempotency::Once;
use commerce::orders::payment::{self, Outcome, Report};
use commerce::orders::work::{self, Who};
use commerce::orders::{CheckoutInput, OrderFilter, OrderStatus, PaymentMethod, PaymentStatus, cart, checkout};
use commerce::{Clash, Error};
use rust_decimal::Decimal;
use sqlx::PgPool;
use support::{Business, delivery, stock_adds_up};

/// On hand and reserved of a variant at a location.
async fn level(owner: &PgPool, variant: VariantId, location: LocationId) -> (i32, i32) {
    sqlx::query_as("SELECT on_hand, reserved FROM stock_levels WHERE variant_id = $1 AND location_id = $2")
        .bind(variant.0)
        .bind(location.0)
        .fetch_one(owner)
        .await
        .unwrap()
}

/// A shop selling online with one product (₦2,500, VAT included) of which `units` are in stock.
async fn shop_with(owner: &PgPool, units: i32) -> (Business, VariantId) {
    let oja = Business::open(owner, "Oja Fresh").await;
    oja.sells_online().await;
    let rice = oja.product("Ofada rice 1kg", "RICE-1", 2500).await;
    let variant = rice.variants[0].id;
    oja.receive(oja.main, variant, units).await;
    (oja, variant)
}

/// The names on the first page of the store's shelf, narrowed and ordered by `filter`.
async fn shelf_names(oja: &Business, filter: commerce::catalog::ShelfFilter) -> Vec<String> {
    commerce::catalog::product::for_sale(&oja.db, &oja.visitor(), &filter, None, 10)
        .await
        .unwrap()
        .into_iter()
        .map(|(i, _)| i.name)
        .collect()
}

#[sqlx::test]
async fn a_guest_pays_on_delivery_and_the_merchant_completes_the_order(owner: PgPool) {
    let (oja, rice) = shop_with(&owner, 10).await;
    let guest = oja.visitor();
    let cart = cart::add(&oja.db, &guest, rice, 3).await.unwrap();
    assert_eq!(cart.units(), 3);
    assert!(cart.ready());
    let too_many = cart::add(&oja.db, &guest, rice, 8).await;
    assert!(matches!(&too_many, Err(Error::Invalid { field, .. }) if field == "quantity"), "{too_many:?}");

    let placed = checkout::place(&oja.db, &guest, &delivery("pay_on_delivery"), None).await.unwrap();
    assert_eq!(placed.number, "#1001");
    // Paid at the door: the stock leaves at once.
    assert_eq!(level(&owner, rice, oja.main).await, (7, 0));
    assert!(cart::get(&oja.db, &guest).await.unwrap().lines.is_empty(), "the cart is emptied");

    let order = work::for_shopper(&oja.db, &guest, placed.view_key).await.unwrap();
    assert_eq!(order.status, OrderStatus::AwaitingPayment);
    assert_eq!(order.contact_phone, "+2348031234567");
    // ₦7,500 of goods with VAT inside, and ₦1,500 delivery (under ₦50,000): VAT is 7.5/107.5 of each.
    assert_eq!(order.subtotal.amount, Decimal::from(7500));
    assert_eq!(order.delivery.amount, Decimal::from(1500));
    assert_eq!(order.total.amount, Decimal::from(9000));
    assert_eq!(order.vat.amount, Decimal::new(52326 + 10465, 2));
    assert_eq!(order.next(), [OrderStatus::Processing, OrderStatus::Cancelled]);

    let boss = &oja.owner;
    for to in [OrderStatus::Processing, OrderStatus::Shipped, OrderStatus::Delivered, OrderStatus::Completed] {
        let moved = work::move_to(&oja.db, boss, order.id, to, "", None).await.unwrap();
        assert_eq!(moved.status, to);
    }
    let done = work::get(&oja.db, boss, order.id).await.unwrap();
    assert!(done.paid, "paid at the door when delivered");
    assert_eq!(done.payments[0].status, PaymentStatus::Succeeded);
    let who: Vec<(Option<OrderStatus>, Option<OrderStatus>)> = done.events.iter().map(|e| (e.from, e.to)).collect();
    assert_eq!(who.len(), 5, "placed and four moves: {who:?}");
    let back = work::move_to(&oja.db, boss, order.id, OrderStatus::Processing, "", None).await;
    assert!(matches!(&back, Err(Error::Conflict { clash: Clash::WrongState, .. })), "{back:?}");

    // The order is listed, and found by its number, the shopper's name and their phone.
    for search in ["1001", "ada", "0803 123 4567"] {
        let filter = OrderFilter { search: Some(search.into()), ..OrderFilter::default() };
        let page = work::list(&oja.db, boss, &filter, None, 20).await.unwrap();
        assert_eq!(page.data.len(), 1, "searching {search:?}");
    }
    let filter = OrderFilter { status: Some(OrderStatus::Cancelled), ..OrderFilter::default() };
    assert!(work::list(&oja.db, boss, &filter, None, 20).await.unwrap().data.is_empty());
    // And by the way it was paid.
    for (method, found) in [(PaymentMethod::PayOnDelivery, 1), (PaymentMethod::BankTransfer, 0)] {
        let filter = OrderFilter { method: Some(method), ..OrderFilter::default() };
        assert_eq!(work::list(&oja.db, boss, &filter, None, 20).await.unwrap().data.len(), found, "{method:?}");
    }
    stock_adds_up(&owner).await;
}

#[sqlx::test]
async fn a_cancelled_order_paid_on_delivery_puts_its_stock_back(owner: PgPool) {
    let (oja, rice) = shop_with(&owner, 5).await;
    let guest = oja.visitor();
    cart::add(&oja.db, &guest, rice, 2).await.unwrap();
    let placed = checkout::place(&oja.db, &guest, &delivery("pay_on_delivery"), None).await.unwrap();
    assert_eq!(level(&owner, rice, oja.main).await, (3, 0));
    let cancelled =
        work::move_to(&oja.db, &oja.owner, placed.order, OrderStatus::Cancelled, "Shopper changed their mind", None)
            .await
            .unwrap();
    assert_eq!(cancelled.status, OrderStatus::Cancelled);
    assert_eq!(level(&owner, rice, oja.main).await, (5, 0));
    assert_eq!(cancelled.payments[0].status, PaymentStatus::Failed);
    stock_adds_up(&owner).await;
}

#[sqlx::test]
async fn a_transfer_waits_for_the_merchant_and_one_never_paid_is_called_off(owner: PgPool) {
    let (oja, rice) = shop_with(&owner, 10).await;
    let guest = oja.visitor();
    cart::add(&oja.db, &guest, rice, 4).await.unwrap();
    let placed = checkout::place(&oja.db, &guest, &delivery("bank_transfer"), None).await.unwrap();
    assert_eq!(level(&owner, rice, oja.main).await, (10, 4), "held until the money arrives");
    payment::confirm_transfer(&oja.db, &oja.owner, placed.order, None).await.unwrap();
    assert_eq!(level(&owner, rice, oja.main).await, (6, 0));
    let order = work::get(&oja.db, &oja.owner, placed.order).await.unwrap();
    assert!(order.paid);
    assert_eq!(order.status, OrderStatus::Paid);
    // Confirming again changes nothing more.
    let again = payment::confirm_transfer(&oja.db, &oja.owner, placed.order, None).await;
    assert!(matches!(&again, Err(Error::Conflict { .. })), "{again:?}");
    assert_eq!(level(&owner, rice, oja.main).await, (6, 0));

    // Another never paid: called off when its window passes, its hold given back.
    let late = oja.visitor();
    cart::add(&oja.db, &late, rice, 2).await.unwrap();
    let unpaid = checkout::place(&oja.db, &late, &delivery("bank_transfer"), None).await.unwrap();
    assert_eq!(level(&owner, rice, oja.main).await, (6, 2));
    assert_eq!(payment::call_off_unpaid(&oja.db, 100).await.unwrap(), 0, "not yet due");
    sqlx::query("UPDATE orders SET pay_by = now() - interval '1 minute' WHERE id = $1")
        .bind(unpaid.order)
        .execute(&owner)
        .await
        .unwrap();
    assert_eq!(payment::call_off_unpaid(&oja.db, 100).await.unwrap(), 1);
    assert_eq!(payment::call_off_unpaid(&oja.db, 100).await.unwrap(), 0, "called off once");
    assert_eq!(level(&owner, rice, oja.main).await, (6, 0));
    let order = work::get(&oja.db, &oja.owner, unpaid.order).await.unwrap();
    assert_eq!(order.status, OrderStatus::Cancelled);
    assert_eq!(order.events.last().unwrap().who, "System");
    // The money turning up afterwards is flagged, never marks it paid.
    let late_money = payment::confirm_transfer(&oja.db, &oja.owner, unpaid.order, None).await;
    assert!(matches!(&late_money, Err(Error::Conflict { .. })), "{late_money:?}");
    stock_adds_up(&owner).await;
}

#[sqlx::test]
async fn the_test_gateway_declines_then_approves_and_answers_count_once(owner: PgPool) {
    let (oja, rice) = shop_with(&owner, 3).await;
    let guest = oja.visitor();
    cart::add(&oja.db, &guest, rice, 1).await.unwrap();
    let placed = checkout::place(&oja.db, &guest, &delivery("test_gateway"), None).await.unwrap();
    assert_eq!(payment::answer_test(&oja.db, &guest, placed.view_key, false).await.unwrap(), Outcome::Failed);
    assert_eq!(level(&owner, rice, oja.main).await, (3, 1), "still held after a decline");
    assert_eq!(payment::answer_test(&oja.db, &guest, placed.view_key, true).await.unwrap(), Outcome::Paid);
    assert_eq!(payment::answer_test(&oja.db, &guest, placed.view_key, true).await.unwrap(), Outcome::AlreadySettled);
    let order = work::get(&oja.db, &oja.owner, placed.order).await.unwrap();
    assert_eq!(order.status, OrderStatus::Paid);
    assert_eq!(order.payments.len(), 2, "the declined attempt and the one that paid");
    assert_eq!(level(&owner, rice, oja.main).await, (2, 0));
    stock_adds_up(&owner).await;
}

#[sqlx::test]
async fn a_payment_of_the_wrong_amount_or_currency_is_flagged_and_never_pays(owner: PgPool) {
    let (oja, rice) = shop_with(&owner, 3).await;
    let guest = oja.visitor();
    cart::add(&oja.db, &guest, rice, 1).await.unwrap();
    let placed = checkout::place(&oja.db, &guest, &delivery("test_gateway"), None).await.unwrap();
    let total = work::get(&oja.db, &oja.owner, placed.order).await.unwrap().total.amount;
    for (amount, currency) in [(total - Decimal::ONE, "NGN"), (total, "USD")] {
        let report = Report { success: true, amount, currency: currency.into(), answer: serde_json::json!({}) };
        let mut tx = commerce::db::tenant_tx(&oja.db, oja.tenant).await.unwrap();
        let outcome =
            payment::settle_in(&mut tx, oja.tenant, &guest, &Who::gateway("Paystack"), placed.payment, &report)
                .await
                .unwrap();
        tx.rollback().await.unwrap();
        assert_eq!(outcome, Outcome::Flagged, "{amount} {currency}");
    }
    let report =
        Report { success: true, amount: total - Decimal::ONE, currency: "NGN".into(), answer: serde_json::json!({}) };
    let mut tx = commerce::db::tenant_tx(&oja.db, oja.tenant).await.unwrap();
    payment::settle_in(&mut tx, oja.tenant, &guest, &Who::gateway("Paystack"), placed.payment, &report).await.unwrap();
    tx.commit().await.unwrap();
    let order = work::get(&oja.db, &oja.owner, placed.order).await.unwrap();
    assert!(!order.paid && order.payment_flagged);
    assert_eq!(order.status, OrderStatus::AwaitingPayment);
    assert_eq!(order.payments[0].status, PaymentStatus::Flagged);
    // A right answer after it changes nothing: the attempt is settled, and flagged.
    assert_eq!(payment::answer_test(&oja.db, &guest, placed.view_key, true).await.unwrap(), Outcome::AlreadySettled);
    assert!(!work::get(&oja.db, &oja.owner, placed.order).await.unwrap().paid);
    assert_eq!(level(&owner, rice, oja.main).await, (3, 1));
    stock_adds_up(&owner).await;
}

#[sqlx::test]
async fn two_shoppers_racing_for_the_last_unit_one_gets_it_and_the_other_is_told(owner: PgPool) {
    let (oja, rice) = shop_with(&owner, 1).await;
    let (ada, bola) = (oja.visitor(), oja.visitor());
    cart::add(&oja.db, &ada, rice, 1).await.unwrap();
    cart::add(&oja.db, &bola, rice, 1).await.unwrap();
    let (by_hand, by_transfer) = (delivery("pay_on_delivery"), delivery("bank_transfer"));
    let (a, b) = tokio::join!(
        checkout::place(&oja.db, &ada, &by_hand, None),
        checkout::place(&oja.db, &bola, &by_transfer, None),
    );
    let (won, lost) = match (&a, &b) {
        (Ok(_), Err(e)) | (Err(e), Ok(_)) => ((), e),
        other => panic!("exactly one gets it: {other:?}"),
    };
    let () = won;
    assert!(
        matches!(lost, Error::Conflict { clash: Clash::InsufficientStock, message } if message.contains("Ofada rice")),
        "{lost:?}"
    );
    let orders: i64 = sqlx::query_scalar("SELECT count(*) FROM orders").fetch_one(&owner).await.unwrap();
    assert_eq!(orders, 1);
    // The loser's cart still holds the line, now shown as sold out.
    let loser = if a.is_err() { &ada } else { &bola };
    let cart = cart::get(&oja.db, loser).await.unwrap();
    assert_eq!(cart.lines[0].problem.as_deref(), Some("Sold out; remove it to check out."));
    stock_adds_up(&owner).await;
}

#[sqlx::test]
async fn a_checkout_sent_twice_with_its_key_places_one_order(owner: PgPool) {
    let (oja, rice) = shop_with(&owner, 5).await;
    let guest = oja.visitor();
    cart::add(&oja.db, &guest, rice, 2).await.unwrap();
    let input = delivery("pay_on_delivery");
    let key = || Once::new(format!("visit:{}", guest.id()), "k-1", "checkout", b"same form").unwrap();
    let first = checkout::place(&oja.db, &guest, &input, Some(&key())).await.unwrap();
    let second = checkout::place(&oja.db, &guest, &input, Some(&key())).await.unwrap();
    assert_eq!(first, second);
    let orders: i64 = sqlx::query_scalar("SELECT count(*) FROM orders").fetch_one(&owner).await.unwrap();
    assert_eq!(orders, 1);
    assert_eq!(level(&owner, rice, oja.main).await, (3, 0));
    // Without a key, the empty cart refuses.
    let again = checkout::place(&oja.db, &guest, &input, None).await;
    assert!(matches!(&again, Err(Error::Invalid { field, .. }) if field == "cart"), "{again:?}");
    stock_adds_up(&owner).await;
}

#[sqlx::test]
async fn pickup_holds_stock_at_the_shop_chosen_and_refuses_one_without_it(owner: PgPool) {
    let oja = Business::supermarket(&owner).await;
    oja.sells_online().await;
    let rice = oja.product("Ofada rice 1kg", "RICE-1", 2500).await.variants[0].id;
    oja.receive(oja.main, rice, 4).await;
    let lekki = commerce::inventory::levels::locations(&oja.db, &oja.owner)
        .await
        .unwrap()
        .into_iter()
        .find(|l| l.name == "Lekki Phase 1")
        .unwrap()
        .id;
    let guest = oja.visitor();
    cart::add(&oja.db, &guest, rice, 2).await.unwrap();
    let at = |shop: LocationId| CheckoutInput {
        fulfilment: "pickup".into(),
        pickup_location: Some(shop.0),
        ..delivery("bank_transfer")
    };
    let refused = checkout::place(&oja.db, &guest, &at(lekki), None).await;
    assert!(
        matches!(&refused, Err(Error::Conflict { message, .. }) if message.contains("at Lekki Phase 1")),
        "{refused:?}"
    );
    let placed = checkout::place(&oja.db, &guest, &at(oja.main), None).await.unwrap();
    assert_eq!(level(&owner, rice, oja.main).await, (4, 2));
    let order = work::get(&oja.db, &oja.owner, placed.order).await.unwrap();
    assert_eq!(order.pickup.unwrap().name, "Ikeja GRA");
    assert_eq!(order.delivery.amount, Decimal::ZERO);
    // A shop of another business is not one to collect from.
    let other = Business::open(&owner, "Other").await;
    cart::add(&oja.db, &guest, rice, 1).await.unwrap();
    let foreign = checkout::place(&oja.db, &guest, &at(other.main), None).await;
    assert!(matches!(&foreign, Err(Error::Invalid { field, .. }) if field == "pickup_location"), "{foreign:?}");
    stock_adds_up(&owner).await;
}

#[sqlx::test]
async fn another_business_s_orders_and_payments_are_not_found(owner: PgPool) {
    let (oja, rice) = shop_with(&owner, 5).await;
    let guest = oja.visitor();
    cart::add(&oja.db, &guest, rice, 1).await.unwrap();
    let placed = checkout::place(&oja.db, &guest, &delivery("bank_transfer"), None).await.unwrap();
    let other = Business::open(&owner, "Other Shop").await;
    let stranger = other.visitor();
    let not_found = |r: &Result<_, Error>| matches!(r, Err(Error::NotFound(_)));
    assert!(not_found(&work::get(&other.db, &other.owner, placed.order).await.map(|_| ())));
    assert!(not_found(&work::for_shopper(&other.db, &stranger, placed.view_key).await.map(|_| ())));
    assert!(not_found(&payment::confirm_transfer(&other.db, &other.owner, placed.order, None).await));
    assert!(not_found(
        &work::move_to(&other.db, &other.owner, placed.order, OrderStatus::Cancelled, "", None).await.map(|_| ())
    ));
    assert!(not_found(&payment::test_attempt(&other.db, &stranger, placed.view_key).await.map(|_| ())));
    assert!(work::list(&other.db, &other.owner, &OrderFilter::default(), None, 50).await.unwrap().data.is_empty());
    // Tracking needs the number and the phone the order was placed with.
    assert_eq!(
        work::track(&oja.db, &stranger_of(&oja), "1001", "0803 123 4567", "10.0.0.1").await.unwrap(),
        placed.view_key
    );
    assert!(not_found(
        &work::track(&oja.db, &stranger_of(&oja), "1001", "0803 999 4567", "10.0.0.1").await.map(|_| ())
    ));
    assert!(not_found(&work::track(&other.db, &stranger, "1001", "0803 123 4567", "10.0.0.1").await.map(|_| ())));
    // Staff who may not work orders are refused.
    let cashier = oja.member(Role::Cashier).await;
    let refused = work::move_to(&oja.db, &cashier, placed.order, OrderStatus::Cancelled, "", None).await;
    assert!(matches!(refused, Err(Error::Forbidden(_))), "{refused:?}");
    let accountant = oja.member(Role::Accountant).await;
    assert!(work::get(&oja.db, &accountant, placed.order).await.is_ok());
    assert!(matches!(
        payment::confirm_transfer(&oja.db, &accountant, placed.order, None).await,
        Err(Error::Forbidden(_))
    ));
}

/// Another visitor to the same store.
fn stranger_of(business: &Business) -> Actor {
    business.visitor()
}

#[sqlx::test]
async fn a_guest_cart_joins_the_shopper_s_cart_when_they_sign_in(owner: PgPool) {
    let (oja, rice) = shop_with(&owner, 10).await;
    let other = oja.product("Palm oil 1l", "OIL-1", 1800).await.variants[0].id;
    oja.receive(oja.main, other, 10).await;
    let email = oja.shopper("Chidi").await;
    let client = commerce::identity::session::ClientInfo { user_agent: "test".into(), ip: "10.0.0.9".into() };
    let shopper = commerce::identity::shopper::log_in(&oja.db, &oja.slug, &email, support::PASSWORD, &client)
        .await
        .unwrap()
        .actor;
    cart::add(&oja.db, &shopper, rice, 1).await.unwrap();
    let guest = oja.visitor();
    cart::add(&oja.db, &guest, rice, 2).await.unwrap();
    cart::add(&oja.db, &guest, other, 1).await.unwrap();
    let Actor::Visitor { visit, .. } = guest else { unreachable!() };
    cart::merge(&oja.db, &shopper, visit).await.unwrap();
    let joined = cart::get(&oja.db, &shopper).await.unwrap();
    let units: Vec<(VariantId, i32)> = joined.lines.iter().map(|l| (l.variant, l.quantity)).collect();
    assert_eq!(units, [(rice, 3), (other, 1)]);
    assert!(cart::get(&oja.db, &guest).await.unwrap().lines.is_empty());
    let placed = checkout::place(&oja.db, &shopper, &delivery("pay_on_delivery"), None).await.unwrap();
    let mine = work::mine(&oja.db, &shopper).await.unwrap();
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].1, placed.view_key);
    stock_adds_up(&owner).await;
}

/// A mail relay that keeps what it is given.
#[derive(Default)]
struct Relay(std::sync::Mutex<Vec<commerce::mail::Letter>>);

impl commerce::mail::Postman for Relay {
    fn send(&self, letter: commerce::mail::Letter) -> commerce::mail::Sending<'_> {
        self.0.lock().unwrap().push(letter);
        Box::pin(async { Ok(()) })
    }

    fn delivers(&self) -> bool {
        true
    }
}

#[sqlx::test]
async fn the_shopper_hears_of_their_order_by_the_outbox_and_each_message_is_sent_once(owner: PgPool) {
    let (oja, rice) = shop_with(&owner, 5).await;
    let guest = oja.visitor();
    cart::add(&oja.db, &guest, rice, 1).await.unwrap();
    let placed = checkout::place(&oja.db, &guest, &delivery("pay_on_delivery"), None).await.unwrap();
    work::move_to(&oja.db, &oja.owner, placed.order, OrderStatus::Processing, "", None).await.unwrap();
    work::move_to(&oja.db, &oja.owner, placed.order, OrderStatus::Shipped, "", None).await.unwrap();
    // Without a relay nothing is sent; the messages wait on the sent-messages page.
    let log: commerce::mail::Mail = std::sync::Arc::new(commerce::mail::Log);
    assert_eq!(commerce::identity::outbox::deliver(&oja.db, &log, 50).await.unwrap(), 0);
    let waiting = commerce::identity::outbox::recent(&oja.db, &oja.owner).await.unwrap();
    let subjects: Vec<&str> = waiting.iter().map(|m| m.subject.as_str()).collect();
    assert_eq!(subjects.len(), 3, "{subjects:?}");
    assert!(subjects.contains(&"Your order #1001 is on its way"), "{subjects:?}");

    // A record of a letter sent another way (an invitation's) is never sent again.
    let mut tx = commerce::db::tenant_tx(&oja.db, oja.tenant).await.unwrap();
    commerce::identity::outbox::queue(&mut tx, oja.tenant, "invitee@example.com", "An invitation", "kept")
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let relay = std::sync::Arc::new(Relay::default());
    let mail: commerce::mail::Mail = relay.clone();
    assert_eq!(commerce::identity::outbox::deliver(&oja.db, &mail, 50).await.unwrap(), 3);
    assert_eq!(commerce::identity::outbox::deliver(&oja.db, &mail, 50).await.unwrap(), 0, "sent once");
    let letters = relay.0.lock().unwrap().clone();
    assert!(letters.iter().all(|l| l.to == "ada@example.com"));
    let kept = commerce::identity::outbox::recent(&oja.db, &oja.owner).await.unwrap();
    assert!(kept.iter().all(|m| m.sent_at.is_some() == (m.recipient != "invitee@example.com")), "{kept:?}");
}

#[sqlx::test]
async fn with_prices_before_vat_the_order_s_figures_add_up_to_its_total(owner: PgPool) {
    let (oja, rice) = shop_with(&owner, 5).await;
    sqlx::query("UPDATE tenants SET prices_include_tax = false WHERE id = $1")
        .bind(oja.tenant.0)
        .execute(&owner)
        .await
        .unwrap();
    let guest = oja.visitor();
    cart::add(&oja.db, &guest, rice, 2).await.unwrap();
    let placed = checkout::place(&oja.db, &guest, &delivery("pay_on_delivery"), None).await.unwrap();
    let order = work::get(&oja.db, &oja.owner, placed.order).await.unwrap();
    // ₦5,000 of goods and ₦1,500 delivery, both before VAT; VAT 7.5% of each added.
    assert_eq!(order.subtotal.amount, Decimal::from(5000));
    assert_eq!(order.delivery.amount, Decimal::from(1500));
    assert_eq!(order.vat.amount, Decimal::new(48750, 2));
    assert_eq!(order.subtotal.amount + order.delivery.amount + order.vat.amount, order.total.amount);
    stock_adds_up(&owner).await;
}

#[sqlx::test]
async fn orders_are_not_for_staff_bound_to_some_shops_and_the_account_money_goes_to_is_the_owner_s(owner: PgPool) {
    let (oja, rice) = shop_with(&owner, 5).await;
    let guest = oja.visitor();
    cart::add(&oja.db, &guest, rice, 1).await.unwrap();
    let placed = checkout::place(&oja.db, &guest, &delivery("bank_transfer"), None).await.unwrap();
    let manager = oja.member(Role::Manager).await;
    let Actor::Staff(mut bound) = manager.clone() else { unreachable!() };
    bound.shops = commerce::base::Shops::Only(vec![oja.main]);
    let bound = Actor::Staff(bound);
    let refused = work::move_to(&oja.db, &bound, placed.order, OrderStatus::Cancelled, "", None).await;
    assert!(matches!(refused, Err(Error::Forbidden(_))), "{refused:?}");
    assert!(matches!(work::get(&oja.db, &bound, placed.order).await, Err(Error::Forbidden(_))));

    // A manager sets checkout but not the bank account; the owner does.
    let mut input = commerce::orders::SellingInput {
        order_prefix: "OF-".into(),
        pay_on_delivery: true,
        pickup_in_shop: true,
        test_gateway: false,
        transfer_hours: "24".into(),
        ..Default::default()
    };
    let saved = commerce::orders::selling::save(&oja.db, &manager, &input, None).await.unwrap();
    assert_eq!((saved.order_prefix.as_str(), saved.bank.number.as_str()), ("OF-", "0123456789"), "the account is kept");
    input.bank_name = "Kuda".into();
    input.bank_account_number = "9999999999".into();
    input.bank_account_name = "Someone Else".into();
    let redirected = commerce::orders::selling::save(&oja.db, &manager, &input, None).await;
    assert!(matches!(redirected, Err(Error::Forbidden(_))), "{redirected:?}");
    let changed = commerce::orders::selling::save(&oja.db, &oja.owner, &input, None).await.unwrap();
    assert_eq!(changed.bank.number, "9999999999");
    // A note too long for the timeline is refused before anything is written.
    let long = "n".repeat(401);
    let too_long = work::move_to(&oja.db, &oja.owner, placed.order, OrderStatus::Cancelled, &long, None).await;
    assert!(matches!(&too_long, Err(Error::Invalid { field, .. }) if field == "note"), "{too_long:?}");
}

#[sqlx::test]
async fn a_guest_with_someone_s_number_changes_nothing_on_their_record_and_erasing_leaves_no_name(owner: PgPool) {
    let (oja, rice) = shop_with(&owner, 5).await;
    let first = oja.visitor();
    cart::add(&oja.db, &first, rice, 1).await.unwrap();
    let placed = checkout::place(&oja.db, &first, &delivery("pay_on_delivery"), None).await.unwrap();
    let customer = work::get(&oja.db, &oja.owner, placed.order).await.unwrap().customer.unwrap();
    let stranger = oja.visitor();
    cart::add(&oja.db, &stranger, rice, 1).await.unwrap();
    let pretending =
        CheckoutInput { email: "someone@else.com".into(), marketing_consent: true, ..delivery("pay_on_delivery") };
    let second = checkout::place(&oja.db, &stranger, &pretending, None).await.unwrap();
    let joined = work::get(&oja.db, &oja.owner, second.order).await.unwrap();
    assert_eq!(joined.customer, Some(customer), "the order joins the number's customer");
    let record = commerce::orders::customer::get(&oja.db, &oja.owner, customer).await.unwrap();
    assert_eq!(record.email.as_deref(), Some("ada@example.com"));
    assert!(!record.marketing_consent, "a stranger's tick is not the customer's consent");

    commerce::orders::customer::erase(&oja.db, &oja.owner, customer).await.unwrap();
    let erased = commerce::orders::customer::get(&oja.db, &oja.owner, customer).await.unwrap();
    assert!(erased.erased_at.is_some() && erased.name.is_empty() && erased.phone.is_none() && erased.email.is_none());
    let order = work::get(&oja.db, &oja.owner, placed.order).await.unwrap();
    assert_eq!((order.contact_name.as_str(), order.contact_phone.as_str()), ("Erased customer", ""));
    assert_eq!(order.total.amount, Decimal::from(4000), "the money stays for the books");
    let letters = commerce::identity::outbox::recent(&oja.db, &oja.owner).await.unwrap();
    assert!(letters.iter().all(|m| m.recipient != "ada@example.com" && !m.body.contains("Ada")), "{letters:?}");
}

#[sqlx::test]
async fn the_shelf_narrows_by_category_and_those_below_brand_price_and_stock(owner: PgPool) {
    use commerce::catalog::{ShelfFilter, category, product};
    let (oja, rice) = shop_with(&owner, 5).await;
    let food = category::create(&oja.db, &oja.owner, "Food", None, None).await.unwrap();
    let grains = category::create(&oja.db, &oja.owner, "Grains", Some(food), None).await.unwrap();
    let rice_product =
        product::for_sale(&oja.db, &oja.visitor(), &ShelfFilter::default(), None, 10).await.unwrap()[0].0.id;
    sqlx::query("UPDATE products SET category_id = $1, brand = 'Mama Gold' WHERE id = $2")
        .bind(grains.0)
        .bind(rice_product.0)
        .execute(&owner)
        .await
        .unwrap();
    oja.product("Palm oil 1l", "OIL-1", 1800).await; // none in stock, no category
    let names = |filter: ShelfFilter| shelf_names(&oja, filter);
    assert_eq!(names(ShelfFilter::default()).await, ["Ofada rice 1kg", "Palm oil 1l"]);
    assert_eq!(
        names(ShelfFilter { category: Some(food), ..Default::default() }).await,
        ["Ofada rice 1kg"],
        "below Food"
    );
    assert_eq!(names(ShelfFilter { brand: Some("mama gold".into()), ..Default::default() }).await, ["Ofada rice 1kg"]);
    let cheap = ShelfFilter { max_price: Some(Decimal::from(2000)), ..Default::default() };
    assert_eq!(names(cheap).await, ["Palm oil 1l"]);
    let dear = ShelfFilter { min_price: Some(Decimal::from(2000)), ..Default::default() };
    assert_eq!(names(dear).await, ["Ofada rice 1kg"]);
    assert_eq!(names(ShelfFilter { in_stock: true, ..Default::default() }).await, ["Ofada rice 1kg"]);
    let listed = commerce::catalog::shop::categories(&oja.db, &oja.visitor()).await.unwrap();
    let paths: Vec<(&str, i64)> = listed.iter().map(|c| (c.path.as_str(), c.products)).collect();
    assert_eq!(paths, [("Food", 1), ("Food › Grains", 1)]);
    assert!(!rice.0.is_nil());
}

#[sqlx::test]
async fn every_shelf_order_pages_through_every_product_once(owner: PgPool) {
    use commerce::catalog::{ShelfFilter, ShelfOrder, product};
    let (oja, _) = shop_with(&owner, 5).await;
    // Two products at each price, so that ties are broken by the id, and names unlike the prices.
    for (name, sku, price) in [
        ("Zobo drink", "ZOBO", 500),
        ("Agege bread", "BREAD", 1200),
        ("Rice sack 50kg", "SACK", 75_000),
        ("Rice cakes", "CAKES", 500),
        ("Garri 2kg", "GARRI", 1200),
    ] {
        oja.product(name, sku, price).await;
    }
    let every = |filter: ShelfFilter| {
        let (db, visitor) = (oja.db.clone(), oja.visitor());
        async move {
            // Two at a time, each page after the last one's final key.
            let (mut names, mut after) = (Vec::new(), None);
            loop {
                let page = product::for_sale(&db, &visitor, &filter, after.clone(), 2).await.unwrap();
                names.extend(page.iter().map(|(item, _)| item.name.clone()));
                match page.last() {
                    Some((_, key)) if page.len() == 2 => after = Some(key.clone()),
                    _ => return names,
                }
            }
        }
    };
    let by = |order: ShelfOrder| ShelfFilter { order, ..Default::default() };
    let by_name = every(by(ShelfOrder::Name)).await;
    assert_eq!(by_name, ["Agege bread", "Garri 2kg", "Ofada rice 1kg", "Rice cakes", "Rice sack 50kg", "Zobo drink"]);
    let cheapest = every(by(ShelfOrder::PriceLow)).await;
    assert_eq!(cheapest.len(), 6);
    let mut cheapest_two = cheapest[..2].to_vec();
    cheapest_two.sort();
    assert_eq!(cheapest_two, ["Rice cakes", "Zobo drink"]);
    assert_eq!(cheapest.last().map(String::as_str), Some("Rice sack 50kg"));
    let dearest = every(by(ShelfOrder::PriceHigh)).await;
    assert_eq!(dearest.first().map(String::as_str), Some("Rice sack 50kg"));
    let mut reversed = cheapest.clone();
    reversed.reverse();
    assert_eq!(dearest, reversed, "one variant each: high to low is low to high turned round, ties by id");
    let newest = every(by(ShelfOrder::Newest)).await;
    assert_eq!(newest.first().map(String::as_str), Some("Garri 2kg"), "the last made first");
    assert_eq!(newest.last().map(String::as_str), Some("Ofada rice 1kg"));
    // Best match puts the closest name first, and without words it is the order by name.
    let rice =
        every(ShelfFilter { search: Some("rice".into()), order: ShelfOrder::Relevance, ..Default::default() }).await;
    assert_eq!(rice.len(), 3, "{rice:?}");
    assert_eq!(every(by(ShelfOrder::Relevance)).await, by_name);
    // A word misspelt finds the names it is close to, when no name has the word itself; a
    // search narrowed further, or of words nothing has, finds nothing.
    let search = |words: &str| ShelfFilter { search: Some(words.into()), ..Default::default() };
    assert_eq!(every(search("zobbo")).await, ["Zobo drink"]);
    assert_eq!(every(search("garri")).await, ["Garri 2kg"]);
    let narrowed = ShelfFilter { max_price: Some(Decimal::from(1000)), ..search("rice") };
    assert_eq!(every(narrowed).await, ["Rice cakes"]);
    assert!(every(search("xylophone")).await.is_empty());
    // Another business's goods are never found, however the words match them.
    let other = Business::open(&owner, "Other Oja").await;
    other.sells_online().await;
    other.product("Zobo concentrate", "ZOBO-C", 900).await;
    assert_eq!(every(search("zobo")).await, ["Zobo drink"]);
    let theirs = product::for_sale(&other.db, &other.visitor(), &search("zobo drink"), None, 10).await.unwrap();
    assert!(theirs.iter().all(|(item, _)| item.name == "Zobo concentrate"), "{theirs:?}");
    // The search's own function, run as the owner, keeps to the business of the transaction,
    // and finds nothing for none.
    let mut tx = commerce::db::tenant_tx(&other.db, other.tenant).await.unwrap();
    let found: i64 =
        sqlx::query_scalar("SELECT count(*) FROM products_matching('zobo')").fetch_one(&mut *tx).await.unwrap();
    assert_eq!(found, 1);
    tx.rollback().await.unwrap();
    let nobody: i64 =
        sqlx::query_scalar("SELECT count(*) FROM products_matching('zobo')").fetch_one(&other.db).await.unwrap();
    assert_eq!(nobody, 0);
    // A key of another order starts from the beginning rather than failing.
    let first = product::for_sale(&oja.db, &oja.visitor(), &by(ShelfOrder::Name), None, 1).await.unwrap();
    let named_key = first[0].1.clone();
    let priced =
        product::for_sale(&oja.db, &oja.visitor(), &by(ShelfOrder::PriceLow), Some(named_key), 10).await.unwrap();
    assert_eq!(priced.len(), 6);
}

#[sqlx::test]
async fn a_guest_s_orders_join_the_account_made_with_their_email_once_it_is_confirmed(owner: PgPool) {
    use commerce::identity::session::ClientInfo;
    use commerce::identity::shopper;
    use commerce::orders::customer::confirm_email;
    let (oja, rice) = shop_with(&owner, 5).await;
    let guest = oja.visitor();
    cart::add(&oja.db, &guest, rice, 1).await.unwrap();
    let placed = checkout::place(&oja.db, &guest, &delivery("pay_on_delivery"), None).await.unwrap();
    // Somebody else's guest order, with another email, stays theirs.
    let other = oja.visitor();
    cart::add(&oja.db, &other, rice, 1).await.unwrap();
    let bola = CheckoutInput { email: "bola@example.com".into(), ..delivery("pay_on_delivery") };
    checkout::place(&oja.db, &other, &bola, None).await.unwrap();

    let form = shopper::Registration {
        name: "Ada Obi".into(),
        email: "ADA@example.com".into(),
        phone: String::new(),
        password: "moi-moi-and-pap-22".into(),
    };
    let ada = shopper::register(&oja.db, &oja.slug, form, &ClientInfo::default(), "http://shop.test/store/oja")
        .await
        .unwrap()
        .actor;
    assert!(work::mine(&oja.db, &ada).await.unwrap().is_empty(), "an email typed at sign-up proves nothing");
    assert!(!shopper::account(&oja.db, &ada).await.unwrap().unwrap().email_confirmed);

    // The link, as mailed to the address given.
    let letters = commerce::identity::outbox::recent(&oja.db, &oja.owner).await.unwrap();
    let letter = letters.iter().find(|m| m.subject == "Confirm your email").expect("the letter");
    assert_eq!(letter.recipient, "ADA@example.com");
    let link = letter.body.split_whitespace().find(|w| w.contains("/confirm/")).expect("the link");
    assert!(link.starts_with("http://shop.test/store/oja/confirm/"), "{link}");
    let token = link.rsplit('/').next().unwrap();

    // Another store's address opens nothing, and a made-up link neither.
    let market = Business::marketplace(&owner, "Naija Gadget Market").await;
    assert!(matches!(confirm_email(&oja.db, &market.slug, token).await, Err(Error::NotFound(_))));
    assert!(matches!(confirm_email(&oja.db, &oja.slug, "made-up").await, Err(Error::NotFound(_))));

    assert_eq!(confirm_email(&oja.db, &oja.slug, token).await.unwrap(), 1, "Ada's guest order joins");
    let mine = work::mine(&oja.db, &ada).await.unwrap();
    assert_eq!(mine.iter().map(|(o, _)| o.id).collect::<Vec<_>>(), [placed.order]);
    assert!(shopper::account(&oja.db, &ada).await.unwrap().unwrap().email_confirmed);
    let order = work::get(&oja.db, &oja.owner, placed.order).await.unwrap();
    assert!(order.events.iter().any(|e| e.note.contains("Joined the shopper's account")), "{:?}", order.events);
    // A link works once.
    assert!(matches!(confirm_email(&oja.db, &oja.slug, token).await, Err(Error::NotFound(_))));
}

#[sqlx::test]
async fn an_order_of_several_lines_holds_and_sells_them_all_at_once_or_none(owner: PgPool) {
    let (oja, rice) = shop_with(&owner, 4).await;
    let store = oja.location("Lekki shop", "shop").await;
    let beans = oja.product("Oloyin beans 1kg", "BEANS-1", 1800).await.variants[0].id;
    let garri = oja.product("Ijebu garri 2kg", "GARRI-2", 1200).await.variants[0].id;
    oja.receive(oja.main, beans, 2).await;
    oja.receive(store, beans, 6).await;
    oja.receive(oja.main, garri, 1).await;

    // Garri cannot be had in full: nothing is held, nothing sold, and the refusal names it.
    let guest = oja.visitor();
    for (variant, units) in [(rice, 3), (beans, 5), (garri, 1)] {
        cart::add(&oja.db, &guest, variant, units).await.unwrap();
    }
    let first = oja.visitor();
    cart::add(&oja.db, &first, garri, 1).await.unwrap();
    checkout::place(&oja.db, &first, &delivery("pay_on_delivery"), None).await.unwrap();
    let short = checkout::place(&oja.db, &guest, &delivery("pay_on_delivery"), None).await;
    assert!(
        matches!(&short, Err(Error::Conflict { clash: Clash::InsufficientStock, message })
            if message.starts_with("Ijebu garri 2kg: 1 unit can no longer be had")),
        "{short:?}"
    );
    assert_eq!(level(&owner, rice, oja.main).await, (4, 0));
    assert_eq!(level(&owner, beans, store).await, (6, 0));

    // With the garri back, the three lines are held and sold together, each where it is free.
    oja.receive(oja.main, garri, 1).await;
    checkout::place(&oja.db, &guest, &delivery("pay_on_delivery"), None).await.unwrap();
    assert_eq!(level(&owner, rice, oja.main).await, (1, 0));
    assert_eq!(level(&owner, beans, store).await, (1, 0), "from the shop that had five free");
    assert_eq!(level(&owner, beans, oja.main).await, (2, 0));
    assert_eq!(level(&owner, garri, oja.main).await, (0, 0));
    let sales: i64 = sqlx::query_scalar("SELECT count(*) FROM stock_movements WHERE reason = 'sale'")
        .fetch_one(&owner)
        .await
        .unwrap();
    assert_eq!(sales, 1 + 3, "one sale movement a line");

    // A transfer's holds are sold together when the merchant confirms the money.
    let other = oja.visitor();
    cart::add(&oja.db, &other, rice, 1).await.unwrap();
    cart::add(&oja.db, &other, beans, 2).await.unwrap();
    let placed = checkout::place(&oja.db, &other, &delivery("bank_transfer"), None).await.unwrap();
    assert_eq!(level(&owner, rice, oja.main).await, (1, 1));
    payment::confirm_transfer(&oja.db, &oja.owner, placed.order, None).await.unwrap();
    assert_eq!(level(&owner, rice, oja.main).await, (0, 0));
    assert_eq!(level(&owner, beans, oja.main).await, (0, 0));
    stock_adds_up(&owner).await;
}

#[sqlx::test]
async fn the_home_features_the_products_the_merchant_chose_and_only_they_may_choose(owner: PgPool) {
    use commerce::catalog::{ProductId, ShelfFilter, product};
    let (oja, _) = shop_with(&owner, 5).await;
    let oil = oja.product("Palm oil 1l", "OIL-1", 1800).await;
    let salt = oja.product("Sea salt 500g", "SALT-1", 300).await;
    let featured = ShelfFilter { featured: true, ..ShelfFilter::default() };
    let shown = |filter: ShelfFilter| shelf_names(&oja, filter);
    assert!(shown(featured.clone()).await.is_empty(), "nothing is featured at first");

    let chosen = [oil.id, salt.id];
    assert_eq!(product::set_featured(&oja.db, &oja.owner, &chosen, true).await.unwrap(), 2);
    assert_eq!(product::set_featured(&oja.db, &oja.owner, &chosen, true).await.unwrap(), 0, "already featured");
    assert_eq!(shown(featured.clone()).await, ["Palm oil 1l", "Sea salt 500g"]);
    let read = product::get(&oja.db, &oja.owner, oil.id).await.unwrap();
    assert!(read.featured);
    assert_eq!(read.revision, oil.revision + 1, "featuring is a change of the product");

    // A product taken off sale leaves the featured row with the rest of the shelf.
    product::set_status(&oja.db, &oja.owner, &[salt.id], commerce::catalog::ProductStatus::Draft).await.unwrap();
    assert_eq!(shown(featured.clone()).await, ["Palm oil 1l"]);
    product::set_featured(&oja.db, &oja.owner, &[oil.id], false).await.unwrap();
    assert!(shown(featured.clone()).await.is_empty());

    // A cashier may not choose; another business's product is not touched; none chosen is named.
    let cashier = oja.member(Role::Cashier).await;
    let refused = product::set_featured(&oja.db, &cashier, &[oil.id], true).await;
    assert!(matches!(refused, Err(Error::Forbidden(_))), "{refused:?}");
    let market = Business::open(&owner, "Naija Gadget Market").await;
    let theirs = market.product("Phone case", "CASE-1", 2000).await;
    assert_eq!(product::set_featured(&oja.db, &oja.owner, &[theirs.id], true).await.unwrap(), 0);
    assert!(!product::get(&market.db, &market.owner, theirs.id).await.unwrap().featured);
    let none = product::set_featured(&oja.db, &oja.owner, &[] as &[ProductId], true).await;
    assert!(matches!(&none, Err(Error::Invalid { field, .. }) if field == "products"), "{none:?}");
}

/// A shopper with an account at the store, signed in: their actor and their session's cookie.
async fn signed_up(oja: &Business, name: &str, email: &str) -> (Actor, String) {
    use commerce::identity::{session::ClientInfo, shopper};
    let form = shopper::Registration {
        name: name.into(),
        email: email.into(),
        phone: String::new(),
        password: "moi-moi-and-pap-22".into(),
    };
    let done = shopper::register(&oja.db, &oja.slug, form, &ClientInfo::default(), "http://shop.test/store/oja")
        .await
        .unwrap();
    (done.actor, done.cookie_value)
}

#[sqlx::test]
async fn a_shopper_s_addresses_are_kept_offered_again_and_go_when_they_are_erased(owner: PgPool) {
    use commerce::identity::session;
    use commerce::orders::address_book;
    let (oja, rice) = shop_with(&owner, 20).await;
    let (ada, cookie) = signed_up(&oja, "Ada Obi", "ada@example.com").await;
    let mut last = None;
    for (line, city, lga) in [
        ("12 Allen Avenue", "Ikeja", "ikeja"),
        ("3 Awolowo Road", "Ikoyi", "Eti Osa"),
        ("12 ALLEN  AVENUE", "ikeja", "Ikeja"),
    ] {
        cart::add(&oja.db, &ada, rice, 1).await.unwrap();
        let mut input = delivery("pay_on_delivery");
        input.address.line = line.into();
        input.address.city = city.into();
        input.address.lga = lga.into();
        last = Some(checkout::place(&oja.db, &ada, &input, None).await.unwrap());
    }
    let book = address_book::list(&oja.db, &ada).await.unwrap();
    let lines: Vec<(&str, &str)> = book.iter().map(|a| (a.address.line.as_str(), a.address.lga.as_str())).collect();
    assert_eq!(lines, [("12 ALLEN AVENUE", "Ikeja"), ("3 Awolowo Road", "Eti-Osa")], "once each, the last used first");
    // A guest has no book; nobody else can take from Ada's.
    assert!(address_book::list(&oja.db, &oja.visitor()).await.unwrap().is_empty());
    let (bola, _) = signed_up(&oja, "Bola Ade", "bola@example.com").await;
    assert!(address_book::list(&oja.db, &bola).await.unwrap().is_empty());
    let theirs = address_book::forget(&oja.db, &bola, book[1].id).await;
    assert!(matches!(theirs, Err(Error::NotFound(_))), "{theirs:?}");
    address_book::forget(&oja.db, &ada, book[1].id).await.unwrap();
    assert_eq!(address_book::list(&oja.db, &ada).await.unwrap().len(), 1);

    // The business exports them with the rest, and erasing the customer takes them, and signs
    // the shopper out.
    let customer = work::get(&oja.db, &oja.owner, last.unwrap().order).await.unwrap().customer.unwrap();
    let export = commerce::orders::customer::export(&oja.db, &oja.owner, customer).await.unwrap();
    assert_eq!(export["addresses"][0]["line"], "12 ALLEN AVENUE");
    assert!(session::resolve(&oja.db, &cookie).await.unwrap().is_some());
    commerce::orders::customer::erase(&oja.db, &oja.owner, customer).await.unwrap();
    let left: i64 = sqlx::query_scalar("SELECT count(*) FROM shopper_addresses").fetch_one(&owner).await.unwrap();
    assert_eq!(left, 0);
    assert!(session::resolve(&oja.db, &cookie).await.unwrap().is_none(), "the erased shopper is signed out");
}

#[sqlx::test]
async fn buying_again_puts_what_can_still_be_had_in_the_cart_and_names_the_rest(owner: PgPool) {
    use commerce::catalog::{ProductStatus, product};
    let (oja, rice) = shop_with(&owner, 10).await;
    let beans = oja.product("Oloyin beans 1kg", "BEANS-1", 1800).await;
    let oil = oja.product("Palm oil 1l", "OIL-1", 2200).await;
    oja.receive(oja.main, beans.variants[0].id, 5).await;
    oja.receive(oja.main, oil.variants[0].id, 3).await;
    let guest = oja.visitor();
    for (variant, units) in [(rice, 2), (beans.variants[0].id, 4), (oil.variants[0].id, 1)] {
        cart::add(&oja.db, &guest, variant, units).await.unwrap();
    }
    let placed = checkout::place(&oja.db, &guest, &delivery("pay_on_delivery"), None).await.unwrap();

    // Since then: only one bag of beans is left, and the oil is no longer sold.
    product::set_status(&oja.db, &oja.owner, &[oil.id], ProductStatus::Archived).await.unwrap();
    let shopper = oja.visitor();
    cart::add(&oja.db, &shopper, rice, 1).await.unwrap();
    let again = cart::buy_again(&oja.db, &shopper, placed.view_key).await.unwrap();
    assert_eq!(again.added, 1, "the rice, in full: {again:?}");
    assert_eq!(
        again.short,
        ["Oloyin beans 1kg: only 1 of 4 could be added".to_owned(), "Palm oil 1l is no longer sold".to_owned()]
    );
    let cart = cart::get(&oja.db, &shopper).await.unwrap();
    let lines: Vec<(String, i32)> = cart.lines.iter().map(|l| (l.name.clone(), l.quantity)).collect();
    assert_eq!(lines, [("Ofada rice 1kg".to_owned(), 3), ("Oloyin beans 1kg".to_owned(), 1)]);

    // An order key that is not one (or is another business's) finds nothing.
    let market = Business::open(&owner, "Naija Gadget Market").await;
    let nothing = cart::buy_again(&market.db, &market.visitor(), placed.view_key).await;
    assert!(matches!(nothing, Err(Error::NotFound(_))), "{nothing:?}");
}

#[sqlx::test]
async fn a_customer_s_name_typed_as_a_formula_leaves_the_export_as_text(owner: PgPool) {
    let (oja, rice) = shop_with(&owner, 5).await;
    let shopper = oja.visitor();
    cart::add(&oja.db, &shopper, rice, 1).await.unwrap();
    let mut input = delivery("pay_on_delivery");
    input.name = "=HYPERLINK(\"http://evil.test\",\"Ada\")".into();
    checkout::place(&oja.db, &shopper, &input, None).await.unwrap();
    let file = commerce::orders::customer::export_csv(&oja.db, &oja.owner).await.unwrap();
    let row = file.lines().nth(1).unwrap();
    assert!(row.starts_with("\"'=HYPERLINK"), "{row}");
}

#[sqlx::test]
async fn in_a_single_store_a_product_is_reviewed_once_the_order_reached_the_shopper(owner: PgPool) {
    use commerce::reviews::{self, ReviewInput};
    let (oja, rice) = shop_with(&owner, 10).await;
    let guest = oja.visitor();
    cart::add(&oja.db, &guest, rice, 1).await.unwrap();
    let placed = checkout::place(&oja.db, &guest, &delivery("pay_on_delivery"), None).await.unwrap();
    let order = work::for_shopper(&oja.db, &guest, placed.view_key).await.unwrap();
    let product = order.lines[0].product;
    let input = ReviewInput { product: product.0.to_string(), rating: "5".into(), ..ReviewInput::default() };

    // No parts, no sellers: the order's own status says whether it reached the shopper.
    let open = reviews::to_review(&oja.db, &guest, placed.view_key).await.unwrap();
    assert_eq!(open.iter().map(|t| (t.product, t.ready)).collect::<Vec<_>>(), [(Some(product), false)]);
    let early = reviews::write(&oja.db, &guest, placed.view_key, &input).await;
    assert!(matches!(early, Err(Error::Conflict { clash: Clash::WrongState, .. })), "{early:?}");
    for to in [OrderStatus::Processing, OrderStatus::Shipped, OrderStatus::Delivered] {
        work::move_to(&oja.db, &oja.owner, order.id, to, "", None).await.unwrap();
    }
    let id = reviews::write(&oja.db, &guest, placed.view_key, &input).await.unwrap();

    // The shop answers its own goods' reviews; its rating is the one review.
    reviews::reply(&oja.db, &oja.owner, id, "Thank you!").await.unwrap();
    let shown = reviews::of_product(&oja.db, &guest, product, None, 10).await.unwrap();
    assert_eq!((shown.rating.count, shown.page.data[0].reply.as_str()), (1, "Thank you!"));
    // A seller's report is a vendor's: the shop hides instead.
    let report = reviews::report(&oja.db, &oja.owner, id, "rude").await;
    assert!(matches!(report, Err(Error::Conflict { .. })), "{report:?}");
    let cashier = oja.member(Role::Cashier).await;
    let hide = reviews::hide(&oja.db, &cashier, id, Some("rude")).await;
    assert!(matches!(hide, Err(Error::Forbidden(_))), "{hide:?}");
}
