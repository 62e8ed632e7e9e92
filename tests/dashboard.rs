//! The dashboard against a real database: the rollups the database keeps as orders change must
//! equal what the orders say at every moment (folded or not, across the day's end on the
//! business's clock, after its time zone changes), and each person's layout is theirs.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "a test fails loudly on what it did not expect")]

mod support;

use chrono::{Duration, Utc};
use commerce::base::{Actor, Role, Shops, Zone};
use commerce::catalog::{TaxClass, VariantId};
use commerce::dashboard::{self, Filter, Layout, Move, Period, Size, Span, WidgetKind, counted};
use commerce::orders::{OrderStatus, VatRule, cart, checkout, payment, work};
use commerce::pos::register::{self, Register};
use commerce::pos::sync;
use commerce::pos::{Batch, Document, Sale, SaleLine, ShiftOpen, Status, Tender, TenderLine};
use commerce::{Currency, Error};
use rust_decimal::Decimal;
use sqlx::PgPool;
use support::{Business, delivery, user_of};
use uuid::Uuid;

/// A shop that sells online and at a till: rice and beans in stock, a register enrolled.
struct Shop {
    oja: Business,
    rice: VariantId,
    beans: VariantId,
    register: Register,
    prefix: String,
    cashier: Actor,
    receipts: i64,
}

impl Shop {
    async fn open(owner: &PgPool) -> Self {
        let oja = Business::open(owner, "Oja Fresh").await;
        oja.sells_online().await;
        let rice = oja.product("Ofada rice 1kg", "RICE-1", 2500).await.variants[0].id;
        let beans = oja.product("Honey beans 1kg", "BEANS-1", 1800).await.variants[0].id;
        oja.receive(oja.main, rice, 1000).await;
        oja.receive(oja.main, beans, 1000).await;
        let added = register::add(&oja.db, &oja.owner, oja.main, "Till 1", None, None).await.unwrap().unwrap();
        let enrolled = register::enrol(&oja.db, &added.code, "10.0.0.1").await.unwrap();
        let register = register::by_credential(&oja.db, &enrolled.credential).await.unwrap().unwrap();
        let cashier = oja.member(Role::Cashier).await;
        let prefix = added.register.prefix;
        Self { oja, rice, beans, register, prefix, cashier, receipts: 0 }
    }

    /// An online order of `quantity` rice and one bag of beans, delivered, paid by `payment`.
    async fn online(&self, quantity: i32, payment: &str) -> Uuid {
        let guest = self.oja.visitor();
        cart::add(&self.oja.db, &guest, self.rice, quantity).await.unwrap();
        cart::add(&self.oja.db, &guest, self.beans, 1).await.unwrap();
        checkout::place(&self.oja.db, &guest, &delivery(payment), None).await.unwrap().order
    }

    /// A till sale of `quantity` rice made at `at`, paid in cash or by card.
    async fn at_till(&mut self, shift: Uuid, quantity: i32, at: chrono::DateTime<Utc>, card: bool) {
        self.receipts += 1;
        let total = Decimal::from(2500 * quantity);
        let tender = if card { Tender::Card } else { Tender::Cash };
        let sale = Sale {
            id: Uuid::now_v7(),
            made_at: at,
            cashier: user_of(&self.cashier),
            shift,
            receipt: commerce::pos::receipt_number(&self.prefix, self.receipts),
            customer: None,
            currency: Currency::NGN,
            vat: VatRule { rate: Decimal::new(75, 1), prices_include_tax: true },
            lines: vec![SaleLine {
                variant: self.rice.0,
                name: "Ofada rice 1kg".into(),
                sku: "RICE-1".into(),
                quantity,
                unit_price: 2500.into(),
                shelf_price: 2500.into(),
                discount: Decimal::ZERO,
                tax_class: TaxClass::Standard,
                approved_by: None,
            }],
            tenders: vec![TenderLine {
                tender,
                amount: total,
                tendered: None,
                reference: if card { "POS-1".into() } else { String::new() },
            }],
            total,
        };
        let receipt = sync::receive(&self.oja.db, &self.register, &Batch { documents: vec![Document::Sale(sale)] })
            .await
            .unwrap();
        assert_eq!(receipt.outcomes[0].status, Status::Booked, "{:?}", receipt.outcomes[0]);
    }

