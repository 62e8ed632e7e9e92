//! One cart split by seller, against a real database: the parts and their figures, each
//! vendor working its own part alone, the order's status following its parts, and each vendor's
//! ledger as parts are paid, delivered, paid at the door and called off.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "a test fails loudly on what it did not expect")]

mod support;

use commerce::base::{Actor, Role, StaffMember, VendorId};
use commerce::catalog::product;
use commerce::orders::parts::{self, CashInput};
use commerce::orders::{OrderStatus, cart, checkout, payment, work};
use commerce::{Clash, Error};
use rust_decimal::Decimal;
use sqlx::PgPool;
use support::{Business, delivery, single, stock_adds_up};
use uuid::Uuid;

fn vendor_of(actor: &Actor) -> VendorId {
    match actor {
        Actor::Staff(StaffMember { vendor: Some(vendor), .. }) => *vendor,
        other => panic!("not vendor staff: {other:?}"),
    }
}

fn d(text: &str) -> Decimal {
    text.parse().unwrap()
}

/// A marketplace selling online, two vendors each with a product in stock at its own place
/// (₦150,000 and ₦20,000), its own product in its shop (₦2,000), and a rule of 5% + ₦50 an
/// item for the second vendor (the default is 10%).
struct Trading {
    market: Business,
    a: Actor,
    b: Actor,
    phone: commerce::catalog::VariantId,
    earbuds: commerce::catalog::VariantId,
    bag: commerce::catalog::VariantId,
}

async fn market(admin: &PgPool) -> Trading {
    let market = Business::marketplace(admin, "Gadget Market").await;
    market.sells_online().await;
    let (a, b) = (market.member(Role::Vendor).await, market.member(Role::Vendor).await);
    for vendor in [&a, &b] {
        sqlx::query("UPDATE vendors SET moderated = false WHERE id = $1")
            .bind(vendor_of(vendor).0)
            .execute(admin)
            .await
            .unwrap();
    }
    sqlx::query(
        "INSERT INTO commission_rules (tenant_id, id, vendor_id, percent, flat_per_item) VALUES ($1, $2, $3, 5, 50)",
    )
    .bind(market.tenant.0)
    .bind(Uuid::now_v7())
    .bind(vendor_of(&b).0)
    .execute(admin)
    .await
    .unwrap();
    let phone = product::create(&market.db, &a, single("Tecno Spark 20", "SPARK-20", 150_000), None).await.unwrap();
    let earbuds = product::create(&market.db, &b, single("Oraimo earbuds", "ORAIMO-1", 20_000), None).await.unwrap();
    let bag = market.product("Market tote bag", "TOTE", 2_000).await;
    let (phone, earbuds, bag) = (phone.variants[0].id, earbuds.variants[0].id, bag.variants[0].id);
    support::receive(&market.db, &a, market.place_of(vendor_of(&a)).await, phone, 5).await;
    support::receive(&market.db, &b, market.place_of(vendor_of(&b)).await, earbuds, 10).await;
    market.receive(market.main, bag, 10).await;
    Trading { market, a, b, phone, earbuds, bag }
}

/// A vendor's balance: the sum of its entries; and what of it is available now.
async fn balance(admin: &PgPool, vendor: VendorId) -> (Decimal, Decimal) {
    sqlx::query_as(
        "SELECT coalesce(sum(amount), 0), coalesce(sum(amount) FILTER (WHERE available_at <= now()), 0)
           FROM vendor_ledger WHERE vendor_id = $1",
    )
    .bind(vendor.0)
    .fetch_one(admin)
    .await
    .unwrap()
}

async fn buy(m: &Trading, payment: &str) -> commerce::orders::Placed {
    let shopper = m.market.visitor();
    cart::add(&m.market.db, &shopper, m.phone, 1).await.unwrap();
    cart::add(&m.market.db, &shopper, m.earbuds, 2).await.unwrap();
    cart::add(&m.market.db, &shopper, m.bag, 1).await.unwrap();
    checkout::place(&m.market.db, &shopper, &delivery(payment), None).await.unwrap()
}

