//! Tenants: the businesses on the platform, and the views of them that the surfaces show.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
#[cfg(feature = "server")]
use uuid::Uuid;

use super::Location;
use crate::Currency;
#[cfg(feature = "server")]
use crate::Error;
use crate::base::TenantId;

/// How a tenant sells: its own products, a marketplace of vendors, or both.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TenantMode {
    /// A single-vendor store: the tenant's own products.
    SingleVendor,
    /// A multi-vendor marketplace: products of approved vendors, with commission.
    Marketplace,
    /// Both its own products and a marketplace.
    Both,
}

impl TenantMode {
    /// The value stored in `tenants.mode`.
    pub fn code(self) -> &'static str {
        match self {
            Self::SingleVendor => "svm",
            Self::Marketplace => "mvm",
            Self::Both => "both",
        }
    }

    /// Reads the stored value.
    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "svm" => Some(Self::SingleVendor),
            "mvm" => Some(Self::Marketplace),
            "both" => Some(Self::Both),
            _ => None,
        }
    }

    /// What a person calls it.
    pub fn label(self) -> &'static str {
        match self {
            Self::SingleVendor => "Online store",
            Self::Marketplace => "Marketplace",
            Self::Both => "Store and marketplace",
        }
    }

    /// Whether vendors can sell through this tenant.
    pub fn has_marketplace(self) -> bool {
        matches!(self, Self::Marketplace | Self::Both)
    }
}

/// Whether a tenant may trade.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TenantStatus {
    /// Trading normally.
    Active,
    /// Stopped by the platform; its surfaces are closed.
    Suspended,
}

impl TenantStatus {
    /// Reads the stored value.
    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "active" => Some(Self::Active),
            "suspended" => Some(Self::Suspended),
            _ => None,
        }
    }
}

/// One business as lists and headers show it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TenantSummary {
    /// Its id.
    pub id: TenantId,
    /// The short name in its storefront's address, `/store/{slug}`.
    pub slug: String,
    /// The trading name.
    pub name: String,
    /// One line that says what it sells.
    pub tagline: String,
    /// How it sells.
    pub mode: TenantMode,
    /// Whether it may trade.
    pub status: TenantStatus,
    /// The currency its prices are in.
    pub currency: Currency,
    /// VAT in percent, 7.5 by default.
    pub vat_rate: Decimal,
    /// Whether shelf prices already include VAT.
    pub prices_include_tax: bool,
    /// The IANA time zone its times are shown in.
    pub time_zone: String,
    /// How many shops and warehouses it has.
    pub location_count: i64,
    /// Whether its owner chose to show its storefront on the platform's start page.
    pub listed: bool,
}

/// A storefront on the platform's public start page: only what its business chose to show.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListedStore {
    /// The short name in its storefront's address, `/store/{slug}`.
    pub slug: String,
    /// The trading name.
    pub name: String,
    /// One line that says what it sells.
    pub tagline: String,
    /// How it sells.
    pub mode: TenantMode,
}

/// The platform at a glance: every business and its totals.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlatformOverview {
    /// Every tenant, by name.
    pub tenants: Vec<TenantSummary>,
    /// Shops and warehouses across all tenants.
    pub location_count: i64,
}

impl PlatformOverview {
    /// Tenants that run a marketplace.
    pub fn marketplaces(&self) -> impl Iterator<Item = &TenantSummary> {
        self.tenants.iter().filter(|t| t.mode.has_marketplace())
    }
}

/// What a storefront's shell shows: the business and the shops a shopper can visit.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Storefront {
    /// The business.
    pub tenant: TenantSummary,
    /// Its shops (not warehouses), by name.
    pub shops: Vec<Location>,
    /// The name of the shopper signed in to it, when the page is seen by one (the caller,
    /// who knows the session, says).
    pub shopper: Option<String>,
}

/// The back office's home: the business, its locations and its people.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BusinessHome {
    /// The business.
    pub tenant: TenantSummary,
    /// Its shops and warehouses, by name.
    pub locations: Vec<Location>,
    /// Active members of staff.
    pub staff: i64,
    /// Invitations not yet accepted.
    pub open_invitations: i64,
}