    async fn open_shift(&self, at: chrono::DateTime<Utc>) -> Uuid {
        let open = ShiftOpen { id: Uuid::now_v7(), made_at: at, cashier: user_of(&self.cashier), float: 10_000.into() };
        let id = open.id;
        let receipt =
            sync::receive(&self.oja.db, &self.register, &Batch { documents: vec![Document::ShiftOpen(open)] })
                .await
                .unwrap();
        assert_eq!(receipt.outcomes[0].status, Status::Booked);
        id
    }

    /// Figures from the rollups and from the orders, for `period` and `filter`, must agree.
    async fn agree(&self, period: Period, filter: &Filter) -> dashboard::Figures {
        let kept = dashboard::read(&self.oja.db, &self.oja.owner, period, filter).await.unwrap();
        let straight = counted::read(&self.oja.db, &self.oja.owner, period, filter).await.unwrap();
        assert_eq!(kept, straight, "{period:?} {filter:?}");
        kept
    }
}

/// A small deterministic stream of choices, so a failure can be run again as it was.
struct Dice(u64);

impl Dice {
    fn roll(&mut self, sides: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % sides
    }
}

#[sqlx::test]
async fn every_rollup_equals_a_straight_count_of_the_orders_across_the_day_s_end(owner: PgPool) {
    let mut shop = Shop::open(&owner).await;
    let zone = Zone::default();
    let today = zone.local(Utc::now()).date_naive();
    let midnight = zone.start_of(today);
    let shift = shop.open_shift(midnight - Duration::hours(3)).await;
    let mut dice = Dice(20_261_210);
    let mut online = Vec::new();
    for _ in 0..48 {
        match dice.roll(6) {
            0 | 1 => {
                let method =
                    ["pay_on_delivery", "bank_transfer", "test_gateway"][usize::try_from(dice.roll(3)).unwrap()];
                let quantity = i32::try_from(1 + dice.roll(3)).unwrap();
                online.push(shop.online(quantity, method).await);
            }
            2 | 3 => {
                // Either side of midnight on the business's clock (23:00 to 00:59 WAT).
                let minutes = i64::try_from(dice.roll(120)).unwrap() - 60;
                let at = (midnight + Duration::minutes(minutes)).min(Utc::now());
                let quantity = i32::try_from(1 + dice.roll(4)).unwrap();
                shop.at_till(shift, quantity, at, dice.roll(3) == 0).await;
            }
            4 if !online.is_empty() => {
                let order = online[usize::try_from(dice.roll(online.len() as u64)).unwrap()];
                // A move the order cannot make is refused and changes nothing.
                let _ = work::move_to(&shop.oja.db, &shop.oja.owner, order, OrderStatus::Cancelled, "", None).await;
            }
            5 if !online.is_empty() => {
                let order = online[usize::try_from(dice.roll(online.len() as u64)).unwrap()];
                let _ = payment::confirm_transfer(&shop.oja.db, &shop.oja.owner, order, None).await;
            }
            _ => {}
        }
        // Some of what changed is folded as it goes, some waits: the readers add the rest.
        if dice.roll(4) == 0 {
            dashboard::fold(&owner, i32::try_from(1 + dice.roll(5)).unwrap()).await.unwrap();
        }
    }
    // Some online orders were placed last night, as far as the clock says.
    for order in online.iter().step_by(3) {
        sqlx::query("UPDATE orders SET placed_at = $2 WHERE id = $1")
            .bind(order)
            .bind(midnight - Duration::minutes(20))
            .execute(&owner)
            .await
            .unwrap();
    }
    let orders: i64 = sqlx::query_scalar("SELECT count(*) FROM orders").fetch_one(&owner).await.unwrap();
    assert!(orders > 20, "a real mix: {orders} orders");

    let periods = [
        Span::Today.period(today).unwrap(),
        Span::Yesterday.period(today).unwrap(),
        Span::Last7.period(today).unwrap(),
        Span::LastYear.period(today).unwrap(),
    ];
    let filters = [
        Filter::default(),
        Filter { shop: None, channel: Some("pos".into()) },
        Filter { shop: None, channel: Some("store".into()) },
        Filter { shop: Some(shop.oja.main.0), channel: None },
    ];
    for period in periods {
        for filter in &filters {
            shop.agree(period, filter).await;
        }
    }
    let week = shop.agree(Span::Last7.period(today).unwrap(), &Filter::default()).await;
    assert_eq!(week.now.orders, orders);
    assert!(week.days.iter().filter(|d| d.orders > 0).count() >= 2, "sales on both sides of midnight");
    assert!(week.payments.iter().any(|p| p.key == "cash"), "{:?}", week.payments);

    // Some orders go back weeks and months and are folded into whole months' rollups; then one
    // of them is cancelled and another moves within its month, waiting for the next fold, so
    // that the months' customer sets hold a customer they no longer should until then.
    let moved: Vec<Uuid> = online.iter().skip(1).step_by(3).copied().collect();
    assert!(moved.len() >= 3, "{} orders moved back", moved.len());
    for (i, order) in moved.iter().enumerate() {
        let back = Duration::days([45, 75, 200][i % 3]);
        sqlx::query("UPDATE orders SET placed_at = $2 WHERE id = $1")
            .bind(order)
            .bind(midnight - back)
            .execute(&owner)
            .await
            .unwrap();
    }
    while dashboard::fold(&owner, 1000).await.unwrap() > 0 {}
    sqlx::query("UPDATE orders SET status = 'cancelled' WHERE id = $1").bind(moved[0]).execute(&owner).await.unwrap();
    sqlx::query("UPDATE orders SET placed_at = placed_at + interval '1 day' WHERE id = $1")
        .bind(moved[1])
        .execute(&owner)
        .await
        .unwrap();
    let across_months = Period { from: today - Duration::days(100), until: today - Duration::days(20) };
    for period in [Span::Last30.period(today).unwrap(), Span::LastYear.period(today).unwrap(), across_months] {
        for filter in &filters {
            shop.agree(period, filter).await;
        }
    }

    // Folded to the last delta, the kept rows are the counted rows.
    assert_eq!(counted::mismatches(&owner).await.unwrap(), Vec::<String>::new());
    for period in periods {
        shop.agree(period, &Filter::default()).await;
    }
    // Another time zone moves hours and days; the rollups move with it.
    sqlx::query("UPDATE tenants SET time_zone = 'Africa/Nairobi' WHERE id = $1")
        .bind(shop.oja.tenant.0)
        .execute(&owner)
        .await
        .unwrap();
    assert_eq!(counted::mismatches(&owner).await.unwrap(), Vec::<String>::new());
    shop.agree(Span::Last7.period(today).unwrap(), &Filter::default()).await;
}

