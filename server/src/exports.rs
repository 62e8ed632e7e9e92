//! Downloads for signed-in staff: `/admin/export/products.csv`, `/admin/export/stock.csv` and
//! `/admin/export/customers.csv`, one customer's data as JSON (`/admin/export/customers/{id}.json`),
//! the templates to fill in, `/admin/export/products-template.csv` and
//! `/admin/export/stock-template.csv`, and a vendor's statement (`/vendor/statement.csv`, and
//! `/admin/vendors/{id}/statement.csv` for the operator). Each starts with a byte-order mark, so that a spreadsheet
//! opens it as UTF-8 ("Nestlé", "₦"); the import skips it.

use axum::Extension;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use commerce::identity::session::Resolved;

use crate::AppState;

/// Every product variant as the import reads them.
pub async fn products(State(state): State<AppState>, session: Option<Extension<Resolved>>) -> Response {
    let Some(Extension(resolved)) = session else { return signed_out() };
    let file = commerce::files::export_products(state.db.read(), &resolved.actor).await;
    download(file, "products.csv")
}

/// Every stock level as the import reads them.
pub async fn stock(State(state): State<AppState>, session: Option<Extension<Resolved>>) -> Response {
    let Some(Extension(resolved)) = session else { return signed_out() };
    let file = commerce::files::export_stock(state.db.read(), &resolved.actor).await;
    download(file, "stock.csv")
}

/// Every customer, for a spreadsheet.
pub async fn customers(State(state): State<AppState>, session: Option<Extension<Resolved>>) -> Response {
    let Some(Extension(resolved)) = session else { return signed_out() };
    let file = commerce::orders::customer::export_csv(state.db.read(), &resolved.actor).await;
    download(file, "customers.csv")
}

/// Everything kept about one customer, as JSON: what they may ask for under the data
/// protection law.
pub async fn customer(
    State(state): State<AppState>,
    session: Option<Extension<Resolved>>,
    axum::extract::Path(file): axum::extract::Path<String>,
) -> Response {
    let Some(Extension(resolved)) = session else { return signed_out() };
    let Some(id) = file.strip_suffix(".json").and_then(|id| uuid::Uuid::parse_str(id).ok()) else {
        return (StatusCode::NOT_FOUND, "No such customer.").into_response();
    };
    match commerce::orders::customer::export(state.db.primary(), &resolved.actor, id).await {
        Ok(data) => (
            [
                (header::CONTENT_TYPE, "application/json".to_owned()),
                (header::CONTENT_DISPOSITION, format!("attachment; filename=\"customer-{id}.json\"")),
            ],
            serde_json::to_string_pretty(&data).unwrap_or_default(),
        )
            .into_response(),
        Err(error) => failed(&error),
    }
}

/// The days a statement covers, as its form sends them (`2026-12-01`; empty for no bound).
#[derive(Debug, Default, serde::Deserialize)]
pub struct Period {
    from: Option<String>,
    until: Option<String>,
}

impl Period {
    fn days(&self) -> Result<(Option<chrono::NaiveDate>, Option<chrono::NaiveDate>), commerce::Error> {
        let day = |text: &Option<String>, field: &str| match text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            None => Ok(None),
            Some(text) => chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .map(Some)
                .map_err(|_| commerce::Error::invalid(field, "a day such as 2026-12-01")),
        };
        Ok((day(&self.from, "from")?, day(&self.until, "until")?))
    }
}

/// The signed-in vendor's statement.
pub async fn own_statement(
    State(state): State<AppState>,
    session: Option<Extension<Resolved>>,
    axum::extract::Query(period): axum::extract::Query<Period>,
) -> Response {
    let Some(Extension(resolved)) = session else { return signed_out() };
    let file = match (commerce::marketplace::vendor::own_vendor(&resolved.actor), period.days()) {
        (Ok((_, vendor)), Ok((from, until))) => {
            commerce::marketplace::payouts::statement(state.db.read(), &resolved.actor, vendor, from, until).await
        }
        (Err(error), _) | (_, Err(error)) => Err(error),
    };
    download(file, "statement.csv")
}

/// A vendor's statement, for the operator's staff.
pub async fn vendor_statement(
    State(state): State<AppState>,
    session: Option<Extension<Resolved>>,
    axum::extract::Path(vendor): axum::extract::Path<uuid::Uuid>,
    axum::extract::Query(period): axum::extract::Query<Period>,
) -> Response {
    let Some(Extension(resolved)) = session else { return signed_out() };
    let vendor = commerce::base::VendorId(vendor);
    let file = match period.days() {
        Ok((from, until)) => {
            commerce::marketplace::payouts::statement(state.db.read(), &resolved.actor, vendor, from, until).await
        }
        Err(error) => Err(error),
    };
    download(file, "statement.csv")
}

/// The product file's columns with two example rows.
pub async fn products_template(session: Option<Extension<Resolved>>) -> Response {
    if session.is_none() {
        return signed_out();
    }
    download(Ok(commerce::files::template(commerce::files::ImportKind::Products)), "products-template.csv")
}

/// The stock file's columns with an example row.
pub async fn stock_template(session: Option<Extension<Resolved>>) -> Response {
    if session.is_none() {
        return signed_out();
    }
    download(Ok(commerce::files::template(commerce::files::ImportKind::Stock)), "stock-template.csv")
}

fn signed_out() -> Response {
    (StatusCode::UNAUTHORIZED, "Sign in to download.").into_response()
}

fn download(file: Result<String, commerce::Error>, name: &str) -> Response {
    match file {
        Ok(text) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
                (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
            ],
            format!("\u{feff}{text}"),
        )
            .into_response(),
        Err(error) => failed(&error),
    }
}

/// A refusal, with the status the API would give it.
fn failed(error: &commerce::Error) -> Response {
    let status = StatusCode::from_u16(crate::rest::Problem::from(error.clone()).status)
        .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, error.to_string()).into_response()
}
