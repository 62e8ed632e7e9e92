//! How a business sells online: its order numbers' prefix, the ways to pay and to receive an
//! order it offers, its bank account, where it delivers and for how much. Checkout reads them
//! here ([`options`]); the business changes them here.

use rust_decimal::Decimal;
use uuid::Uuid;

use super::{BankAccount, CheckoutOptions, DeliveryZone, PaymentMethod, PickupShop, VatRule};
use crate::base::{Actor, LocationId, Permission, TenantId};
use crate::db::tenant_tx;
use crate::{Currency, Error, Money};

/// What checkout offers at the actor's storefront.
pub async fn options(db: &sqlx::PgPool, actor: &Actor) -> Result<CheckoutOptions, Error> {
    let tenant = actor.tenant().ok_or_else(|| Error::not_found("storefront"))?;
    let mut tx = tenant_tx(db, tenant).await?;
    let settings = settings(&mut tx, tenant).await?;
    let options = offered(&mut tx, tenant, &settings).await?;
    tx.commit().await?;
    Ok(options)
}

/// How a business sells online, as its row keeps it.
#[expect(clippy::struct_excessive_bools, reason = "each is a switch the business sets, kept as it is stored")]
pub(crate) struct Settings {
    pub slug: String,
    pub prefix: String,
    pub currency: Currency,
    pub vat: VatRule,
    pub pay_on_delivery: bool,
    pub pickup_in_shop: bool,
    pub test_gateway: bool,
    pub paystack: bool,
    pub bank: Option<BankAccount>,
    pub transfer_hours: i32,
}

pub(super) async fn settings(tx: &mut sqlx::PgConnection, tenant: TenantId) -> Result<Settings, Error> {
    let row = sqlx::query!(
        r#"SELECT slug, order_prefix, currency, vat_rate, prices_include_tax, pay_on_delivery, pickup_in_shop,
                  test_gateway, bank_name, bank_account_number, bank_account_name, transfer_hours,
                  paystack_secret IS NOT NULL AS "paystack!"
             FROM tenants WHERE id = $1"#,
        tenant.0
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| Error::not_found("storefront"))?;
    let set = !row.bank_name.is_empty() && !row.bank_account_number.is_empty() && !row.bank_account_name.is_empty();
    let bank = set.then_some(BankAccount {
        bank: row.bank_name,
        number: row.bank_account_number,
        name: row.bank_account_name,
    });
    Ok(Settings {
        slug: row.slug,
        prefix: row.order_prefix,
        currency: Currency::from_code(&row.currency).ok_or(Error::Internal)?,
        vat: VatRule { rate: row.vat_rate, prices_include_tax: row.prices_include_tax },
        pay_on_delivery: row.pay_on_delivery,
        pickup_in_shop: row.pickup_in_shop,
        test_gateway: row.test_gateway,
        paystack: row.paystack,
        bank,
        transfer_hours: row.transfer_hours,
    })
}

pub(super) async fn offered(
    tx: &mut sqlx::PgConnection,
    tenant: TenantId,
    settings: &Settings,
) -> Result<CheckoutOptions, Error> {
    let shops = if settings.pickup_in_shop {
        sqlx::query!(
            "SELECT id, name, address, city, state FROM locations
              WHERE tenant_id = $1 AND kind = 'shop' ORDER BY name, id",
            tenant.0
        )
        .fetch_all(&mut *tx)
        .await?
        .into_iter()
        .map(|r| PickupShop {
            id: LocationId(r.id),
            name: r.name,
            address: [r.address, r.city, r.state]
                .into_iter()
                .filter(|p| !p.trim().is_empty())
                .collect::<Vec<_>>()
                .join(", "),
        })
        .collect()
    } else {
        Vec::new()
    };
    let zones = sqlx::query!(
        "SELECT id, name, states, rate, free_above, days FROM delivery_zones WHERE tenant_id = $1 ORDER BY name, id",
        tenant.0
    )
    .fetch_all(&mut *tx)
    .await?
    .into_iter()
    .map(|r| DeliveryZone {
        id: r.id,
        name: r.name,
        states: r.states,
        rate: Money::new(r.rate, settings.currency),
        free_above: r.free_above.map(|f| Money::new(f, settings.currency)),
        days: r.days,
    })
    .collect();
    let methods = PaymentMethod::ALL
        .into_iter()
        .filter(|m| match m {
            PaymentMethod::PayOnDelivery => settings.pay_on_delivery,
            PaymentMethod::BankTransfer => settings.bank.is_some(),
            PaymentMethod::TestGateway => settings.test_gateway,
            PaymentMethod::Paystack => settings.paystack,
            PaymentMethod::Till => false,
        })
        .collect();
    Ok(CheckoutOptions {
        shops,
        zones,
        methods,
        bank: settings.bank.clone(),
        vat: settings.vat,
        transfer_hours: settings.transfer_hours,
    })
}

