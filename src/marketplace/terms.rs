//! The marketplace's terms with its vendors, as the operator sets them: the default commission
//! and whether it is charged on delivery fees, the holding period after delivery, the least a
//! payout may be, and commission rules for a category or a vendor. Checkout reads them as
//! [`commission::Rules`] through [`commission::rules_in`].

use rust_decimal::Decimal;
use serde_json::json;
use uuid::Uuid;

use super::commission::{self, Rate};
use super::{CommissionRule, Terms, TermsInput};
use crate::audit::{self, Change};
use crate::base::{Actor, Permission, TenantId, VendorId};
use crate::catalog::CategoryId;
use crate::idempotency::{self, Once};
use crate::{Clash, Error, Money};

/// The marketplace's terms and rules, for those who see vendors.
pub async fn get(db: &sqlx::PgPool, actor: &Actor) -> Result<Terms, Error> {
    let tenant = actor.require(Permission::ViewVendors)?.tenant;
    crate::db::in_tenant_tx(db, tenant, async |tx| read(tx, tenant).await).await
}

/// Changes the default commission, whether it is charged on delivery fees, the holding period
/// and the least payout; every field checked, each wrong one named.
pub async fn update(db: &sqlx::PgPool, actor: &Actor, input: &TermsInput, once: Option<&Once>) -> Result<Terms, Error> {
    let tenant = actor.require(Permission::ManageVendors)?.tenant;
    let checked = check(input)?;
    idempotency::run(db, tenant, once, async |tx| {
        super::vendor::marketplace_only(tx, tenant).await?;
        let before = read(tx, tenant).await?;
        sqlx::query!(
            "UPDATE tenants SET commission_percent = $2, commission_flat = $3, commission_on_delivery = $4,
                                payout_hold_days = $5, payout_minimum = $6, payout_day = $7
              WHERE id = $1",
            tenant.0,
            checked.rate.percent,
            checked.rate.flat_per_item,
            checked.on_delivery,
            checked.hold_days,
            checked.minimum,
            checked.payout_day,
        )
        .execute(&mut *tx)
        .await?;
        let after = read(tx, tenant).await?;
        audit::record(
            tx,
            tenant,
            actor,
            Change {
                entity: "marketplace terms",
                entity_id: tenant.0.to_string(),
                action: "update",
                before: Some(terms_json(&before)),
                after: Some(terms_json(&after)),
            },
        )
        .await?;
        Ok(after)
    })
    .await
}

/// Sets the commission of a category (and those below it) or of a vendor, replacing its rule if
/// it has one.
pub async fn set_rule(
    db: &sqlx::PgPool,
    actor: &Actor,
    subject: RuleSubject,
    rate: Rate,
    once: Option<&Once>,
) -> Result<Terms, Error> {
    let tenant = actor.require(Permission::ManageVendors)?.tenant;
    if let Some((field, message)) = commission::rate_problem(&rate) {
        return Err(Error::invalid(field, message));
    }
    let (category, vendor) = match subject {
        RuleSubject::Category(c) => (Some(c.0), None),
        RuleSubject::Vendor(v) => (None, Some(v.0)),
    };
    idempotency::run(db, tenant, once, async |tx| {
        super::vendor::marketplace_only(tx, tenant).await?;
        sqlx::query!(
            "DELETE FROM commission_rules WHERE tenant_id = $1 AND (category_id = $2 OR vendor_id = $3)",
            tenant.0,
            category,
            vendor
        )
        .execute(&mut *tx)
        .await?;
        sqlx::query!(
            "INSERT INTO commission_rules (tenant_id, id, category_id, vendor_id, percent, flat_per_item)
             VALUES ($1, $2, $3, $4, $5, $6)",
            tenant.0,
            Uuid::now_v7(),
            category,
            vendor,
            rate.percent,
            rate.flat_per_item
        )
        .execute(&mut *tx)
        .await
        .map_err(|e| {
            crate::db::field_errors(
                e,
                &[
                    ("commission_rules_tenant_id_category_id_fkey", "category", "choose one of your categories"),
                    ("commission_rules_tenant_id_vendor_id_fkey", "vendor", "choose one of your vendors"),
                ],
            )
        })?;
        audit::record(
            tx,
            tenant,
            actor,
            Change {
                entity: "commission rule",
                entity_id: category.or(vendor).map(|id| id.to_string()).unwrap_or_default(),
                action: "set",
                before: None,
                after: Some(json!({
                    "category": category, "vendor": vendor, "percent": rate.percent.to_string(),
                    "flat_per_item": crate::base::money::exact(rate.flat_per_item),
                })),
            },
        )
        .await?;
        read(tx, tenant).await
    })
    .await
}

/// Removes a commission rule: its category or vendor pays the default again (on new sales).
pub async fn remove_rule(db: &sqlx::PgPool, actor: &Actor, rule: Uuid) -> Result<Terms, Error> {
    let tenant = actor.require(Permission::ManageVendors)?.tenant;
    crate::db::in_tenant_tx(db, tenant, async |tx| {
        let gone = sqlx::query!(
            "DELETE FROM commission_rules WHERE tenant_id = $1 AND id = $2 RETURNING category_id, vendor_id, percent",
            tenant.0,
            rule
        )
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| Error::not_found("commission rule"))?;
        audit::record(
            tx,
            tenant,
            actor,
            Change {
                entity: "commission rule",
                entity_id: gone.category_id.or(gone.vendor_id).map(|id| id.to_string()).unwrap_or_default(),
                action: "remove",
                before: Some(json!({ "percent": gone.percent.to_string() })),
                after: None,
            },
        )
        .await?;
        read(tx, tenant).await
    })
    .await
}

