//! The till against a real database, acting as the application's role: registers and their
//! codes, PINs, what a till downloads, and the sync that books every document exactly once,
//! whatever is sent twice, at once, out of order or wrong. Every test that moves stock ends by
//! checking that the ledger adds up.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "a test fails loudly on what it did not expect")]

mod support;

use std::collections::BTreeMap;

use base64::Engine;
use chrono::{Duration, Utc};
use commerce::base::{Actor, Role};
use commerce::catalog::{TaxClass, VariantId};
use commerce::dashboard;
use commerce::orders::VatRule;
use commerce::pos::register::{self, Register};
use commerce::pos::sync::{self, Decision};
use commerce::pos::{
    Batch, CashMovement, CustomerDoc, Direction, Document, ReturnDoc, ReturnLine, Sale, SaleLine, ShiftClose,
    ShiftOpen, Status, Tender, TenderLine, catalog, pin, shift,
};
use commerce::{Currency, Error};
use rust_decimal::Decimal;
use sqlx::PgPool;
use support::{Business, stock_adds_up, user_of};
use uuid::Uuid;

/// A shop with a till enrolled, a cashier, and rice (₦2,500, VAT inside) with `units` on hand.
struct Till {
    oja: Business,
    register: Register,
    credential: String,
    /// The database's owner, for reading what was booked.
    admin: PgPool,
    prefix: String,
    cashier: Actor,
    manager: Actor,
    rice: VariantId,
    sequence: i64,
}

impl Till {
    async fn open(owner: &PgPool, units: i32) -> Self {
        Self::open_as(owner, "Oja Fresh", units).await
    }

    async fn open_as(owner: &PgPool, name: &str, units: i32) -> Self {
        let oja = Business::open(owner, name).await;
        let rice = oja.product("Ofada rice 1kg", "RICE-1", 2500).await.variants[0].id;
        oja.receive(oja.main, rice, units).await;
        let added = register::add(&oja.db, &oja.owner, oja.main, "Till 1", None, None).await.unwrap().unwrap();
        let enrolled = register::enrol(&oja.db, &added.code, "10.0.0.1").await.unwrap();
        let register = register::by_credential(&oja.db, &enrolled.credential).await.unwrap().unwrap();
        let cashier = oja.member(Role::Cashier).await;
        let manager = oja.member(Role::Manager).await;
        let credential = enrolled.credential;
        Self {
            oja,
            register,
            credential,
            admin: owner.clone(),
            prefix: added.register.prefix,
            cashier,
            manager,
            rice,
            sequence: 0,
        }
    }

    fn receipt(&mut self) -> String {
        self.sequence += 1;
        commerce::pos::receipt_number(&self.prefix, self.sequence)
    }

    fn shift(&self) -> ShiftOpen {
        ShiftOpen { id: Uuid::now_v7(), made_at: Utc::now(), cashier: user_of(&self.cashier), float: 10_000.into() }
    }

    /// A sale of `quantity` rice by the cashier, paid by `tenders` (amounts only given; cash is
    /// handed over exactly unless `tendered` is set).
    fn sale(&mut self, shift: Uuid, quantity: i32, tenders: Vec<TenderLine>) -> Sale {
        let line = SaleLine {
            variant: self.rice.0,
            name: "Ofada rice 1kg".into(),
            sku: "RICE-1".into(),
            quantity,
            unit_price: 2500.into(),
            shelf_price: 2500.into(),
            discount: Decimal::ZERO,
            tax_class: TaxClass::Standard,
            approved_by: None,
        };
        Sale {
            id: Uuid::now_v7(),
            made_at: Utc::now(),
            cashier: user_of(&self.cashier),
            shift,
            receipt: self.receipt(),
            customer: None,
            currency: Currency::NGN,
            vat: VatRule { rate: Decimal::new(75, 1), prices_include_tax: true },
            lines: vec![line],
            tenders,
            total: Decimal::from(2500 * quantity),
        }
    }