/// The vendor portal's home: which vendor, on which marketplace.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VendorHome {
    /// The vendor's name.
    pub vendor: String,
    /// Its approval status (`approved`, `pending`, `suspended`).
    pub vendor_status: String,
    /// The marketplace it sells through.
    pub marketplace: TenantSummary,
}

#[cfg(feature = "server")]
struct TenantRow {
    id: Uuid,
    slug: String,
    name: String,
    tagline: String,
    mode: String,
    status: String,
    currency: String,
    vat_rate: Decimal,
    prices_include_tax: bool,
    time_zone: String,
    location_count: Option<i64>,
    listed: bool,
}

#[cfg(feature = "server")]
impl TryFrom<TenantRow> for TenantSummary {
    type Error = Error;

    fn try_from(row: TenantRow) -> Result<Self, Error> {
        let corrupt = |what: &str, value: &str| {
            tracing::error!(tenant = %row.id, what, value, "unreadable tenant row");
            Error::Internal
        };
        Ok(Self {
            id: TenantId(row.id),
            mode: TenantMode::from_code(&row.mode).ok_or_else(|| corrupt("mode", &row.mode))?,
            status: TenantStatus::from_code(&row.status).ok_or_else(|| corrupt("status", &row.status))?,
            currency: Currency::from_code(&row.currency).ok_or_else(|| corrupt("currency", &row.currency))?,
            slug: row.slug,
            name: row.name,
            tagline: row.tagline,
            vat_rate: row.vat_rate,
            prices_include_tax: row.prices_include_tax,
            time_zone: row.time_zone,
            location_count: row.location_count.unwrap_or(0),
            listed: row.listed,
        })
    }
}

/// Every business on the platform with its location count; only platform admins may see it.
#[cfg(feature = "server")]
pub async fn platform_overview(db: &sqlx::PgPool, actor: &crate::base::Actor) -> Result<PlatformOverview, Error> {
    if !actor.is_platform_admin() {
        return Err(Error::Forbidden("see every business on the platform".into()));
    }
    let tenants = summaries(db, Filter::default()).await?;
    let location_count = tenants.iter().map(|t| t.location_count).sum();
    Ok(PlatformOverview { tenants, location_count })
}

/// The storefronts of active businesses whose owners chose to be listed, by name: what the
/// platform's public start page shows, and nothing more.
#[cfg(feature = "server")]
pub async fn listed_stores(db: &sqlx::PgPool) -> Result<Vec<ListedStore>, Error> {
    sqlx::query!("SELECT slug, name, tagline, mode FROM tenants WHERE listed AND status = 'active' ORDER BY name, id")
        .fetch_all(db)
        .await?
        .into_iter()
        .map(|row| {
            let mode = TenantMode::from_code(&row.mode).ok_or_else(|| {
                tracing::error!(slug = row.slug, mode = row.mode, "unreadable tenant row");
                Error::Internal
            })?;
            Ok(ListedStore { slug: row.slug, name: row.name, tagline: row.tagline, mode })
        })
        .collect()
}

/// The storefront of the active business with this slug.
#[cfg(feature = "server")]
pub async fn storefront(db: &sqlx::PgPool, slug: &str) -> Result<Storefront, Error> {
    refuse_odd_slug(slug)?;
    let tenant =
        summaries(db, Filter { slug: Some(slug), id: None }).await?.pop().ok_or_else(|| Error::not_found("store"))?;
    let shops = super::location::locations_of(db, tenant.id, true).await?;
    Ok(Storefront { tenant, shops, shopper: None })
}

/// The business whose active store has this address; not found for any other.
#[cfg(feature = "server")]
pub async fn storefront_tenant(db: &sqlx::PgPool, slug: &str) -> Result<TenantId, Error> {
    refuse_odd_slug(slug)?;
    let id = sqlx::query_scalar!("SELECT id FROM tenants WHERE slug = $1 AND status = 'active'", slug)
        .fetch_optional(db)
        .await?
        .ok_or_else(|| Error::not_found("store"))?;
    Ok(TenantId(id))
}

/// An address holding a NUL names no store (and could not even be looked for).
#[cfg(feature = "server")]
fn refuse_odd_slug(slug: &str) -> Result<(), Error> {
    if slug.contains('\0') {
        return Err(Error::not_found("store"));
    }
    Ok(())
}