#[sqlx::test]
async fn one_checkout_is_split_by_seller_and_each_vendor_works_and_is_paid_for_its_own_part(admin: PgPool) {
    let m = market(&admin).await;
    let (db, owner) = (&m.market.db, &m.market.owner);
    let placed = buy(&m, "bank_transfer").await;
    let order = work::get(db, owner, placed.order).await.unwrap();

    // Three parts, in the cart's order: each seller's goods, each charged delivery on its own
    // goods (₦150,000 is over the ₦50,000 free line; ₦40,000 and ₦2,000 are not).
    assert_eq!(order.parts.len(), 3);
    let (pa, pb, house) = (&order.parts[0], &order.parts[1], &order.parts[2]);
    assert_eq!(pa.number, format!("{}-1", order.number));
    assert_eq!((pa.vendor, pb.vendor, house.vendor), (Some(vendor_of(&m.a)), Some(vendor_of(&m.b)), None));
    assert_eq!(house.seller, "Gadget Market");
    assert_eq!((pa.goods.amount, pa.delivery.amount), (d("150000"), d("0")));
    assert_eq!((pb.goods.amount, pb.delivery.amount), (d("40000"), d("1500")));
    assert_eq!((house.goods.amount, house.delivery.amount), (d("2000"), d("1500")));
    let parts_total: Decimal = order.parts.iter().map(|p| p.total().amount).sum();
    assert_eq!(parts_total, order.total.amount, "the parts add up to what the shopper pays");
    assert_eq!(order.delivery.amount, d("3000"));
    // Each line keeps its commission and rule: 10% of ₦150,000; 5% of ₦40,000 + ₦50 × 2.
    assert_eq!(order.lines[0].commission.as_ref().unwrap().amount, d("15000"));
    assert_eq!(order.lines[0].commission_rule, "marketplace default (10%)");
    assert_eq!(order.lines[1].commission.as_ref().unwrap().amount, d("2100"));
    assert_eq!(order.lines[1].commission_rule, "vendor (5% + ₦50 an item)");
    assert_eq!(order.lines[2].commission.as_ref().unwrap().amount, d("0"));

    // A later change of the rules alters nothing sold.
    sqlx::query("UPDATE tenants SET commission_percent = 30 WHERE id = $1")
        .bind(m.market.tenant.0)
        .execute(&admin)
        .await
        .unwrap();

    // The shopper sees one order with its parts, and nothing of the commissions.
    let seen = work::for_shopper(db, &m.market.visitor(), placed.view_key).await.unwrap();
    assert_eq!(seen.parts.len(), 3);
    assert!(seen.parts.iter().all(|p| p.commission.is_none()) && seen.lines.iter().all(|l| l.commission.is_none()));

    // Each vendor sees its own part alone.
    let listed = parts::list(db, &m.b, None, None, None, 50).await.unwrap();
    assert_eq!(listed.data.iter().map(|p| p.id).collect::<Vec<_>>(), [pb.id]);
    let view = parts::view(db, &m.b, pb.id).await.unwrap();
    assert_eq!(view.lines.len(), 1);
    assert_eq!(view.lines[0].name, "Oraimo earbuds");
    for (who, part) in [(&m.b, pa.id), (&m.b, house.id), (&m.a, pb.id)] {
        assert!(matches!(parts::view(db, who, part).await, Err(Error::NotFound(_))));
        let moved = parts::move_part(db, who, part, OrderStatus::Cancelled, "", &CashInput::default(), None).await;
        assert!(matches!(moved, Err(Error::NotFound(_))), "{moved:?}");
    }
    let own_list = parts::list(db, &m.b, Some(vendor_of(&m.a)), None, None, 50).await.unwrap();
    assert_eq!(own_list.data.len(), 1, "a vendor naming another still sees its own");
    assert!(matches!(work::get(db, &m.a, order.id).await, Err(Error::Forbidden(_))));

    // Not paid yet: nothing to prepare, and the whole order moves by its parts.
    let early = parts::move_part(db, &m.a, pa.id, OrderStatus::Processing, "", &CashInput::default(), None).await;
    assert!(matches!(early, Err(Error::Conflict { clash: Clash::WrongState, .. })), "{early:?}");
    let whole = work::move_to(db, owner, order.id, OrderStatus::Processing, "", None).await;
    assert!(matches!(whole, Err(Error::Conflict { clash: Clash::WrongState, .. })), "{whole:?}");
    assert_eq!(balance(&admin, vendor_of(&m.a)).await, (d("0"), d("0")));
    assert_eq!(parts::desk(db, &m.a).await.unwrap().to_prepare, 0, "a transfer not yet in is nothing to prepare");
    assert!(matches!(parts::desk(db, owner).await, Err(Error::Forbidden(_))));

    // Paid: every part is, and each vendor is credited, waiting for delivery.
    payment::confirm_transfer(db, owner, order.id, None).await.unwrap();
    let desk = parts::desk(db, &m.a).await.unwrap();
    assert_eq!((desk.to_prepare, desk.sales_30_days.amount, desk.orders_30_days), (1, d("150000"), 1));
    let order = work::get(db, owner, order.id).await.unwrap();
    assert_eq!(order.status, OrderStatus::Paid);
    assert!(order.parts.iter().all(|p| p.paid && p.status == OrderStatus::Paid));
    assert_eq!(balance(&admin, vendor_of(&m.a)).await, (d("135000"), d("0")));
    // ₦40,000 + ₦1,500 delivery − ₦2,100 commission.
    assert_eq!(balance(&admin, vendor_of(&m.b)).await, (d("39400"), d("0")));

    // Vendor A sends its part; the order waits for the slowest part.
    for to in [OrderStatus::Processing, OrderStatus::Shipped, OrderStatus::Delivered] {
        parts::move_part(db, &m.a, pa.id, to, "", &CashInput::default(), None).await.unwrap();
    }
    assert_eq!(work::get(db, owner, order.id).await.unwrap().status, OrderStatus::Paid);
    // Available after the holding period (seven days by default), not before.
    let (held, now) = balance(&admin, vendor_of(&m.a)).await;
    assert_eq!((held, now), (d("135000"), d("0")));
    let waits: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM vendor_ledger WHERE vendor_id = $1
            AND available_at BETWEEN now() + interval '6 days 23 hours' AND now() + interval '7 days 1 hour'",
    )
    .bind(vendor_of(&m.a).0)
    .fetch_one(&admin)
    .await
    .unwrap();
    assert_eq!(waits, 2, "its sale and commission wait seven days");

    // Vendor B calls its paid part off: the stock comes back and the money goes back.
    parts::move_part(db, &m.b, pb.id, OrderStatus::Cancelled, "out of stock after all", &CashInput::default(), None)
        .await
        .unwrap();
    assert_eq!(balance(&admin, vendor_of(&m.b)).await, (d("0"), d("0")));
    let b_view = parts::view(db, &m.b, pb.id).await.unwrap();
    assert!(b_view.events.iter().any(|e| e.note.contains("refund the shopper ₦41,500.00")), "{:?}", b_view.events);

    // Delivered parts cannot be called off with the order.
    let whole = work::move_to(db, owner, order.id, OrderStatus::Cancelled, "", None).await;
    assert!(matches!(&whole, Err(Error::Conflict { message, .. }) if message.contains(&pa.number)), "{whole:?}");

    // The marketplace sends its own part; the order is delivered when every live part is.
    for to in [OrderStatus::Processing, OrderStatus::Shipped, OrderStatus::Delivered] {
        parts::move_part(db, owner, house.id, to, "", &CashInput::default(), None).await.unwrap();
    }
    let order = work::get(db, owner, order.id).await.unwrap();
    assert_eq!(order.status, OrderStatus::Delivered);
    assert!(order.events.iter().any(|e| e.part.as_deref() == Some(pb.number.as_str())));

    // What shoppers paid, less refunds, is the vendors' balances, the marketplace's commission
    // and its own goods' takings.
    let (a_balance, _) = balance(&admin, vendor_of(&m.a)).await;
    let (b_balance, _) = balance(&admin, vendor_of(&m.b)).await;
    let commission: Decimal = sqlx::query_scalar(
        "SELECT -coalesce(sum(amount), 0) FROM vendor_ledger WHERE kind = 'commission' AND tenant_id = $1",
    )
    .bind(m.market.tenant.0)
    .fetch_one(&admin)
    .await
    .unwrap();
    assert_eq!(a_balance + b_balance + commission + house.total().amount, order.total.amount - d("41500"));
    stock_adds_up(&admin).await;
}

#[sqlx::test]
async fn cash_taken_at_the_door_is_owed_by_whoever_holds_it_until_it_reaches_the_marketplace(admin: PgPool) {
    let m = market(&admin).await;
    let (db, owner) = (&m.market.db, &m.market.owner);
    let placed = buy(&m, "pay_on_delivery").await;
    let order = work::get(db, owner, placed.order).await.unwrap();
    let (pa, pb, house) = (order.parts[0].clone(), order.parts[1].clone(), order.parts[2].clone());
    for part in [&pa, &pb, &house] {
        let actor = match part.vendor {
            Some(v) if v == vendor_of(&m.a) => &m.a,
            Some(_) => &m.b,
            None => owner,
        };
        for to in [OrderStatus::Processing, OrderStatus::Shipped] {
            parts::move_part(db, actor, part.id, to, "", &CashInput::default(), None).await.unwrap();
        }
    }
    // Vendor A's own rider took the cash: A owes it, less what A earns.
    parts::move_part(db, &m.a, pa.id, OrderStatus::Delivered, "", &CashInput::default(), None).await.unwrap();
    assert_eq!(balance(&admin, vendor_of(&m.a)).await, (d("-15000"), d("-150000")));
    // A vendor cannot say the marketplace's rider has it.
    let rider = CashInput { holder: "rider".into(), holder_name: "Musa".into() };
    let said = parts::move_part(db, &m.b, pb.id, OrderStatus::Delivered, "", &rider, None).await;
    assert!(matches!(&said, Err(Error::Invalid { field, .. }) if field == "cash_holder"), "{said:?}");
    // The marketplace's rider took B's cash: B's money waits until the rider hands it over.
    parts::move_part(db, owner, pb.id, OrderStatus::Delivered, "", &rider, None).await.unwrap();
    assert_eq!(balance(&admin, vendor_of(&m.b)).await, (d("39400"), d("0")));
    let waiting: i64 =
        sqlx::query_scalar("SELECT count(*) FROM vendor_ledger WHERE vendor_id = $1 AND available_at IS NULL")
            .bind(vendor_of(&m.b).0)
            .fetch_one(&admin)
            .await
            .unwrap();
    assert_eq!(waiting, 3);
    let order = work::get(db, owner, order.id).await.unwrap();
    assert!(!order.paid, "the marketplace's own part is not paid yet");
    parts::move_part(db, owner, house.id, OrderStatus::Delivered, "", &CashInput::default(), None).await.unwrap();
    let order = work::get(db, owner, order.id).await.unwrap();
    assert!(order.paid && order.status == OrderStatus::Delivered);
    assert_eq!(order.payments[0].amount, order.total, "the payment is what was collected");

    // The rider hands over the cash: B's money counts from its delivery.
    let by_vendor = parts::remit_cash(db, &m.b, pb.id, "DEP-1", None).await;
    assert!(matches!(by_vendor, Err(Error::Forbidden(_))), "{by_vendor:?}");
    parts::remit_cash(db, owner, pb.id, "GTB deposit 3321", None).await.unwrap();
    let again = parts::remit_cash(db, owner, pb.id, "again", None).await;
    assert!(matches!(again, Err(Error::Conflict { .. })), "{again:?}");
    let pending: i64 =
        sqlx::query_scalar("SELECT count(*) FROM vendor_ledger WHERE vendor_id = $1 AND available_at IS NULL")
            .bind(vendor_of(&m.b).0)
            .fetch_one(&admin)
            .await
            .unwrap();
    assert_eq!(pending, 0);
    // Vendor A hands over its cash: it is owed what it earned.
    parts::remit_cash(db, owner, pa.id, "transfer from A", None).await.unwrap();
    assert_eq!(balance(&admin, vendor_of(&m.a)).await.0, d("135000"));
    let order = work::get(db, owner, order.id).await.unwrap();
    let cash = order.parts[1].cash.as_ref().unwrap();
    assert_eq!((cash.holder_name.as_str(), cash.reference.as_str()), ("Musa", "GTB deposit 3321"));
    assert!(cash.remitted_at.is_some());

    // The ledger is never rewritten.
    let rewrite = sqlx::query("UPDATE vendor_ledger SET amount = amount * 2 WHERE vendor_id = $1")
        .bind(vendor_of(&m.a).0)
        .execute(&admin)
        .await;
    assert!(rewrite.is_err(), "{rewrite:?}");
    stock_adds_up(&admin).await;
}

