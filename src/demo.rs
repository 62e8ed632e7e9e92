//! The demo data: believable businesses so that every page has something real to show.
//!
//! Loading is a list of named steps, each applied once in its own transaction and recorded in
//! `demo_data_steps`, so running `seed` again adds nothing twice and later steps can be appended.

use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use crate::Error;
use crate::media::MediaStore;

mod catalog;
pub mod history;
mod pictures;

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

/// The password of every demo account.
pub const PASSWORD: &str = "naija-demo-2026";

/// A demo account: what it shows, and how to sign in.
pub struct DemoLogin {
    /// Who it is ("Owner, Oja Fresh Supermarket").
    pub who: &'static str,
    /// Its email address.
    pub email: &'static str,
}

/// Every demo account, one for each role.
pub const LOGINS: &[DemoLogin] = &[
    DemoLogin { who: "Owner, Oja Fresh Supermarket", email: "owner@ojafresh.ng" },
    DemoLogin { who: "Manager, Oja Fresh Supermarket", email: "manager@ojafresh.ng" },
    DemoLogin { who: "Accountant, Oja Fresh Supermarket", email: "accounts@ojafresh.ng" },
    DemoLogin { who: "Cashier, Oja Fresh Supermarket", email: "cashier@ojafresh.ng" },
    DemoLogin { who: "Owner, Naija Gadget Market", email: "owner@gadgetmarket.ng" },
    DemoLogin { who: "Vendor staff, Slot Phones Hub", email: "vendor@gadgetmarket.ng" },
    DemoLogin { who: "Vendor owner, Ikeja Accessories Plaza", email: "accessories@gadgetmarket.ng" },
    DemoLogin { who: "Platform admin", email: "admin@sc1.ng" },
];

/// The demo accounts present in this database (none when the demo data was never loaded).
pub async fn existing_logins(db: &PgPool) -> Result<Vec<&'static DemoLogin>, Error> {
    let emails: Vec<String> = LOGINS.iter().map(|l| l.email.to_owned()).collect();
    let present = sqlx::query_scalar!("SELECT email FROM users WHERE email = ANY($1)", &emails).fetch_all(db).await?;
    Ok(LOGINS.iter().filter(|l| present.iter().any(|p| p == l.email)).collect())
}

/// The steps in the order they are applied; append new ones, never rename or reorder.
const STEPS: &[&str] = &[
    "2026-11-25 tenants and locations",
    "2026-11-25 people",
    "2026-11-25 catalog and stock",
    "2026-12-02 product pictures",
    "2026-12-03 demo stores listed",
    "2026-12-06 selling online",
    "2026-12-09 till PINs",
    "2026-12-10 two years of sales",
    "2026-12-12 marketplace vendors",
    "2026-12-13 a second vendor's login",
];

/// Steps that keep files, applied only when a media store is given.
const NEEDS_MEDIA: &[&str] = &["2026-12-02 product pictures"];

async fn apply(step: &str, c: &mut PgConnection, media: Option<&dyn MediaStore>) -> Result<(), Error> {
    match step {
        "2026-12-02 product pictures" => match media {
            Some(media) => pictures::load(c, media).await,
            None => Ok(()),
        },
        "2026-11-25 tenants and locations" => Ok(tenants_and_locations(c).await?),
        "2026-11-25 people" => people(c).await,
        "2026-11-25 catalog and stock" => catalog::load(c).await,
        "2026-12-03 demo stores listed" => Ok(list_demo_stores(c).await?),
        "2026-12-06 selling online" => Ok(sell_online(c).await?),
        "2026-12-09 till PINs" => Ok(till_pins(c).await?),
        "2026-12-10 two years of sales" => two_years_of_sales(c).await,
        "2026-12-12 marketplace vendors" => Ok(marketplace_vendors(c).await?),
        "2026-12-13 a second vendor's login" => second_vendor_login(c).await,
        _ => Ok(()),
    }
}

/// Applies every demo step not yet applied; returns the names of those it applied now.
pub async fn load(db: &PgPool) -> Result<Vec<&'static str>, Error> {
    load_with(db, None).await
}

