//! Tenants and locations against a real database (one fresh database per test).

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "a test fails loudly on what it did not expect")]

use commerce::Error;
use commerce::identity::{self, LocationKind, TenantMode};
use sqlx::PgPool;

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
async fn the_overview_lists_every_business_with_its_locations(db: PgPool) {
    commerce::demo::load(&db).await.ok();
    let admin = commerce::base::Actor::PlatformAdmin { user: uuid::Uuid::nil(), name: "Platform Operations".into() };
    let overview = identity::platform_overview(&db, &admin).await.unwrap_or_else(|e| panic!("{e}"));
    let names: Vec<_> = overview.tenants.iter().map(|t| (t.name.as_str(), t.mode, t.location_count)).collect();
    assert_eq!(
        names,
        [("Naija Gadget Market", TenantMode::Marketplace, 1), ("Oja Fresh Supermarket", TenantMode::SingleVendor, 2)]
    );
    assert_eq!(overview.location_count, 3);
    assert_eq!(overview.marketplaces().count(), 1);
    let shop = &overview.tenants[1];
    assert_eq!(
        (shop.currency.code(), shop.vat_rate.to_string().as_str(), shop.time_zone.as_str()),
        ("NGN", "7.5000", "Africa/Lagos")
    );
}

#[sqlx::test]
async fn a_storefront_shows_the_shops_but_not_the_warehouses(db: PgPool) {
    commerce::demo::load(&db).await.ok();
    let store = identity::storefront(&db, "ojafresh").await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(store.tenant.name, "Oja Fresh Supermarket");
    let shops: Vec<_> = store.shops.iter().map(|s| (s.name.as_str(), s.kind)).collect();
    assert_eq!(shops, [("Ikeja GRA", LocationKind::Shop), ("Lekki Phase 1", LocationKind::Shop)]);

    let market = identity::storefront(&db, "gadgetmarket").await.unwrap_or_else(|e| panic!("{e}"));
    assert!(market.shops.is_empty(), "the marketplace has only a warehouse");
}

#[sqlx::test]
async fn unknown_and_suspended_storefronts_are_not_found(db: PgPool) -> sqlx::Result<()> {
    commerce::demo::load(&db).await.ok();
    assert!(matches!(identity::storefront(&db, "nope").await, Err(Error::NotFound(_))));
    sqlx::query("UPDATE tenants SET status = 'suspended' WHERE slug = 'ojafresh'").execute(&db).await?;
    assert!(matches!(identity::storefront(&db, "ojafresh").await, Err(Error::NotFound(_))));
    Ok(())
}