#[sqlx::test]
async fn a_vendors_goods_are_sent_not_collected(admin: PgPool) {
    let m = market(&admin).await;
    let shopper = m.market.visitor();
    cart::add(&m.market.db, &shopper, m.phone, 1).await.unwrap();
    let mut input = delivery("pay_on_delivery");
    input.fulfilment = "pickup".into();
    input.pickup_location = Some(m.market.main.0);
    let placed = checkout::place(&m.market.db, &shopper, &input, None).await;
    assert!(matches!(&placed, Err(Error::Invalid { field, .. }) if field == "fulfilment"), "{placed:?}");
    // A cart of the marketplace's own goods alone is an order as any other, without parts.
    let other = m.market.visitor();
    cart::add(&m.market.db, &other, m.bag, 1).await.unwrap();
    let placed = checkout::place(&m.market.db, &other, &input, None).await.unwrap();
    let order = work::get(&m.market.db, &m.market.owner, placed.order).await.unwrap();
    assert!(order.parts.is_empty());
}

/// Makes `vendor`'s staff member its owner, and gives the vendor a bank account.
async fn owner_with_bank(admin: &PgPool, actor: &Actor) {
    sqlx::query("UPDATE memberships SET vendor_owner = true WHERE user_id = $1")
        .bind(support::user_of(actor))
        .execute(admin)
        .await
        .unwrap();
    sqlx::query(
        "UPDATE vendors SET bank_code = '058', bank_account_sealed = 'sealed', bank_account_last4 = '4579',
                bank_account_name = 'SLOT PHONES' WHERE id = $1",
    )
    .bind(vendor_of(actor).0)
    .execute(admin)
    .await
    .unwrap();
}