/// [`load`], with the demo's product pictures kept in `media` when one is given (without one
/// that step waits for a later load that has one).
pub async fn load_with(db: &PgPool, media: Option<&dyn MediaStore>) -> Result<Vec<&'static str>, Error> {
    let mut applied = Vec::new();
    for name in STEPS {
        if media.is_none() && NEEDS_MEDIA.contains(name) {
            continue;
        }
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
        apply(name, &mut tx, media).await?;
        sqlx::query!("INSERT INTO demo_data_steps (name) VALUES ($1)", name).execute(&mut *tx).await?;
        tx.commit().await?;
        tracing::info!(step = name, "demo data loaded");
        applied.push(*name);
    }
    Ok(applied)
}

/// Two years of orders for each demo business that has shops (about three a day, among a few
/// hundred customers), so that the dashboard has a past to compare with.
async fn two_years_of_sales(c: &mut PgConnection) -> Result<(), Error> {
    let businesses: Vec<Uuid> = sqlx::query_scalar(
        "SELECT t.id FROM tenants t
          WHERE t.slug = ANY($1) AND EXISTS (SELECT 1 FROM locations l WHERE l.tenant_id = t.id AND l.kind = 'shop')
          ORDER BY t.slug",
    )
    .bind([SHOP.slug, MARKETPLACE.slug])
    .fetch_all(&mut *c)
    .await?;
    for tenant in businesses {
        history::add(c, tenant, 2_400, 300).await?;
    }
    Ok(())
}

/// The PINs the supermarket's people sign in at a till with (README lists them).
pub const TILL_PINS: [(&str, &str); 3] =
    [("owner@ojafresh.ng", "1470"), ("manager@ojafresh.ng", "2468"), ("cashier@ojafresh.ng", "2580")];

/// Gives the supermarket's owner, manager and cashier their till PINs.
async fn till_pins(c: &mut PgConnection) -> Result<(), sqlx::Error> {
    for (email, pin) in TILL_PINS {
        let mut salt = [0u8; 16];
        getrandom::fill(&mut salt).map_err(|e| sqlx::Error::Protocol(e.to_string()))?;
        let hash = crate::pos::pin::derive(pin.as_bytes(), &salt, crate::pos::pin::ITERATIONS);
        sqlx::query!(
            "UPDATE memberships SET pin_salt = $2, pin_iterations = $3, pin_hash = $4, pin_set_at = now()
              WHERE user_id = (SELECT id FROM users WHERE email = $1)",
            email,
            &salt[..],
            i32::try_from(crate::pos::pin::ITERATIONS).unwrap_or(i32::MAX),
            &hash[..]
        )
        .execute(&mut *c)
        .await?;
    }
    Ok(())
}

