//! `GET /api/v1/settings`: the business's settings.

use axum::Json;
use axum::extract::State;
use serde::Serialize;
use utoipa::ToSchema;

use super::{ApiActor, Problem};
use crate::AppState;

/// The business's settings.
#[derive(Debug, Serialize, ToSchema)]
pub struct Settings {
    /// The business's id.
    pub id: uuid::Uuid,
    /// Its trading name.
    pub name: String,
    /// Its storefront's slug, `/store/{slug}`.
    pub slug: String,
    /// `svm`, `mvm` or `both`.
    pub mode: &'static str,
    /// ISO 4217 currency code.
    pub currency: &'static str,
    /// VAT in percent, as a decimal string (`"7.5"`).
    pub vat_rate: String,
    /// Whether shelf prices include VAT.
    pub prices_include_tax: bool,
    /// IANA time zone.
    pub time_zone: String,
    /// Whether the storefront is listed on the platform's public start page (the owner chooses
    /// it in the back office's settings).
    pub listed: bool,
}

/// The business's settings.
#[utoipa::path(
    get,
    path = "/settings",
    tag = "settings",
    security(("bearer" = ["settings:read"])),
    responses(
        (status = 200, description = "The settings", body = Settings),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token lacks settings:read", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn show(State(state): State<AppState>, ApiActor(actor): ApiActor) -> Result<Json<Settings>, Problem> {
    let t = commerce::identity::settings(state.db.read(), &actor).await?;
    Ok(Json(Settings {
        id: t.id.0,
        name: t.name,
        slug: t.slug,
        mode: t.mode.code(),
        currency: t.currency.code(),
        vat_rate: t.vat_rate.normalize().to_string(),
        prices_include_tax: t.prices_include_tax,
        time_zone: t.time_zone,
        listed: t.listed,
    }))
}