#[sqlx::test]
async fn a_vendor_is_paid_out_what_is_available_once_and_its_statement_explains_the_balance(admin: PgPool) {
    use commerce::marketplace::{PayoutStatus, payouts};
    let m = market(&admin).await;
    let (db, owner) = (&m.market.db, &m.market.owner);
    // No holding period, so a delivery is available at once.
    sqlx::query("UPDATE tenants SET payout_hold_days = 0, payout_minimum = 5000 WHERE id = $1")
        .bind(m.market.tenant.0)
        .execute(&admin)
        .await
        .unwrap();
    let placed = buy(&m, "bank_transfer").await;
    payment::confirm_transfer(db, owner, placed.order, None).await.unwrap();
    let order = work::get(db, owner, placed.order).await.unwrap();
    let (pa, pb) = (order.parts[0].id, order.parts[1].id);
    for to in [OrderStatus::Processing, OrderStatus::Shipped, OrderStatus::Delivered] {
        parts::move_part(db, &m.a, pa, to, "", &CashInput::default(), None).await.unwrap();
    }
    let (a, b) = (vendor_of(&m.a), vendor_of(&m.b));
    let before = payouts::balance(db, &m.a, a).await.unwrap();
    assert_eq!((before.balance.amount, before.available.amount), (d("135000"), d("135000")));
    assert!(!before.has_bank && !before.may_request());

    // Only the vendor's owner asks, with a bank account, between the minimum and what is available.
    let asked = payouts::request(db, &m.a, a, "", None).await;
    assert!(matches!(asked, Err(Error::Forbidden(_))), "{asked:?}");
    owner_with_bank(&admin, &m.a).await;
    let asked = payouts::request(db, &m.a, a, "1000", None).await;
    assert!(matches!(&asked, Err(Error::Invalid { field, .. }) if field == "amount"), "{asked:?}");
    let asked = payouts::request(db, &m.a, a, "200000", None).await;
    assert!(matches!(&asked, Err(Error::Invalid { message, .. }) if message.contains("135,000")), "{asked:?}");
    for wrong in ["abc", "-5", "1.001", "99999999999999"] {
        let asked = payouts::request(db, &m.a, a, wrong, None).await;
        assert!(matches!(&asked, Err(Error::Invalid { field, .. }) if field == "amount"), "{wrong}: {asked:?}");
    }
    // Another vendor reads and asks nothing of A's.
    assert!(matches!(payouts::balance(db, &m.b, a).await, Err(Error::NotFound(_))));
    assert!(matches!(payouts::ledger(db, &m.b, a, None, 50).await, Err(Error::NotFound(_))));
    assert!(matches!(payouts::statement(db, &m.b, a, None, None).await, Err(Error::NotFound(_))));
    assert!(matches!(payouts::request(db, &m.b, a, "", None).await, Err(Error::NotFound(_))));
    assert!(matches!(payouts::list(db, &m.b, Some(a), false, None, 50).await, Err(Error::NotFound(_))));

    let first = payouts::request(db, &m.a, a, "100000", None).await.unwrap();
    assert_eq!((first.status, first.amount.amount), (PayoutStatus::Requested, d("100000")));
    let now = payouts::balance(db, &m.a, a).await.unwrap();
    assert_eq!((now.available.amount, now.on_the_way.amount), (d("35000"), d("100000")));
    let twice = payouts::request(db, &m.a, a, "10000", None).await;
    assert!(matches!(twice, Err(Error::Conflict { .. })), "one at a time: {twice:?}");
    // B cannot call A's payout off; A's owner can, and the money comes back.
    assert!(matches!(payouts::cancel(db, &m.b, first.id, "", None).await, Err(Error::NotFound(_))));
    let back = payouts::cancel(db, &m.a, first.id, "wrong amount", None).await.unwrap();
    assert_eq!(back.status, PayoutStatus::Cancelled);
    assert_eq!(payouts::balance(db, &m.a, a).await.unwrap().available.amount, d("135000"));

    // The marketplace's run pays every vendor due all it has: A (B's part is not delivered).
    let run = payouts::run(db, owner, None).await.unwrap();
    assert_eq!(run.iter().map(|p| (p.vendor, p.amount.amount)).collect::<Vec<_>>(), [(a, d("135000"))]);
    assert!(matches!(payouts::run(db, &m.a, None).await, Err(Error::Forbidden(_))));
    let unnamed = payouts::mark_paid(db, owner, run[0].id, " ", None).await;
    assert!(matches!(&unnamed, Err(Error::Invalid { field, .. }) if field == "bank_reference"), "{unnamed:?}");
    let paid = payouts::mark_paid(db, owner, run[0].id, "GTB-TRF-99812", None).await.unwrap();
    assert_eq!((paid.status, paid.method.as_deref()), (PayoutStatus::Paid, Some("manual")));
    let again = payouts::mark_paid(db, owner, run[0].id, "GTB-TRF-99812", None).await;
    assert!(matches!(again, Err(Error::Conflict { .. })), "{again:?}");
    let after = payouts::balance(db, &m.a, a).await.unwrap();
    assert_eq!((after.balance.amount, after.available.amount), (d("0"), d("0")), "a payout leaves it at zero");

    // The ledger explains the balance line by line, newest first with the balance after each.
    let entries = payouts::ledger(db, &m.a, a, None, 50).await.unwrap().data;
    // A sale, its commission (no delivery fee: over the free line), a payout called off and its
    // money back, and the payout made.
    assert_eq!(entries.len(), 5, "{entries:#?}");
    assert_eq!(entries[0].balance.amount, d("0"));
    let sum: Decimal = entries.iter().map(|e| e.amount.amount).sum();
    assert_eq!(sum, d("0"));
    // Its statement, oldest first, from the opening to the closing balance.
    let file = payouts::statement(db, &m.a, a, None, None).await.unwrap();
    let rows: Vec<&str> = file.lines().collect();
    assert_eq!(rows.len(), 1 + 1 + 5 + 1, "{file}");
    assert!(rows[1].contains("Opening balance") && rows[1].contains(",0.00,"), "{file}");
    assert!(rows[2].starts_with("20") && rows[2].contains(",Sale,") && rows[2].contains(",150000.00,"), "{file}");
    assert!(rows[7].contains("Closing balance") && rows[7].contains(",0.00,"), "{file}");
    let backwards = payouts::statement(
        db,
        &m.a,
        a,
        chrono::NaiveDate::from_ymd_opt(2026, 12, 9),
        chrono::NaiveDate::from_ymd_opt(2026, 12, 1),
    )
    .await;
    assert!(matches!(&backwards, Err(Error::Invalid { field, .. }) if field == "from"), "{backwards:?}");

    // An adjustment is the operator's, with a reason the vendor reads.
    let refused = payouts::adjust(db, &m.a, a, "500", "bonus", None).await;
    assert!(matches!(refused, Err(Error::Forbidden(_))), "{refused:?}");
    let wrong = payouts::adjust(db, owner, a, "0", "", None).await;
    assert!(matches!(&wrong, Err(Error::InvalidFields(_))), "{wrong:?}");
    assert_eq!(wrong.unwrap_err().field_problems().len(), 2);
    let adjusted = payouts::adjust(db, owner, b, "-250.50", "Damaged packaging, as agreed", None).await.unwrap();
    assert_eq!(adjusted.balance.amount, d("39149.50"));
    let listed = payouts::list(db, owner, None, false, None, 50).await.unwrap();
    assert_eq!(listed.data.len(), 2);
    let _ = pb;
}

/// `SplitMix64`: a few lines of deterministic randomness, so that a failing mix can be replayed
/// from its seed.
struct Dice(u64);

impl Dice {
    fn roll(&mut self, sides: u64) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        (z ^ (z >> 31)) % sides
    }
}