/// Which tenants [`summaries`] returns: all, the active one with a slug, or one by id.
#[cfg(feature = "server")]
#[derive(Default)]
struct Filter<'a> {
    slug: Option<&'a str>,
    id: Option<TenantId>,
}

/// Tenants by name, as the filter says.
#[cfg(feature = "server")]
async fn summaries<'e>(db: impl sqlx::PgExecutor<'e>, filter: Filter<'_>) -> Result<Vec<TenantSummary>, Error> {
    sqlx::query_as!(
        TenantRow,
        r#"SELECT t.id, t.slug, t.name, t.tagline, t.mode, t.status, t.currency, t.vat_rate,
                  t.prices_include_tax, t.time_zone,
                  c.locations AS location_count, t.listed
             FROM tenants t
             LEFT JOIN location_counts() c ON c.tenant_id = t.id
            WHERE ($1::text IS NULL OR (t.slug = $1 AND t.status = 'active'))
              AND ($2::uuid IS NULL OR t.id = $2)
            ORDER BY t.name, t.id"#,
        filter.slug,
        filter.id.map(|t| t.0)
    )
    .fetch_all(db)
    .await?
    .into_iter()
    .map(TenantSummary::try_from)
    .collect()
}

/// The back office's home for the actor's business.
#[cfg(feature = "server")]
pub async fn business_home(db: &sqlx::PgPool, actor: &crate::base::Actor) -> Result<BusinessHome, Error> {
    let tenant_id = actor.require(crate::base::Permission::ViewDashboard)?.tenant;
    let tenant = one(db, tenant_id).await?;
    let locations = super::location::locations_of(db, tenant_id, false).await?;
    let mut tx = crate::db::tenant_tx(db, tenant_id).await?;
    let counts = sqlx::query!(
        r#"SELECT (SELECT count(*) FROM memberships WHERE tenant_id = $1 AND active) AS "staff!",
                  (SELECT count(*) FROM invitations
                    WHERE tenant_id = $1 AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > now())
                  AS "invitations!""#,
        tenant_id.0
    )
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(BusinessHome { tenant, locations, staff: counts.staff, open_invitations: counts.invitations })
}

/// The vendor portal's home for the actor's vendor.
#[cfg(feature = "server")]
pub async fn vendor_home(db: &sqlx::PgPool, actor: &crate::base::Actor) -> Result<VendorHome, Error> {
    let tenant_id = actor.require(crate::base::Permission::UseVendorPortal)?.tenant;
    let crate::base::Actor::Staff(crate::base::StaffMember { vendor: Some(vendor), .. }) = actor else {
        return Err(Error::Forbidden(crate::base::Permission::UseVendorPortal.label().into()));
    };
    let marketplace = one(db, tenant_id).await?;
    let mut tx = crate::db::tenant_tx(db, tenant_id).await?;
    let row = sqlx::query!("SELECT name, status FROM vendors WHERE tenant_id = $1 AND id = $2", tenant_id.0, vendor.0)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| Error::not_found("vendor"))?;
    tx.commit().await?;
    Ok(VendorHome { vendor: row.name, vendor_status: row.status, marketplace })
}

#[cfg(feature = "server")]
async fn one<'e>(db: impl sqlx::PgExecutor<'e>, tenant: TenantId) -> Result<TenantSummary, Error> {
    summaries(db, Filter { slug: None, id: Some(tenant) }).await?.pop().ok_or_else(|| Error::not_found("business"))
}

/// The currency the actor's business trades in.
#[cfg(feature = "server")]
pub async fn currency(db: &sqlx::PgPool, actor: &crate::base::Actor) -> Result<crate::Currency, Error> {
    let tenant = actor.tenant().ok_or_else(|| Error::Forbidden("act for a business".into()))?;
    Ok(one(db, tenant).await?.currency)
}

/// The currency a business prices in, read in the caller's transaction: what its amounts are
/// counted in when they are read out as [`crate::Money`].
#[cfg(feature = "server")]
pub async fn currency_in(tx: &mut sqlx::PgConnection, tenant: TenantId) -> Result<crate::Currency, Error> {
    let code = sqlx::query_scalar!("SELECT currency FROM tenants WHERE id = $1", tenant.0)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| Error::not_found("business"))?;
    crate::Currency::from_code(&code).ok_or(Error::Internal)
}

