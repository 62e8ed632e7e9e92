//! Each person's arrangement of their dashboard, kept per business.

use sqlx::PgPool;

use super::{Layout, Move, Size, Widget, WidgetKind};
use crate::Error;
use crate::base::{Actor, Permission, Role};
use crate::db::tenant_tx;

/// The dashboard as this person arranged it, or their role's until they change it. Widgets the
/// stored arrangement names that no longer exist are passed over.
pub async fn layout(db: &PgPool, actor: &Actor) -> Result<Layout, Error> {
    let (tenant, user, role) = person(actor)?;
    let mut tx = tenant_tx(db, tenant).await?;
    let stored = sqlx::query_scalar!(
        "SELECT widgets FROM dashboard_layouts WHERE tenant_id = $1 AND user_id = $2",
        tenant.0,
        user
    )
    .fetch_optional(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(stored.map_or_else(|| Layout::for_role(role), read))
}

/// Makes one change to this person's dashboard and keeps it; answers the layout as it now is.
/// A layout is the person's own preference, not the business's record, so it leaves no audit.
pub async fn arrange(db: &PgPool, actor: &Actor, change: Move) -> Result<Layout, Error> {
    let (tenant, user, role) = person(actor)?;
    let mut tx = tenant_tx(db, tenant).await?;
    let stored = sqlx::query_scalar!(
        "SELECT widgets FROM dashboard_layouts WHERE tenant_id = $1 AND user_id = $2 FOR UPDATE",
        tenant.0,
        user
    )
    .fetch_optional(&mut *tx)
    .await?;
    let layout = stored.map_or_else(|| Layout::for_role(role), read).apply(change, role);
    if change == Move::Reset {
        sqlx::query!("DELETE FROM dashboard_layouts WHERE tenant_id = $1 AND user_id = $2", tenant.0, user)
            .execute(&mut *tx)
            .await?;
    } else {
        let widgets: Vec<serde_json::Value> = layout
            .widgets
            .iter()
            .map(|w| serde_json::json!({ "kind": w.kind.code(), "size": w.size.code() }))
            .collect();
        sqlx::query!(
            "INSERT INTO dashboard_layouts (tenant_id, user_id, widgets) VALUES ($1, $2, $3)
             ON CONFLICT (tenant_id, user_id) DO UPDATE SET widgets = excluded.widgets, updated_at = now()",
            tenant.0,
            user,
            serde_json::Value::Array(widgets)
        )
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(layout)
}

/// The member of staff whose dashboard it is; an API client has figures but no dashboard.
fn person(actor: &Actor) -> Result<(crate::base::TenantId, uuid::Uuid, Role), Error> {
    let scope = actor.require(Permission::ViewDashboard)?;
    match actor {
        Actor::Staff(member) => Ok((scope.tenant, member.user, member.role)),
        _ => Err(Error::Forbidden("a dashboard is arranged by a member of staff".to_owned())),
    }
}

fn read(stored: serde_json::Value) -> Layout {
    let widgets = stored
        .as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(|item| {
                    let kind = WidgetKind::from_code(item.get("kind")?.as_str()?)?;
                    let size = item.get("size").and_then(|s| s.as_str()).and_then(Size::from_code);
                    Some(Widget { kind, size: size.unwrap_or_else(|| kind.natural_size()) })
                })
                .collect()
        })
        .unwrap_or_default();
    Layout { widgets, own: true }
}