#[sqlx::test]
async fn after_a_random_mix_the_vendors_ledgers_and_the_commission_add_up_to_what_shoppers_paid(admin: PgPool) {
    use commerce::marketplace::disputes::{self, Decision};
    use commerce::marketplace::payouts;
    let media = commerce::media::DiskStore::new(std::env::temp_dir().join(format!("sc1-mix-{}", Uuid::now_v7())));
    let m = market(&admin).await;
    let (db, owner) = (&m.market.db, &m.market.owner);
    sqlx::query("UPDATE tenants SET payout_hold_days = 0, payout_minimum = 1 WHERE id = $1")
        .bind(m.market.tenant.0)
        .execute(&admin)
        .await
        .unwrap();
    for vendor in [&m.a, &m.b] {
        owner_with_bank(&admin, vendor).await;
    }
    support::receive(&m.market.db, &m.a, m.market.place_of(vendor_of(&m.a)).await, m.phone, 200).await;
    support::receive(&m.market.db, &m.b, m.market.place_of(vendor_of(&m.b)).await, m.earbuds, 200).await;
    m.market.receive(m.market.main, m.bag, 200).await;
    let seed = 0x5C1_2026;
    let mut dice = Dice(seed);
    let actor_of = |part: &commerce::orders::OrderPart| match part.vendor {
        Some(v) if v == vendor_of(&m.a) => &m.a,
        Some(_) => &m.b,
        None => owner,
    };
    for round in 0..32 {
        let shopper = m.market.visitor();
        for variant in [m.phone, m.earbuds, m.bag] {
            let units = i32::try_from(dice.roll(3)).unwrap();
            if units > 0 {
                cart::add(db, &shopper, variant, units).await.unwrap();
            }
        }
        cart::add(db, &shopper, m.bag, 1).await.ok();
        let method = if dice.roll(2) == 0 { "bank_transfer" } else { "pay_on_delivery" };
        let placed = checkout::place(db, &shopper, &delivery(method), None).await.unwrap();
        let order = work::get(db, owner, placed.order).await.unwrap();
        match dice.roll(4) {
            // Called off before anything moves.
            0 => {
                work::move_to(db, owner, order.id, OrderStatus::Cancelled, "", None).await.unwrap();
                continue;
            }
            _ if method == "bank_transfer" => payment::confirm_transfer(db, owner, order.id, None).await.unwrap(),
            _ => {}
        }
        for part in &order.parts {
            let who = actor_of(part);
            let fate = dice.roll(5);
            if fate == 0 {
                parts::move_part(db, who, part.id, OrderStatus::Cancelled, "", &CashInput::default(), None)
                    .await
                    .unwrap();
                continue;
            }
            for to in [OrderStatus::Processing, OrderStatus::Shipped] {
                parts::move_part(db, who, part.id, to, "", &CashInput::default(), None).await.unwrap();
            }
            if fate == 1 {
                // Came back undelivered.
                parts::move_part(db, who, part.id, OrderStatus::Cancelled, "", &CashInput::default(), None)
                    .await
                    .unwrap();
                continue;
            }
            let holder = ["", "rider", "vendor", "operator"][usize::try_from(dice.roll(4)).unwrap()];
            let by = if holder.is_empty() { who } else { owner };
            let cash = CashInput { holder: holder.into(), holder_name: "Musa".into() };
            parts::move_part(db, by, part.id, OrderStatus::Delivered, "", &cash, None).await.unwrap();
            // The marketplace's own goods' cash is with it unless a rider took it.
            let operator_holds = holder == "operator" || (part.vendor.is_none() && holder != "rider");
            if method == "pay_on_delivery" && dice.roll(2) == 0 && !operator_holds {
                parts::remit_cash(db, owner, part.id, &format!("DEP-{round}"), None).await.unwrap();
            }
            // Now and then the shopper disputes a part: refused, withdrawn, or some of it given back.
            if dice.roll(3) == 0 {
                let input = commerce::marketplace::DisputeInput {
                    part: part.id,
                    reason: "damaged".into(),
                    asked: String::new(),
                    message: "It came broken.".into(),
                };
                let id = disputes::open(db, &media, &shopper, placed.view_key, &input, vec![], None).await.unwrap();
                match dice.roll(3) {
                    0 => drop(disputes::decide(db, owner, id, &Decision::Reject, "No proof", None).await.unwrap()),
                    1 => disputes::withdraw(db, &shopper, placed.view_key, id, None).await.unwrap(),
                    _ => {
                        let share = Decimal::from(1 + dice.roll(100)) / Decimal::from(100);
                        let amount = (part.total().amount * share).round_dp(2).max(d("0.01"));
                        let decision = Decision::Refund(amount.to_string());
                        disputes::decide(db, owner, id, &decision, "Broken in transit", None).await.unwrap();
                    }
                }
            }
        }
        // Now and then a vendor asks for a payout, which is paid, or called off.
        if dice.roll(2) == 0 {
            let vendor = if dice.roll(2) == 0 { &m.a } else { &m.b };
            if let Ok(payout) = payouts::request(db, vendor, vendor_of(vendor), "", None).await {
                if dice.roll(2) == 0 {
                    payouts::mark_paid(db, owner, payout.id, &format!("REF-{round}"), None).await.unwrap();
                } else {
                    payouts::cancel(db, owner, payout.id, "", None).await.unwrap();
                }
            }
        }
    }

    // What shoppers paid, less what was given back: the parts paid and still going.
    let (paid, house, commission, balances, paid_out, with_vendors): (
        Decimal,
        Decimal,
        Decimal,
        Decimal,
        Decimal,
        Decimal,
    ) = sqlx::query_as(
        "SELECT (SELECT coalesce(sum(goods + delivery), 0) FROM order_parts
                      WHERE tenant_id = $1 AND paid AND status <> 'cancelled')
                    - (SELECT coalesce(sum(refunded), 0) FROM disputes WHERE tenant_id = $1),
                    (SELECT coalesce(sum(goods + delivery), 0) FROM order_parts
                      WHERE tenant_id = $1 AND paid AND status <> 'cancelled' AND vendor_id IS NULL)
                    - (SELECT coalesce(sum(refunded), 0) FROM disputes WHERE tenant_id = $1 AND vendor_id IS NULL),
                    (SELECT -coalesce(sum(amount), 0) FROM vendor_ledger WHERE tenant_id = $1 AND kind = 'commission'),
                    (SELECT coalesce(sum(amount), 0) FROM vendor_ledger WHERE tenant_id = $1),
                    (SELECT -coalesce(sum(amount), 0) FROM vendor_ledger
                      WHERE tenant_id = $1 AND kind IN ('payout', 'payout_returned')),
                    (SELECT -coalesce(sum(amount), 0) FROM vendor_ledger
                      WHERE tenant_id = $1 AND kind IN ('cash_held', 'cash_remitted'))",
    )
    .bind(m.market.tenant.0)
    .fetch_one(&admin)
    .await
    .unwrap();
    assert!(paid > Decimal::ZERO, "seed {seed:#x}: something was sold");
    // The mix reached every path: refunds, payouts paid and called off, cash with each holder.
    let (refunds, paid_payouts, cancelled_payouts, riders, vendors_cash, decided): (i64, i64, i64, i64, i64, i64) =
        sqlx::query_as(
            "SELECT (SELECT count(*) FROM vendor_ledger WHERE tenant_id = $1 AND kind = 'refund'),
                (SELECT count(*) FROM vendor_payouts WHERE tenant_id = $1 AND status = 'paid'),
                (SELECT count(*) FROM vendor_payouts WHERE tenant_id = $1 AND status = 'cancelled'),
                (SELECT count(*) FROM cash_on_delivery WHERE tenant_id = $1 AND holder = 'rider'),
                (SELECT count(*) FROM cash_on_delivery WHERE tenant_id = $1 AND holder = 'vendor'),
                (SELECT count(DISTINCT status) FROM disputes WHERE tenant_id = $1)",
        )
        .bind(m.market.tenant.0)
        .fetch_one(&admin)
        .await
        .unwrap();
    assert!(
        refunds > 0 && paid_payouts > 0 && cancelled_payouts > 0 && riders > 0 && vendors_cash > 0 && decided == 3,
        "seed {seed:#x}: {refunds} refunds, {paid_payouts} payouts paid, {cancelled_payouts} called off, \
         {riders} riders' cash, {vendors_cash} vendors' cash, disputes ending {decided} ways"
    );
    assert_eq!(balances + paid_out + with_vendors + commission + house, paid, "seed {seed:#x}");
    // Each vendor's part: credited as sold while it stands, nothing when it was called off after
    // being paid, and never credited unpaid.
    let wrong: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM order_parts p
          WHERE p.tenant_id = $1 AND p.vendor_id IS NOT NULL
            AND (SELECT coalesce(sum(amount), 0) FROM vendor_ledger l
                  WHERE l.part_id = p.id AND l.kind IN ('sale', 'delivery_fee', 'commission', 'refund')
                    AND l.note NOT LIKE 'Dispute%')
                <> CASE WHEN p.paid AND p.status <> 'cancelled' THEN p.goods + p.delivery - p.commission ELSE 0 END",
    )
    .bind(m.market.tenant.0)
    .fetch_one(&admin)
    .await
    .unwrap();
    assert_eq!(wrong, 0, "seed {seed:#x}");
    // Each dispute's refund left the seller's ledger once, with its commission back, no more.
    let disputes_wrong: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM order_parts p
          WHERE p.tenant_id = $1 AND p.vendor_id IS NOT NULL
            AND ((SELECT coalesce(sum(amount), 0) FROM vendor_ledger l
                   WHERE l.part_id = p.id AND l.kind = 'refund' AND l.note LIKE 'Dispute%')
                 <> -(SELECT coalesce(sum(refunded), 0) FROM disputes d WHERE d.part_id = p.id)
              OR (SELECT coalesce(sum(amount), 0) FROM vendor_ledger l
                   WHERE l.part_id = p.id AND l.kind = 'commission' AND l.note LIKE 'Dispute%') > p.commission)",
    )
    .bind(m.market.tenant.0)
    .fetch_one(&admin)
    .await
    .unwrap();
    assert_eq!(disputes_wrong, 0, "seed {seed:#x}");
    // A payout's money left once, and came back once if it did not go.
    let payouts_wrong: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM vendor_payouts p
          WHERE p.tenant_id = $1
            AND (SELECT coalesce(sum(amount), 0) FROM vendor_ledger l WHERE l.payout_id = p.id)
                <> CASE WHEN p.status IN ('cancelled', 'failed', 'reversed') THEN 0 ELSE -p.amount END",
    )
    .bind(m.market.tenant.0)
    .fetch_one(&admin)
    .await
    .unwrap();
    assert_eq!(payouts_wrong, 0, "seed {seed:#x}");
    stock_adds_up(&admin).await;
}