/// The actor's business as its settings show it.
#[cfg(feature = "server")]
pub async fn settings(db: &sqlx::PgPool, actor: &crate::base::Actor) -> Result<TenantSummary, Error> {
    one(db, actor.require(crate::base::Permission::ViewSettings)?.tenant).await
}

/// Suspends a business (its staff, shoppers and storefront stop at once) or lets it trade
/// again; only platform admins may.
#[cfg(feature = "server")]
pub async fn set_status(
    db: &sqlx::PgPool,
    actor: &crate::base::Actor,
    tenant: TenantId,
    status: TenantStatus,
) -> Result<(), Error> {
    if !actor.is_platform_admin() {
        return Err(Error::Forbidden("suspend or reactivate businesses".into()));
    }
    let code = match status {
        TenantStatus::Active => "active",
        TenantStatus::Suspended => "suspended",
    };
    let mut tx = crate::db::tenant_tx(db, tenant).await?;
    let before = sqlx::query_scalar!("SELECT status FROM tenants WHERE id = $1 FOR UPDATE", tenant.0)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| Error::not_found("business"))?;
    if before == code {
        return Ok(());
    }
    sqlx::query!("UPDATE tenants SET status = $2 WHERE id = $1", tenant.0, code).execute(&mut *tx).await?;
    if status == TenantStatus::Suspended {
        // Its integrations stop at once: their tokens go (every instance forgets what it kept
        // when this commits), and no new one is issued while it is suspended.
        sqlx::query!("DELETE FROM api_tokens WHERE tenant_id = $1", tenant.0).execute(&mut *tx).await?;
    }
    let change = crate::audit::Change {
        entity: "business",
        entity_id: tenant.0.to_string(),
        action: if status == TenantStatus::Suspended { "suspended" } else { "reactivated" },
        before: Some(serde_json::json!({ "status": before })),
        after: Some(serde_json::json!({ "status": code })),
    };
    crate::audit::record(&mut tx, tenant, actor, change).await?;
    tx.commit().await?;
    Ok(())
}

/// Time zones a business can keep its books in.
pub const TIME_ZONES: &[&str] = &[
    "Africa/Lagos",
    "Africa/Accra",
    "Africa/Abidjan",
    "Africa/Dakar",
    "Africa/Douala",
    "Africa/Kinshasa",
    "Africa/Cairo",
    "Africa/Johannesburg",
    "Africa/Kigali",
    "Africa/Kampala",
    "Africa/Nairobi",
    "Africa/Dar_es_Salaam",
    "Africa/Addis_Ababa",
    "UTC",
];

/// What the settings form sends.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettingsForm {
    /// The trading name.
    pub name: String,
    /// One line that says what it sells.
    pub tagline: String,
    /// ISO 4217 code.
    pub currency: String,
    /// VAT in percent, such as `7.5`.
    pub vat_rate: String,
    /// Whether shelf prices include VAT.
    pub prices_include_tax: bool,
    /// One of [`TIME_ZONES`].
    pub time_zone: String,
}

/// Changes the actor's business's settings. With `once`, a second request with the same key
/// answers the first and writes nothing more.
#[cfg(feature = "server")]
pub async fn update_settings(
    db: &sqlx::PgPool,
    actor: &crate::base::Actor,
    form: SettingsForm,
    once: Option<&crate::idempotency::Once>,
) -> Result<TenantSummary, Error> {
    let scope = actor.require(crate::base::Permission::ManageSettings)?;
    crate::idempotency::run(db, scope.tenant, once, async |tx| update_settings_in(tx, &scope, actor, form).await).await
}

