//! Vendors' products and stock against a real database: a vendor's staff reach their own
//! vendor's products alone and keep stock at their own place alone, whatever door they use, and
//! a moderated vendor's products and changes wait for the operator.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "a test fails loudly on what it did not expect")]

mod support;

use commerce::base::{Actor, Role, StaffMember, VendorId};
use commerce::catalog::moderation::{self, Decision};
use commerce::catalog::{Keep, Moderation, ProductId, ProductQuery, ProductStatus, product};
use commerce::inventory::{Line, ReceiptInput, levels, stock};
use commerce::{Clash, Error};
use rust_decimal::Decimal;
use sqlx::PgPool;
use support::{Business, single, stock_adds_up};

fn vendor_of(actor: &Actor) -> VendorId {
    match actor {
        Actor::Staff(StaffMember { vendor: Some(vendor), .. }) => *vendor,
        other => panic!("not vendor staff: {other:?}"),
    }
}

async fn moderated(admin: &PgPool, vendor: VendorId, on: bool) {
    sqlx::query("UPDATE vendors SET moderated = $2 WHERE id = $1")
        .bind(vendor.0)
        .bind(on)
        .execute(admin)
        .await
        .unwrap();
}

async fn on_sale(admin: &PgPool, id: ProductId) -> bool {
    sqlx::query_scalar("SELECT on_sale FROM products WHERE id = $1").bind(id.0).fetch_one(admin).await.unwrap()
}

fn receipt(location: commerce::base::LocationId, variant: commerce::catalog::VariantId) -> ReceiptInput {
    ReceiptInput {
        location,
        supplier: "Alaba wholesaler".into(),
        reference: "INV-9".into(),
        lines: vec![(Line { variant, quantity: 5 }, Decimal::from(90_000))],
    }
}

#[sqlx::test]
async fn a_vendor_reaches_its_own_products_alone_through_every_door(admin: PgPool) {
    let market = Business::marketplace(&admin, "Gadget Market").await;
    let (a, b) = (market.member(Role::Vendor).await, market.member(Role::Vendor).await);
    moderated(&admin, vendor_of(&a), false).await;
    moderated(&admin, vendor_of(&b), false).await;

    // Made as its vendor's whatever it asks, and never featured.
    let mut input = single("Tecno Spark 20", "SPARK-20", 150_000);
    input.status = ProductStatus::Active;
    input.vendor = Keep::To(Some(vendor_of(&b)));
    input.featured = Keep::To(true);
    let mine = product::create(&market.db, &a, input, None).await.unwrap();
    assert_eq!(mine.vendor, Some(vendor_of(&a).0));
    assert!(!mine.featured);
    assert_eq!(mine.moderation, Moderation::Approved, "an unmoderated vendor's product needs no approval");
    let theirs = product::create(&market.db, &b, single("Infinix Hot 40", "HOT-40", 140_000), None).await.unwrap();

    let listed = product::list(&market.db, &a, &ProductQuery::default(), None, 50).await.unwrap();
    assert_eq!(listed.rows.iter().map(|r| r.id).collect::<Vec<_>>(), [mine.id]);
    let read = product::get(&market.db, &a, theirs.id).await;
    assert!(matches!(read, Err(Error::NotFound(_))), "{read:?}");
    let mut edit = single("Mine now", "HOT-40", 1);
    edit.variants[0].id = Some(theirs.variants[0].id);
    let changed = product::update(&market.db, &a, theirs.id, edit, None, None).await;
    assert!(matches!(changed, Err(Error::NotFound(_))), "{changed:?}");
    let archived = product::set_status(&market.db, &a, &[mine.id, theirs.id], ProductStatus::Archived).await.unwrap();
    assert_eq!(archived, 1, "only its own changed");
    assert_eq!(product::get(&market.db, &b, theirs.id).await.unwrap().status, ProductStatus::Active);
    assert!(matches!(product::delete(&market.db, &a, theirs.id).await, Err(Error::NotFound(_))));
    let picture = commerce::catalog::image::remove(&market.db, &a, theirs.id, uuid::Uuid::now_v7()).await;
    assert!(matches!(picture, Err(Error::NotFound(_))), "{picture:?}");
    let found = product::find_variants(&market.db, &a, &["HOT-40".into(), "SPARK-20".into()]).await.unwrap();
    assert!(found[0].is_none() && found[1].is_some(), "{found:?}");

    // What only the operator does.
    let featured = product::set_featured(&market.db, &a, &[mine.id], true).await;
    assert!(matches!(featured, Err(Error::Forbidden(_))), "{featured:?}");
    let category = commerce::catalog::category::create(&market.db, &a, "Phones", None, None).await;
    assert!(matches!(category, Err(Error::Forbidden(_))), "{category:?}");
    assert!(matches!(commerce::files::export_products(&market.db, &a).await, Err(Error::Forbidden(_))));
    assert!(matches!(commerce::files::export_stock(&market.db, &a).await, Err(Error::Forbidden(_))));
    let discrepancies = levels::ledger_discrepancies(&market.db, &a).await;
    assert!(matches!(discrepancies, Err(Error::Forbidden(_))));

    // The operator sees both, and may feature a vendor's product.
    let all = product::list(&market.db, &market.owner, &ProductQuery::default(), None, 50).await.unwrap();
    assert_eq!(all.rows.len(), 2);
    product::set_featured(&market.db, &market.owner, &[mine.id], true).await.unwrap();
}

