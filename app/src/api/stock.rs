use commerce::base::page::Page;
use commerce::identity::Location;
use commerce::inventory::{Alert, Movement, Receipt, ReceiptDetail, Received, StockCount, StockLevel, Transfer};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::AppError;

/// What the stock page shows: the business's locations and a page of levels.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StockView {
    /// Every location, by name.
    pub locations: Vec<Location>,
    /// Levels, by product name, SKU and location.
    pub levels: Vec<StockLevel>,
    /// The next page's cursor, as the address carries it.
    pub next: Option<String>,
}

/// Rows of the stock page.
#[cfg(feature = "ssr")]
const PAGE: usize = 50;

/// Levels per variant and location, filtered as the address says; 50 rows a page, the next
/// found by key (`after`), so a page is as quick to read at the end of the list as at its start.
#[server(prefix = "/rpc", endpoint = "load_stock")]
pub async fn load_stock(
    location: Option<String>,
    search: Option<String>,
    low: Option<String>,
    after: Option<String>,
) -> Result<StockView, AppError> {
    use commerce::inventory::{LevelQuery, levels};
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    let query = LevelQuery {
        location: super::optional_id(location.as_deref().unwrap_or_default(), "location")?
            .map(commerce::base::LocationId),
        variant: None,
        search,
        low_only: low.is_some_and(|l| !l.is_empty()),
    };
    let after = super::after(after.as_deref());
    // One more than a page, to know whether another follows.
    let mut rows = levels::list(db.read(), &actor, &query, after, 51).await?;
    let next = if rows.len() > PAGE {
        rows.truncate(PAGE);
        rows.last().map(|(_, cursor)| commerce::base::page::cursor_after(cursor))
    } else {
        None
    };
    let locations = levels::locations(db.read(), &actor).await?;
    Ok(StockView { locations, levels: rows.into_iter().map(|(level, _)| level).collect(), next })
}

/// Corrects stock by hand; answers on-hand afterwards. `submission` is the form's one-time
/// key: a second press answers the first result and changes nothing.
#[server(prefix = "/rpc", endpoint = "adjust_stock")]
pub async fn adjust_stock(
    variant: Uuid,
    location: Uuid,
    change: String,
    note: String,
    #[server(default)] submission: String,
) -> Result<i32, AppError> {
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    let (variant_text, location_text) = (variant.to_string(), location.to_string());
    let once =
        super::submission(&actor, &submission, "adjust_stock", &[&variant_text, &location_text, &change, &note])?;
    let change: i32 =
        change.trim().parse().map_err(|_| commerce::Error::invalid("change", "a whole number such as 5 or -2"))?;
    let (variant, location) = (commerce::catalog::VariantId(variant), commerce::base::LocationId(location));
    Ok(commerce::inventory::stock::adjust(db.primary(), &actor, variant, location, change, &note, once.as_ref())
        .await?)
}

/// Sets a variant's reorder point and quantity at a location; answers them as saved.
#[server(prefix = "/rpc", endpoint = "set_reorder")]
pub async fn set_reorder(
    variant: Uuid,
    location: Uuid,
    reorder_point: String,
    reorder_quantity: String,
    #[server(default)] submission: String,
) -> Result<(i32, i32), AppError> {
    let (point, quantity) = (reorder_point, reorder_quantity);
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    let (variant_text, location_text) = (variant.to_string(), location.to_string());
    let once =
        super::submission(&actor, &submission, "set_reorder", &[&variant_text, &location_text, &point, &quantity])?;
    let number = |text: &str, field: &str| {
        text.trim().parse::<i32>().map_err(|_| commerce::Error::invalid(field, "a whole number of units"))
    };
    let (point, quantity) = (number(&point, "reorder_point")?, number(&quantity, "reorder_quantity")?);
    let (variant, location) = (commerce::catalog::VariantId(variant), commerce::base::LocationId(location));
    commerce::inventory::stock::set_reorder(db.primary(), &actor, variant, location, point, quantity, once.as_ref())
        .await?;
    Ok((point, quantity))
}

/// A variant's story: its levels at every location and its movements, newest first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VariantHistory {
    /// Its levels.
    pub levels: Vec<StockLevel>,
    /// Its movements.
    pub movements: Vec<Movement>,
}

/// The levels and the last 200 movements of one variant.
#[server(prefix = "/rpc", endpoint = "load_variant_history")]
pub async fn load_variant_history(variant: Uuid) -> Result<VariantHistory, AppError> {
    use commerce::inventory::{LevelQuery, levels};
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    let variant = commerce::catalog::VariantId(variant);
    let movements = levels::movements(db.read(), &actor, variant, None, None, 200).await?;
    let query = LevelQuery { variant: Some(variant), ..LevelQuery::default() };
    let levels = levels::list(db.read(), &actor, &query, None, 100).await?.into_iter().map(|(l, _)| l).collect();
    Ok(VariantHistory { levels, movements })
}