/// The marketplace's vendors as they applied: contacts, what they sell, their registration; the
/// demo's vendor staff member owns Slot Phones Hub; and one seller's application waits for review.
async fn marketplace_vendors(c: &mut PgConnection) -> Result<(), sqlx::Error> {
    // Name, contact, email, mobile, what it sells, CAC number.
    type Seller = (&'static str, &'static str, &'static str, &'static str, &'static str, &'static str);
    const SELLERS: [Seller; 4] = [
        (
            "Slot Phones Hub",
            "Bola Adeyemi",
            "vendor@gadgetmarket.ng",
            "+2348031110001",
            "New and UK-used phones with a six-month warranty.",
            "RC1450023",
        ),
        (
            "Ikeja Accessories Plaza",
            "Chinedu Eze",
            "sales@ikejaaccessories.ng",
            "+2348052220002",
            "Chargers, cases, earpieces and power banks, tested before they ship.",
            "BN2876541",
        ),
        (
            "Otigba Laptops & Repairs",
            "Funmi Balogun",
            "hello@otigbalaptops.ng",
            "+2348093330003",
            "Laptops new and refurbished, and repairs done in the Village.",
            "RC1988342",
        ),
        (
            "Lagos Gadget Outlet",
            "Musa Ibrahim",
            "orders@lagosgadget.ng",
            "+2347064440004",
            "Smart watches, speakers and home gadgets at outlet prices.",
            "BN3104477",
        ),
    ];
    let market =
        sqlx::query_scalar!("SELECT id FROM tenants WHERE slug = $1", MARKETPLACE.slug).fetch_one(&mut *c).await?;
    for (name, contact, email, phone, description, cac) in SELLERS {
        sqlx::query!(
            "UPDATE vendors SET contact_name = $3, email = $4, phone = $5, city = 'Ikeja', state = 'Lagos',
                                address = 'Computer Village, Otigba Street', description = $6, cac_number = $7
              WHERE tenant_id = $1 AND name = $2",
            market,
            name,
            contact,
            email,
            phone,
            description,
            cac
        )
        .execute(&mut *c)
        .await?;
    }
    sqlx::query!(
        "INSERT INTO vendor_events (tenant_id, id, vendor_id, at, who, by_operator, from_status, to_status, note)
         SELECT tenant_id, gen_random_uuid(), id, created_at, 'Chidi Nwosu', true, 'applied', 'approved', ''
           FROM vendors WHERE tenant_id = $1",
        market
    )
    .execute(&mut *c)
    .await?;
    sqlx::query!(
        "UPDATE memberships SET vendor_owner = true
          WHERE tenant_id = $1 AND user_id = (SELECT id FROM users WHERE email = 'vendor@gadgetmarket.ng')",
        market
    )
    .execute(&mut *c)
    .await?;
    let waiting = Uuid::now_v7();
    sqlx::query!(
        "INSERT INTO vendors (tenant_id, id, name, slug, status, contact_name, email, phone, address, city, state,
                              description, cac_number)
         VALUES ($1, $2, 'Alaba Sound Systems', 'alaba-sound-systems', 'applied', 'Emeka Obi', 'emeka@alabasound.ng',
                 '+2348035550101', 'Alaba International Market, Line 4', 'Ojo', 'Lagos',
                 'Speakers, amplifiers and home theatre systems.', 'BN2345678')",
        market,
        waiting
    )
    .execute(&mut *c)
    .await?;
    sqlx::query!(
        "INSERT INTO vendor_events (tenant_id, id, vendor_id, who, by_operator, to_status, note)
         VALUES ($1, $2, $3, 'Emeka Obi', false, 'applied', 'Applied.')",
        market,
        Uuid::now_v7(),
        waiting
    )
    .execute(&mut *c)
    .await?;
    Ok(())
}

/// Shows the demo businesses on the start page: a business is listed only when it chooses to be.
async fn list_demo_stores(c: &mut PgConnection) -> Result<(), sqlx::Error> {
    let slugs = [SHOP.slug.to_owned(), MARKETPLACE.slug.to_owned()];
    sqlx::query!("UPDATE tenants SET listed = true WHERE slug = ANY($1)", &slugs).execute(&mut *c).await?;
    Ok(())
}

/// The demo businesses take orders online: delivery across Lagos and to its neighbours and
/// Abuja, transfers to a bank account, and the test gateway (approve or decline, no money moves).
async fn sell_online(c: &mut PgConnection) -> Result<(), sqlx::Error> {
    // Name, states, rate, free from, how long.
    type Zone = (&'static str, &'static [&'static str], i64, Option<i64>, &'static str);
    let zones: [Zone; 3] = [
        ("Lagos", &["Lagos"], 1500, Some(50_000), "same or next day"),
        ("South West", &["Ogun", "Oyo", "Osun", "Ondo", "Ekiti"], 3500, Some(150_000), "2–3 days"),
        ("Abuja and the North", &["FCT", "Kaduna", "Kano", "Niger", "Plateau", "Nasarawa"], 5000, None, "3–5 days"),
    ];
    for (slug, bank, account, name) in [
        (SHOP.slug, "GTBank", "0123456789", "Oja Fresh Supermarket Ltd"),
        (MARKETPLACE.slug, "Access Bank", "0987654321", "Gadget Market Ltd"),
    ] {
        let tenant = sqlx::query_scalar!("SELECT id FROM tenants WHERE slug = $1", slug).fetch_one(&mut *c).await?;
        sqlx::query!(
            "UPDATE tenants SET bank_name = $2, bank_account_number = $3, bank_account_name = $4, test_gateway = true
              WHERE id = $1",
            tenant,
            bank,
            account,
            name
        )
        .execute(&mut *c)
        .await?;
        for (zone, states, rate, free, days) in zones {
            let states: Vec<String> = states.iter().map(|s| (*s).to_owned()).collect();
            sqlx::query!(
                "INSERT INTO delivery_zones (tenant_id, id, name, states, rate, free_above, days)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
                tenant,
                uuid::Uuid::now_v7(),
                zone,
                &states,
                rust_decimal::Decimal::from(rate),
                free.map(rust_decimal::Decimal::from),
                days
            )
            .execute(&mut *c)
            .await?;
        }
    }
    Ok(())
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

/// A demo person: name, email, membership (business, role) and vendor; no membership makes a
/// platform admin.
type Person<'a> = (&'a str, &'a str, Option<(Uuid, &'a str)>, Option<Uuid>);

