//! CSV imports and exports against a real database: all or nothing, errors named by line and
//! column, updates matched by SKU, and exports that import back.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "a test fails loudly on what it did not expect")]

mod support;

use commerce::base::{Actor, Role};
use commerce::catalog::{self, ProductQuery};
use commerce::files::{self, ImportKind, ImportReport};
use commerce::identity::session::ClientInfo;
use commerce::identity::{self};
use sqlx::PgPool;
use support::Business;

/// A supermarket with two shops (Ikeja GRA and Lekki Phase 1) and the shelves the files name
/// (Beverages › Juice, Snacks), and its manager.
async fn supermarket(owner: &PgPool) -> (Business, Actor) {
    let oja = Business::supermarket(owner).await;
    let beverages = catalog::category::create(&oja.db, &oja.owner, "Beverages", None, None).await.unwrap();
    catalog::category::create(&oja.db, &oja.owner, "Juice", Some(beverages), None).await.unwrap();
    catalog::category::create(&oja.db, &oja.owner, "Snacks", None, None).await.unwrap();
    let manager = oja.member(Role::Manager).await;
    (oja, manager)
}

async fn import(db: &PgPool, actor: &Actor, kind: ImportKind, text: &str, dry_run: bool) -> ImportReport {
    let job = files::begin(db, actor, kind, text, dry_run).await.unwrap();
    files::run(db, actor, job, kind, text, dry_run).await;
    let job = files::job(db, actor, job).await.unwrap();
    assert_eq!(job.status, "done", "{job:?}");
    job.report.unwrap()
}

async fn count_named(db: &PgPool, actor: &Actor, name: &str) -> usize {
    let query = ProductQuery { search: Some(name.into()), ..ProductQuery::default() };
    let page = catalog::product::list(db, actor, &query, None, 50).await.unwrap();
    page.rows.iter().filter(|r| r.name == name).count()
}

const GOOD: &str = "name,sku,price,option1_name,option1_value,category,brand
Zobo Drink,ZOBO-35,400,Size,35cl,Beverages > Juice,Mama Zobo
Zobo Drink,ZOBO-1L,1100,Size,1L,Beverages > Juice,Mama Zobo
Kuli Kuli 200g,KULI-200,800,,,Snacks,
";

#[sqlx::test]
async fn a_file_with_one_bad_row_imports_nothing_and_names_the_line_and_column(owner: PgPool) {
    let (oja, manager) = supermarket(&owner).await;
    let db = oja.db.clone();
    let bad = format!("{GOOD}Tiger Nuts 250g,TIGER-250,lots,,,Snacks,\nSoya Milk,SOYA-1,900,,,Drinks > Nowhere,\n");
    let report = import(&db, &manager, ImportKind::Products, &bad, false).await;
    let named: Vec<(usize, &str)> = report.errors.iter().map(|e| (e.line, e.column.as_str())).collect();
    assert_eq!(named, [(5, "price"), (6, "category")], "{report:?}");
    assert_eq!(count_named(&db, &manager, "Zobo Drink").await, 0, "nothing half imported");

    let preview = import(&db, &manager, ImportKind::Products, GOOD, true).await;
    assert_eq!((preview.created, preview.errors.len()), (2, 0));
    assert_eq!(count_named(&db, &manager, "Zobo Drink").await, 0, "a preview keeps nothing");

    let done = import(&db, &manager, ImportKind::Products, GOOD, false).await;
    assert_eq!((done.rows, done.created, done.updated), (3, 2, 0));
    let again = import(&db, &manager, ImportKind::Products, &GOOD.replace(",400,", ",450,"), false).await;
    assert_eq!((again.created, again.updated), (0, 2), "the same SKUs update their products");
    assert_eq!(count_named(&db, &manager, "Zobo Drink").await, 1);
}

#[sqlx::test]
async fn stock_levels_are_set_from_a_file_and_exports_import_back(owner: PgPool) {
    let (oja, manager) = supermarket(&owner).await;
    let db = oja.db.clone();
    import(&db, &manager, ImportKind::Products, GOOD, false).await;
    let stock =
        "sku,location,on_hand,reorder_point\nzobo-35,Lekki Phase 1,48,10\nZOBO-1L,Nowhere,5,\nKULI-200,Ikeja GRA,-3,\n";
    let report = import(&db, &manager, ImportKind::Stock, stock, false).await;
    let named: Vec<(usize, &str)> = report.errors.iter().map(|e| (e.line, e.column.as_str())).collect();
    assert_eq!(named, [(3, "location"), (4, "on_hand")]);
    let fixed = "sku,location,on_hand,reorder_point\nzobo-35,Lekki Phase 1,48,10\nZOBO-1L,Ikeja GRA,5,\n";
    let report = import(&db, &manager, ImportKind::Stock, fixed, false).await;
    assert_eq!((report.created, report.errors.len()), (2, 0));
    let wrong = commerce::inventory::levels::ledger_discrepancies(&db, &manager).await.unwrap();
    assert!(wrong.is_empty(), "{wrong:?}");

    let products = files::export_products(&db, &manager).await.unwrap();
    assert!(products.starts_with("name,sku,barcode,price"));
    assert!(products.contains("Zobo Drink,ZOBO-35,,400.00,,,Size,35cl"), "{}", &products[..300]);
    let back = import(&db, &manager, ImportKind::Products, &products, true).await;
    assert_eq!((back.created, back.errors.len()), (0, 0), "{:?}", back.errors.first());
    let levels = files::export_stock(&db, &manager).await.unwrap();
    assert!(levels.contains("ZOBO-35,Lekki Phase 1,48,10,"), "{levels}");
}