#[sqlx::test]
async fn figures_say_what_was_sold_gross_net_and_by_tender(owner: PgPool) {
    let mut shop = Shop::open(&owner).await;
    let now = Utc::now();
    let shift = shop.open_shift(now - Duration::minutes(5)).await;
    shop.at_till(shift, 2, now, false).await;
    shop.at_till(shift, 1, now, true).await;
    let cancelled = shop.online(1, "pay_on_delivery").await;
    work::move_to(&shop.oja.db, &shop.oja.owner, cancelled, OrderStatus::Cancelled, "", None).await.unwrap();
    let today = Zone::default().local(now).date_naive();
    let figures = shop.agree(Span::Today.period(today).unwrap(), &Filter::default()).await;
    let naira = Decimal::from;
    // ₦7,500 at the till; the online order (₦2,500 + ₦1,800 + ₦1,500 delivery) was cancelled.
    assert_eq!(figures.now.orders, 3);
    assert_eq!(figures.now.cancelled_orders, 1);
    assert_eq!(figures.now.gross, naira(7500 + 5800));
    assert_eq!(figures.now.net, naira(7500));
    assert_eq!(figures.now.average_order, naira(3750));
    assert_eq!(figures.now.units, 3);
    let cash = figures.payments.iter().find(|p| p.key == "cash").unwrap();
    let card = figures.payments.iter().find(|p| p.key == "card").unwrap();
    assert_eq!((cash.amount, card.amount), (naira(5000), naira(2500)));
    let till = figures.channels.iter().find(|c| c.key == "pos").unwrap();
    assert_eq!((till.amount, till.count), (naira(7500), 2));
    assert_eq!(figures.products[0].name, "Ofada rice 1kg");
    assert_eq!(figures.products[0].units, 3);
    assert_eq!(figures.tills.as_ref().unwrap().open_shifts, 1);
    assert_eq!(figures.hours.len(), 24);
    assert_eq!(figures.days.len(), 1);
}