#[sqlx::test]
async fn a_vendor_keeps_stock_at_its_own_place_alone(admin: PgPool) {
    let market = Business::marketplace(&admin, "Gadget Market").await;
    let (a, b) = (market.member(Role::Vendor).await, market.member(Role::Vendor).await);
    let (place_a, place_b) = (market.place_of(vendor_of(&a)).await, market.place_of(vendor_of(&b)).await);
    let mine = product::create(&market.db, &a, single("Tecno Spark 20", "SPARK-20", 150_000), None).await.unwrap();
    let theirs = product::create(&market.db, &b, single("Infinix Hot 40", "HOT-40", 140_000), None).await.unwrap();
    let (my_phone, their_phone) = (mine.variants[0].id, theirs.variants[0].id);

    stock::receive(&market.db, &a, receipt(place_a, my_phone), None).await.unwrap();
    let elsewhere = stock::receive(&market.db, &a, receipt(market.main, my_phone), None).await;
    assert!(matches!(elsewhere, Err(Error::Forbidden(_))), "{elsewhere:?}");
    let at_theirs = stock::receive(&market.db, &a, receipt(place_b, my_phone), None).await;
    assert!(matches!(at_theirs, Err(Error::Forbidden(_))), "{at_theirs:?}");
    // Another vendor's product cannot be stocked at its place, by anyone.
    let foreign = stock::receive(&market.db, &a, receipt(place_a, their_phone), None).await;
    assert!(matches!(&foreign, Err(Error::Invalid { message, .. }) if message.contains("own products")), "{foreign:?}");
    let by_owner = stock::receive(&market.db, &market.owner, receipt(place_a, their_phone), None).await;
    assert!(
        matches!(&by_owner, Err(Error::Invalid { message, .. }) if message.contains("own products")),
        "{by_owner:?}"
    );
    // A product stocked at its vendor's place stays that vendor's.
    let mut moved = single("Tecno Spark 20", "SPARK-20", 150_000);
    moved.variants[0].id = Some(my_phone);
    moved.vendor = Keep::To(Some(vendor_of(&b)));
    let passed = product::update(&market.db, &market.owner, mine.id, moved, None, None).await;
    assert!(matches!(&passed, Err(Error::Invalid { field, .. }) if field == "vendor"), "{passed:?}");

    let places = levels::locations(&market.db, &a).await.unwrap();
    assert_eq!(places.iter().map(|l| l.id).collect::<Vec<_>>(), [place_a], "it sees its own place alone");
    let hold = commerce::inventory::reserve::Hold {
        variant: my_phone,
        location: Some(place_a),
        quantity: 1,
        for_how_long: chrono::Duration::minutes(5),
        reference: "by hand".into(),
    };
    let held = commerce::inventory::reserve::reserve(&market.db, &a, hold, None).await;
    assert!(matches!(held, Err(Error::Forbidden(_))), "holds are the marketplace's: {held:?}");
    stock_adds_up(&admin).await;
}

