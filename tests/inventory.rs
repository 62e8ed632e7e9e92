//! The catalog and stock against a real database, acting as the application's role. Every test
//! ends by checking that the ledger adds up.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "a test fails loudly on what it did not expect")]

use std::sync::Arc;

mod support;

use chrono::Duration;
use commerce::base::{Actor, LocationId, Role};
use commerce::catalog::{self, ProductInput, ProductQuery, VariantInput};
use commerce::identity::{self};
use commerce::inventory::reserve::{self, Hold};
use commerce::inventory::{self, AlertKind, Line, levels, stock, transfer};
use commerce::{Clash, Error};
use sqlx::PgPool;
use support::{Business, email_of, locations, receive, sign_in, single, stock_adds_up, user_of, variant};

/// The level of `variant` at `location`.
async fn level_at(
    db: &PgPool,
    actor: &Actor,
    variant: catalog::VariantId,
    location: LocationId,
) -> inventory::StockLevel {
    let query = inventory::LevelQuery { variant: Some(variant), location: Some(location), ..Default::default() };
    levels::list(db, actor, &query, None, 5).await.unwrap().remove(0).0
}

#[sqlx::test]
async fn a_product_with_a_variant_matrix_is_created_found_and_kept_consistent(owner: PgPool) {
    let oja = Business::open(&owner, "Oja Fresh").await;
    let (db, boss) = (oja.db.clone(), oja.owner.clone());
    let rows = catalog::variant_matrix(&[vec!["S".into(), "M".into()], vec!["Blue".into(), "Red".into()]]);
    let input = ProductInput {
        name: "Ankara shirt".into(),
        brand: "Aso Ebi House".into(),
        options: vec!["Size".into(), "Colour".into()],
        variants: rows
            .iter()
            .enumerate()
            .map(|(i, values)| VariantInput {
                barcode: if i == 0 { "5449000000996".into() } else { String::new() },
                ..variant(
                    &format!("ANK-{}", values.join("-")),
                    &values.iter().map(String::as_str).collect::<Vec<_>>(),
                    8500,
                )
            })
            .collect(),
        ..ProductInput::default()
    };
    let shirt = catalog::product::create(&db, &boss, input.clone(), None).await.unwrap();
    assert_eq!(shirt.variants.len(), 4);
    assert_eq!(shirt.variants[1].title(), "S / Red");

    for typed in ["ankara", "ankra shirt", "ANK-M-BLUE", "5449000000996", "aso ebi"] {
        let query = ProductQuery { search: Some(typed.into()), ..ProductQuery::default() };
        let found = catalog::product::list(&db, &boss, &query, None, 20).await.unwrap();
        assert!(found.rows.iter().any(|r| r.id == shirt.id), "searching {typed:?} finds the shirt");
    }
    // The stock list finds a SKU from its start too, as the product search does, and not only
    // whole (a SKU unlike the product's name, so that the name's likeness finds nothing).
    let milk = catalog::product::create(&db, &boss, single("Peak Milk 400g", "PM-77231-A", 2900), None).await.unwrap();
    for typed in ["pm-7723", "PM-77231-A", "5449000000996"] {
        let query = inventory::LevelQuery { search: Some(typed.into()), ..Default::default() };
        let found = levels::list(&db, &boss, &query, None, 50).await.unwrap();
        let wanted = if typed.starts_with("5449") { shirt.variants[0].id } else { milk.variants[0].id };
        assert!(found.iter().any(|(l, _)| l.variant == wanted), "searching the stock for {typed:?}");
    }
    let query = inventory::LevelQuery { search: Some("QQQ-9".into()), ..Default::default() };
    assert!(levels::list(&db, &boss, &query, None, 50).await.unwrap().is_empty());

    let clash = catalog::product::create(&db, &boss, single("Copy", "ANK-S-BLUE", 100), None).await;
    assert!(matches!(&clash, Err(Error::Invalid { field, .. }) if field == "variants[0].sku"), "{clash:?}");

    // Swapping two SKUs and dropping a variant in one edit.
    let mut edit = input.clone();
    for (v, saved) in edit.variants.iter_mut().zip(&shirt.variants) {
        v.id = Some(saved.id);
    }
    edit.variants.swap(0, 1);
    let (first, second) = (edit.variants[0].sku.clone(), edit.variants[1].sku.clone());
    edit.variants[0].sku = second;
    edit.variants[1].sku = first;
    edit.variants.pop();
    let stale = edit.clone();
    let edited = catalog::product::update(&db, &boss, shirt.id, edit, Some(shirt.revision), None).await.unwrap();
    assert_eq!((edited.variants.len(), edited.revision), (3, shirt.revision + 1));
    // A second editor who opened the same revision cannot undo that change unseen.
    let mut renamed = stale;
    renamed.name = "Ankara shirt, renamed".into();
    let late = catalog::product::update(&db, &boss, shirt.id, renamed, Some(shirt.revision), None).await;
    assert!(matches!(late, Err(Error::Conflict { clash: Clash::VersionMismatch, .. })), "{late:?}");
    let kept = catalog::product::get(&db, &boss, shirt.id).await.unwrap();
    assert_eq!((kept.name.as_str(), kept.revision), (edited.name.as_str(), edited.revision));

    let shop = locations(&db, &boss).await[0];
    receive(&db, &boss, shop, edited.variants[0].id, 5).await;
    let mut keep_two = input;
    keep_two.variants.truncate(1);
    keep_two.variants[0].id = Some(edited.variants[1].id);
    let refused = catalog::product::update(&db, &boss, shirt.id, keep_two, None, None).await;
    assert!(
        matches!(refused, Err(Error::Conflict { clash: Clash::StockHistory, .. })),
        "a stocked variant stays: {refused:?}"
    );
    let deleted = catalog::product::delete(&db, &boss, shirt.id).await;
    assert!(
        matches!(deleted, Err(Error::Conflict { clash: Clash::StockHistory, .. })),
        "a stocked product is archived, not deleted"
    );
    stock_adds_up(&owner).await;
}

#[sqlx::test]
async fn another_businesss_products_and_stock_are_not_found(owner: PgPool) {
    let oja = Business::open(&owner, "Oja Fresh").await;
    let (db, shop) = (oja.db.clone(), oja.owner.clone());
    let market = Business::marketplace(&owner, "Gadget Market").await.owner;
    let rice = catalog::product::create(&db, &shop, single("Rice 5kg", "RICE-5", 9500), None).await.unwrap();
    oja.receive(oja.main, rice.variants[0].id, 5).await;
    let not_found = |what: &str, result: Result<(), Error>| {
        assert!(matches!(result, Err(Error::NotFound(_))), "{what}: {result:?}");
    };
    not_found("read", catalog::product::get(&db, &market, rice.id).await.map(drop));
    not_found(
        "edit",
        catalog::product::update(&db, &market, rice.id, single("X", "X-1", 1), None, None).await.map(drop),
    );
    not_found("delete", catalog::product::delete(&db, &market, rice.id).await);
    let market_shop = locations(&db, &market).await[0];
    not_found(
        "adjust",
        stock::adjust(&db, &market, rice.variants[0].id, market_shop, 5, "found", None).await.map(drop),
    );
    not_found("history", levels::movements(&db, &market, rice.variants[0].id, None, None, 10).await.map(drop));
    let listed = catalog::product::list(&db, &market, &ProductQuery::default(), None, 500).await.unwrap();
    assert!(listed.rows.iter().all(|r| r.id != rice.id));
    stock_adds_up(&owner).await;
}