/// Staff for every role, vendors of the marketplace, a platform admin and a shopper.
/// Ikeja Accessories Plaza's owner signs in too, so that an order split between two vendors can
/// be worked by each of them.
async fn second_vendor_login(c: &mut PgConnection) -> Result<(), Error> {
    let hash = crate::identity::password::hash(PASSWORD.to_owned()).await?;
    let user = Uuid::now_v7();
    sqlx::query!(
        "INSERT INTO users (id, email, name, password_hash) VALUES ($1, 'accessories@gadgetmarket.ng', 'Chinedu Eze', $2)",
        user,
        hash
    )
    .execute(&mut *c)
    .await?;
    sqlx::query!(
        "INSERT INTO memberships (tenant_id, user_id, role, vendor_id, vendor_owner)
         SELECT v.tenant_id, $1, 'vendor', v.id, true
           FROM vendors v JOIN tenants t ON t.id = v.tenant_id
          WHERE t.slug = $2 AND v.name = 'Ikeja Accessories Plaza'",
        user,
        MARKETPLACE.slug
    )
    .execute(&mut *c)
    .await?;
    Ok(())
}

async fn people(c: &mut PgConnection) -> Result<(), Error> {
    let hash = crate::identity::password::hash(PASSWORD.to_owned()).await?;
    let tenant = |slug: &'static str| sqlx::query_scalar!("SELECT id FROM tenants WHERE slug = $1", slug);
    let shop = tenant(SHOP.slug).fetch_one(&mut *c).await?;
    let market = tenant(MARKETPLACE.slug).fetch_one(&mut *c).await?;
    let mut vendor_ids = Vec::new();
    for name in ["Slot Phones Hub", "Ikeja Accessories Plaza", "Otigba Laptops & Repairs", "Lagos Gadget Outlet"] {
        let id = Uuid::now_v7();
        let slug = crate::identity::web_address_from(name);
        sqlx::query!(
            "INSERT INTO vendors (tenant_id, id, name, slug, status) VALUES ($1, $2, $3, $4, 'approved')",
            market,
            id,
            name,
            slug
        )
        .execute(&mut *c)
        .await?;
        vendor_ids.push(id);
    }
    let people: [Person; 7] = [
        ("Nkechi Okafor", "owner@ojafresh.ng", Some((shop, "owner")), None),
        ("Tunde Bakare", "manager@ojafresh.ng", Some((shop, "manager")), None),
        ("Amaka Eze", "accounts@ojafresh.ng", Some((shop, "accountant")), None),
        ("Musa Ibrahim", "cashier@ojafresh.ng", Some((shop, "cashier")), None),
        ("Chidi Nwosu", "owner@gadgetmarket.ng", Some((market, "owner")), None),
        ("Bola Adeyemi", "vendor@gadgetmarket.ng", Some((market, "vendor")), vendor_ids.first().copied()),
        ("Platform Operations", "admin@sc1.ng", None, None),
    ];
    for (name, email, membership, vendor) in people {
        let user = Uuid::now_v7();
        sqlx::query!(
            "INSERT INTO users (id, email, name, password_hash, is_platform_admin) VALUES ($1, $2, $3, $4, $5)",
            user,
            email,
            name,
            hash,
            membership.is_none()
        )
        .execute(&mut *c)
        .await?;
        if let Some((tenant, role)) = membership {
            sqlx::query!(
                "INSERT INTO memberships (tenant_id, user_id, role, vendor_id) VALUES ($1, $2, $3, $4)",
                tenant,
                user,
                role,
                vendor
            )
            .execute(&mut *c)
            .await?;
        }
    }
    sqlx::query!(
        "INSERT INTO shoppers (tenant_id, id, email, name, phone, password_hash)
         VALUES ($1, $2, 'shopper@example.ng', 'Funmi Adebayo', '+234 802 555 0123', $3)",
        shop,
        Uuid::now_v7(),
        hash
    )
    .execute(&mut *c)
    .await?;
    Ok(())
}
