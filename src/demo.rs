//! The demo data: believable businesses so that every page has something real to show.
//!
//! Loading is a list of named steps, each applied once in its own transaction and recorded in
//! `demo_data_steps`, so running `seed` again adds nothing twice and later steps can be appended.

use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use crate::Error;

/// A demo business as the landing page and `make run` introduce it.
pub struct DemoTenant {
    /// Its storefront's slug.
    pub slug: &'static str,
    /// Its trading name.
    pub name: &'static str,
}

/// The shop with two locations.
pub const SHOP: DemoTenant = DemoTenant { slug: "ojafresh", name: "Oja Fresh Supermarket" };
/// The marketplace with vendors.
pub const MARKETPLACE: DemoTenant = DemoTenant { slug: "gadgetmarket", name: "Naija Gadget Market" };

/// The steps in the order they are applied; append new ones, never rename or reorder.
const STEPS: &[&str] = &["2026-11-25 tenants and locations"];

async fn apply(step: &str, c: &mut PgConnection) -> Result<(), sqlx::Error> {
    match step {
        "2026-11-25 tenants and locations" => tenants_and_locations(c).await,
        _ => Ok(()),
    }
}

/// Applies every demo step not yet applied; returns the names of those it applied now.
pub async fn load(db: &PgPool) -> Result<Vec<&'static str>, Error> {
    let mut applied = Vec::new();
    for name in STEPS {
        let mut tx = db.begin().await?;
        // One loader at a time: a second `seed` waits here, then sees the step done.
        sqlx::query!("LOCK TABLE demo_data_steps IN EXCLUSIVE MODE").execute(&mut *tx).await?;
        let done =
            sqlx::query_scalar!("SELECT EXISTS (SELECT 1 FROM demo_data_steps WHERE name = $1) AS \"done!\"", name)
                .fetch_one(&mut *tx)
                .await?;
        if done {
            continue;
        }
        apply(name, &mut tx).await?;
        sqlx::query!("INSERT INTO demo_data_steps (name) VALUES ($1)", name).execute(&mut *tx).await?;
        tx.commit().await?;
        tracing::info!(step = name, "demo data loaded");
        applied.push(*name);
    }
    Ok(applied)
}

struct DemoLocation {
    name: &'static str,
    kind: &'static str,
    address: &'static str,
    city: &'static str,
    state: &'static str,
    phone: &'static str,
    opening_hours: &'static str,
}

async fn tenants_and_locations(c: &mut PgConnection) -> Result<(), sqlx::Error> {
    insert_tenant(
        c,
        &SHOP,
        "Groceries, provisions and household goods for Lagos families, in store and delivered.",
        "svm",
        &[
            DemoLocation {
                name: "Lekki Phase 1",
                kind: "shop",
                address: "14 Admiralty Way",
                city: "Lekki",
                state: "Lagos",
                phone: "+234 803 555 0141",
                opening_hours: "Mon–Sat 8:00–21:00\nSun 12:00–19:00",
            },
            DemoLocation {
                name: "Ikeja GRA",
                kind: "shop",
                address: "7 Isaac John Street",
                city: "Ikeja",
                state: "Lagos",
                phone: "+234 809 555 0172",
                opening_hours: "Mon–Sat 7:30–21:00\nSun 13:00–19:00",
            },
        ],
    )
    .await?;
    insert_tenant(
        c,
        &MARKETPLACE,
        "Phones, accessories and gadgets from trusted Computer Village sellers, delivered nationwide.",
        "mvm",
        &[DemoLocation {
            name: "Computer Village fulfilment hub",
            kind: "warehouse",
            address: "22 Otigba Street",
            city: "Ikeja",
            state: "Lagos",
            phone: "+234 701 555 0190",
            opening_hours: "Mon–Sat 9:00–18:00",
        }],
    )
    .await
}

async fn insert_tenant(
    c: &mut PgConnection,
    tenant: &DemoTenant,
    tagline: &str,
    mode: &str,
    locations: &[DemoLocation],
) -> Result<(), sqlx::Error> {
    let tenant_id = Uuid::now_v7();
    sqlx::query!(
        "INSERT INTO tenants (id, slug, name, tagline, mode) VALUES ($1, $2, $3, $4, $5)",
        tenant_id,
        tenant.slug,
        tenant.name,
        tagline,
        mode
    )
    .execute(&mut *c)
    .await?;
    for location in locations {
        sqlx::query!(
            "INSERT INTO locations (tenant_id, id, name, kind, address, city, state, phone, opening_hours)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            tenant_id,
            Uuid::now_v7(),
            location.name,
            location.kind,
            location.address,
            location.city,
            location.state,
            location.phone,
            location.opening_hours
        )
        .execute(&mut *c)
        .await?;
    }
    Ok(())
}