    fn cash(amount: i64) -> TenderLine {
        TenderLine { tender: Tender::Cash, amount: amount.into(), tendered: None, reference: String::new() }
    }

    fn card(amount: i64, reference: &str) -> TenderLine {
        TenderLine { tender: Tender::Card, amount: amount.into(), tendered: None, reference: reference.into() }
    }

    async fn send(&self, documents: Vec<Document>) -> Vec<(Status, String)> {
        let receipt = sync::receive(&self.oja.db, &self.register, &Batch { documents }).await.unwrap();
        receipt.outcomes.into_iter().map(|o| (o.status, o.problem)).collect()
    }

    async fn count(&self, table: &str) -> i64 {
        sqlx::query_scalar(&format!("SELECT count(*) FROM {table} WHERE tenant_id = $1"))
            .bind(self.oja.tenant.0)
            .fetch_one(&self.admin)
            .await
            .unwrap_or_else(|_| panic!("counting {table}"))
    }

    /// The rows of everything a till's documents make.
    async fn counts(&self) -> Vec<i64> {
        let mut all = Vec::new();
        for table in [
            "orders",
            "order_lines",
            "order_events",
            "till_tenders",
            "till_returns",
            "till_return_lines",
            "stock_movements",
            "customers",
            "till_shifts",
            "till_cash_movements",
            "till_documents",
            "audit_log",
        ] {
            all.push(self.count(table).await);
        }
        all
    }

    async fn on_hand(&self) -> i32 {
        sqlx::query_scalar(
            "SELECT on_hand FROM stock_levels WHERE tenant_id = $1 AND variant_id = $2 AND location_id = $3",
        )
        .bind(self.oja.tenant.0)
        .bind(self.rice.0)
        .bind(self.oja.main.0)
        .fetch_one(&self.admin)
        .await
        .unwrap()
    }
}

fn booked(outcomes: &[(Status, String)]) -> bool {
    outcomes.iter().all(|(s, _)| *s == Status::Booked)
}