#[sqlx::test]
async fn on_its_payout_day_a_marketplace_pays_every_vendor_due_once(admin: PgPool) {
    use commerce::marketplace::{PayoutStatus, payouts};
    let m = market(&admin).await;
    let (db, owner) = (&m.market.db, &m.market.owner);
    owner_with_bank(&admin, &m.a).await;
    owner_with_bank(&admin, &m.b).await;
    payouts::adjust(db, owner, vendor_of(&m.a), "20000", "Sales carried over", None).await.unwrap();
    payouts::adjust(db, owner, vendor_of(&m.b), "10", "Below the least payout", None).await.unwrap();
    // Not its day: nothing runs.
    sqlx::query(
        "UPDATE tenants SET payout_day = 1 + (extract(isodow FROM now() AT TIME ZONE time_zone)::int % 7) WHERE id = $1",
    )
    .bind(m.market.tenant.0)
    .execute(&admin)
    .await
    .unwrap();
    assert_eq!(payouts::run_scheduled(&admin).await.unwrap(), 0);
    // Its day: A is paid out all it has, B is below the least payout; a second run makes nothing.
    sqlx::query("UPDATE tenants SET payout_day = extract(isodow FROM now() AT TIME ZONE time_zone) WHERE id = $1")
        .bind(m.market.tenant.0)
        .execute(&admin)
        .await
        .unwrap();
    assert_eq!(payouts::run_scheduled(db).await.unwrap(), 1);
    let listed = payouts::list(db, owner, None, true, None, 10).await.unwrap().data;
    assert_eq!(
        listed.iter().map(|p| (p.vendor, p.status)).collect::<Vec<_>>(),
        [(vendor_of(&m.a), PayoutStatus::Requested)]
    );
    assert_eq!(listed[0].asked_by, "Scheduled payouts");
    assert_eq!(payouts::run_scheduled(db).await.unwrap(), 0, "once a day");
}

/// A PNG's first bytes: enough to be told a photo.
fn photo() -> commerce::marketplace::Photo {
    let mut bytes = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
    bytes.extend_from_slice(&[0; 64]);
    commerce::marketplace::Photo { bytes }
}

/// Pays for a bought order and has vendor A deliver its part; answers the order and its parts.
async fn delivered(m: &Trading) -> (commerce::orders::Placed, commerce::orders::Order) {
    let (db, owner) = (&m.market.db, &m.market.owner);
    let placed = buy(m, "bank_transfer").await;
    payment::confirm_transfer(db, owner, placed.order, None).await.unwrap();
    let order = work::get(db, owner, placed.order).await.unwrap();
    for to in [OrderStatus::Processing, OrderStatus::Shipped, OrderStatus::Delivered] {
        parts::move_part(db, &m.a, order.parts[0].id, to, "", &CashInput::default(), None).await.unwrap();
    }
    (placed, order)
}

fn complaint(part: Uuid, asked: &str) -> commerce::marketplace::DisputeInput {
    commerce::marketplace::DisputeInput {
        part,
        reason: "damaged".into(),
        asked: asked.into(),
        message: "The screen came cracked.".into(),
    }
}