#[sqlx::test]
async fn the_figures_are_the_business_s_own_and_only_for_those_who_may_see_them(owner: PgPool) {
    let shop = Shop::open(&owner).await;
    let other = Business::open(&owner, "Mama Put").await;
    let today = Zone::default().local(Utc::now()).date_naive();
    let week = Span::Last7.period(today).unwrap();
    let cashier = dashboard::read(&shop.oja.db, &shop.cashier, week, &Filter::default()).await;
    assert!(matches!(cashier, Err(Error::Forbidden(_))), "{cashier:?}");
    let theirs = Filter { shop: Some(other.main.0), channel: None };
    let stranger = dashboard::read(&shop.oja.db, &shop.oja.owner, week, &theirs).await;
    assert!(matches!(&stranger, Err(Error::Invalid { field, .. }) if field == "shop"), "{stranger:?}");
    let nonsense = Filter { shop: None, channel: Some("pos'; --".into()) };
    let refused = dashboard::read(&shop.oja.db, &shop.oja.owner, week, &nonsense).await;
    assert!(matches!(&refused, Err(Error::Invalid { field, .. }) if field == "channel"), "{refused:?}");
    // A manager bound to another shop sees none of the main shop's sales, nor may ask for them.
    let lekki = shop.oja.location("Lekki", "shop").await;
    let mut bound = shop.oja.member(Role::Manager).await;
    if let Actor::Staff(member) = &mut bound {
        member.shops = Shops::Only(vec![lekki]);
    }
    let asked = Filter { shop: Some(shop.oja.main.0), channel: None };
    assert!(matches!(dashboard::read(&shop.oja.db, &bound, week, &asked).await, Err(Error::Forbidden(_))));
    let mut shop = shop;
    let shift = shop.open_shift(Utc::now() - Duration::minutes(1)).await;
    shop.at_till(shift, 1, Utc::now(), false).await;
    let theirs = dashboard::read(&shop.oja.db, &bound, week, &Filter::default()).await.unwrap();
    assert_eq!(theirs.now.orders, 0, "the main shop's sale is not the Lekki manager's");
    let all = dashboard::read(&shop.oja.db, &shop.oja.owner, week, &Filter::default()).await.unwrap();
    assert_eq!(all.now.orders, 1);
    // Periods are read as typed, and refused by field.
    let typed = dashboard::period(&shop.oja.db, &shop.oja.owner, None, Some("2026-01-01"), Some("2026-01-31")).await;
    assert_eq!(typed.unwrap().days(), 31);
    let wrong = dashboard::period(&shop.oja.db, &shop.oja.owner, Some("fortnight"), None, None).await;
    assert!(matches!(&wrong, Err(Error::Invalid { field, .. }) if field == "span"), "{wrong:?}");
}

#[sqlx::test]
async fn each_person_arranges_their_own_dashboard_from_their_role_s(owner: PgPool) {
    let oja = Business::open(&owner, "Oja Fresh").await;
    let accountant = oja.member(Role::Accountant).await;
    let manager = oja.member(Role::Manager).await;
    assert_eq!(dashboard::layout(&oja.db, &accountant).await.unwrap(), Layout::for_role(Role::Accountant));
    let moved = dashboard::arrange(&oja.db, &accountant, Move::Up(WidgetKind::Vat)).await.unwrap();
    assert_eq!(moved.widgets[0].kind, WidgetKind::Vat);
    dashboard::arrange(&oja.db, &accountant, Move::Resize(WidgetKind::Vat, Size::Large)).await.unwrap();
    dashboard::arrange(&oja.db, &accountant, Move::Remove(WidgetKind::Stock)).await.unwrap();
    let kept = dashboard::layout(&oja.db, &accountant).await.unwrap();
    assert!(kept.own);
    assert_eq!((kept.widgets[0].kind, kept.widgets[0].size), (WidgetKind::Vat, Size::Large));
    assert!(kept.missing().contains(&WidgetKind::Stock));
    // Nobody else's changes.
    assert_eq!(dashboard::layout(&oja.db, &manager).await.unwrap(), Layout::for_role(Role::Manager));
    let back = dashboard::arrange(&oja.db, &accountant, Move::Reset).await.unwrap();
    assert_eq!(back, Layout::for_role(Role::Accountant));
    assert_eq!(dashboard::layout(&oja.db, &accountant).await.unwrap(), Layout::for_role(Role::Accountant));
    let cashier = oja.member(Role::Cashier).await;
    assert!(matches!(dashboard::layout(&oja.db, &cashier).await, Err(Error::Forbidden(_))));
}
