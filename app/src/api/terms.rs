//! The marketplace's terms with its vendors: the default commission, holding period and least
//! payout, and commission rules for categories and vendors.

use commerce::catalog::Category;
use commerce::identity::VendorChoice;
use commerce::marketplace::Terms;
use leptos::prelude::*;
use uuid::Uuid;

use crate::AppError;

/// The terms, with the categories and vendors a rule may be set for.
#[server(prefix = "/rpc", endpoint = "load_terms")]
pub async fn load_terms() -> Result<(Terms, Vec<Category>, Vec<VendorChoice>), AppError> {
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    let terms = commerce::marketplace::terms::get(db.primary(), &actor).await?;
    let categories = commerce::catalog::category::list(db.primary(), &actor).await?;
    let vendors = commerce::marketplace::vendor::choices(db.primary(), &actor).await?;
    Ok((terms, categories, vendors))
}

/// Saves the default commission, holding period, least payout and payout day.
#[server(prefix = "/rpc", endpoint = "save_terms")]
pub async fn save_terms(
    commission_percent: String,
    #[server(default)] commission_flat: String,
    #[server(default)] commission_on_delivery: Option<String>,
    payout_hold_days: String,
    payout_minimum: String,
    #[server(default)] payout_day: String,
    #[server(default)] submission: String,
) -> Result<(), AppError> {
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    let on_delivery = commission_on_delivery.is_some();
    let fields = [
        commission_percent.as_str(),
        &commission_flat,
        &on_delivery.to_string(),
        &payout_hold_days,
        &payout_minimum,
        &payout_day,
    ];
    let once = super::submission(&actor, &submission, "save_terms", &fields)?;
    let input = commerce::marketplace::TermsInput {
        commission_percent,
        commission_flat: if commission_flat.trim().is_empty() { "0".to_owned() } else { commission_flat },
        commission_on_delivery: on_delivery,
        payout_hold_days,
        payout_minimum,
        payout_day,
    };
    commerce::marketplace::terms::update(db.primary(), &actor, &input, once.as_ref()).await?;
    Ok(())
}

/// Sets the commission of a category or a vendor (`subject` is `category:<id>` or `vendor:<id>`).
#[server(prefix = "/rpc", endpoint = "set_commission_rule")]
pub async fn set_commission_rule(
    subject: String,
    percent: String,
    #[server(default)] flat_per_item: String,
    #[server(default)] submission: String,
) -> Result<(), AppError> {
    use commerce::marketplace::terms::RuleSubject;
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    let once = super::submission(&actor, &submission, "set_commission_rule", &[&subject, &percent, &flat_per_item])?;
    let choose = || commerce::Error::invalid("subject", "choose a category or a vendor");
    let subject = match subject.split_once(':') {
        Some(("category", id)) => {
            RuleSubject::Category(commerce::catalog::CategoryId(Uuid::parse_str(id).map_err(|_| choose())?))
        }
        Some(("vendor", id)) => {
            RuleSubject::Vendor(commerce::base::VendorId(Uuid::parse_str(id).map_err(|_| choose())?))
        }
        _ => return Err(choose().into()),
    };
    let number = |field: &str, text: &str| -> Result<rust_decimal::Decimal, commerce::Error> {
        let plain: String = text.trim().chars().filter(|c| !matches!(c, ',' | '₦' | '%')).collect();
        if plain.is_empty() {
            return Ok(rust_decimal::Decimal::ZERO);
        }
        plain.parse().map_err(|_| commerce::Error::invalid(field, "enter a number, such as 7.5"))
    };
    let rate = commerce::marketplace::commission::Rate {
        percent: number("percent", &percent)?,
        flat_per_item: number("flat_per_item", &flat_per_item)?,
    };
    commerce::marketplace::terms::set_rule(db.primary(), &actor, subject, rate, once.as_ref()).await?;
    Ok(())
}

/// Removes a commission rule.
#[server(prefix = "/rpc", endpoint = "remove_commission_rule")]
pub async fn remove_commission_rule(id: Uuid) -> Result<(), AppError> {
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    commerce::marketplace::terms::remove_rule(db.primary(), &actor, id).await?;
    Ok(())
}