#[sqlx::test]
async fn a_dispute_ends_in_a_partial_refund_through_the_sellers_ledger_and_its_thread_is_its_parties_alone(
    admin: PgPool,
) {
    use commerce::marketplace::disputes::{self, Decision};
    use commerce::marketplace::{DisputeSide, DisputeStatus};
    let m = market(&admin).await;
    let (db, owner) = (&m.market.db, &m.market.owner);
    let media = commerce::media::DiskStore::new(std::env::temp_dir().join(format!("sc1-disputes-{}", Uuid::now_v7())));
    // Money is available at delivery, so that a dispute's hold on it shows.
    sqlx::query("UPDATE tenants SET payout_hold_days = 0 WHERE id = $1")
        .bind(m.market.tenant.0)
        .execute(&admin)
        .await
        .unwrap();
    let (placed, order) = delivered(&m).await;
    let (pa, pb) = (&order.parts[0], &order.parts[1]);
    let a = vendor_of(&m.a);
    assert_eq!(balance(&admin, a).await, (d("135000"), d("135000")));
    let shopper = m.market.visitor();
    let key = placed.view_key;

    // A part not yet sent, more than the part cost, a made-up reason, no words: refused.
    let early = disputes::open(db, &media, &shopper, key, &complaint(pb.id, ""), vec![], None).await;
    assert!(matches!(early, Err(Error::Conflict { clash: Clash::WrongState, .. })), "{early:?}");
    let greedy = disputes::open(db, &media, &shopper, key, &complaint(pa.id, "150000.01"), vec![], None).await;
    assert!(matches!(&greedy, Err(Error::Invalid { field, .. }) if field == "asked"), "{greedy:?}");
    let mut odd = complaint(pa.id, "");
    odd.reason = "bored".into();
    assert!(matches!(disputes::open(db, &media, &shopper, key, &odd, vec![], None).await, Err(Error::Invalid { .. })));
    let not_photo = commerce::marketplace::Photo { bytes: b"<script>alert(1)</script>".to_vec() };
    let refused = disputes::open(db, &media, &shopper, key, &complaint(pa.id, "50000"), vec![not_photo], None).await;
    assert!(matches!(&refused, Err(Error::Invalid { field, .. }) if field == "photos"), "{refused:?}");
    // Another order's key does not reach this order's part.
    let other = buy(&m, "bank_transfer").await;
    let sideways = disputes::open(db, &media, &shopper, other.view_key, &complaint(pa.id, ""), vec![], None).await;
    assert!(matches!(&sideways, Err(Error::Invalid { field, .. }) if field == "part"), "{sideways:?}");

    let id = disputes::open(db, &media, &shopper, key, &complaint(pa.id, "50000"), vec![photo()], None).await.unwrap();
    let again = disputes::open(db, &media, &shopper, key, &complaint(pa.id, "1000"), vec![], None).await;
    assert!(matches!(again, Err(Error::Conflict { .. })), "one open dispute a part: {again:?}");
    // While it is open, the part's money is held from payouts.
    assert_eq!(balance(&admin, a).await.0, d("135000"));
    let held = commerce::marketplace::payouts::balance(db, owner, a).await.unwrap();
    assert_eq!(held.available.amount, d("0"), "{held:?}");

    // The seller reads and answers; another seller reaches nothing of it.
    assert_eq!(disputes::list(db, &m.a, true, None, 50).await.unwrap().data.len(), 1);
    assert!(disputes::list(db, &m.b, false, None, 50).await.unwrap().data.is_empty());
    assert!(matches!(disputes::view(db, &m.b, id).await, Err(Error::NotFound(_))));
    let intruding = disputes::reply(db, &media, &m.b, None, id, "Not mine", vec![], None).await;
    assert!(matches!(intruding, Err(Error::NotFound(_))), "{intruding:?}");
    disputes::reply(db, &media, &m.a, None, id, "It left us whole; here is the packing photo.", vec![photo()], None)
        .await
        .unwrap();
    let thread = disputes::view(db, &m.a, id).await.unwrap();
    assert_eq!(thread.messages.iter().map(|m| m.side).collect::<Vec<_>>(), [DisputeSide::Shopper, DisputeSide::Vendor]);
    assert!(thread.summary.answered);
    let picture = thread.messages[1].photos[0];
    assert!(disputes::photo(db, &media, &m.a, None, id, picture).await.is_ok());
    assert!(disputes::photo(db, &media, &shopper, Some(key), id, picture).await.is_ok());
    assert!(matches!(disputes::photo(db, &media, &m.b, None, id, picture).await, Err(Error::NotFound(_))));
    assert!(disputes::photo(db, &media, &shopper, Some(other.view_key), id, picture).await.is_err());

    // Only the marketplace decides, and never more than is left of the part.
    disputes::escalate(db, &shopper, Some(key), id, "We do not agree", None).await.unwrap();
    assert!(matches!(disputes::decide(db, &m.a, id, &Decision::Reject, "no", None).await, Err(Error::Forbidden(_))));
    let too_much = disputes::decide(db, owner, id, &Decision::Refund("150000.50".into()), "Cracked", None).await;
    assert!(matches!(&too_much, Err(Error::Invalid { field, .. }) if field == "amount"), "{too_much:?}");
    let silent = disputes::decide(db, owner, id, &Decision::Refund("40000".into()), " ", None).await;
    assert!(matches!(&silent, Err(Error::Invalid { field, .. }) if field == "why"), "{silent:?}");
    let given =
        disputes::decide(db, owner, id, &Decision::Refund("40000".into()), "Cracked in transit; half the asked", None)
            .await
            .unwrap();
    assert_eq!(given.amount, d("40000"));
    let decided = disputes::view(db, owner, id).await.unwrap();
    assert_eq!((decided.summary.status, decided.summary.refunded.amount), (DisputeStatus::Refunded, d("40000")));
    let closed = disputes::reply(db, &media, &m.a, None, id, "One more thing", vec![], None).await;
    assert!(matches!(closed, Err(Error::Conflict { .. })), "{closed:?}");

    // The seller's ledger: ₦40,000 out, and 10% of it back as commission, available at once.
    let kinds: Vec<(String, Decimal)> = sqlx::query_as(
        "SELECT kind, amount FROM vendor_ledger WHERE vendor_id = $1 AND note LIKE 'Dispute%' ORDER BY kind",
    )
    .bind(a.0)
    .fetch_all(&admin)
    .await
    .unwrap();
    assert_eq!(kinds, [("commission".to_owned(), d("4000")), ("refund".to_owned(), d("-40000"))]);
    assert_eq!(balance(&admin, a).await, (d("99000"), d("99000")));
    let free = commerce::marketplace::payouts::balance(db, owner, a).await.unwrap();
    assert_eq!(free.available.amount, d("99000"), "decided, the rest is free to pay out");
    let timeline = work::get(db, owner, order.id).await.unwrap();
    assert!(timeline.events.iter().any(|e| e.note.contains("refund the shopper ₦40,000.00")), "{:?}", timeline.events);
    // A second dispute may ask for what is left, not more.
    let rest = disputes::open(db, &media, &shopper, key, &complaint(pa.id, "110000.01"), vec![], None).await;
    assert!(matches!(&rest, Err(Error::Invalid { field, .. }) if field == "asked"), "{rest:?}");

    // A part on its way, disputed as never come: it is not called off while the dispute is
    // open; once some was given back, calling it off gives back the rest, not the whole again.
    for to in [OrderStatus::Processing, OrderStatus::Shipped] {
        parts::move_part(db, &m.b, pb.id, to, "", &CashInput::default(), None).await.unwrap();
    }
    let mut lost = complaint(pb.id, "");
    lost.reason = "not_received".into();
    let lost = disputes::open(db, &media, &shopper, key, &lost, vec![], None).await.unwrap();
    let early = parts::move_part(db, &m.b, pb.id, OrderStatus::Cancelled, "", &CashInput::default(), None).await;
    assert!(matches!(&early, Err(Error::Conflict { message, .. }) if message.contains("dispute")), "{early:?}");
    let whole = work::move_to(db, owner, order.id, OrderStatus::Cancelled, "", None).await;
    assert!(whole.is_err(), "{whole:?}");
    disputes::decide(db, owner, lost, &Decision::Refund("10000".into()), "Courier lost half", None).await.unwrap();
    parts::move_part(db, &m.b, pb.id, OrderStatus::Cancelled, "came back", &CashInput::default(), None).await.unwrap();
    let refunded: Decimal =
        sqlx::query_scalar("SELECT -sum(amount) FROM vendor_ledger WHERE part_id = $1 AND kind = 'refund'")
            .bind(pb.id)
            .fetch_one(&admin)
            .await
            .unwrap();
    assert_eq!(refunded, pb.total().amount, "given back once in all: ₦10,000 by the dispute, the rest when called off");
    assert_eq!(balance(&admin, vendor_of(&m.b)).await.0, d("0"), "nothing left with the seller, nor owed by it");
    let b_view = parts::view(db, &m.b, pb.id).await.unwrap();
    assert!(b_view.events.iter().any(|e| e.note.contains("refund the shopper ₦31,500.00")), "{:?}", b_view.events);
}

#[sqlx::test]
async fn a_seller_that_does_not_answer_in_time_leaves_the_dispute_to_the_marketplace(admin: PgPool) {
    use commerce::marketplace::DisputeStatus;
    use commerce::marketplace::disputes;
    let m = market(&admin).await;
    let (db, owner) = (&m.market.db, &m.market.owner);
    let media = commerce::media::DiskStore::new(std::env::temp_dir().join(format!("sc1-disputes-{}", Uuid::now_v7())));
    let (first, order) = delivered(&m).await;
    let (second, later) = delivered(&m).await;
    let shopper = m.market.visitor();
    let silent = disputes::open(db, &media, &shopper, first.view_key, &complaint(order.parts[0].id, ""), vec![], None)
        .await
        .unwrap();
    let answered =
        disputes::open(db, &media, &shopper, second.view_key, &complaint(later.parts[0].id, ""), vec![], None)
            .await
            .unwrap();
    disputes::reply(db, &media, &m.a, None, answered, "Please send a photo of the box.", vec![], None).await.unwrap();
    assert_eq!(disputes::escalate_overdue(db).await.unwrap(), 0, "nobody is late yet");
    sqlx::query("UPDATE disputes SET answer_by = now() - interval '1 minute'").execute(&admin).await.unwrap();
    assert_eq!(disputes::escalate_overdue(db).await.unwrap(), 1, "only the seller that did not answer");
    assert_eq!(disputes::escalate_overdue(db).await.unwrap(), 0, "once");
    let late = disputes::view(db, owner, silent).await.unwrap();
    assert_eq!(late.summary.status, DisputeStatus::Escalated);
    assert!(late.escalated_why.contains("did not answer"), "{}", late.escalated_why);
    assert_eq!(disputes::view(db, owner, answered).await.unwrap().summary.status, DisputeStatus::Open);
    // The shopper may withdraw; then it is closed, and a new one may be opened.
    disputes::withdraw(db, &shopper, second.view_key, answered, None).await.unwrap();
    let again = disputes::withdraw(db, &shopper, second.view_key, answered, None).await;
    assert!(matches!(again, Err(Error::Conflict { .. })), "{again:?}");
    assert_eq!(disputes::view(db, &m.a, answered).await.unwrap().summary.status, DisputeStatus::Withdrawn);
    assert!(
        disputes::open(db, &media, &shopper, second.view_key, &complaint(later.parts[0].id, ""), vec![], None)
            .await
            .is_ok()
    );
}

