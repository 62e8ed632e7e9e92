//! Saving how the business sells online.

// The server macro writes the function again for the browser, without its attributes, so the
// lint is allowed for the file rather than expected on the function.
#![allow(clippy::too_many_arguments, reason = "one argument per field of the form, as it posts them")]

use leptos::prelude::*;

use crate::AppError;

/// Saves the order prefix, the ways to pay and receive, and the bank account.
#[server(prefix = "/rpc", endpoint = "save_selling")]
pub async fn save_selling(
    #[server(default)] order_prefix: String,
    #[server(default)] pay_on_delivery: Option<String>,
    #[server(default)] pickup_in_shop: Option<String>,
    #[server(default)] test_gateway: Option<String>,
    #[server(default)] bank_name: String,
    #[server(default)] bank_account_number: String,
    #[server(default)] bank_account_name: String,
    #[server(default)] transfer_hours: String,
    #[server(default)] submission: String,
) -> Result<(), AppError> {
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    let ticks = [&pay_on_delivery, &pickup_in_shop, &test_gateway].map(|t| if t.is_some() { "on" } else { "" });
    let fields = [
        order_prefix.as_str(),
        ticks[0],
        ticks[1],
        ticks[2],
        &bank_name,
        &bank_account_number,
        &bank_account_name,
        &transfer_hours,
    ];
    let once = super::submission(&actor, &submission, "save_selling", &fields)?;
    let input = commerce::orders::SellingInput {
        order_prefix,
        pay_on_delivery: pay_on_delivery.is_some(),
        pickup_in_shop: pickup_in_shop.is_some(),
        test_gateway: test_gateway.is_some(),
        bank_name,
        bank_account_number,
        bank_account_name,
        transfer_hours,
    };
    commerce::orders::selling::save(db.primary(), &actor, &input, once.as_ref()).await?;
    Ok(())
}