/// What a rule is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RuleSubject {
    /// A category, and those below it.
    Category(CategoryId),
    /// A vendor.
    Vendor(VendorId),
}

async fn read(tx: &mut sqlx::PgConnection, tenant: TenantId) -> Result<Terms, Error> {
    let currency = crate::identity::currency_in(&mut *tx, tenant).await?;
    let t = sqlx::query!(
        "SELECT commission_percent, commission_flat, commission_on_delivery, payout_hold_days, payout_minimum,
                payout_day
           FROM tenants WHERE id = $1",
        tenant.0
    )
    .fetch_one(&mut *tx)
    .await?;
    let rules = sqlx::query!(
        r#"SELECT r.id, r.category_id, r.vendor_id, r.percent, r.flat_per_item,
                  coalesce(c.name, v.name, '') AS "name!"
             FROM commission_rules r
             LEFT JOIN categories c ON c.tenant_id = r.tenant_id AND c.id = r.category_id
             LEFT JOIN vendors v ON v.tenant_id = r.tenant_id AND v.id = r.vendor_id
            WHERE r.tenant_id = $1
            ORDER BY r.vendor_id IS NOT NULL, 6, r.id"#,
        tenant.0
    )
    .fetch_all(&mut *tx)
    .await?
    .into_iter()
    .map(|r| CommissionRule {
        id: r.id,
        category: r.category_id.map(CategoryId),
        vendor: r.vendor_id.map(VendorId),
        name: r.name,
        percent: r.percent,
        flat_per_item: Money::new(r.flat_per_item, currency),
    })
    .collect();
    Ok(Terms {
        commission_percent: t.commission_percent.normalize(),
        commission_flat: Money::new(t.commission_flat, currency),
        commission_on_delivery: t.commission_on_delivery,
        payout_hold_days: t.payout_hold_days,
        payout_minimum: Money::new(t.payout_minimum, currency),
        payout_day: t.payout_day,
        rules,
    })
}

/// Terms as typed, checked.
struct Checked {
    rate: Rate,
    on_delivery: bool,
    hold_days: i32,
    minimum: Decimal,
    payout_day: Option<i16>,
}

fn check(input: &TermsInput) -> Result<Checked, Error> {
    let mut problems: Vec<(String, String)> = Vec::new();
    let mut number = |field: &str, text: &str| -> Option<Decimal> {
        let plain: String = text.trim().chars().filter(|c| *c != ',' && *c != '₦' && *c != '%').collect();
        let value = plain.parse::<Decimal>().ok();
        if value.is_none() {
            problems.push((field.to_owned(), "enter a number, such as 10".to_owned()));
        }
        value
    };
    let percent = number("commission_percent", &input.commission_percent);
    let flat = number("commission_flat", &input.commission_flat);
    let minimum = number("payout_minimum", &input.payout_minimum);
    let hold_days = input.payout_hold_days.trim().parse::<i32>().ok().filter(|d| (0..=90).contains(d));
    if hold_days.is_none() {
        problems.push(("payout_hold_days".to_owned(), "from 0 to 90 days".to_owned()));
    }
    let payout_day = match input.payout_day.trim() {
        "" => Some(None),
        day => day.parse::<i16>().ok().filter(|d| (1..=7).contains(d)).map(Some),
    };
    if payout_day.is_none() {
        problems.push(("payout_day".to_owned(), "a day of the week, or never".to_owned()));
    }
    if let (Some(percent), Some(flat)) = (percent, flat)
        && let Some((field, message)) = commission::rate_problem(&Rate { percent, flat_per_item: flat })
    {
        let field = if field == "percent" { "commission_percent" } else { "commission_flat" };
        problems.push((field.to_owned(), message.to_owned()));
    }
    if let Some(minimum) = minimum
        && (minimum < Decimal::ZERO || minimum >= Decimal::from(1_000_000_000) || minimum.scale() > 2)
    {
        problems.push(("payout_minimum".to_owned(), "an amount of at least 0, to the kobo".to_owned()));
    }
    Error::invalid_all(problems)?;
    match (percent, flat, hold_days, minimum, payout_day) {
        (Some(percent), Some(flat), Some(hold_days), Some(minimum), Some(payout_day)) => Ok(Checked {
            rate: Rate { percent, flat_per_item: flat },
            on_delivery: input.commission_on_delivery,
            hold_days,
            minimum,
            payout_day,
        }),
        _ => Err(Error::conflict(Clash::WrongState, "The terms could not be read.")),
    }
}

fn terms_json(terms: &Terms) -> serde_json::Value {
    json!({
        "commission_percent": terms.commission_percent.to_string(),
        "commission_flat": crate::base::money::exact(terms.commission_flat.amount),
        "commission_on_delivery": terms.commission_on_delivery,
        "payout_hold_days": terms.payout_hold_days,
        "payout_minimum": crate::base::money::exact(terms.payout_minimum.amount),
        "payout_day": terms.payout_day,
    })
}