/// Recent receipts (their costs in the business's currency) and the locations goods can arrive at.
#[server(prefix = "/rpc", endpoint = "load_receipts")]
pub async fn load_receipts() -> Result<(Vec<Receipt>, Vec<Location>), AppError> {
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    let receipts = commerce::inventory::stock::receipts(db.read(), &actor, 100).await?;
    let locations = commerce::inventory::levels::locations(db.read(), &actor).await?;
    Ok((receipts, locations))
}

/// Books goods in from lines typed as "SKU units unit-cost". `submission` is the form's
/// one-time key: a second press answers the first receipt and books nothing.
#[server(prefix = "/rpc", endpoint = "receive_stock")]
pub async fn receive_stock(
    location: Uuid,
    supplier: String,
    reference: String,
    lines: String,
    #[server(default)] submission: String,
) -> Result<Received, AppError> {
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    let location_text = location.to_string();
    let once =
        super::submission(&actor, &submission, "receive_stock", &[&location_text, &supplier, &reference, &lines])?;
    let typed = commerce::inventory::parse_lines(&lines, true)?;
    let found = variants_for(&db, &actor, &typed).await?;
    let lines = found.into_iter().zip(&typed).map(|(line, t)| (line, t.unit_cost.unwrap_or_default())).collect();
    let input = commerce::inventory::ReceiptInput {
        location: commerce::base::LocationId(location),
        supplier,
        reference,
        lines,
    };
    Ok(commerce::inventory::stock::receive(db.primary(), &actor, input, once.as_ref())
        .await
        .map_err(|e| by_item(e, &typed))?)
}

/// The domain names a problem with one line of a receipt or transfer by its place
/// (`lines[2].unit_cost`); the form has one box for all the lines, so the problem is said
/// there, naming the item as it was typed.
#[cfg(feature = "ssr")]
pub(super) fn by_item(error: commerce::Error, typed: &[commerce::inventory::TypedLine]) -> commerce::Error {
    use commerce::Error;
    let name = |(field, message): (String, String)| {
        let place = field.strip_prefix("lines[").and_then(|rest| rest.split_once(']'));
        let item = place.and_then(|(i, _)| i.parse::<usize>().ok()).and_then(|i| typed.get(i));
        let what = match place.map(|(_, rest)| rest) {
            Some(".unit_cost") => ", unit cost",
            Some(".quantity") => ", units",
            _ => "",
        };
        match item {
            Some(line) => ("lines".to_owned(), format!("{}{what}: {message}", line.code)),
            None => (field, message),
        }
    };
    match error {
        Error::Invalid { field, message } => {
            let (field, message) = name((field, message));
            Error::Invalid { field, message }
        }
        Error::InvalidFields(problems) => Error::InvalidFields(problems.into_iter().map(name).collect()),
        other => other,
    }
}

/// One receipt with its lines.
#[server(prefix = "/rpc", endpoint = "load_receipt")]
pub async fn load_receipt(id: Uuid) -> Result<ReceiptDetail, AppError> {
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    Ok(commerce::inventory::stock::receipt(db.read(), &actor, id).await?)
}

/// Voids a receipt booked by mistake, taking its stock back out.
#[server(prefix = "/rpc", endpoint = "void_receipt")]
pub async fn void_receipt(id: Uuid, reason: String, #[server(default)] submission: String) -> Result<(), AppError> {
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    let once = super::submission(&actor, &submission, "void_receipt", &[&id.to_string(), &reason])?;
    Ok(commerce::inventory::stock::void_receipt(db.primary(), &actor, id, &reason, once.as_ref()).await?)
}

/// A page of transfers with their lines, newest first, and the locations.
#[server(prefix = "/rpc", endpoint = "load_transfers")]
pub async fn load_transfers(after: Option<String>) -> Result<(Page<Transfer>, Vec<Location>), AppError> {
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    let page =
        commerce::inventory::transfer::list(db.read(), &actor, super::after(after.as_deref()), PAGE_OF_DOCUMENTS)
            .await?;
    Ok((page, commerce::inventory::levels::locations(db.read(), &actor).await?))
}

/// Drafts a transfer from lines typed as "SKU units".
#[server(prefix = "/rpc", endpoint = "draft_transfer")]
pub async fn draft_transfer(
    from: Uuid,
    to: Uuid,
    lines: String,
    note: String,
    #[server(default)] submission: String,
) -> Result<(), AppError> {
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    let (from_text, to_text) = (from.to_string(), to.to_string());
    let once = super::submission(&actor, &submission, "draft_transfer", &[&from_text, &to_text, &lines, &note])?;
    let typed = commerce::inventory::parse_lines(&lines, false)?;
    let found = variants_for(&db, &actor, &typed).await?;
    let (from, to) = (commerce::base::LocationId(from), commerce::base::LocationId(to));
    commerce::inventory::transfer::create(db.primary(), &actor, from, to, &found, &note, once.as_ref())
        .await
        .map_err(|e| by_item(e, &typed))?;
    Ok(())
}