/// How the actor's business sells online.
pub async fn show(db: &sqlx::PgPool, actor: &Actor) -> Result<super::SellingSettings, Error> {
    let tenant = actor.require(Permission::ViewSettings)?.tenant;
    let mut tx = tenant_tx(db, tenant).await?;
    let found = read(&mut tx, tenant).await?;
    tx.commit().await?;
    Ok(found)
}

/// Changes how the business sells online; every wrong field is named.
pub async fn save(
    db: &sqlx::PgPool,
    actor: &Actor,
    input: &super::SellingInput,
    once: Option<&crate::idempotency::Once>,
) -> Result<super::SellingSettings, Error> {
    let tenant = actor.require(Permission::ManageSettings)?.tenant;
    let mut problems: Vec<(String, String)> = Vec::new();
    let prefix = input.order_prefix.trim();
    if prefix.chars().count() > 8 || !prefix.chars().all(|c| c.is_ascii_alphanumeric() || c == '#' || c == '-') {
        problems.push(("order_prefix".into(), "up to 8 letters, digits, # or -".into()));
    }
    let (bank, number, name) =
        (input.bank_name.trim(), input.bank_account_number.trim(), input.bank_account_name.trim());
    if !number.is_empty() && (number.len() != 10 || !number.chars().all(|c| c.is_ascii_digit())) {
        problems.push(("bank_account_number".into(), "a NUBAN account number has 10 digits".into()));
    }
    let given = [bank, number, name].iter().filter(|f| !f.is_empty()).count();
    if given != 0 && given != 3 {
        problems.push(("bank_name".into(), "give the bank, the account number and the name on it, or none".into()));
    }
    for (field, text, most) in [("bank_name", bank, 80), ("bank_account_name", name, 120)] {
        if text.chars().count() > most || text.contains('\0') {
            problems.push((field.into(), format!("at most {most} characters")));
        }
    }
    let hours = input.transfer_hours.trim().parse::<i32>().ok().filter(|h| (1..=120).contains(h));
    if hours.is_none() {
        problems.push(("transfer_hours".into(), "a whole number of hours from 1 to 120".into()));
    }
    Error::invalid_all(problems)?;
    let hours = hours.unwrap_or(48);
    crate::idempotency::run(db, tenant, once, async |tx| {
        let before = read(tx, tenant).await?;
        // Only the owner says where money goes; others leave the account as it is (sending
        // none of its fields), and are refused if they send other ones.
        let (bank, number, name) = if actor.can(Permission::ManagePaymentAccounts) {
            (bank, number, name)
        } else if given == 0 || (before.bank.bank == bank && before.bank.number == number && before.bank.name == name) {
            (before.bank.bank.as_str(), before.bank.number.as_str(), before.bank.name.as_str())
        } else {
            return Err(Error::Forbidden(Permission::ManagePaymentAccounts.label().to_owned()));
        };
        sqlx::query!(
            "UPDATE tenants SET order_prefix = $2, pay_on_delivery = $3, pickup_in_shop = $4, test_gateway = $5,
                    bank_name = $6, bank_account_number = $7, bank_account_name = $8, transfer_hours = $9
              WHERE id = $1",
            tenant.0,
            prefix,
            input.pay_on_delivery,
            input.pickup_in_shop,
            input.test_gateway,
            bank,
            number,
            name,
            hours
        )
        .execute(&mut *tx)
        .await?;
        let after = read(tx, tenant).await?;
        let change = crate::audit::Change {
            entity: "business",
            entity_id: tenant.0.to_string(),
            action: "selling online",
            before: serde_json::to_value(&before).ok(),
            after: serde_json::to_value(&after).ok(),
        };
        crate::audit::record(tx, tenant, actor, change).await?;
        Ok(after)
    })
    .await
}