fn review(product: Option<Uuid>, seller: Option<VendorId>, rating: &str, body: &str) -> commerce::reviews::ReviewInput {
    commerce::reviews::ReviewInput {
        product: product.map(|p| p.to_string()).unwrap_or_default(),
        seller: seller.map(|v| v.0.to_string()).unwrap_or_default(),
        rating: rating.into(),
        title: String::new(),
        body: body.into(),
    }
}

#[sqlx::test]
async fn a_buyer_reviews_what_reached_them_and_the_seller_answers_and_the_marketplace_hides_abuse(admin: PgPool) {
    use commerce::reviews::{self, ReviewFilter};
    let m = market(&admin).await;
    let (db, owner) = (&m.market.db, &m.market.owner);
    let (placed, order) = delivered(&m).await;
    let shopper = m.market.visitor();
    let (a, b) = (vendor_of(&m.a), vendor_of(&m.b));
    let phone = order.lines.iter().find(|l| l.part == Some(order.parts[0].id)).unwrap().product;
    let earbuds = order.lines.iter().find(|l| l.part == Some(order.parts[1].id)).unwrap().product;

    // What may be reviewed: the products, then the sellers; vendor A's part alone has arrived.
    let open = reviews::to_review(db, &shopper, placed.view_key).await.unwrap();
    let ready: Vec<(String, bool)> = open.iter().map(|t| (t.name.clone(), t.ready)).collect();
    assert_eq!(
        ready,
        [
            ("Tecno Spark 20".to_owned(), true),
            ("Oraimo earbuds".to_owned(), false),
            ("Market tote bag".to_owned(), false),
            (order.parts[0].seller.clone(), true),
            (order.parts[1].seller.clone(), false),
        ]
    );

    // Not yet received, not bought here, not this order's seller, or no order at all: refused,
    // and nothing written.
    let early = reviews::write(db, &shopper, placed.view_key, &review(Some(earbuds.0), None, "5", "")).await;
    assert!(matches!(early, Err(Error::Conflict { clash: Clash::WrongState, .. })), "{early:?}");
    let stranger = reviews::write(db, &shopper, Uuid::now_v7(), &review(Some(phone.0), None, "5", "")).await;
    assert!(matches!(stranger, Err(Error::NotFound(_))), "{stranger:?}");
    let other = reviews::write(db, &shopper, placed.view_key, &review(Some(Uuid::now_v7()), None, "5", "")).await;
    assert!(matches!(other, Err(Error::Invalid { ref field, .. }) if field == "product"), "{other:?}");
    let bad = reviews::write(db, &shopper, placed.view_key, &review(Some(phone.0), None, "6", "a\0b")).await;
    assert!(matches!(bad, Err(Error::InvalidFields(ref p)) if p.len() == 2), "{bad:?}");
    let seller_b = reviews::write(db, &shopper, placed.view_key, &review(None, Some(b), "1", "")).await;
    assert!(matches!(seller_b, Err(Error::Conflict { .. })), "{seller_b:?}");
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM reviews").fetch_one(&admin).await.unwrap();
    assert_eq!(count, 0);

    // The product and its seller reviewed; writing again changes the review, not adds one.
    let first = reviews::write(db, &shopper, placed.view_key, &review(Some(phone.0), None, "3", "Fine")).await.unwrap();
    let again =
        reviews::write(db, &shopper, placed.view_key, &review(Some(phone.0), None, "4", "Good phone")).await.unwrap();
    assert_eq!(first, again);
    let of_seller = reviews::write(db, &shopper, placed.view_key, &review(None, Some(a), "5", "Fast")).await.unwrap();
    let on_page = reviews::of_product(db, &shopper, phone, None, 20).await.unwrap();
    assert_eq!(on_page.rating.count, 1);
    assert_eq!(on_page.rating.average, Some(d("4.0")));
    assert_eq!(on_page.page.data[0].body, "Good phone");
    assert!(on_page.page.data[0].order_number.is_empty(), "the store shows no order number");

    // A second buyer of the same seller: its rating is the average, with its count.
    let (second, _) = delivered(&m).await;
    reviews::write(db, &shopper, second.view_key, &review(None, Some(a), "2", "Slow to answer")).await.unwrap();
    let seller = reviews::of_seller(db, &shopper, a, None, 20).await.unwrap();
    assert_eq!((seller.rating.count, seller.rating.average), (2, Some(d("3.5"))));
    assert_eq!(seller.rating.stars, [0, 1, 0, 0, 1]);

    // The seller answers its own reviews alone; another vendor does not reach them, and the
    // marketplace does not answer for a seller.
    reviews::reply(db, &m.a, of_seller, "Thank you, Ada!").await.unwrap();
    let theirs = reviews::reply(db, &m.b, of_seller, "Mine now").await;
    assert!(matches!(theirs, Err(Error::NotFound(_))), "{theirs:?}");
    let operator = reviews::reply(db, owner, of_seller, "We answer").await;
    assert!(matches!(operator, Err(Error::Conflict { .. })), "{operator:?}");
    assert!(reviews::list(db, &m.b, ReviewFilter::All, None, 50).await.unwrap().data.is_empty());
    assert_eq!(reviews::list(db, &m.a, ReviewFilter::All, None, 50).await.unwrap().data.len(), 3);

    // The seller reports the unkind one; the marketplace hides it, and it leaves the page and
    // the rating. A vendor cannot hide.
    let slow = reviews::list(db, &m.a, ReviewFilter::All, None, 50).await.unwrap().data[0].id;
    reviews::report(db, &m.a, slow, "It names our staff").await.unwrap();
    let refused = reviews::hide(db, &m.a, slow, Some("Abusive")).await;
    assert!(matches!(refused, Err(Error::Forbidden(_))), "{refused:?}");
    let reported = reviews::list(db, owner, ReviewFilter::Reported, None, 50).await.unwrap();
    assert_eq!(reported.data.iter().map(|r| r.id).collect::<Vec<_>>(), [slow]);
    reviews::hide(db, owner, slow, Some("Names a member of staff")).await.unwrap();
    let seller = reviews::of_seller(db, &shopper, a, None, 20).await.unwrap();
    assert_eq!((seller.rating.count, seller.rating.average), (1, Some(d("5.0"))));
    assert_eq!(seller.page.data[0].reply, "Thank you, Ada!");
    assert_eq!(reviews::list(db, owner, ReviewFilter::Hidden, None, 50).await.unwrap().data.len(), 1);
    reviews::hide(db, owner, slow, None).await.unwrap();
    assert_eq!(reviews::of_seller(db, &shopper, a, None, 20).await.unwrap().rating.count, 2);

    // The seller's page shows the rating; another business reads none of it.
    assert_eq!(reviews::seller_rating(db, &shopper, a).await.unwrap().count, 2);
    let elsewhere = support::Business::marketplace(&admin, "Other Market").await;
    let outside = reviews::of_seller(&elsewhere.db, &elsewhere.visitor(), a, None, 20).await.unwrap();
    assert_eq!(outside.rating.count, 0);
    let reach =
        reviews::write(&elsewhere.db, &elsewhere.visitor(), placed.view_key, &review(Some(phone.0), None, "1", ""))
            .await;
    assert!(matches!(reach, Err(Error::NotFound(_))), "{reach:?}");
}
