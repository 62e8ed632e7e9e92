//! Builders of test data: a business of the test's own, with its owner and first shop, then the
//! staff, locations, products and stock the test asks for, each in a few statements. A test
//! says what it needs instead of loading the whole demo (and depending on what the demo holds).
//! The domain's tests use it as `mod support;`, the server's through `#[path]`.

#![allow(dead_code, reason = "each test file uses its own part of the builders")]

use std::sync::OnceLock;

use commerce::base::{Actor, LocationId, Role, Shops, StaffMember, TenantId, VendorId};
use commerce::catalog::{self, Product, ProductInput, ProductStatus, VariantId, VariantInput};
use commerce::identity::session::ClientInfo;
use commerce::inventory::{Line, ReceiptInput, levels, stock};
use rust_decimal::Decimal;
use sqlx::PgPool;
use uuid::Uuid;

/// The role the application connects as; row-level security binds it.
pub const APP_ROLE: &str = "commerce_app";
/// Everyone a builder makes signs in with this.
pub const PASSWORD: &str = "a-test-password-of-some-length";

/// One business: its pool (acting as the application), its owner, and its first shop.
pub struct Business {
    /// Connections acting as the application's role.
    pub db: PgPool,
    /// The business.
    pub tenant: TenantId,
    /// Its trading name.
    pub name: String,
    /// Its address on the platform, which its people's emails end with.
    pub slug: String,
    /// Its owner.
    pub owner: Actor,
    /// Its first shop, "Main shop".
    pub main: LocationId,
    /// The database's owner, for the builders' own writes.
    pub admin: PgPool,
}

/// The password's hash, worked out once per test binary (hashing is slow on purpose).
async fn password_hash() -> String {
    static HASH: OnceLock<String> = OnceLock::new();
    if let Some(hash) = HASH.get() {
        return hash.clone();
    }
    let hash = commerce::identity::password::hash(PASSWORD.to_owned()).await.expect("a password hash");
    HASH.get_or_init(|| hash).clone()
}

impl Business {
    /// A new single-vendor business named `name`, with an owner and one shop.
    pub async fn open(admin: &PgPool, name: &str) -> Self {
        Self::open_as(admin, name, "svm").await
    }

    /// Oja Fresh Supermarket: a single-vendor business with two shops, Ikeja GRA (its first,
    /// [`Business::main`]) and Lekki Phase 1.
    pub async fn supermarket(admin: &PgPool) -> Self {
        let oja = Self::open(admin, "Oja Fresh Supermarket").await;
        sqlx::query("UPDATE locations SET name = 'Ikeja GRA' WHERE tenant_id = $1 AND id = $2")
            .bind(oja.tenant.0)
            .bind(oja.main.0)
            .execute(admin)
            .await
            .expect("its first shop named");
        oja.location("Lekki Phase 1", "shop").await;
        oja
    }

    /// A new marketplace named `name`, with an owner and one shop.
    pub async fn marketplace(admin: &PgPool, name: &str) -> Self {
        Self::open_as(admin, name, "mvm").await
    }

    async fn open_as(admin: &PgPool, name: &str, mode: &str) -> Self {
        let tenant = TenantId(Uuid::now_v7());
        let stem: String = name.to_lowercase().chars().filter(char::is_ascii_alphanumeric).take(20).collect();
        let slug = format!("{stem}-{}", &tenant.0.simple().to_string()[24..]);
        sqlx::query("INSERT INTO tenants (id, slug, name, mode) VALUES ($1, $2, $3, $4)")
            .bind(tenant.0)
            .bind(&slug)
            .bind(name)
            .bind(mode)
            .execute(admin)
            .await
            .expect("a business");
        let main = LocationId(Uuid::now_v7());
        sqlx::query("INSERT INTO locations (tenant_id, id, name, kind) VALUES ($1, $2, 'Main shop', 'shop')")
            .bind(tenant.0)
            .bind(main.0)
            .execute(admin)
            .await
            .expect("its first shop");
        let db = commerce::db::pool_as_role(admin, APP_ROLE).await.expect("an application pool");
        let mut business = Self {
            db,
            tenant,
            name: name.to_owned(),
            slug,
            owner: Actor::PlatformAdmin { user: Uuid::nil(), name: String::new() },
            main,
            admin: admin.clone(),
        };
        business.owner = business.member(Role::Owner).await;
        business
    }

    /// Prices in another currency from now on (ISO code: `GHS`, `KES`, …).
    pub async fn price_in(&self, code: &str) {
        sqlx::query("UPDATE tenants SET currency = $2 WHERE id = $1")
            .bind(self.tenant.0)
            .bind(code)
            .execute(&self.admin)
            .await
            .expect("a currency");
    }