/// Holds as one instance's queue sends them: one `reserve_stock_together()` statement for a
/// batch; answers the quantities granted and refused.
async fn hold_statement(
    db: &mut sqlx::PgConnection,
    tenant: commerce::base::TenantId,
    variant: catalog::VariantId,
    quantities: Vec<i32>,
) -> Result<(Vec<i32>, Vec<i32>), sqlx::Error> {
    let ids: Vec<uuid::Uuid> = quantities.iter().map(|_| uuid::Uuid::now_v7()).collect();
    let references: Vec<String> = ids.iter().map(|id| format!("cart {id}")).collect();
    let seconds = vec![900.0_f64; ids.len()];
    let granted: Vec<(uuid::Uuid,)> =
        sqlx::query_as("SELECT id FROM reserve_stock_together($1, $2, NULL, $3, $4, $5, $6)")
            .bind(tenant.0)
            .bind(variant.0)
            .bind(&ids)
            .bind(&quantities)
            .bind(&references)
            .bind(&seconds)
            .fetch_all(db)
            .await?;
    let granted: std::collections::HashSet<uuid::Uuid> = granted.into_iter().map(|(id,)| id).collect();
    let (yes, no): (Vec<_>, Vec<_>) = ids.iter().zip(quantities).partition(|(id, _)| granted.contains(id));
    Ok((yes.into_iter().map(|(_, q)| q).collect(), no.into_iter().map(|(_, q)| q).collect()))
}

#[sqlx::test]
async fn instances_racing_hold_statements_on_one_level_never_oversell(owner: PgPool) {
    let oja = Business::open(&owner, "Oja Fresh").await;
    let (db, boss) = (oja.db.clone(), oja.owner.clone());
    let shop = locations(&db, &boss).await[0];
    let milk = catalog::product::create(&db, &boss, single("Three Crowns 380g", "3C-380", 2900), None).await.unwrap();
    let variant = milk.variants[0].id;
    receive(&db, &boss, shop, variant, 50).await;
    let tenant = boss.tenant().unwrap();

    // Eight instances, each with a pool of its own (four connections), each sending four
    // statements of one to three holds of one to four units: 32 statements at once, asking for
    // far more than the 50 units there are. Each statement holds its connection before the
    // start, so they meet on the level's row together.
    let instances: Vec<PgPool> = {
        let mut pools = Vec::new();
        for _ in 0..8 {
            pools.push(commerce::db::pool_as_role(&owner, "commerce_app").await.unwrap());
        }
        pools
    };
    let start = Arc::new(tokio::sync::Barrier::new(32));
    let mut statements = Vec::new();
    for (i, pool) in instances.iter().enumerate() {
        for k in 0..4 {
            let (pool, start) = (pool.clone(), Arc::clone(&start));
            let n = i * 4 + k;
            let quantities: Vec<i32> = (0..=n % 3).map(|j| i32::try_from((n * 7 + j * 3) % 4 + 1).unwrap()).collect();
            statements.push(tokio::spawn(async move {
                let mut connection = pool.acquire().await.unwrap();
                start.wait().await;
                hold_statement(&mut connection, tenant, variant, quantities).await
            }));
        }
    }
    let (mut granted, mut refused) = (Vec::new(), Vec::new());
    for statement in statements {
        let (yes, no) = statement.await.unwrap().expect("every statement grants or refuses, none fails");
        granted.extend(yes);
        refused.extend(no);
    }
    let held: i32 = granted.iter().sum();
    assert!(held <= 50, "{held} units held of 50");
    let left = 50 - held;
    assert!(refused.iter().all(|q| *q > left), "a hold of {refused:?} was refused with {left} left");
    assert!(!refused.is_empty(), "the rush asked for more than there was");
    let level = level_at(&db, &boss, variant, shop).await;
    assert_eq!((level.on_hand, level.reserved), (50, held));
    stock_adds_up(&owner).await;
}

#[sqlx::test]
async fn two_hundred_buyers_of_fifty_units_get_exactly_fifty(owner: PgPool) {
    let oja = Business::open(&owner, "Oja Fresh").await;
    let (db, boss) = (oja.db.clone(), oja.owner.clone());
    let shop = locations(&db, &boss).await[0];
    let milk = catalog::product::create(&db, &boss, single("Peak milk 400g", "PEAK-400", 3200), None).await.unwrap();
    let variant = milk.variants[0].id;
    receive(&db, &boss, shop, variant, 50).await;

    let tenant = boss.tenant().unwrap();
    let db = Arc::new(db);
    let buyers: Vec<_> = (0..200)
        .map(|i| {
            let db = Arc::clone(&db);
            tokio::spawn(async move {
                let hold = Hold {
                    variant,
                    location: None,
                    quantity: 1,
                    for_how_long: Duration::minutes(15),
                    reference: format!("cart {i}"),
                };
                let visitor = Actor::Visitor { tenant, visit: uuid::Uuid::now_v7() };
                reserve::hold_for_buyer(&db, &visitor, hold).await
            })
        })
        .collect();
    let mut held = 0;
    for buyer in buyers {
        match buyer.await.unwrap() {
            Ok(_) => held += 1,
            Err(Error::Conflict { clash: Clash::InsufficientStock, .. }) => {}
            Err(other) => panic!("{other}"),
        }
    }
    assert_eq!(held, 50, "exactly the stock, never more");
    let level = level_at(&db, &boss, variant, shop).await;
    assert_eq!((level.on_hand, level.reserved, level.available), (50, 50, 0));
    stock_adds_up(&owner).await;
}

#[sqlx::test]
async fn a_rush_of_holds_of_different_sizes_is_granted_whole_and_only_while_stock_lasts(owner: PgPool) {
    let TwoShops { db, boss, sites, variant, .. } = two_shops(&owner, ("Tecno Spark 20", "SPARK-20", 145_000), 7).await;
    receive(&db, &boss, sites[1], variant, 5).await;

    let tenant = boss.tenant().unwrap();
    let db = Arc::new(db);
    let buyers: Vec<_> = (0..40)
        .map(|i: i32| {
            let db = Arc::clone(&db);
            let quantity = i % 3 + 1;
            tokio::spawn(async move {
                let hold = Hold {
                    variant,
                    location: None,
                    quantity,
                    for_how_long: Duration::minutes(15),
                    reference: format!("cart {i}"),
                };
                let visitor = Actor::Visitor { tenant, visit: uuid::Uuid::now_v7() };
                (quantity, reserve::hold_for_buyer(&db, &visitor, hold).await)
            })
        })
        .collect();
    let (mut granted, mut smallest_refused) = (0, i32::MAX);
    for buyer in buyers {
        match buyer.await.unwrap() {
            (quantity, Ok(hold)) => {
                assert_eq!(hold.quantity, quantity, "a hold is granted whole");
                granted += quantity;
            }
            (quantity, Err(Error::Conflict { clash: Clash::InsufficientStock, .. })) => {
                smallest_refused = smallest_refused.min(quantity);
            }
            (_, Err(other)) => panic!("{other}"),
        }
    }
    let query = inventory::LevelQuery { variant: Some(variant), ..Default::default() };
    let levels = levels::list(&db, &boss, &query, None, 5).await.unwrap();
    let reserved: i32 = levels.iter().map(|l| l.0.reserved).sum();
    assert_eq!(reserved, granted, "every granted unit is reserved, no other");
    assert!(levels.iter().all(|l| l.0.available >= 0), "never more than on hand");
    // Free stock only shrinks, so a refused hold could not have fitted anywhere, then or later.
    assert!(levels.iter().all(|l| l.0.available < smallest_refused), "{levels:?} / {smallest_refused}");
    stock_adds_up(&owner).await;
}