#[sqlx::test]
async fn a_cancelled_import_keeps_nothing(owner: PgPool) {
    let (oja, manager) = supermarket(&owner).await;
    let db = oja.db.clone();
    let rows: Vec<String> = (0..600).map(|i| format!("Ofada Rice {i},OFADA-{i},{}", 1000 + i)).collect();
    let big = format!("name,sku,price\n{}\n", rows.join("\n"));
    let job = files::begin(&db, &manager, ImportKind::Products, &big, false).await.unwrap();
    files::cancel(&db, &manager, job).await.unwrap();
    files::run(&db, &manager, job, ImportKind::Products, &big, false).await;
    let state = files::job(&db, &manager, job).await.unwrap();
    assert_eq!(state.status, "cancelled");
    assert_eq!(count_named(&db, &manager, "Ofada Rice 1").await, 0);
    let cashier = support::sign_in(&db, support::email_of(&oja.member(Role::Cashier).await)).await;
    let cashier_job = files::begin(&db, &cashier, ImportKind::Products, GOOD, false).await;
    assert!(matches!(cashier_job, Err(commerce::Error::Forbidden(_))));
}

/// Every product of the business as the editor reads it, less what any change moves on.
async fn catalog_state(db: &PgPool, actor: &Actor) -> Vec<serde_json::Value> {
    let mut products = Vec::new();
    let mut after = None;
    loop {
        let page = catalog::product::list(db, actor, &ProductQuery::default(), after, 500).await.unwrap();
        for row in &page.rows {
            let product = catalog::product::get(db, actor, row.id).await.unwrap();
            let mut value = serde_json::to_value(&product).unwrap();
            let fields = value.as_object_mut().unwrap();
            fields.remove("updated_at");
            fields.remove("revision");
            products.push(value);
        }
        match page.next {
            Some(next) => after = Some(next),
            None => break products,
        }
    }
}

#[sqlx::test]
async fn an_export_imported_back_leaves_every_field_of_every_product_as_it_was(owner: PgPool) {
    // The demo's marketplace, on purpose: a whole catalog with vendors, options, barcodes and
    // pictures, as people fill it in, is what the round trip must keep.
    commerce::demo::load(&owner).await.expect("demo data");
    let db = commerce::db::pool_as_role(&owner, "commerce_app").await.unwrap();
    let client = ClientInfo { user_agent: "test".into(), ip: "10.0.0.1".into() };
    let boss = identity::log_in(&db, "owner@gadgetmarket.ng", commerce::demo::PASSWORD, &client).await.unwrap().actor;
    // The marketplace's products have vendors; give one dimensions, a barcode and a cost finer
    // than a kobo (as a weighted average of receipts is).
    let page = catalog::product::list(&db, &boss, &ProductQuery::default(), None, 1).await.unwrap();
    let product = catalog::product::get(&db, &boss, page.rows[0].id).await.unwrap();
    assert!(product.vendor.is_some(), "the demo marketplace's products have vendors");
    let mut edit = catalog::ProductInput {
        name: product.name.clone(),
        description: product.description.clone(),
        brand: product.brand.clone(),
        category: product.category,
        status: product.status,
        tax_class: product.tax_class,
        options: product.options.clone(),
        variants: Vec::new(),
        vendor: catalog::Keep::Unchanged,
        featured: catalog::Keep::Unchanged,
    };
    for v in &product.variants {
        edit.variants.push(catalog::VariantInput {
            cost: Some("12345.6789".parse().unwrap()),
            weight_grams: Some(180),
            dimensions_mm: Some([150, 75, 9]),
            ..v.as_input()
        });
    }
    catalog::product::update(&db, &boss, product.id, edit, Some(product.revision), None).await.unwrap();
    let before = catalog_state(&db, &boss).await;
    assert!(before.len() > 20, "a whole catalog is compared");

    let file = files::export_products(&db, &boss).await.unwrap();
    let report = import(&db, &boss, ImportKind::Products, &file, false).await;
    assert_eq!((report.created, report.errors.len()), (0, 0), "{:?}", report.errors.first());
    let after = catalog_state(&db, &boss).await;
    assert_eq!(before.len(), after.len());
    for (was, now) in before.iter().zip(&after) {
        assert_eq!(was, now, "an export imported back changes nothing");
    }

    // A file of a few columns changes those, and leaves every field it does not name alone.
    let sku = product.variants[0].sku.clone();
    let prices = format!("name,sku,price\n{},{sku},99000\n", product.name);
    let report = import(&db, &boss, ImportKind::Products, &prices, false).await;
    assert_eq!((report.updated, report.errors.len()), (1, 0), "{:?}", report.errors.first());
    let changed = catalog::product::get(&db, &boss, product.id).await.unwrap();
    let variant = &changed.variants[0];
    assert_eq!(variant.price, commerce::Money::ngn("99000".parse().unwrap()), "in the business's currency");
    assert_eq!(
        (changed.vendor, &changed.brand, changed.category, changed.status),
        (product.vendor, &product.brand, product.category, product.status)
    );
    assert_eq!(
        (variant.dimensions_mm, variant.weight_grams, variant.cost.map(|m| m.amount), &variant.barcode),
        (Some([150, 75, 9]), Some(180), Some("12345.6789".parse().unwrap()), &product.variants[0].barcode)
    );
}