    /// A new member of staff with this role, signed in as far as the domain is concerned (the
    /// actor a session would yield). Their email is `<role>.<n>@<slug>.test`, for [`sign_in`].
    pub async fn member(&self, role: Role) -> Actor {
        let user = Uuid::now_v7();
        let vendor = if role == Role::Vendor {
            Some(self.vendor(&format!("Vendor {}", &user.simple().to_string()[24..])).await)
        } else {
            None
        };
        let email = format!("{}.{}@{}.test", role.code(), &user.simple().to_string()[24..], self.slug);
        let name = format!("{} of {}", role.label(), self.name);
        sqlx::query("INSERT INTO users (id, email, name, password_hash) VALUES ($1, $2, $3, $4)")
            .bind(user)
            .bind(&email)
            .bind(&name)
            .bind(password_hash().await)
            .execute(&self.admin)
            .await
            .expect("a person");
        sqlx::query("INSERT INTO memberships (tenant_id, user_id, role, vendor_id) VALUES ($1, $2, $3, $4)")
            .bind(self.tenant.0)
            .bind(user)
            .bind(role.code())
            .bind(vendor.map(|v| v.0))
            .execute(&self.admin)
            .await
            .expect("a membership");
        // As a session finds them: vendor staff reach their vendor's own place alone.
        let shops = match vendor {
            Some(vendor) => Shops::Only(vec![self.place_of(vendor).await]),
            None => Shops::All,
        };
        Actor::Staff(StaffMember {
            user,
            name,
            email,
            tenant: self.tenant,
            tenant_name: self.name.clone(),
            role,
            vendor,
            shops,
            platform_admin: false,
            zone: commerce::base::Zone::default(),
        })
    }

    /// A shopper with an account at this business's store, able to sign in there with
    /// [`PASSWORD`]; answers their email.
    pub async fn shopper(&self, name: &str) -> String {
        let id = Uuid::now_v7();
        let email = format!("shopper.{}@{}.test", &id.simple().to_string()[24..], self.slug);
        sqlx::query("INSERT INTO shoppers (tenant_id, id, email, name, password_hash) VALUES ($1, $2, $3, $4, $5)")
            .bind(self.tenant.0)
            .bind(id)
            .bind(&email)
            .bind(name)
            .bind(password_hash().await)
            .execute(&self.admin)
            .await
            .expect("a shopper");
        email
    }

    /// A new member of staff with this role (see [`Business::member`]); answers their email,
    /// for a test that signs them in through a form.
    pub async fn someone(&self, role: Role) -> String {
        email_of(&self.member(role).await).to_owned()
    }

    /// A vendor of the marketplace.
    pub async fn vendor(&self, name: &str) -> VendorId {
        let id = VendorId(Uuid::now_v7());
        let slug = format!("{}-{}", commerce::identity::web_address_from(name), &id.0.simple().to_string()[24..]);
        sqlx::query(
            "INSERT INTO vendors (tenant_id, id, name, slug, status, email) VALUES ($1, $2, $3, $4, 'approved', $5)",
        )
        .bind(self.tenant.0)
        .bind(id.0)
        .bind(name)
        .bind(&slug)
        .bind(format!("{slug}@vendors.test"))
        .execute(&self.admin)
        .await
        .expect("a vendor");
        id
    }

    /// A vendor's own location, made with it.
    pub async fn place_of(&self, vendor: VendorId) -> LocationId {
        let id: Uuid = sqlx::query_scalar("SELECT id FROM locations WHERE tenant_id = $1 AND vendor_id = $2")
            .bind(self.tenant.0)
            .bind(vendor.0)
            .fetch_one(&self.admin)
            .await
            .expect("the vendor's place");
        LocationId(id)
    }

    /// Another location: `kind` is `shop` or `warehouse`.
    pub async fn location(&self, name: &str, kind: &str) -> LocationId {
        let new = commerce::identity::NewLocation { name: name.into(), kind: kind.into(), ..Default::default() };
        commerce::identity::create_location(&self.db, &self.owner, new, None).await.expect("a location").id
    }

    /// A product on sale with one variant, made as its owner would.
    pub async fn product(&self, name: &str, sku: &str, price: i64) -> Product {
        catalog::product::create(&self.db, &self.owner, single(name, sku, price), None).await.expect("a product")
    }