/// Moves a transfer on: `send`, `receive` (everything arrived) or `cancel`.
#[server(prefix = "/rpc", endpoint = "advance_transfer")]
pub async fn advance_transfer(id: Uuid, step: String, #[server(default)] submission: String) -> Result<(), AppError> {
    use commerce::inventory::transfer;
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    let once = super::submission(&actor, &submission, "advance_transfer", &[&id.to_string(), &step])?;
    let once = once.as_ref();
    match step.as_str() {
        "send" => transfer::send(db.primary(), &actor, id, once).await?,
        "receive" => transfer::receive(db.primary(), &actor, id, &[], once).await?,
        "cancel" => transfer::cancel(db.primary(), &actor, id, once).await?,
        _ => return Err(commerce::Error::invalid("step", "send, receive or cancel").into()),
    }
    Ok(())
}

/// A page of counts, newest first, and the locations.
#[server(prefix = "/rpc", endpoint = "load_counts")]
pub async fn load_counts(after: Option<String>) -> Result<(Page<StockCount>, Vec<Location>), AppError> {
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    let page =
        commerce::inventory::count::list(db.read(), &actor, super::after(after.as_deref()), PAGE_OF_DOCUMENTS).await?;
    Ok((page, commerce::inventory::levels::locations(db.read(), &actor).await?))
}

/// Transfers and counts shown a page at a time.
#[cfg(feature = "ssr")]
const PAGE_OF_DOCUMENTS: i64 = 50;

/// Opens a count at a location and goes to its sheet.
#[server(prefix = "/rpc", endpoint = "start_count")]
pub async fn start_count(location: Uuid, note: String, #[server(default)] submission: String) -> Result<(), AppError> {
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    let location_text = location.to_string();
    let once = super::submission(&actor, &submission, "start_count", &[&location_text, &note])?;
    let location = commerce::base::LocationId(location);
    let id = commerce::inventory::count::start(db.primary(), &actor, location, &note, once.as_ref()).await?;
    leptos_axum::redirect(&format!("/admin/stock/counts/{id}"));
    Ok(())
}

/// One count with its sheet.
#[server(prefix = "/rpc", endpoint = "load_count")]
pub async fn load_count(id: Uuid) -> Result<StockCount, AppError> {
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    Ok(commerce::inventory::count::get(db.read(), &actor, id).await?)
}

/// Saves what was counted: `counts` holds one entry per sheet line, "variant-id=units" (units
/// empty for not counted yet).
#[server(prefix = "/rpc", endpoint = "save_count", input = leptos::server_fn::codec::Json)]
pub async fn save_count(
    id: Uuid,
    counts: Vec<(Uuid, String)>,
    approve: bool,
    #[server(default)] submission: String,
) -> Result<(), AppError> {
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    let typed: Vec<String> = counts.iter().map(|(variant, units)| format!("{variant}={units}")).collect();
    let mut fields: Vec<&str> = vec![if approve { "approve" } else { "save" }];
    fields.extend(typed.iter().map(String::as_str));
    let once = super::submission(&actor, &submission, "save_count", &fields)?;
    let mut entries = Vec::with_capacity(counts.len());
    for (i, (variant, units)) in counts.into_iter().enumerate() {
        let units = units.trim();
        let counted = if units.is_empty() {
            None
        } else {
            Some(
                units
                    .parse::<i32>()
                    .map_err(|_| commerce::Error::invalid(format!("counts[{i}]"), "a whole number of units"))?,
            )
        };
        entries.push((commerce::catalog::VariantId(variant), counted));
    }
    commerce::inventory::count::save(db.primary(), &actor, id, &entries, approve, once.as_ref()).await?;
    Ok(())
}

/// Abandons an open count.
#[server(prefix = "/rpc", endpoint = "cancel_count")]
pub async fn cancel_count(id: Uuid, #[server(default)] submission: String) -> Result<(), AppError> {
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    let once = super::submission(&actor, &submission, "cancel_count", &[&id.to_string()])?;
    Ok(commerce::inventory::count::cancel(db.primary(), &actor, id, once.as_ref()).await?)
}

/// Stock alerts, open ones first.
#[server(prefix = "/rpc", endpoint = "load_alerts")]
pub async fn load_alerts(open_only: bool) -> Result<Vec<Alert>, AppError> {
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    Ok(commerce::inventory::levels::alerts(db.read(), &actor, open_only, 300).await?)
}

/// The variants typed lines name, or an error naming the first line whose code names nothing.
#[cfg(feature = "ssr")]
pub(super) async fn variants_for(
    db: &commerce::db::Db,
    actor: &commerce::base::Actor,
    typed: &[commerce::inventory::TypedLine],
) -> Result<Vec<commerce::inventory::Line>, commerce::Error> {
    let codes: Vec<String> = typed.iter().map(|t| t.code.clone()).collect();
    let found = commerce::catalog::product::find_variants(db.read(), actor, &codes).await?;
    found
        .into_iter()
        .zip(typed)
        .enumerate()
        .map(|(n, (variant, t))| match variant {
            Some(v) => Ok(commerce::inventory::Line { variant: v.id, quantity: t.quantity }),
            None => Err(commerce::Error::invalid(
                "lines",
                format!("line {}: no product has the SKU or barcode {}", n + 1, t.code),
            )),
        })
        .collect()
}
