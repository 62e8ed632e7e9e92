//! Tenants and locations against a real database (one fresh database per test).

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "a test fails loudly on what it did not expect")]

mod support;

use commerce::Error;
use commerce::identity::{self, LocationKind, TenantMode};
use sqlx::PgPool;
use support::Business;

#[sqlx::test]
async fn demo_data_loads_once(db: PgPool) -> sqlx::Result<()> {
    let first = commerce::demo::load(&db).await;
    assert!(matches!(first.as_deref(), Ok([_, ..])), "first load applies its steps: {first:?}");
    assert_eq!(commerce::demo::load(&db).await, Ok(vec![]), "a second load adds nothing");
    let tenants: i64 = sqlx::query_scalar("SELECT count(*) FROM tenants").fetch_one(&db).await?;
    assert_eq!(tenants, 2);
    Ok(())
}

#[sqlx::test]
async fn the_overview_lists_every_business_with_its_locations(owner: PgPool) {
    let oja = Business::open(&owner, "Oja Fresh Supermarket").await;
    oja.location("Apapa store", "warehouse").await;
    let market = Business::marketplace(&owner, "Naija Gadget Market").await;
    market.price_in("GHS").await;
    let admin = commerce::base::Actor::PlatformAdmin { user: uuid::Uuid::nil(), name: "Platform Operations".into() };
    let overview = identity::platform_overview(&oja.db, &admin).await.unwrap_or_else(|e| panic!("{e}"));
    let names: Vec<_> = overview.tenants.iter().map(|t| (t.name.as_str(), t.mode, t.location_count)).collect();
    assert_eq!(
        names,
        [("Naija Gadget Market", TenantMode::Marketplace, 1), ("Oja Fresh Supermarket", TenantMode::SingleVendor, 2)]
    );
    assert_eq!(overview.location_count, 3);
    assert_eq!(overview.marketplaces().count(), 1);
    let (market, shop) = (&overview.tenants[0], &overview.tenants[1]);
    assert_eq!(
        (shop.currency.code(), shop.vat_rate.to_string().as_str(), shop.time_zone.as_str()),
        ("NGN", "7.5000", "Africa/Lagos"),
        "a new business trades in naira, with Nigeria's VAT and time"
    );
    assert_eq!(market.currency.code(), "GHS");
    let refused = identity::platform_overview(&oja.db, &oja.owner).await;
    assert!(matches!(refused, Err(Error::Forbidden(_))), "an owner sees their own business alone: {refused:?}");
}

#[sqlx::test]
async fn a_storefront_shows_the_shops_but_not_the_warehouses(owner: PgPool) {
    let oja = Business::open(&owner, "Oja Fresh Supermarket").await;
    oja.location("Apapa store", "warehouse").await;
    oja.location("Lekki Phase 1", "shop").await;
    let store = identity::storefront(&oja.db, &oja.slug).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(store.tenant.name, "Oja Fresh Supermarket");
    let shops: Vec<_> = store.shops.iter().map(|s| (s.name.as_str(), s.kind)).collect();
    assert_eq!(shops, [("Lekki Phase 1", LocationKind::Shop), ("Main shop", LocationKind::Shop)]);

    let market = Business::marketplace(&owner, "Naija Gadget Market").await;
    let main = market.main;
    sqlx::query("UPDATE locations SET kind = 'warehouse' WHERE id = $1").bind(main.0).execute(&owner).await.unwrap();
    let market = identity::storefront(&oja.db, &market.slug).await.unwrap_or_else(|e| panic!("{e}"));
    assert!(market.shops.is_empty(), "a marketplace with only a warehouse shows no shop");
}

#[sqlx::test]
async fn unknown_and_suspended_storefronts_are_not_found(owner: PgPool) -> sqlx::Result<()> {
    let oja = Business::open(&owner, "Oja Fresh Supermarket").await;
    assert!(identity::storefront(&oja.db, &oja.slug).await.is_ok());
    assert!(matches!(identity::storefront(&oja.db, "nope").await, Err(Error::NotFound(_))));
    sqlx::query("UPDATE tenants SET status = 'suspended' WHERE id = $1").bind(oja.tenant.0).execute(&owner).await?;
    assert!(matches!(identity::storefront(&oja.db, &oja.slug).await, Err(Error::NotFound(_))));
    Ok(())
}