#[sqlx::test]
async fn a_day_at_the_till_is_booked_once_and_its_replay_books_nothing(owner: PgPool) {
    let mut till = Till::open(&owner, 20).await;
    let open = till.shift();
    let ada = CustomerDoc {
        id: Uuid::now_v7(),
        made_at: Utc::now(),
        cashier: user_of(&till.cashier),
        name: "Ada Obi".into(),
        phone: "0803 123 4567".into(),
        email: None,
    };
    let first = till.sale(open.id, 2, vec![TenderLine { tendered: Some(10_000.into()), ..Till::cash(5000) }]);
    let mut second = till.sale(open.id, 3, vec![Till::cash(2500), Till::card(5000, "POS 000123")]);
    second.customer = Some(ada.id);
    let third = till.sale(
        open.id,
        1,
        vec![TenderLine {
            tender: Tender::MobileMoney,
            amount: 2500.into(),
            tendered: None,
            reference: "OPAY 99".into(),
        }],
    );
    let back = ReturnDoc {
        id: Uuid::now_v7(),
        made_at: Utc::now(),
        cashier: user_of(&till.cashier),
        shift: open.id,
        receipt: till.receipt(),
        sale: second.id,
        lines: vec![ReturnLine { position: 0, quantity: 1 }],
        tenders: vec![Till::cash(2500)],
        total: 2500.into(),
        reason: "Torn bag".into(),
        approved_by: Some(user_of(&till.manager)),
    };
    let out = CashMovement {
        id: Uuid::now_v7(),
        made_at: Utc::now(),
        cashier: user_of(&till.cashier),
        shift: open.id,
        direction: Direction::Out,
        amount: 5000.into(),
        reason: "Banking run".into(),
    };
    // Cash: 10,000 float + 5,000 + 2,500 − 2,500 given back − 5,000 banked = 10,000.
    let close = ShiftClose {
        id: Uuid::now_v7(),
        made_at: Utc::now(),
        cashier: user_of(&till.cashier),
        shift: open.id,
        denominations: BTreeMap::from([("1000".into(), 9), ("500".into(), 1)]),
        counted: BTreeMap::from([(Tender::Cash, 9500.into()), (Tender::Card, 5000.into())]),
        note: "Short by a ₦500 note".into(),
    };
    // Sent in the wrong order: the server books them in the order they depend on each other.
    let documents = vec![
        Document::ShiftClose(close),
        Document::Return(back),
        Document::Sale(third),
        Document::Sale(second.clone()),
        Document::Sale(first),
        Document::CashMovement(out),
        Document::Customer(ada.clone()),
        Document::ShiftOpen(open.clone()),
    ];
    let outcomes = till.send(documents.clone()).await;
    assert!(booked(&outcomes), "{outcomes:?}");
    assert_eq!(till.on_hand().await, 20 - 2 - 3 - 1 + 1);

    let before = till.counts().await;
    let again = till.send(documents).await;
    assert!(again.iter().all(|(s, _)| *s == Status::AlreadyBooked), "{again:?}");
    assert_eq!(till.counts().await, before, "a replay creates nothing");
    assert_eq!(till.on_hand().await, 15);

    let sale = commerce::orders::work::get(&till.oja.db, &till.oja.owner, second.id).await.unwrap();
    assert_eq!(sale.channel, "pos");
    assert_eq!(sale.total.amount, Decimal::from(7500));
    assert_eq!(sale.contact_name, "Ada Obi");
    assert_eq!(sale.customer, Some(ada.id));

    let report = shift::report(&till.oja.db, &till.oja.owner, open.id).await.unwrap();
    assert_eq!((report.sales, report.returns), (3, 1));
    assert_eq!(report.sales_total.amount, Decimal::from(15_000));
    assert_eq!(report.returns_total.amount, Decimal::from(2500));
    let cash = report.tenders.iter().find(|t| t.tender == Tender::Cash).unwrap();
    assert_eq!(cash.expected, Decimal::from(10_000));
    assert_eq!(cash.difference(), Some(Decimal::from(-500)), "short by ₦500");
    let card = report.tenders.iter().find(|t| t.tender == Tender::Card).unwrap();
    assert_eq!((card.expected, card.difference()), (Decimal::from(5000), Some(Decimal::ZERO)));
    let momo = report.tenders.iter().find(|t| t.tender == Tender::MobileMoney).unwrap();
    assert_eq!((momo.expected, momo.counted), (Decimal::from(2500), None));
    assert!(report.closed_at.is_some());
    // The dashboard reads the same ₦500 short from the cash the shift kept as it went.
    let today = dashboard::period(&till.oja.db, &till.oja.owner, Some("today"), None, None).await.unwrap();
    let figures = dashboard::read(&till.oja.db, &till.oja.owner, today, &dashboard::Filter::default()).await.unwrap();
    let tills = figures.tills.unwrap();
    assert_eq!((tills.closed_shifts, tills.over_short, tills.off_closes), (1, Decimal::from(-500), 1));
    assert_eq!(dashboard::counted::mismatches(&owner).await.unwrap(), Vec::<String>::new());
    stock_adds_up(&owner).await;
}

#[sqlx::test]
async fn a_sale_made_offline_past_the_stock_is_booked_and_raises_the_oversold_alert(owner: PgPool) {
    let mut till = Till::open(&owner, 1).await;
    let open = till.shift();
    let sale = till.sale(open.id, 3, vec![Till::cash(7500)]);
    let outcomes = till.send(vec![Document::ShiftOpen(open), Document::Sale(sale)]).await;
    assert!(booked(&outcomes), "{outcomes:?}");
    assert_eq!(till.on_hand().await, -2);
    let alerts: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM stock_alerts WHERE tenant_id = $1 AND kind = 'oversold' AND resolved_at IS NULL",
    )
    .bind(till.oja.tenant.0)
    .fetch_one(&owner)
    .await
    .unwrap();
    assert_eq!(alerts, 1);
    stock_adds_up(&owner).await;
}