#[sqlx::test]
async fn holds_are_committed_as_sales_released_or_lapse(owner: PgPool) {
    let TwoShops { db, boss, sites, product: soap, variant } = two_shops(&owner, ("Lux soap", "LUX-1", 450), 3).await;
    receive(&db, &boss, sites[1], variant, 10).await;
    let hold = |quantity, seconds| Hold {
        variant,
        location: None,
        quantity,
        for_how_long: Duration::seconds(seconds),
        reference: String::new(),
    };
    let best = reserve::reserve(&db, &boss, hold(4, 600), None).await.unwrap();
    assert_eq!(best.location, sites[1], "the location with the most available");
    reserve::commit(&db, &boss, best.id, "order 1001").await.unwrap();
    reserve::commit(&db, &boss, best.id, "order 1001").await.unwrap();
    let released = reserve::reserve(&db, &boss, hold(2, 600), None).await.unwrap();
    reserve::release(&db, &boss, released.id).await.unwrap();
    let sold_twice = reserve::release(&db, &boss, best.id).await;
    assert!(matches!(sold_twice, Err(Error::Conflict { clash: Clash::WrongState, .. })), "{sold_twice:?}");
    let too_many = reserve::reserve(&db, &boss, hold(10, 600), None).await;
    assert!(
        matches!(too_many, Err(Error::Conflict { clash: Clash::InsufficientStock, .. })),
        "9 left in all, 6 at best in one place"
    );

    let lapsing = reserve::reserve(&db, &boss, hold(5, 1), None).await.unwrap();
    sqlx::query("UPDATE stock_reservations SET expires_at = now() - interval '1 second' WHERE id = $1")
        .bind(lapsing.id)
        .execute(&owner)
        .await
        .unwrap();
    assert_eq!(reserve::release_expired(&db, 100).await.unwrap(), 1);
    assert_eq!(reserve::release_expired(&db, 100).await.unwrap(), 0, "released once");
    let late = reserve::commit(&db, &boss, lapsing.id, "order 1002").await;
    assert!(matches!(late, Err(Error::Conflict { clash: Clash::WrongState, .. })), "{late:?}");

    let product = catalog::product::get(&db, &boss, soap.id).await.unwrap();
    assert_eq!((product.variants[0].on_hand, product.variants[0].available), (9, 9));
    stock_adds_up(&owner).await;
}

#[sqlx::test]
async fn low_stock_is_raised_once_and_resolved_and_an_offline_sale_can_oversell(owner: PgPool) {
    let oja = Business::open(&owner, "Oja Fresh").await;
    let (db, boss) = (oja.db.clone(), oja.owner.clone());
    let cashier = oja.member(Role::Cashier).await;
    let shop = locations(&db, &boss).await[0];
    let bread = catalog::product::create(&db, &boss, single("Agege bread", "AGEGE-1", 1200), None).await.unwrap();
    let variant = bread.variants[0].id;
    receive(&db, &boss, shop, variant, 10).await;
    stock::set_reorder(&db, &boss, variant, shop, 5, 20, None).await.unwrap();
    let (low_before, oversold_before) = levels::open_alert_counts(&db, &boss).await.unwrap();
    for receipt in ["R01-1", "R01-2", "R01-3", "R01-4", "R01-5", "R01-6", "R01-7"] {
        reserve::sell_at_till(&db, &cashier, shop, &[Line { variant, quantity: 1 }], receipt, None).await.unwrap();
    }
    let open = levels::alerts(&db, &boss, true, 50).await.unwrap();
    let low: Vec<_> = open.iter().filter(|a| a.variant == variant && a.kind == AlertKind::Low).collect();
    assert_eq!(low.len(), 1, "one alert for the whole slide, not one per sale");
    assert_eq!((low[0].available_then, low[0].available_now), (5, 3));

    reserve::sell_at_till(&db, &cashier, shop, &[Line { variant, quantity: 5 }], "R01-8", None).await.unwrap();
    let open = levels::alerts(&db, &boss, true, 50).await.unwrap();
    assert!(open.iter().any(|a| a.variant == variant && a.kind == AlertKind::Oversold), "below zero");
    assert_eq!(levels::open_alert_counts(&db, &boss).await.unwrap(), (low_before + 1, oversold_before + 1));

    receive(&db, &boss, shop, variant, 30).await;
    assert!(levels::alerts(&db, &boss, true, 50).await.unwrap().iter().all(|a| a.variant != variant), "all resolved");
    let history = levels::movements(&db, &boss, variant, Some(shop), None, 100).await.unwrap();
    assert_eq!(history.len(), 10);
    assert_eq!(history[0].on_hand_after, 28);
    stock_adds_up(&owner).await;
}

#[sqlx::test]
async fn a_transfer_moves_what_was_sent_and_records_what_arrived(owner: PgPool) {
    let TwoShops { db, boss, sites, product: oil, variant } =
        two_shops(&owner, ("Kings oil 1L", "KINGS-1L", 2900), 12).await;
    let too_many = [Line { variant, quantity: 20 }];
    let draft = transfer::create(&db, &boss, sites[0], sites[1], &too_many, "", None).await.unwrap();
    let refused = transfer::send(&db, &boss, draft, None).await;
    assert!(matches!(refused, Err(Error::Conflict { clash: Clash::InsufficientStock, .. })), "{refused:?}");
    transfer::cancel(&db, &boss, draft, None).await.unwrap();

    let id =
        transfer::create(&db, &boss, sites[0], sites[1], &[Line { variant, quantity: 8 }], "for the weekend", None)
            .await
            .unwrap();
    let early = transfer::receive(&db, &boss, id, &[], None).await;
    assert!(matches!(early, Err(Error::Conflict { clash: Clash::WrongState, .. })), "a draft cannot be received");
    transfer::send(&db, &boss, id, None).await.unwrap();
    transfer::receive(&db, &boss, id, &[Line { variant, quantity: 7 }], None).await.unwrap();
    let done = transfer::get(&db, &boss, id).await.unwrap();
    assert_eq!((done.status, done.lines[0].received), (inventory::TransferStatus::Received, Some(7)));
    // A page at a time: the first page says where the second starts, and the second is the last.
    let first = transfer::list(&db, &boss, None, 1).await.unwrap();
    let after = commerce::base::page::read_cursor("after", first.next_cursor.as_deref()).unwrap();
    assert!(after.is_some(), "the first of two pages says where the next starts");
    let second = transfer::list(&db, &boss, after, 1).await.unwrap();
    assert_eq!(second.next_cursor, None, "the second page is the last");
    let listed: Vec<_> = first.data.iter().chain(&second.data).collect();
    let listed: Vec<_> = listed.iter().map(|t| (t.id, t.status, t.lines.len(), t.note.as_str())).collect();
    assert_eq!(
        listed,
        [
            (id, inventory::TransferStatus::Received, 1, "for the weekend"),
            (draft, inventory::TransferStatus::Cancelled, 1, "")
        ],
        "newest first, each with its own lines"
    );
    let product = catalog::product::get(&db, &boss, oil.id).await.unwrap();
    assert_eq!(product.variants[0].on_hand, 11, "one bottle lost on the way");
    stock_adds_up(&owner).await;
}

#[sqlx::test]
async fn an_approved_count_posts_its_differences(owner: PgPool) {
    let oja = Business::open(&owner, "Oja Fresh").await;
    let (db, boss) = (oja.db.clone(), oja.owner.clone());
    let shop = locations(&db, &boss).await[0];
    let sugar =
        catalog::product::create(&db, &boss, single("Dangote sugar 500g", "SUGAR-500", 900), None).await.unwrap();
    let variant = sugar.variants[0].id;
    receive(&db, &boss, shop, variant, 40).await;
    let count = inventory::count::start(&db, &boss, shop, "month end", None).await.unwrap();
    let approved = inventory::count::save(&db, &boss, count, &[(variant, Some(37))], true, None).await.unwrap();
    assert_eq!(approved, Some(1));
    let other = inventory::count::start(&db, &boss, shop, "spot check", None).await.unwrap();
    let first = inventory::count::list(&db, &boss, None, 1).await.unwrap();
    let after = commerce::base::page::read_cursor("after", first.next_cursor.as_deref()).unwrap();
    let second = inventory::count::list(&db, &boss, after, 1).await.unwrap();
    assert_eq!(second.next_cursor, None, "the second page is the last");
    assert_eq!(inventory::count::list(&db, &boss, None, 10).await.unwrap().data.len(), 2);
    let listed: Vec<_> = first.data.iter().chain(&second.data).collect();
    let listed: Vec<_> = listed.iter().map(|c| (c.id, c.status, c.note.as_str())).collect();
    assert_eq!(
        listed,
        [(other, inventory::CountStatus::Open, "spot check"), (count, inventory::CountStatus::Approved, "month end")]
    );
    let again = inventory::count::save(&db, &boss, count, &[], true, None).await;
    assert!(matches!(again, Err(Error::Conflict { clash: Clash::WrongState, .. })), "{again:?}");
    let product = catalog::product::get(&db, &boss, sugar.id).await.unwrap();
    assert_eq!(product.variants[0].on_hand, 37);
    stock_adds_up(&owner).await;
}