    /// Ready to sell online: delivery to Lagos for ₦1,500 (free from ₦50,000) and to the FCT
    /// for ₦4,000, a bank account for transfers, and the test gateway.
    pub async fn sells_online(&self) {
        for (name, states, rate, free) in
            [("Lagos", vec!["Lagos"], 1500, Some(50_000)), ("Abuja", vec!["FCT"], 4000, None)]
        {
            sqlx::query(
                "INSERT INTO delivery_zones (tenant_id, id, name, states, rate, free_above) VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(self.tenant.0)
            .bind(Uuid::now_v7())
            .bind(name)
            .bind(states)
            .bind(Decimal::from(rate))
            .bind(free.map(Decimal::from))
            .execute(&self.admin)
            .await
            .expect("a delivery zone");
        }
        sqlx::query(
            "UPDATE tenants SET bank_name = 'GTBank', bank_account_number = '0123456789',
                    bank_account_name = $2, test_gateway = true WHERE id = $1",
        )
        .bind(self.tenant.0)
        .bind(&self.name)
        .execute(&self.admin)
        .await
        .expect("ready to sell online");
    }

    /// Someone on the storefront who has not signed in, on a visit of their own.
    pub fn visitor(&self) -> Actor {
        Actor::Visitor { tenant: self.tenant, visit: Uuid::now_v7() }
    }

    /// `units` received at `location`, at ₦100 each, as its owner would book them.
    pub async fn receive(&self, location: LocationId, variant: VariantId, units: i32) {
        receive(&self.db, &self.owner, location, variant, units).await;
    }
}

/// `units` received at `location` by `actor`, at ₦100 each.
pub async fn receive(db: &PgPool, actor: &Actor, location: LocationId, variant: VariantId, units: i32) {
    let input = ReceiptInput {
        location,
        supplier: "Dangote Distributors".into(),
        reference: "DN-1".into(),
        lines: vec![(Line { variant, quantity: units }, Decimal::from(100))],
    };
    stock::receive(db, actor, input, None).await.expect("a receipt");
}

/// A platform administrator, able to sign in with [`PASSWORD`]; answers their email.
pub async fn platform_admin(admin: &PgPool) -> String {
    let user = Uuid::now_v7();
    let email = format!("operations.{}@platform.test", &user.simple().to_string()[24..]);
    sqlx::query(
        "INSERT INTO users (id, email, name, password_hash, is_platform_admin)
         VALUES ($1, $2, 'Platform Operations', $3, true)",
    )
    .bind(user)
    .bind(&email)
    .bind(password_hash().await)
    .execute(admin)
    .await
    .expect("a platform administrator");
    email
}

/// The locations of the actor's business, by name.
pub async fn locations(db: &PgPool, actor: &Actor) -> Vec<LocationId> {
    commerce::identity::list_locations(db, actor, None, false, 10)
        .await
        .expect("locations")
        .into_iter()
        .map(|l| l.id)
        .collect()
}

/// A variant with these option values at this price.
pub fn variant(sku: &str, values: &[&str], price: i64) -> VariantInput {
    VariantInput {
        sku: sku.into(),
        option_values: values.iter().map(|v| (*v).to_owned()).collect(),
        price: Decimal::from(price),
        ..VariantInput::default()
    }
}

/// A product on sale with one variant.
pub fn single(name: &str, sku: &str, price: i64) -> ProductInput {
    ProductInput {
        name: name.into(),
        status: ProductStatus::Active,
        variants: vec![variant(sku, &[], price)],
        ..ProductInput::default()
    }
}

/// Signs a person in with [`PASSWORD`], as the sign-in page does: the actor their session
/// carries (the locations they are bound to included).
pub async fn sign_in(db: &PgPool, email: &str) -> Actor {
    let client = ClientInfo { user_agent: "test".into(), ip: "10.0.0.1".into() };
    commerce::identity::log_in(db, email, PASSWORD, &client).await.expect(email).actor
}

/// Signs a person in with their own password, as the sign-in page does.
pub async fn sign_in_with(db: &PgPool, email: &str, password: &str) -> Actor {
    let client = ClientInfo { user_agent: "test".into(), ip: "10.0.0.2".into() };
    commerce::identity::log_in(db, email, password, &client).await.expect(email).actor
}

/// The email of a member of staff.
pub fn email_of(actor: &Actor) -> &str {
    match actor {
        Actor::Staff(member) => &member.email,
        other => panic!("not staff: {other:?}"),
    }
}

/// The id of a member of staff.
pub fn user_of(actor: &Actor) -> Uuid {
    match actor {
        Actor::Staff(member) => member.user,
        other => panic!("not staff: {other:?}"),
    }
}

/// Every stock test ends here: across every business, on-hand is the sum of the movements and
/// `reserved` the sum of the live holds.
pub async fn stock_adds_up(admin: &PgPool) {
    let (checked, wrong) = levels::stock_breaches(admin).await.expect("the stock check");
    assert!(checked > 0, "levels were checked");
    assert!(wrong.is_empty(), "the stock tables disagree: {wrong:#?}");
}

/// A checkout delivering to Ikeja, paid by `payment`.
pub fn delivery(payment: &str) -> commerce::orders::CheckoutInput {
    commerce::orders::CheckoutInput {
        name: "Ada Obi".into(),
        phone: "0803 123 4567".into(),
        email: "ada@example.com".into(),
        fulfilment: "delivery".into(),
        address: commerce::orders::Address {
            line: "12 Allen Avenue".into(),
            city: "Ikeja".into(),
            lga: "Ikeja".into(),
            state: "Lagos".into(),
        },
        payment: payment.into(),
        ..commerce::orders::CheckoutInput::default()
    }
}