#[sqlx::test]
async fn a_moderated_vendors_products_and_changes_wait_for_the_operator(admin: PgPool) {
    let market = Business::marketplace(&admin, "Gadget Market").await;
    let vendor = market.member(Role::Vendor).await;
    let mut input = single("Tecno Spark 20", "SPARK-20", 150_000);
    input.status = ProductStatus::Active;
    let made = product::create(&market.db, &vendor, input.clone(), None).await.unwrap();
    assert_eq!(made.moderation, Moderation::Pending);
    assert!(!on_sale(&admin, made.id).await, "a new product waits");
    let waiting = moderation::waiting(&market.db, &market.owner).await.unwrap();
    assert_eq!(waiting.len(), 1);
    assert!(!waiting[0].is_change);

    let refused = moderation::decide(&market.db, &market.owner, made.id, Decision::Reject, " ", None).await;
    assert!(matches!(&refused, Err(Error::Invalid { field, .. }) if field == "note"), "{refused:?}");
    moderation::decide(&market.db, &market.owner, made.id, Decision::Reject, "Add the phone's storage.", None)
        .await
        .unwrap();
    let seen = product::get(&market.db, &vendor, made.id).await.unwrap();
    assert_eq!((seen.moderation, seen.moderation_note.as_str()), (Moderation::Rejected, "Add the phone's storage."));
    // Changed and sent again, it waits again; approved, it is on sale.
    let mut again = input.clone();
    again.name = "Tecno Spark 20 (128 GB)".into();
    again.variants[0].id = Some(made.variants[0].id);
    let sent = product::update(&market.db, &vendor, made.id, again.clone(), Some(seen.revision), None).await.unwrap();
    assert_eq!(sent.moderation, Moderation::Pending);
    moderation::decide(&market.db, &market.owner, made.id, Decision::Approve, "", None).await.unwrap();
    assert!(on_sale(&admin, made.id).await);

    // A change to a product on sale waits beside it; the product stays as it was.
    let live = product::get(&market.db, &vendor, made.id).await.unwrap();
    let mut dearer = again.clone();
    dearer.variants[0].price = Decimal::from(175_000);
    let kept = product::update(&market.db, &vendor, made.id, dearer, Some(live.revision), None).await.unwrap();
    assert!(kept.change_waiting);
    assert_eq!(kept.variants[0].price.amount, Decimal::from(150_000), "the price on sale is unchanged");
    assert!(on_sale(&admin, made.id).await, "and it stays on sale");
    let waiting = moderation::waiting(&market.db, &market.owner).await.unwrap();
    assert_eq!((waiting[0].is_change, waiting[0].changed.clone()), (true, vec!["variants and prices".to_owned()]));
    // The vendor takes it off sale at once, without approval; approving the change keeps that.
    product::set_status(&market.db, &vendor, &[made.id], ProductStatus::Archived).await.unwrap();
    let vendor_tries = moderation::decide(&market.db, &vendor, made.id, Decision::Approve, "", None).await;
    assert!(matches!(vendor_tries, Err(Error::Forbidden(_))), "{vendor_tries:?}");
    moderation::decide(&market.db, &market.owner, made.id, Decision::Approve, "", None).await.unwrap();
    let after = product::get(&market.db, &vendor, made.id).await.unwrap();
    assert_eq!(after.variants[0].price.amount, Decimal::from(175_000));
    assert_eq!(after.status, ProductStatus::Archived);
    assert!(!after.change_waiting);
    let nothing = moderation::decide(&market.db, &market.owner, made.id, Decision::Approve, "", None).await;
    assert!(matches!(nothing, Err(Error::Conflict { clash: Clash::WrongState, .. })), "{nothing:?}");
    // The vendor heard of each decision.
    let letters: i64 = sqlx::query_scalar("SELECT count(*) FROM notifications").fetch_one(&admin).await.unwrap();
    assert_eq!(letters, 3);
}
