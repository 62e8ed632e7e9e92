//! An order the business makes for a customer who ordered by phone or WhatsApp.

// The server macro writes the function again for the browser, without its attributes, so the
// lint is allowed for the file rather than expected on the function.
#![allow(clippy::too_many_arguments, reason = "one argument per field of the order form, as it posts them")]

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::AppError;

/// An order just made for a customer, and the link that lets them pay it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftMade {
    /// The order.
    pub order: Uuid,
    /// Its number.
    pub number: String,
    /// The address the customer pays and follows it at.
    pub payment_link: String,
    /// A WhatsApp message to the customer carrying the link.
    pub whatsapp: String,
}

/// Places an order for a customer from lines typed as "SKU quantity", and answers its payment link.
#[server(prefix = "/rpc", endpoint = "create_draft_order")]
pub async fn create_draft_order(
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
    #[server(default)] lines: String,
    #[server(default)] submission: String,
) -> Result<DraftMade, AppError> {
    use commerce::orders::{Address, CheckoutInput};
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    let fields =
        [&name, &phone, &email, &fulfilment, &pickup_location, &line, &city, &lga, &state, &payment, &note, &lines];
    let once = super::submission(&actor, &submission, "create_draft_order", &fields.map(String::as_str))?;
    let typed = commerce::inventory::parse_lines(&lines, false)?;
    let found = super::stock::variants_for(&db, &actor, &typed).await?;
    let wanted: Vec<_> = found.iter().map(|l| (l.variant, l.quantity)).collect();
    let input = CheckoutInput {
        pickup_location: super::optional_id(&pickup_location, "pickup_location")?,
        name,
        phone,
        email,
        fulfilment,
        address: Address { line, city, lga, state },
        payment,
        note,
        marketing_consent: false,
    };
    let placed = commerce::orders::checkout::place_for_customer(db.primary(), &actor, &input, &wanted, once.as_ref())
        .await
        .map_err(|e| super::stock::by_item(e, &typed))?;
    let payment_link = format!("{}{}", crate::session::site().public_url, placed.link);
    let number = commerce::base::phone::nigerian_mobile(&input.phone).unwrap_or_default();
    let text =
        format!("Hello {}, here is your order {}. Pay and follow it here: {payment_link}", input.name, placed.number);
    let whatsapp = format!("https://wa.me/{}?text={}", number.trim_start_matches('+'), crate::pages::urlencode(&text));
    Ok(DraftMade { order: placed.order, number: placed.number, payment_link, whatsapp })
}