/// The step of [`update_settings`], in the caller's transaction, for `scope` (its permission
/// already required).
#[cfg(feature = "server")]
pub async fn update_settings_in(
    tx: &mut sqlx::PgConnection,
    scope: &crate::base::Scope,
    actor: &crate::base::Actor,
    form: SettingsForm,
) -> Result<TenantSummary, Error> {
    use std::str::FromStr;
    let tenant = scope.tenant;
    let name = form.name.trim();
    if name.is_empty() || name.chars().count() > 120 {
        return Err(Error::invalid("name", "enter the business's name (at most 120 characters)"));
    }
    if form.tagline.chars().count() > 200 {
        return Err(Error::invalid("tagline", "use at most 200 characters"));
    }
    let currency =
        Currency::from_code(&form.currency).ok_or_else(|| Error::invalid("currency", "choose a currency"))?;
    let vat_rate = Decimal::from_str(form.vat_rate.trim().trim_end_matches('%'))
        .ok()
        .filter(|v| *v >= Decimal::ZERO && *v < Decimal::from(100) && v.scale() <= 4)
        .ok_or_else(|| Error::invalid("vat_rate", "enter a percentage from 0 to 99.9999, such as 7.5"))?;
    if !TIME_ZONES.contains(&form.time_zone.as_str()) {
        return Err(Error::invalid("time_zone", "choose a time zone from the list"));
    }
    // Locked first, so that the audit's "before" is what this change replaced.
    sqlx::query!("SELECT id FROM tenants WHERE id = $1 FOR UPDATE", tenant.0).fetch_optional(&mut *tx).await?;
    let before = one(&mut *tx, tenant).await?;
    sqlx::query!(
        "UPDATE tenants SET name = $2, tagline = $3, currency = $4, vat_rate = $5, prices_include_tax = $6, time_zone = $7
          WHERE id = $1",
        tenant.0,
        name,
        form.tagline.trim(),
        currency.code(),
        vat_rate,
        form.prices_include_tax,
        form.time_zone
    )
    .execute(&mut *tx)
    .await?;
    let snapshot = |t: &TenantSummary| {
        serde_json::json!({
            "name": t.name, "tagline": t.tagline, "currency": t.currency.code(), "vat_rate": t.vat_rate.normalize().to_string(),
            "prices_include_tax": t.prices_include_tax, "time_zone": t.time_zone,
        })
    };
    let after = TenantSummary {
        name: name.to_owned(),
        tagline: form.tagline.trim().to_owned(),
        currency,
        vat_rate,
        prices_include_tax: form.prices_include_tax,
        time_zone: form.time_zone.clone(),
        ..before.clone()
    };
    let change = crate::audit::Change {
        entity: "settings",
        entity_id: tenant.0.to_string(),
        action: "updated",
        before: Some(snapshot(&before)),
        after: Some(snapshot(&after)),
    };
    crate::audit::record(tx, tenant, actor, change).await?;
    Ok(after)
}

/// Shows the actor's business's storefront on the platform's start page, or takes it off
/// (`once` as for [`update_settings`]).
#[cfg(feature = "server")]
pub async fn set_listing(
    db: &sqlx::PgPool,
    actor: &crate::base::Actor,
    listed: bool,
    once: Option<&crate::idempotency::Once>,
) -> Result<(), Error> {
    let scope = actor.require(crate::base::Permission::ManageSettings)?;
    crate::idempotency::run(db, scope.tenant, once, async |tx| set_listing_in(tx, &scope, actor, listed).await).await
}

/// The step of [`set_listing`], in the caller's transaction, for `scope` (its permission
/// already required).
#[cfg(feature = "server")]
pub async fn set_listing_in(
    tx: &mut sqlx::PgConnection,
    scope: &crate::base::Scope,
    actor: &crate::base::Actor,
    listed: bool,
) -> Result<(), Error> {
    let tenant = scope.tenant;
    let before = sqlx::query_scalar!("SELECT listed FROM tenants WHERE id = $1 FOR UPDATE", tenant.0)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| Error::not_found("business"))?;
    if before == listed {
        return Ok(());
    }
    sqlx::query!("UPDATE tenants SET listed = $2 WHERE id = $1", tenant.0, listed).execute(&mut *tx).await?;
    let change = crate::audit::Change {
        entity: "settings",
        entity_id: tenant.0.to_string(),
        action: if listed { "listed" } else { "unlisted" },
        before: Some(serde_json::json!({ "listed": before })),
        after: Some(serde_json::json!({ "listed": listed })),
    };
    crate::audit::record(tx, tenant, actor, change).await?;
    Ok(())
}

/// The actor's business's settings with its locations, for the settings page.
#[cfg(feature = "server")]
pub async fn settings_page(
    db: &sqlx::PgPool,
    actor: &crate::base::Actor,
) -> Result<(TenantSummary, Vec<Location>), Error> {
    let tenant = actor.require(crate::base::Permission::ViewSettings)?.tenant;
    Ok((one(db, tenant).await?, super::location::locations_of(db, tenant, false).await?))
}
