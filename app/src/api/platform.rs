use commerce::identity::PlatformOverview;
use leptos::prelude::*;

use crate::AppError;

/// Every business on the platform with its totals (platform admins only).
#[server(prefix = "/rpc", endpoint = "load_platform_overview")]
pub async fn load_platform_overview() -> Result<PlatformOverview, AppError> {
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    Ok(commerce::identity::platform_overview(db.read(), &actor).await?)
}

/// Suspends a business, or lets it trade again (platform admins only).
#[server(prefix = "/rpc", endpoint = "set_business_status")]
pub async fn set_business_status(tenant: uuid::Uuid, suspended: bool) -> Result<(), AppError> {
    use commerce::base::TenantId;
    use commerce::identity::TenantStatus;
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    let status = if suspended { TenantStatus::Suspended } else { TenantStatus::Active };
    Ok(commerce::identity::set_status(db.primary(), &actor, TenantId(tenant), status).await?)
}
