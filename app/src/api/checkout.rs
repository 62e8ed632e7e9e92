//! Placing an order from the checkout form.

// The server macro writes the function again for the browser, without its attributes, so the
// lint is allowed for the file rather than expected on the function.
#![allow(clippy::too_many_arguments, reason = "one argument per field of the checkout form, as it posts them")]

use leptos::prelude::*;

use crate::AppError;

/// Places the order, then shows its page (or, for a gateway, the gateway's).
#[server(prefix = "/rpc", endpoint = "place_order")]
pub async fn place_order(
    slug: String,
    name: String,
    phone: String,
    #[server(default)] email: String,
    #[server(default)] fulfilment: String,
    #[server(default)] pickup_location: String,
    #[server(default)] line: String,
    #[server(default)] city: String,
    #[server(default)] lga: String,
    #[server(default)] state: String,
    #[server(default)] payment: String,
    #[server(default)] note: String,
    #[server(default)] consent: Option<String>,
    #[server(default)] submission: String,
) -> Result<(), AppError> {
    use commerce::orders::{Address, CheckoutInput};
    let (db, buyer) = super::buying::buyer(&slug, true).await?;
    let fields = [&name, &phone, &email, &fulfilment, &pickup_location, &line, &city, &lga, &state, &payment, &note];
    let once = super::submission(&buyer, &submission, "place_order", &fields.map(String::as_str))?;
    let input = CheckoutInput {
        pickup_location: super::optional_id(&pickup_location, "pickup_location")?,
        name,
        phone,
        email,
        fulfilment,
        address: Address { line, city, lga, state },
        payment,
        note,
        marketing_consent: consent.is_some(),
    };
    commerce::orders::checkout::limit(db.primary(), &buyer, &crate::session::client().ip).await?;
    let placed = commerce::orders::checkout::place(db.primary(), &buyer, &input, once.as_ref()).await?;
    let next = if placed.method == commerce::orders::PaymentMethod::Paystack {
        // Straight on to Paystack; should it not answer, the order's page offers to try again.
        super::buying::paystack_checkout(&db, &buyer, &slug, placed.view_key).await.unwrap_or(placed.link)
    } else {
        placed.link
    };
    leptos_axum::redirect(&next);
    Ok(())
}
