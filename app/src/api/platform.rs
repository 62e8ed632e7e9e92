use commerce::identity::PlatformOverview;
use leptos::prelude::*;

use crate::AppError;

/// Every business on the platform with its totals.
#[server(prefix = "/rpc", endpoint = "load_platform_overview")]
pub async fn load_platform_overview() -> Result<PlatformOverview, AppError> {
    let db = super::db()?;
    Ok(commerce::identity::platform_overview(db.read()).await?)
}