#[sqlx::test]
async fn two_senders_of_one_batch_at_once_book_it_once(owner: PgPool) {
    let mut till = Till::open(&owner, 100).await;
    let open = till.shift();
    let mut documents = vec![Document::ShiftOpen(open.clone())];
    for _ in 0..20 {
        documents.push(Document::Sale(till.sale(open.id, 1, vec![Till::cash(2500)])));
    }
    let batch = Batch { documents };
    let (a, b) = tokio::join!(
        sync::receive(&till.oja.db, &till.register, &batch),
        sync::receive(&till.oja.db, &till.register, &batch)
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    for i in 0..batch.documents.len() {
        let pair = [a.outcomes[i].status, b.outcomes[i].status];
        assert!(
            pair.contains(&Status::Booked) && pair.contains(&Status::AlreadyBooked),
            "document {i} is booked by one sender and acknowledged to the other: {pair:?}"
        );
    }
    assert_eq!(till.count("orders").await, 20);
    assert_eq!(till.on_hand().await, 80);
    stock_adds_up(&owner).await;
}

#[sqlx::test]
async fn a_refused_document_in_the_middle_is_kept_and_the_rest_are_booked(owner: PgPool) {
    let mut till = Till::open(&owner, 50).await;
    let open = till.shift();
    let good = till.sale(open.id, 1, vec![Till::cash(2500)]);
    let mut wrong_total = till.sale(open.id, 2, vec![Till::cash(4000)]);
    wrong_total.total = 4000.into();
    let mut discounted = till.sale(open.id, 1, vec![Till::cash(2000)]);
    discounted.lines[0].unit_price = 2000.into();
    discounted.total = 2000.into();
    let later = till.sale(open.id, 1, vec![Till::cash(2500)]);
    let outcomes = till
        .send(vec![
            Document::ShiftOpen(open),
            Document::Sale(good),
            Document::Sale(wrong_total.clone()),
            Document::Sale(discounted.clone()),
            Document::Sale(later),
        ])
        .await;
    let statuses: Vec<Status> = outcomes.iter().map(|(s, _)| *s).collect();
    assert_eq!(statuses, [Status::Booked, Status::Booked, Status::Refused, Status::Refused, Status::Booked]);
    assert!(outcomes[2].1.contains("does not match its lines"), "{}", outcomes[2].1);
    assert!(outcomes[3].1.contains("without a manager"), "{}", outcomes[3].1);
    assert_eq!(till.count("orders").await, 2);
    assert_eq!(till.on_hand().await, 48, "refused sales moved no stock");

    // The manager sees both, sets one aside, and cannot book the one whose figures are wrong.
    let waiting = sync::waiting(&till.oja.db, &till.manager, false).await.unwrap();
    assert_eq!(waiting.len(), 2);
    let mut receipts: Vec<_> = waiting.iter().filter_map(|w| w.receipt.clone()).collect();
    receipts.sort();
    assert_eq!(receipts, [wrong_total.receipt.clone(), discounted.receipt.clone()]);
    let cashier_refused = sync::waiting(&till.oja.db, &till.cashier, false).await;
    assert!(matches!(cashier_refused, Err(Error::Forbidden(_))), "{cashier_refused:?}");
    let book = sync::decide(&till.oja.db, &till.manager, wrong_total.id, &Decision::Book).await.unwrap();
    assert_eq!(book.status, Status::Refused);
    let aside = Decision::SetAside("Rung twice by mistake".into());
    let set = sync::decide(&till.oja.db, &till.manager, wrong_total.id, &aside).await.unwrap();
    assert_eq!(set.status, Status::SetAside);
    // Sent again, the till hears it was set aside, and may forget it.
    let again = till.send(vec![Document::Sale(wrong_total)]).await;
    assert_eq!(again[0].0, Status::SetAside);
    assert!(again[0].0.settled());
    assert_eq!(sync::waiting(&till.oja.db, &till.manager, false).await.unwrap().len(), 1);
    stock_adds_up(&owner).await;
}

#[sqlx::test]
async fn a_sale_waits_for_its_shift_and_is_booked_when_the_shift_arrives(owner: PgPool) {
    let mut till = Till::open(&owner, 10).await;
    let open = till.shift();
    let sale = till.sale(open.id, 1, vec![Till::cash(2500)]);
    let early = till.send(vec![Document::Sale(sale.clone())]).await;
    assert_eq!(early[0].0, Status::Refused);
    assert!(early[0].1.contains("shift"), "{}", early[0].1);
    let later = till.send(vec![Document::ShiftOpen(open), Document::Sale(sale)]).await;
    assert!(booked(&later), "{later:?}");
    assert_eq!(till.count("orders").await, 1);
    assert_eq!(till.count("till_documents").await, 2);
    stock_adds_up(&owner).await;
}

#[sqlx::test]
async fn a_deactivated_cashier_s_sale_is_refused_until_a_manager_books_it(owner: PgPool) {
    let mut till = Till::open(&owner, 10).await;
    let open = till.shift();
    assert!(booked(&till.send(vec![Document::ShiftOpen(open.clone())]).await));
    let sale = till.sale(open.id, 2, vec![Till::cash(5000)]);
    sqlx::query("UPDATE memberships SET active = false WHERE tenant_id = $1 AND user_id = $2")
        .bind(till.oja.tenant.0)
        .bind(user_of(&till.cashier))
        .execute(&owner)
        .await
        .unwrap();
    let refused = till.send(vec![Document::Sale(sale.clone())]).await;
    assert_eq!(refused[0].0, Status::Refused, "{refused:?}");
    assert!(refused[0].1.contains("access was ended"), "{}", refused[0].1);
    let cashier_tries = sync::decide(&till.oja.db, &till.cashier, sale.id, &Decision::Book).await;
    assert!(matches!(cashier_tries, Err(Error::Forbidden(_))), "{cashier_tries:?}");
    let booked_now = sync::decide(&till.oja.db, &till.manager, sale.id, &Decision::Book).await.unwrap();
    assert_eq!(booked_now.status, Status::Booked);
    assert_eq!(till.on_hand().await, 8);
    let told = till.send(vec![Document::Sale(sale)]).await;
    assert_eq!(told[0].0, Status::AlreadyBooked);
    stock_adds_up(&owner).await;
}

#[sqlx::test]
async fn another_business_s_register_books_nothing_of_this_one(owner: PgPool) {
    let mut ours = Till::open(&owner, 10).await;
    let theirs = Till::open_as(&owner, "Kano Kitchen", 10).await;
    // Their till names our rice, our cashier and our shift: none is theirs to book.
    let open = ours.shift();
    assert!(booked(&ours.send(vec![Document::ShiftOpen(open.clone())]).await));
    let sale = ours.sale(open.id, 1, vec![Till::cash(2500)]);
    let mut their_shift = theirs.shift();
    their_shift.cashier = user_of(&ours.cashier);
    let outcomes = theirs.send(vec![Document::ShiftOpen(their_shift), Document::Sale(sale.clone())]).await;
    assert!(outcomes.iter().all(|(s, _)| *s == Status::Refused), "{outcomes:?}");
    assert_eq!(ours.count("orders").await, 0);
    assert_eq!(ours.on_hand().await, 10);
    // Our sale's id, sent by them, is not taken from us: ours books it afterwards.
    let ours_now = ours.send(vec![Document::Sale(sale)]).await;
    assert!(booked(&ours_now), "{ours_now:?}");
    // A credential that is no register's, and ours once revoked.
    assert!(register::by_credential(&ours.oja.db, "not-a-credential").await.unwrap().is_none());
    register::revoke(&ours.oja.db, &ours.oja.owner, ours.register.id).await.unwrap();
    let revoked = register::by_credential(&ours.oja.db, &ours.credential).await.unwrap().expect("still known");
    assert!(revoked.revoked, "a revoked register is still known, marked");
    stock_adds_up(&owner).await;
}

#[sqlx::test]
async fn a_revoked_register_s_documents_are_kept_for_a_manager(owner: PgPool) {
    let mut till = Till::open(&owner, 10).await;
    let open = till.shift();
    let sale = till.sale(open.id, 1, vec![Till::cash(2500)]);
    register::revoke(&till.oja.db, &till.manager, till.register.id).await.unwrap();
    till.register.revoked = true;
    let outcomes = till.send(vec![Document::ShiftOpen(open), Document::Sale(sale)]).await;
    assert!(outcomes.iter().all(|(s, p)| *s == Status::Refused && p.contains("revoked")), "{outcomes:?}");
    assert_eq!(sync::waiting(&till.oja.db, &till.manager, false).await.unwrap().len(), 2);
    let download = catalog::till_data(&till.oja.db, &till.register, None, None).await;
    assert!(matches!(download, Err(Error::Forbidden(_))), "{download:?}");
    assert_eq!(till.on_hand().await, 10);
}

#[sqlx::test]
async fn a_document_sent_again_with_other_contents_is_refused_and_the_first_stands(owner: PgPool) {
    let mut till = Till::open(&owner, 10).await;
    let open = till.shift();
    let sale = till.sale(open.id, 1, vec![Till::cash(2500)]);
    assert!(booked(&till.send(vec![Document::ShiftOpen(open), Document::Sale(sale.clone())]).await));
    let mut changed = sale;
    changed.lines[0].quantity = 2;
    changed.total = 5000.into();
    changed.tenders = vec![Till::cash(5000)];
    let outcomes = till.send(vec![Document::Sale(changed)]).await;
    assert_eq!(outcomes[0].0, Status::Refused);
    assert!(outcomes[0].1.contains("another document with this id"), "{}", outcomes[0].1);
    assert_eq!(till.on_hand().await, 9);
}

#[sqlx::test]
async fn a_return_gives_back_no_more_than_was_sold(owner: PgPool) {
    let mut till = Till::open(&owner, 10).await;
    let open = till.shift();
    let sale = till.sale(open.id, 2, vec![Till::cash(5000)]);
    assert!(booked(&till.send(vec![Document::ShiftOpen(open.clone()), Document::Sale(sale.clone())]).await));
    let give_back = |till: &mut Till, quantity: i32, approved: bool| ReturnDoc {
        id: Uuid::now_v7(),
        made_at: Utc::now(),
        cashier: user_of(&till.cashier),
        shift: open.id,
        receipt: till.receipt(),
        sale: sale.id,
        lines: vec![ReturnLine { position: 0, quantity }],
        tenders: vec![Till::cash(2500 * i64::from(quantity))],
        total: Decimal::from(2500 * quantity),
        reason: String::new(),
        approved_by: approved.then(|| user_of(&till.manager)),
    };
    let unapproved = give_back(&mut till, 1, false);
    let first = give_back(&mut till, 2, true);
    let second = give_back(&mut till, 1, true);
    let outcomes =
        till.send(vec![Document::Return(unapproved), Document::Return(first), Document::Return(second)]).await;
    let statuses: Vec<Status> = outcomes.iter().map(|(s, _)| *s).collect();
    assert_eq!(statuses, [Status::Refused, Status::Booked, Status::Refused], "{outcomes:?}");
    assert!(outcomes[0].1.contains("manager"), "{}", outcomes[0].1);
    assert!(outcomes[2].1.contains("cannot come back"), "{}", outcomes[2].1);
    assert_eq!(till.on_hand().await, 10);
    stock_adds_up(&owner).await;
}

#[sqlx::test]
async fn a_till_downloads_the_catalog_its_cashiers_and_what_changed_since(owner: PgPool) {
    let till = Till::open(&owner, 7).await;
    pin::set(&till.oja.db, &till.manager, user_of(&till.cashier), "2580").await.unwrap();
    let whole = catalog::till_data(&till.oja.db, &till.register, None, None).await.unwrap();
    assert!(whole.whole);
    assert_eq!(whole.register.prefix, till.prefix);
    assert_eq!(whole.business.vat.rate, Decimal::new(75, 1));
    let rice = &whole.products[0];
    assert_eq!((rice.variants[0].price, rice.variants[0].on_hand), (Decimal::from(2500), 7));
    let cashier = whole.cashiers.iter().find(|c| c.id == user_of(&till.cashier)).expect("the cashier");
    let check = cashier.pin.as_ref().expect("a PIN check");
    let b64 = base64::engine::general_purpose::STANDARD;
    let salt = b64.decode(&check.salt).unwrap();
    assert_eq!(
        b64.encode(pin::derive(b"2580", &salt, check.iterations)),
        check.hash,
        "the PIN checks in the browser's way"
    );
    assert_ne!(b64.encode(pin::derive(b"2581", &salt, check.iterations)), check.hash);
    assert!(whole.cashiers.iter().any(|c| c.id == user_of(&till.manager) && c.approves));

    // Nothing changed: nothing is sent but who may sign in.
    let later = catalog::till_data(&till.oja.db, &till.register, Some(whole.as_of + Duration::minutes(11)), None)
        .await
        .unwrap();
    assert!(!later.whole && later.products.is_empty(), "{:?}", later.products);
    // A price changed: the product is sent again.
    sqlx::query("UPDATE variants SET price = 2600 WHERE id = $1").bind(till.rice.0).execute(&owner).await.unwrap();
    let changed = catalog::till_data(&till.oja.db, &till.register, Some(whole.as_of), None).await.unwrap();
    assert_eq!(changed.products.len(), 1);
    assert_eq!(changed.products[0].variants[0].price, Decimal::from(2600));
}

#[sqlx::test]
async fn pins_are_set_by_their_owner_or_a_manager_and_never_easy(owner: PgPool) {
    let till = Till::open(&owner, 1).await;
    let cashier = user_of(&till.cashier);
    pin::set(&till.oja.db, &till.cashier, cashier, "4711").await.unwrap();
    let easy = pin::set(&till.oja.db, &till.cashier, cashier, "1234").await;
    assert!(matches!(&easy, Err(Error::Invalid { field, .. }) if field == "pin"), "{easy:?}");
    let other = till.oja.member(Role::Cashier).await;
    let not_theirs = pin::set(&till.oja.db, &till.cashier, user_of(&other), "4711").await;
    assert!(matches!(not_theirs, Err(Error::Forbidden(_))), "{not_theirs:?}");
    let managers = pin::set(&till.oja.db, &till.cashier, user_of(&till.manager), "4711").await;
    assert!(matches!(managers, Err(Error::Forbidden(_))), "{managers:?}");
    let manager_sets_managers = pin::set(&till.oja.db, &till.manager, user_of(&till.oja.owner), "4711").await;
    assert!(matches!(manager_sets_managers, Err(Error::Forbidden(_))), "{manager_sets_managers:?}");
    pin::set(&till.oja.db, &till.oja.owner, user_of(&till.manager), "97531").await.unwrap();
    let accountant = till.oja.member(Role::Accountant).await;
    let no_till = pin::set(&till.oja.db, &till.oja.owner, user_of(&accountant), "4711").await;
    assert!(matches!(no_till, Err(Error::Forbidden(_) | Error::Conflict { .. })), "{no_till:?}");
}

#[sqlx::test]
async fn a_code_enrols_one_device_once_and_only_in_its_time(owner: PgPool) {
    let oja = Business::open(&owner, "Oja Fresh").await;
    let added = register::add(&oja.db, &oja.owner, oja.main, "Till 1", None, None).await.unwrap().unwrap();
    assert_eq!(added.register.prefix, "R01");
    let typed = added.code.to_lowercase().replace('-', " ");
    let enrolled = register::enrol(&oja.db, &typed, "10.0.0.2").await.unwrap();
    let again = register::enrol(&oja.db, &added.code, "10.0.0.2").await;
    assert!(matches!(again, Err(Error::Unauthorized(_))), "{again:?}");
    assert!(register::by_credential(&oja.db, &enrolled.credential).await.unwrap().is_some());

    let late = register::add(&oja.db, &oja.owner, oja.main, "Till 2", None, None).await.unwrap().unwrap();
    assert_eq!(late.register.prefix, "R02");
    sqlx::query("UPDATE registers SET code_expires_at = now() - interval '1 second' WHERE id = $1")
        .bind(late.register.id)
        .execute(&owner)
        .await
        .unwrap();
    let expired = register::enrol(&oja.db, &late.code, "10.0.0.2").await;
    assert!(matches!(expired, Err(Error::Unauthorized(_))), "{expired:?}");
    let same_name = register::add(&oja.db, &oja.owner, oja.main, "till 1", None, None).await;
    assert!(matches!(&same_name, Err(Error::Invalid { field, .. }) if field == "name"), "{same_name:?}");
    let cashier = oja.member(Role::Cashier).await;
    let refused = register::add(&oja.db, &cashier, oja.main, "Till 3", None, None).await;
    assert!(matches!(refused, Err(Error::Forbidden(_))), "{refused:?}");
    // Guessing is held back: ten tries in ten minutes from one address.
    for _ in 0..8 {
        let _ = register::enrol(&oja.db, "AAAA-AAAA", "10.0.0.2").await;
    }
    let held = register::enrol(&oja.db, "AAAA-AAAA", "10.0.0.2").await;
    assert!(matches!(held, Err(Error::RateLimited { .. })), "{held:?}");
    let listed = register::list(&oja.db, &oja.owner).await.unwrap();
    assert_eq!(listed.len(), 2);
}

#[sqlx::test]
async fn another_till_finds_a_sale_by_its_receipt_and_takes_goods_back(owner: PgPool) {
    let mut till = Till::open(&owner, 10).await;
    let open = till.shift();
    let sale = till.sale(open.id, 2, vec![Till::cash(5000)]);
    assert!(booked(&till.send(vec![Document::ShiftOpen(open), Document::Sale(sale.clone())]).await));
    // A second register of the same shop: the service desk.
    let added = register::add(&till.oja.db, &till.oja.owner, till.oja.main, "Desk", None, None).await.unwrap().unwrap();
    let enrolled = register::enrol(&till.oja.db, &added.code, "10.0.0.3").await.unwrap();
    let desk = register::by_credential(&till.oja.db, &enrolled.credential).await.unwrap().unwrap();
    let found = catalog::sold(&till.oja.db, &desk, &sale.receipt.to_lowercase()).await.unwrap();
    assert_eq!((found.sale, found.lines.len(), found.lines[0].quantity, found.lines[0].returned), (sale.id, 1, 2, 0));
    let missing = catalog::sold(&till.oja.db, &desk, "R99-000001").await;
    assert!(matches!(missing, Err(Error::NotFound(_))), "{missing:?}");
    let desk_shift =
        ShiftOpen { id: Uuid::now_v7(), made_at: Utc::now(), cashier: user_of(&till.manager), float: 0.into() };
    let back = ReturnDoc {
        id: Uuid::now_v7(),
        made_at: Utc::now(),
        cashier: user_of(&till.manager),
        shift: desk_shift.id,
        receipt: commerce::pos::receipt_number(&added.register.prefix, 1),
        sale: found.sale,
        lines: vec![ReturnLine { position: 0, quantity: 1 }],
        tenders: vec![Till::cash(2500)],
        total: 2500.into(),
        reason: String::new(),
        approved_by: None,
    };
    let receipt = sync::receive(
        &till.oja.db,
        &desk,
        &Batch { documents: vec![Document::ShiftOpen(desk_shift), Document::Return(back)] },
    )
    .await
    .unwrap();
    assert!(receipt.outcomes.iter().all(|o| o.status == Status::Booked), "{:?}", receipt.outcomes);
    let again = catalog::sold(&till.oja.db, &desk, &sale.receipt).await.unwrap();
    assert_eq!(again.lines[0].returned, 1);
    assert_eq!(till.on_hand().await, 9);
    stock_adds_up(&owner).await;
}