fn png(width: u32, height: u32) -> Vec<u8> {
    let picture = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([u8::try_from(x % 256).unwrap(), u8::try_from(y % 256).unwrap(), 90])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    picture.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

fn scratch_store() -> (commerce::media::DiskStore, std::path::PathBuf) {
    let root = std::env::temp_dir().join(format!("sc1-pictures-{}", uuid::Uuid::now_v7()));
    (commerce::media::DiskStore::new(&root), root)
}

fn files_under(root: &std::path::Path) -> usize {
    fn walk(dir: &std::path::Path) -> usize {
        std::fs::read_dir(dir)
            .map_or(0, |entries| entries.flatten().map(|e| if e.path().is_dir() { walk(&e.path()) } else { 1 }).sum())
    }
    walk(root)
}

#[sqlx::test]
async fn pictures_are_resized_kept_ordered_described_and_their_files_deleted_with_them(owner: PgPool) {
    use catalog::image::{Edit, Upload};
    use commerce::media::MediaStore;
    let oja = Business::open(&owner, "Oja Fresh").await;
    let (db, boss) = (oja.db.clone(), oja.owner.clone());
    let (store, root) = scratch_store();
    let rice = catalog::product::create(&db, &boss, single("Caprice rice 5kg", "CAP-5", 9_500), None).await.unwrap();

    let upload = |bytes: Vec<u8>, alt: &str| Upload { bytes, alt: alt.into() };
    let front = catalog::image::add(&db, &store, &boss, rice.id, upload(png(2400, 1800), "Front of the bag"), None)
        .await
        .unwrap();
    assert_eq!((front.width, front.height), (1600, 1200), "fitted within 1,600 pixels");
    let back = catalog::image::add(&db, &store, &boss, rice.id, upload(png(300, 300), " Back "), None).await.unwrap();
    assert_eq!((back.width, back.height, back.alt.as_str()), (300, 300, "Back"), "never enlarged; trimmed");
    assert_eq!(files_under(&root), 4, "each picture and its thumbnail");
    let key = front.url.strip_prefix("/media/").unwrap();
    let thumb = image::load_from_memory(&store.get(&format!("thumbs/{key}")).await.unwrap().unwrap()).unwrap();
    assert_eq!((thumb.width(), thumb.height()), (400, 300));

    let order = catalog::image::edit(&db, &boss, rice.id, back.id, Edit { position: Some(0), ..Edit::default() })
        .await
        .unwrap();
    assert_eq!(order.iter().map(|i| i.id).collect::<Vec<_>>(), vec![back.id, front.id], "the back is the main one now");
    let described = Edit { alt: Some("Caprice rice, back of the bag".into()), ..Edit::default() };
    catalog::image::edit(&db, &boss, rice.id, back.id, described).await.unwrap();
    let product = catalog::product::get(&db, &boss, rice.id).await.unwrap();
    assert_eq!(product.images[0].alt, "Caprice rice, back of the bag");
    let listed = catalog::product::list(
        &db,
        &boss,
        &ProductQuery { search: Some("CAP-5".into()), ..ProductQuery::default() },
        None,
        5,
    )
    .await
    .unwrap();
    assert_eq!(
        listed.rows[0].thumbnail_url.as_deref(),
        Some(product.images[0].thumbnail_url.as_str()),
        "lists show the main one"
    );

    let too_long = Edit { alt: Some("x".repeat(201)), ..Edit::default() };
    let refused = catalog::image::edit(&db, &boss, rice.id, back.id, too_long).await;
    assert!(matches!(&refused, Err(Error::Invalid { field, .. }) if field == "alt"), "{refused:?}");
    let not_a_picture =
        catalog::image::add(&db, &store, &boss, rice.id, upload(b"sku,price\n".to_vec(), ""), None).await;
    assert!(matches!(&not_a_picture, Err(Error::Invalid { field, .. }) if field == "file"), "{not_a_picture:?}");
    assert_eq!(files_under(&root), 4, "a refused file keeps nothing");

    // Removing a picture, then the product with the other, queues their files; the worker's
    // call deletes them.
    let left = catalog::image::remove(&db, &boss, rice.id, front.id).await.unwrap();
    assert_eq!(left.len(), 1);
    catalog::product::delete(&db, &boss, rice.id).await.unwrap();
    assert_eq!(commerce::media::delete_discarded(&db, &store, 100).await.unwrap(), 2);
    assert_eq!(files_under(&root), 0);
    assert_eq!(commerce::media::delete_discarded(&db, &store, 100).await.unwrap(), 0);
    std::fs::remove_dir_all(root).ok();
}

#[sqlx::test]
async fn pictures_are_for_those_who_manage_the_catalog_of_their_own_business(owner: PgPool) {
    use catalog::image::Upload;
    let oja = Business::open(&owner, "Oja Fresh").await;
    let (db, boss) = (oja.db.clone(), oja.owner.clone());
    let cashier = oja.member(Role::Cashier).await;
    let market = Business::marketplace(&owner, "Gadget Market").await.owner;
    let (store, root) = scratch_store();
    let soap = catalog::product::create(&db, &boss, single("Lux soap", "LUX-2", 450), None).await.unwrap();
    let upload = || Upload { bytes: png(200, 200), alt: String::new() };
    let forbidden = catalog::image::add(&db, &store, &cashier, soap.id, upload(), None).await;
    assert!(matches!(forbidden, Err(Error::Forbidden(_))), "{forbidden:?}");
    let elsewhere = catalog::image::add(&db, &store, &market, soap.id, upload(), None).await;
    assert!(matches!(elsewhere, Err(Error::NotFound(_))), "{elsewhere:?}");
    let mine = catalog::image::add(&db, &store, &boss, soap.id, upload(), None).await.unwrap();
    let theirs = catalog::image::remove(&db, &market, soap.id, mine.id).await;
    assert!(matches!(theirs, Err(Error::NotFound(_))), "{theirs:?}");
    for _ in 1..catalog::image::MOST {
        catalog::image::add(&db, &store, &boss, soap.id, upload(), None).await.unwrap();
    }
    let full = catalog::image::add(&db, &store, &boss, soap.id, upload(), None).await;
    assert!(matches!(&full, Err(Error::Invalid { message, .. }) if message.contains("at most 12")), "{full:?}");
    std::fs::remove_dir_all(root).ok();
}

#[sqlx::test]
async fn the_demo_catalog_has_a_picture_for_every_product(owner: PgPool) {
    let (store, root) = scratch_store();
    let applied = commerce::demo::load_with(&owner, Some(&store)).await.unwrap();
    assert!(applied.contains(&"2026-12-02 product pictures"), "{applied:?}");
    let (products, pictured): (i64, i64) = sqlx::query_as(
        "SELECT count(*), count(*) FILTER (WHERE EXISTS (SELECT 1 FROM product_images i WHERE i.product_id = p.id))
           FROM products p",
    )
    .fetch_one(&owner)
    .await
    .unwrap();
    assert!(products > 150 && pictured == products, "{pictured} of {products}");
    assert_eq!(files_under(&root), usize::try_from(products * 2).unwrap());
    assert_eq!(commerce::demo::load_with(&owner, Some(&store)).await.unwrap(), Vec::<&str>::new(), "once");
    std::fs::remove_dir_all(root).ok();
}

#[sqlx::test]
async fn a_till_sale_is_booked_whole_and_once_however_often_it_is_sent(owner: PgPool) {
    use commerce::idempotency::Once;
    let oja = Business::open(&owner, "Oja Fresh").await;
    let (db, boss) = (oja.db.clone(), oja.owner.clone());
    let cashier = oja.member(Role::Cashier).await;
    let shop = locations(&db, &boss).await[0];
    let bread =
        catalog::product::create(&db, &boss, single("Butterfield bread", "BUTTER-1", 1300), None).await.unwrap();
    let milk = catalog::product::create(&db, &boss, single("Peak sachet", "PEAK-SACHET", 150), None).await.unwrap();
    let (bread, milk) = (bread.variants[0].id, milk.variants[0].id);
    receive(&db, &boss, shop, bread, 10).await;
    receive(&db, &boss, shop, milk, 10).await;

    // A receipt whose second line names no product of the business books neither line.
    let stranger = catalog::VariantId(uuid::Uuid::now_v7());
    let wrong = [Line { variant: bread, quantity: 2 }, Line { variant: stranger, quantity: 1 }];
    let refused = reserve::sell_at_till(&db, &cashier, shop, &wrong, "R02-1", None).await;
    assert!(matches!(&refused, Err(Error::NotFound(_) | Error::Invalid { .. })), "{refused:?}");
    assert_eq!(level_at(&db, &boss, bread, shop).await.on_hand, 10, "nothing of a refused receipt is booked");

    // The till sends the sale, loses the answer, and sends it again with the same id.
    let sale = [Line { variant: bread, quantity: 2 }, Line { variant: milk, quantity: 3 }];
    let sent = || Once::new("till R02", "sale-0192", "sale", b"R02-2").unwrap();
    let first = reserve::sell_at_till(&db, &cashier, shop, &sale, "R02-2", Some(&sent())).await.unwrap();
    let again = sent();
    let second = reserve::sell_at_till(&db, &cashier, shop, &sale, "R02-2", Some(&again)).await.unwrap();
    assert_eq!((first.clone(), second), (vec![8, 7], vec![8, 7]), "answered the same");
    assert!(again.replayed());
    assert_eq!(
        (level_at(&db, &boss, bread, shop).await.on_hand, level_at(&db, &boss, milk, shop).await.on_hand),
        (8, 7)
    );
    stock_adds_up(&owner).await;
}

#[sqlx::test]
async fn the_database_and_the_code_agree_on_what_low_stock_is(owner: PgPool) {
    let grid: Vec<(i32, i32, bool)> =
        sqlx::query_as("SELECT a, r, stock_is_low(a, r) FROM generate_series(-3, 8) AS a, generate_series(-1, 5) AS r")
            .fetch_all(&owner)
            .await
            .unwrap();
    assert_eq!(grid.len(), 12 * 7);
    for (available, reorder_point, low) in grid {
        assert_eq!(
            inventory::is_low(available, reorder_point),
            low,
            "available {available}, reorder point {reorder_point}"
        );
    }
}

/// A retry that arrives while the first request with its key is still running waits for it a
/// little, then is told to retry rather than holding a connection for as long as the first runs;
/// once the first is done, a retry gets the first's answer.
#[sqlx::test]
async fn a_retry_while_the_first_request_runs_long_is_told_to_retry_later(owner: PgPool) {
    use commerce::idempotency::{self, Once};
    let oja = Business::open(&owner, "Oja Fresh").await;
    let (db, boss) = (oja.db.clone(), oja.owner.clone());
    let tenant = boss.tenant().unwrap();
    let sent = || Once::new("client 7", "slow-1", "POST /slow", b"{}").unwrap();
    let (first, second) = (sent(), sent());
    let slow = idempotency::run(&db, tenant, Some(&first), async |tx| {
        sqlx::query("SELECT pg_sleep(6)").execute(&mut *tx).await.map_err(|_| Error::Internal)?;
        Ok(41)
    });
    let retry = async {
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        let started = std::time::Instant::now();
        let answer = idempotency::run(&db, tenant, Some(&second), async |_| Ok(99)).await;
        (answer, started.elapsed())
    };
    let (slow, (retry, waited)) = tokio::join!(slow, retry);
    assert_eq!(slow.unwrap(), 41);
    assert!(
        matches!(&retry, Err(Error::Conflict { clash: Clash::IdempotencyInProgress, .. })),
        "told to retry: {retry:?}"
    );
    assert!(waited < std::time::Duration::from_secs(5), "waited {waited:?}");
    let later = sent();
    assert_eq!(idempotency::run(&db, tenant, Some(&later), async |_| Ok(99)).await.unwrap(), 41);
    assert!(later.replayed());
}

/// A storefront visitor is an actor of their own: they may hold stock for their cart and nothing
/// else, staff may not hold as a buyer, and a visitor of one business reaches none of another's.
#[sqlx::test]
async fn a_storefront_visitor_may_hold_for_their_cart_and_nothing_more(owner: PgPool) {
    let oja = Business::open(&owner, "Oja Fresh").await;
    let (db, boss) = (oja.db.clone(), oja.owner.clone());
    let shop = locations(&db, &boss).await[0];
    let rice = catalog::product::create(&db, &boss, single("Mama Gold rice 5kg", "RICE-5", 9500), None).await.unwrap();
    let variant = rice.variants[0].id;
    receive(&db, &boss, shop, variant, 3).await;
    let tenant = boss.tenant().unwrap();
    let visitor = Actor::Visitor { tenant, visit: uuid::Uuid::now_v7() };
    let hold = |quantity| Hold {
        variant,
        location: Some(shop),
        quantity,
        for_how_long: Duration::minutes(15),
        reference: "guest cart".into(),
    };
    let held = reserve::hold_for_buyer(&db, &visitor, hold(2)).await.unwrap();
    assert_eq!(held.quantity, 2);
    for refused in [
        reserve::hold_for_buyer(&db, &boss, hold(1)).await.map(|_| ()),
        reserve::reserve(&db, &visitor, hold(1), None).await.map(|_| ()),
        reserve::commit(&db, &visitor, held.id, "sold").await,
        stock::adjust(&db, &visitor, variant, shop, 5, "mine now", None).await.map(|_| ()),
    ] {
        assert!(matches!(refused, Err(Error::Forbidden(_))), "{refused:?}");
    }
    assert!(catalog::product::get(&db, &visitor, rice.id).await.is_err(), "no back-office reading either");
    let gadgets = Business::marketplace(&owner, "Gadget Market").await.owner;
    let elsewhere = Actor::Visitor { tenant: gadgets.tenant().unwrap(), visit: uuid::Uuid::now_v7() };
    let stranger = reserve::hold_for_buyer(&db, &elsewhere, hold(1)).await;
    assert!(matches!(stranger, Err(Error::NotFound(_) | Error::Invalid { .. })), "{stranger:?}");
    assert_eq!(level_at(&db, &boss, variant, shop).await.reserved, 2, "only the visitor's own hold");
    stock_adds_up(&owner).await;
}

#[sqlx::test]
async fn a_member_bound_to_one_shop_works_and_sees_stock_there_alone(owner: PgPool) {
    let oja = Business::open(&owner, "Oja Fresh").await;
    let (db, boss) = (oja.db.clone(), oja.owner.clone());
    let main = locations(&db, &boss).await[0];
    let new = identity::NewLocation { name: "Yaba branch".into(), kind: "shop".into(), ..Default::default() };
    let yaba = identity::create_location(&db, &boss, new, None).await.unwrap().id;
    let rice = catalog::product::create(&db, &boss, single("Ofada rice 1kg", "OFADA-1", 2500), None).await.unwrap();
    let variant = rice.variants[0].id;
    receive(&db, &boss, main, variant, 10).await;
    receive(&db, &boss, yaba, variant, 10).await;

    // Bound before signing in, so the session carries the binding.
    let (cashier, manager) = (oja.member(Role::Cashier).await, oja.member(Role::Manager).await);
    let (cashier_user, manager_user) = (user_of(&cashier), user_of(&manager));
    identity::bind_locations(&db, &boss, cashier_user, &[yaba], None).await.unwrap();
    identity::bind_locations(&db, &boss, manager_user, &[yaba], None).await.unwrap();
    let cashier = sign_in(&db, email_of(&cashier)).await;
    let manager = sign_in(&db, email_of(&manager)).await;

    // The till opens only in the shop the cashier is bound to, and sells only there.
    let shops: Vec<_> = identity::shops_for_registers(&db, &cashier).await.unwrap();
    assert_eq!(shops.iter().map(|s| s.location.id).collect::<Vec<_>>(), [yaba]);
    let line = [Line { variant, quantity: 1 }];
    reserve::sell_at_till(&db, &cashier, yaba, &line, "Y-1", None).await.unwrap();
    let elsewhere = reserve::sell_at_till(&db, &cashier, main, &line, "M-1", None).await;
    assert!(matches!(elsewhere, Err(Error::Forbidden(_))), "{elsewhere:?}");

    // The manager's stock pages, alerts and movements list Yaba alone; work elsewhere is refused.
    let all = inventory::LevelQuery { variant: Some(variant), ..Default::default() };
    let seen: Vec<_> = levels::list(&db, &manager, &all, None, 10).await.unwrap().into_iter().map(|(l, _)| l).collect();
    assert_eq!(seen.iter().map(|l| (l.location, l.on_hand)).collect::<Vec<_>>(), [(yaba, 9)]);
    let everywhere = locations(&db, &boss).await.len();
    assert_eq!(levels::list(&db, &boss, &all, None, 10).await.unwrap().len(), everywhere, "the owner sees every one");
    assert_eq!(levels::locations(&db, &manager).await.unwrap().iter().map(|l| l.id).collect::<Vec<_>>(), [yaba]);
    let moves = levels::movements(&db, &manager, variant, None, None, 10).await.unwrap();
    assert!(!moves.is_empty() && moves.iter().all(|m| m.location == yaba), "{moves:?}");
    assert!(stock::receipts(&db, &manager, 50).await.unwrap().iter().all(|r| r.location_name == "Yaba branch"));
    for refused in [
        stock::adjust(&db, &manager, variant, main, -1, "broken", None).await.map(|_| ()),
        stock::set_reorder(&db, &manager, variant, main, 2, 5, None).await,
        transfer::create(&db, &manager, main, yaba, &line, "", None).await.map(|_| ()),
        inventory::count::start(&db, &manager, main, "", None).await.map(|_| ()),
    ] {
        assert!(matches!(refused, Err(Error::Forbidden(_))), "{refused:?}");
    }
    // A transfer the owner sends from the main shop arrives at Yaba, and the manager there
    // receives it; one between two other places is not theirs to see.
    let inbound = transfer::create(&db, &boss, main, yaba, &line, "", None).await.unwrap();
    transfer::send(&db, &boss, inbound, None).await.unwrap();
    transfer::receive(&db, &manager, inbound, &[], None).await.unwrap();
    assert_eq!(level_at(&db, &boss, variant, yaba).await.on_hand, 10);
    let ikeja = identity::NewLocation { name: "Ikeja store".into(), kind: "warehouse".into(), ..Default::default() };
    let ikeja = identity::create_location(&db, &boss, ikeja, None).await.unwrap().id;
    let unseen = transfer::create(&db, &boss, main, ikeja, &line, "", None).await.unwrap();
    assert!(matches!(transfer::get(&db, &manager, unseen).await, Err(Error::NotFound(_))));
    let listed = transfer::list(&db, &manager, None, 50).await.unwrap();
    assert_eq!(listed.data.iter().map(|t| t.id).collect::<Vec<_>>(), [inbound]);
    let sync = [inventory::sync::SyncItem {
        sku: "OFADA-1".into(),
        location: main,
        change: inventory::sync::SyncChange::Count(3),
        expected_on_hand: None,
    }];
    let report = inventory::sync::apply(&db, &manager, "scanner", &sync, None).await.unwrap();
    assert_eq!((report.applied.len(), report.conflicts.len()), (0, 1), "{report:?}");
    // The stock file, out and in, is theirs alone too.
    let exported = commerce::files::export_stock(&db, &manager).await.unwrap();
    assert!(exported.contains("Yaba branch") && !exported.contains("Main shop"), "{exported}");
    let before = level_at(&db, &boss, variant, main).await.on_hand;
    let file = "sku,location,on_hand\nOFADA-1,Main shop,1\n";
    let kind = commerce::files::ImportKind::Stock;
    let job = commerce::files::begin(&db, &manager, kind, file, false).await.unwrap();
    commerce::files::run(&db, &manager, job, kind, file, false).await;
    let report = commerce::files::job(&db, &manager, job).await.unwrap().report.unwrap();
    assert_eq!(report.errors.iter().map(|e| e.column.as_str()).collect::<Vec<_>>(), ["location"], "{report:?}");
    assert_eq!(level_at(&db, &boss, variant, main).await.on_hand, before, "nothing imported at the main shop");
    // The product's totals, on its page and in the list, count the stock where they work.
    let here = level_at(&db, &boss, variant, yaba).await;
    let whole = catalog::product::get(&db, &boss, rice.id).await.unwrap().variants[0].on_hand;
    let theirs = catalog::product::get(&db, &manager, rice.id).await.unwrap().variants[0].clone();
    assert_eq!((theirs.on_hand, theirs.available), (i64::from(here.on_hand), i64::from(here.available)));
    assert!(whole > theirs.on_hand, "the owner's total ({whole}) counts every location");
    let rows = catalog::product::list(&db, &manager, &ProductQuery::default(), None, 10).await.unwrap().rows;
    assert_eq!(rows.iter().map(|r| r.available).collect::<Vec<_>>(), [i64::from(here.available)]);

    // Unbound, the manager reaches every location again; an owner is never bound, and a
    // location of another business cannot be chosen.
    identity::bind_locations(&db, &boss, manager_user, &[], None).await.unwrap();
    let manager = sign_in(&db, email_of(&manager)).await;
    assert_eq!(levels::list(&db, &manager, &all, None, 10).await.unwrap().len(), everywhere + 1, "Ikeja too");
    let owner_user = user_of(&boss);
    let bound_owner = identity::bind_locations(&db, &boss, owner_user, &[yaba], None).await;
    assert!(matches!(&bound_owner, Err(Error::Invalid { field, .. }) if field == "locations"), "{bound_owner:?}");
    let market_boss = Business::marketplace(&owner, "Gadget Market").await.owner;
    let theirs = locations(&db, &market_boss).await[0];
    let foreign = identity::bind_locations(&db, &boss, cashier_user, &[theirs], None).await;
    assert!(matches!(&foreign, Err(Error::Invalid { field, .. }) if field == "locations"), "{foreign:?}");
    let cashier_bound = identity::list_staff(&db, &boss).await.unwrap();
    let row = cashier_bound.members.iter().find(|m| m.user == cashier_user).unwrap();
    assert_eq!(row.locations.iter().map(|p| p.id).collect::<Vec<_>>(), [yaba], "unchanged by the refused binding");
    stock_adds_up(&owner).await;
}

#[sqlx::test]
async fn steps_of_several_commands_make_one_transaction_and_fail_together(owner: PgPool) {
    let oja = Business::open(&owner, "Oja Fresh").await;
    let yaba = oja.location("Yaba branch", "shop").await;
    let oil = oja.product("Power Oil 1L", "POWER-1", 2800).await;
    let variant = oil.variants[0].id;
    oja.receive(oja.main, variant, 10).await;
    let line = [Line { variant, quantity: 4 }];
    let id = transfer::create(&oja.db, &oja.owner, oja.main, yaba, &line, "", None).await.unwrap();
    let scope = oja.owner.require(commerce::base::Permission::ManageInventory).unwrap();

    // Sent and received in one transaction, the receipt refusing what was never sent: neither
    // happened, and the stock never left.
    let mut tx = commerce::db::tenant_tx(&oja.db, oja.tenant).await.unwrap();
    transfer::send_in(&mut tx, &scope, &oja.owner, id).await.unwrap();
    let too_many = [Line { variant, quantity: 9 }];
    let refused = transfer::receive_in(&mut tx, &scope, &oja.owner, id, &too_many).await;
    assert!(matches!(&refused, Err(Error::Invalid { field, .. }) if field == "arrived[0].quantity"), "{refused:?}");
    drop(tx);
    let draft = transfer::get(&oja.db, &oja.owner, id).await.unwrap();
    assert_eq!(draft.status, inventory::TransferStatus::Draft, "the send was undone with the failed receipt");
    assert_eq!(level_at(&oja.db, &oja.owner, variant, oja.main).await.on_hand, 10);

    // Both right, in one transaction: the goods moved, each step writing its own records.
    let mut tx = commerce::db::tenant_tx(&oja.db, oja.tenant).await.unwrap();
    transfer::send_in(&mut tx, &scope, &oja.owner, id).await.unwrap();
    transfer::receive_in(&mut tx, &scope, &oja.owner, id, &[]).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(level_at(&oja.db, &oja.owner, variant, oja.main).await.on_hand, 6);
    assert_eq!(level_at(&oja.db, &oja.owner, variant, yaba).await.on_hand, 4);
    stock_adds_up(&owner).await;
}

#[sqlx::test]
async fn amounts_read_out_carry_the_businesss_currency(owner: PgPool) {
    use commerce::{Currency, Money};
    let accra = Business::open(&owner, "Makola Provisions").await;
    accra.price_in("GHS").await;
    let cedis = |amount: i64| Money::new(rust_decimal::Decimal::from(amount), Currency::GHS);
    let milo = accra.product("Milo 400g", "MILO-400", 85).await;
    assert_eq!(milo.variants[0].price, cedis(85));
    assert_eq!(milo.variants[0].price.to_string(), "GH₵85.00");
    accra.receive(accra.main, milo.variants[0].id, 3).await;
    let product = catalog::product::get(&accra.db, &accra.owner, milo.id).await.unwrap();
    assert_eq!(product.variants[0].cost, Some(cedis(100)), "the receipt's unit cost became the cost");
    let rows = catalog::product::list(&accra.db, &accra.owner, &ProductQuery::default(), None, 10).await.unwrap();
    assert_eq!(rows.rows[0].price_range, (cedis(85), cedis(85)));
    let receipts = stock::receipts(&accra.db, &accra.owner, 10).await.unwrap();
    assert_eq!(receipts[0].total_cost, cedis(300));
    let moves = levels::movements(&accra.db, &accra.owner, milo.variants[0].id, None, None, 10).await.unwrap();
    assert_eq!(moves[0].unit_cost, Some(cedis(100)));

    // Another business in naira reads its own amounts in naira at the same time.
    let lagos = Business::open(&owner, "Oja Fresh").await;
    let peak = lagos.product("Peak milk 400g", "PEAK-400", 3200).await;
    assert_eq!(peak.variants[0].price.to_string(), "₦3,200.00");
    stock_adds_up(&owner).await;
}

#[sqlx::test]
async fn a_receipt_pressed_twice_is_booked_once_numbered_and_can_be_voided(owner: PgPool) {
    use commerce::idempotency::Once;
    use inventory::ReceiptInput;
    let oja = Business::open(&owner, "Oja Fresh").await;
    let (db, boss) = (oja.db.clone(), oja.owner.clone());
    let rice = oja.product("Mama Gold rice 5 kg", "RICE-5", 9_500).await.variants[0].id;
    let oil = oja.product("Kings oil 1 l", "KINGS-1L", 2_800).await.variants[0].id;
    let delivery = |lines: Vec<(Line, rust_decimal::Decimal)>| ReceiptInput {
        location: oja.main,
        supplier: "Olam".into(),
        reference: "DN-7781".into(),
        lines,
    };
    let twelve_rice = || vec![(Line { variant: rice, quantity: 12 }, rust_decimal::Decimal::from(8_000))];

    // The same form pressed twice: one receipt, and the second press answers the first's result.
    let press = || Once::new("form:owner", "submission-1", "receive_stock", b"the form's fields").unwrap();
    let first = stock::receive(&db, &boss, delivery(twelve_rice()), Some(&press())).await.unwrap();
    let again = press();
    let second = stock::receive(&db, &boss, delivery(twelve_rice()), Some(&again)).await.unwrap();
    assert!(again.replayed());
    assert_eq!(first, second);
    assert_eq!(
        (first.number.as_str(), first.units, first.summary.as_str()),
        ("R-0001", 12, "12 × Mama Gold rice 5 kg")
    );
    assert_eq!(level_at(&db, &boss, rice, oja.main).await.on_hand, 12, "booked once");

    // The next receipt takes the next number; another business counts from one.
    let both = vec![
        (Line { variant: rice, quantity: 3 }, rust_decimal::Decimal::from(8_100)),
        (Line { variant: oil, quantity: 24 }, rust_decimal::Decimal::from(2_100)),
    ];
    let next = stock::receive(&db, &boss, delivery(both), None).await.unwrap();
    assert_eq!((next.number.as_str(), next.units, next.summary.as_str()), ("R-0002", 27, "2 items"));
    let other = Business::open(&owner, "Mama Put Stores").await;
    let theirs = other.product("Garri 2 kg", "GARRI-2", 1_500).await.variants[0].id;
    let their_shop = locations(&other.db, &other.owner).await[0];
    let line = vec![(Line { variant: theirs, quantity: 1 }, rust_decimal::Decimal::ONE)];
    let input = ReceiptInput { location: their_shop, supplier: String::new(), reference: String::new(), lines: line };
    assert_eq!(stock::receive(&other.db, &other.owner, input, None).await.unwrap().number, "R-0001");

    // Its page lists its lines; another business and a cashier cannot open or void it.
    let detail = stock::receipt(&db, &boss, next.id).await.unwrap();
    assert_eq!(
        detail.lines.iter().map(|l| (l.sku.as_str(), l.quantity)).collect::<Vec<_>>(),
        [("KINGS-1L", 24), ("RICE-5", 3)]
    );
    assert_eq!(detail.receipt.total_cost.amount, rust_decimal::Decimal::from(3 * 8_100 + 24 * 2_100));
    assert!(matches!(stock::receipt(&other.db, &other.owner, next.id).await, Err(Error::NotFound(_))));
    let cashier = oja.member(Role::Cashier).await;
    assert!(matches!(stock::void_receipt(&db, &cashier, next.id, "mistake", None).await, Err(Error::Forbidden(_))));
    assert!(matches!(
        stock::void_receipt(&other.db, &other.owner, next.id, "mistake", None).await,
        Err(Error::NotFound(_))
    ));
    assert!(
        matches!(stock::void_receipt(&db, &boss, next.id, "  ", None).await, Err(Error::Invalid { field, .. }) if field == "reason")
    );

    // Voided: its units go back out, it is marked, and it cannot be voided twice; the same
    // press sent again is answered as the first, moving nothing more.
    let void = Once::new("form:owner", "void-1", "void_receipt", b"the form's fields").unwrap();
    stock::void_receipt(&db, &boss, next.id, "typed twice", Some(&void)).await.unwrap();
    stock::void_receipt(&db, &boss, next.id, "typed twice", Some(&void)).await.unwrap();
    assert_eq!(level_at(&db, &boss, rice, oja.main).await.on_hand, 12);
    assert_eq!(level_at(&db, &boss, oil, oja.main).await.on_hand, 0);
    let voided = stock::receipt(&db, &boss, next.id).await.unwrap();
    assert!(voided.receipt.voided);
    assert_eq!(voided.voided.as_ref().map(|(_, _, why)| why.as_str()), Some("typed twice"));
    let twice = stock::void_receipt(&db, &boss, next.id, "again", None).await;
    assert!(matches!(&twice, Err(Error::Conflict { clash: Clash::WrongState, .. })), "{twice:?}");

    // Goods held for a buyer, or sold, since the receipt cannot be taken out by voiding it;
    // nothing moves.
    let hold = Hold {
        variant: rice,
        location: Some(oja.main),
        quantity: 1,
        for_how_long: Duration::minutes(15),
        reference: "cart 1".into(),
    };
    reserve::reserve(&db, &boss, hold, None).await.unwrap();
    let held = stock::void_receipt(&db, &boss, first.id, "wrong supplier", None).await;
    assert!(matches!(&held, Err(Error::Conflict { clash: Clash::InsufficientStock, .. })), "{held:?}");
    assert_eq!(level_at(&db, &boss, rice, oja.main).await.on_hand, 12);
    stock::adjust(&db, &boss, rice, oja.main, -5, "sold at the door", None).await.unwrap();
    let sold = stock::void_receipt(&db, &boss, first.id, "wrong supplier", None).await;
    assert!(matches!(&sold, Err(Error::Conflict { clash: Clash::InsufficientStock, .. })), "{sold:?}");
    assert_eq!(level_at(&db, &boss, rice, oja.main).await.on_hand, 7);
    assert!(!stock::receipt(&db, &boss, first.id).await.unwrap().receipt.voided);
    stock_adds_up(&owner).await;
}

#[sqlx::test]
async fn the_overview_counts_what_needs_a_look_where_the_member_works(owner: PgPool) {
    use inventory::StockSummary;
    let oja = Business::supermarket(&owner).await;
    let (db, boss) = (oja.db.clone(), oja.owner.clone());
    let lekki = locations(&db, &boss).await.into_iter().find(|l| *l != oja.main).unwrap();
    let rice = oja.product("Ofada rice 1kg", "OFADA-1", 2_500).await.variants[0].id;
    let oil = oja.product("Kings oil 1 l", "KINGS-1L", 2_800).await.variants[0].id;
    let beans = oja.product("Honey beans 1kg", "BEANS-1", 1_900).await.variants[0].id;
    for variant in [rice, oil, beans] {
        oja.receive(oja.main, variant, 10).await;
        stock::set_reorder(&db, &boss, variant, oja.main, 5, 20, None).await.unwrap();
    }
    oja.receive(lekki, rice, 10).await;
    stock::set_reorder(&db, &boss, rice, lekki, 5, 20, None).await.unwrap();
    let nothing = StockSummary::default();
    assert_eq!(levels::summary(&db, &boss).await.unwrap(), nothing);

    // Rice runs low at the main shop and out at Lekki; oil runs out (oversold) at the main shop.
    stock::adjust(&db, &boss, rice, oja.main, -6, "sold", None).await.unwrap();
    stock::adjust(&db, &boss, rice, lekki, -10, "sold", None).await.unwrap();
    stock::adjust(&db, &boss, oil, oja.main, -12, "sold offline", None).await.unwrap();
    let line = [Line { variant: beans, quantity: 1 }];
    let sent = transfer::create(&db, &boss, oja.main, lekki, &line, "", None).await.unwrap();
    transfer::send(&db, &boss, sent, None).await.unwrap();
    transfer::create(&db, &boss, lekki, oja.main, &[Line { variant: rice, quantity: 1 }], "", None).await.unwrap();
    inventory::count::start(&db, &boss, lekki, "month end", None).await.unwrap();
    let everywhere = StockSummary { low: 1, out: 2, in_transit: 1, drafts: 1, counts: 1 };
    assert_eq!(levels::summary(&db, &boss).await.unwrap(), everywhere);

    // A manager bound to the main shop counts its alerts, and the transfers it sends or gets.
    let manager = oja.member(Role::Manager).await;
    identity::bind_locations(&db, &boss, user_of(&manager), &[oja.main], None).await.unwrap();
    let manager = sign_in(&db, email_of(&manager)).await;
    let main_only = StockSummary { low: 1, out: 1, in_transit: 1, drafts: 1, counts: 0 };
    assert_eq!(levels::summary(&db, &manager).await.unwrap(), main_only);

    // Received stock settles what it answered.
    transfer::receive(&db, &boss, sent, &[], None).await.unwrap();
    oja.receive(lekki, rice, 10).await;
    let after = StockSummary { low: 1, out: 1, in_transit: 0, drafts: 1, counts: 1 };
    assert_eq!(levels::summary(&db, &boss).await.unwrap(), after);
    let cashier = oja.member(Role::Cashier).await;
    assert!(matches!(levels::summary(&db, &cashier).await, Err(Error::Forbidden(_))));
    stock_adds_up(&owner).await;
}

#[sqlx::test]
async fn a_count_started_twice_by_one_press_is_one_count(owner: PgPool) {
    use commerce::idempotency::Once;
    let oja = Business::open(&owner, "Oja Fresh").await;
    let (db, boss) = (oja.db.clone(), oja.owner.clone());
    let press = || Once::new("form:owner", "submission-7", "start_count", b"the form's fields").unwrap();
    let first = inventory::count::start(&db, &boss, oja.main, "month end", Some(&press())).await.unwrap();
    let again = press();
    let second = inventory::count::start(&db, &boss, oja.main, "month end", Some(&again)).await.unwrap();
    assert!(again.replayed());
    assert_eq!(first, second);
    let counts: i64 = sqlx::query_scalar("SELECT count(*) FROM stock_counts").fetch_one(&owner).await.unwrap();
    assert_eq!(counts, 1);
}

/// A step pressed twice (a double click on "Send", "Approve") carries one key: the second
/// answers the first instead of being refused because the first moved the document on.
#[sqlx::test]
async fn a_transfer_step_or_a_count_approval_pressed_twice_happens_once(owner: PgPool) {
    use commerce::idempotency::Once;
    let TwoShops { db, boss, sites, product: oil, variant, .. } =
        two_shops(&owner, ("Kings oil 1L", "KINGS-1L", 2900), 12).await;
    let press = |key: &str| Once::new("form:owner", key, "step", b"the form's fields").unwrap();
    let id =
        transfer::create(&db, &boss, sites[0], sites[1], &[Line { variant, quantity: 5 }], "", None).await.unwrap();
    for step in ["send", "receive"] {
        let once = press(step);
        for _ in 0..2 {
            let done = match step {
                "send" => transfer::send(&db, &boss, id, Some(&once)).await,
                _ => transfer::receive(&db, &boss, id, &[], Some(&once)).await,
            };
            assert!(done.is_ok(), "{step}: {done:?}");
        }
    }
    assert_eq!(transfer::get(&db, &boss, id).await.unwrap().status, inventory::TransferStatus::Received);

    let count = inventory::count::start(&db, &boss, sites[0], "", None).await.unwrap();
    let approve = press("approve");
    let first = inventory::count::save(&db, &boss, count, &[(variant, Some(6))], true, Some(&approve)).await.unwrap();
    let second = inventory::count::save(&db, &boss, count, &[(variant, Some(6))], true, Some(&approve)).await.unwrap();
    assert_eq!((first, second), (Some(1), Some(1)), "the second press answers the first approval");
    let product = catalog::product::get(&db, &boss, oil.id).await.unwrap();
    assert_eq!(product.variants[0].on_hand, 6 + 5, "seven out by the count, five in at Lekki");
    stock_adds_up(&owner).await;
}

/// Oja Fresh with a second shop (Lekki Phase 1), and a new product of one variant with `units`
/// received at the first.
struct TwoShops {
    db: PgPool,
    boss: Actor,
    sites: Vec<LocationId>,
    product: catalog::Product,
    variant: catalog::VariantId,
}

async fn two_shops(owner: &PgPool, (name, sku, price): (&str, &str, i64), units: i32) -> TwoShops {
    let oja = Business::open(owner, "Oja Fresh").await;
    let (db, boss) = (oja.db.clone(), oja.owner.clone());
    oja.location("Lekki Phase 1", "shop").await;
    let sites = locations(&db, &boss).await;
    let product = catalog::product::create(&db, &boss, single(name, sku, price), None).await.unwrap();
    let variant = product.variants[0].id;
    receive(&db, &boss, sites[0], variant, units).await;
    TwoShops { db, boss, sites, product, variant }
}