/// Adds a delivery zone. A state may be in one zone only.
pub async fn add_zone(
    db: &sqlx::PgPool,
    actor: &Actor,
    input: &super::ZoneInput,
    once: Option<&crate::idempotency::Once>,
) -> Result<DeliveryZone, Error> {
    let tenant = actor.require(Permission::ManageSettings)?.tenant;
    let mut problems: Vec<(String, String)> = Vec::new();
    let name = input.name.trim();
    if name.is_empty() || name.chars().count() > 80 || name.contains('\0') {
        problems.push(("name".into(), "a name of 1 to 80 characters".into()));
    }
    let mut states: Vec<String> = Vec::new();
    for typed in &input.states {
        match super::address::state(typed) {
            Some(state) if !states.iter().any(|s| s == state) => states.push(state.to_owned()),
            Some(_) => {}
            None => problems.push(("states".into(), format!("{typed:?} is not one of Nigeria's states or the FCT"))),
        }
    }
    if states.is_empty() && input.states.is_empty() {
        problems.push(("states".into(), "choose at least one state".into()));
    }
    let rate = amount(&input.rate, "rate", &mut problems);
    let free_above =
        if input.free_above.trim().is_empty() { None } else { amount(&input.free_above, "free_above", &mut problems) };
    let days = input.days.trim();
    if days.chars().count() > 40 || days.contains('\0') {
        problems.push(("days".into(), "at most 40 characters".into()));
    }
    Error::invalid_all(problems)?;
    let rate = rate.unwrap_or_default();
    crate::idempotency::run(db, tenant, once, async |tx| {
        let taken = sqlx::query!(
            "SELECT name, state FROM delivery_zones, unnest(states) AS state WHERE tenant_id = $1 AND state = ANY($2)",
            tenant.0,
            &states
        )
        .fetch_all(&mut *tx)
        .await?;
        if let Some(clash) = taken.first() {
            return Err(Error::invalid(
                "states",
                format!("{} is already in the zone {}", clash.state.clone().unwrap_or_default(), clash.name),
            ));
        }
        let id = Uuid::now_v7();
        sqlx::query!(
            "INSERT INTO delivery_zones (tenant_id, id, name, states, rate, free_above, days) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            tenant.0,
            id,
            name,
            &states,
            rate,
            free_above,
            days
        )
        .execute(&mut *tx)
        .await?;
        let currency = crate::identity::currency_in(tx, tenant).await?;
        let zone = DeliveryZone {
            id,
            name: name.to_owned(),
            states: states.clone(),
            rate: Money::new(rate, currency),
            free_above: free_above.map(|f| Money::new(f, currency)),
            days: days.to_owned(),
        };
        let change = crate::audit::Change {
            entity: "delivery_zone",
            entity_id: id.to_string(),
            action: "create",
            before: None,
            after: serde_json::to_value(&zone).ok(),
        };
        crate::audit::record(tx, tenant, actor, change).await?;
        Ok(zone)
    })
    .await
}

/// Removes a delivery zone: its states are no longer delivered to (orders already placed keep
/// what they were charged).
pub async fn remove_zone(
    db: &sqlx::PgPool,
    actor: &Actor,
    id: Uuid,
    once: Option<&crate::idempotency::Once>,
) -> Result<(), Error> {
    let tenant = actor.require(Permission::ManageSettings)?.tenant;
    crate::idempotency::run(db, tenant, once, async |tx| {
        let gone = sqlx::query_scalar!(
            "DELETE FROM delivery_zones WHERE tenant_id = $1 AND id = $2 RETURNING name",
            tenant.0,
            id
        )
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| Error::not_found("delivery zone"))?;
        let change = crate::audit::Change {
            entity: "delivery_zone",
            entity_id: id.to_string(),
            action: "delete",
            before: Some(serde_json::json!({ "name": gone })),
            after: None,
        };
        crate::audit::record(tx, tenant, actor, change).await
    })
    .await
}

/// An amount typed for a rate: from 0 to under a billion naira.
fn amount(text: &str, field: &str, problems: &mut Vec<(String, String)>) -> Option<Decimal> {
    match crate::catalog::parse_price(text, field) {
        Ok(value) if value >= Decimal::ZERO && value < Decimal::from(1_000_000_000) => Some(value),
        Ok(_) => {
            problems.push((field.to_owned(), "from 0 to under 1,000,000,000".into()));
            None
        }
        Err(error) => {
            problems.extend(error.field_problems().into_iter().map(|(f, m)| (f.to_owned(), m.to_owned())));
            None
        }
    }
}

/// The business's selling settings and zones, in the caller's transaction.
async fn read(tx: &mut sqlx::PgConnection, tenant: TenantId) -> Result<super::SellingSettings, Error> {
    let row = settings(tx, tenant).await?;
    let raw =
        sqlx::query!("SELECT bank_name, bank_account_number, bank_account_name FROM tenants WHERE id = $1", tenant.0)
            .fetch_one(&mut *tx)
            .await?;
    let options = offered(tx, tenant, &row).await?;
    Ok(super::SellingSettings {
        order_prefix: row.prefix,
        pay_on_delivery: row.pay_on_delivery,
        pickup_in_shop: row.pickup_in_shop,
        test_gateway: row.test_gateway,
        bank: BankAccount { bank: raw.bank_name, number: raw.bank_account_number, name: raw.bank_account_name },
        transfer_hours: row.transfer_hours,
        paystack: row.paystack,
        zones: options.zones,
    })
}
