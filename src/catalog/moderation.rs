//! Moderation of vendors' products. When the marketplace's operator moderates a vendor, its new
//! product waits (`products.moderation = 'pending'`, not on sale) and its change to a product
//! already approved waits beside it in `product_changes`, the product staying on sale as it was.
//! The operator approves (the product goes on sale, or the change is made) or refuses with a
//! note the vendor reads; the vendor's staff may change a refused product and send it again.

use serde_json::json;
use sqlx::PgConnection;
use uuid::Uuid;

pub use super::{Decision, Waiting};
use super::{Moderation, ProductId, ProductInput};
use crate::audit::{self, Change};
use crate::base::{Actor, Permission, Scope, TenantId, VendorId};
use crate::idempotency::{self, Once};
use crate::{Clash, Error};

/// The step that makes a product wait for approval (a moderated vendor's new product, or one it
/// changed after it was refused).
pub(crate) async fn submit_new(tx: &mut PgConnection, tenant: TenantId, product: ProductId) -> Result<(), Error> {
    sqlx::query!(
        "UPDATE products SET moderation = 'pending', moderation_note = '' WHERE tenant_id = $1 AND id = $2",
        tenant.0,
        product.0
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// The step that keeps a moderated vendor's change to an approved product, to wait beside it
/// (a change sent again replaces the one that waited).
pub(crate) async fn submit_change(
    tx: &mut PgConnection,
    scope: &Scope,
    actor: &Actor,
    product: ProductId,
    vendor: VendorId,
    input: &ProductInput,
    revision: i64,
) -> Result<(), Error> {
    let tenant = scope.tenant;
    let who = actor.label();
    sqlx::query!(
        "UPDATE product_changes SET decision = 'withdrawn', decided_by = $3, decided_at = now()
          WHERE tenant_id = $1 AND product_id = $2 AND decision IS NULL",
        tenant.0,
        product.0,
        who
    )
    .execute(&mut *tx)
    .await?;
    let kept = serde_json::to_value(input).map_err(|_| Error::Internal)?;
    sqlx::query!(
        "INSERT INTO product_changes (tenant_id, id, product_id, vendor_id, input, base_revision, submitted_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
        tenant.0,
        Uuid::now_v7(),
        product.0,
        vendor.0,
        kept,
        revision,
        who
    )
    .execute(&mut *tx)
    .await?;
    let change = Change {
        entity: "product",
        entity_id: product.to_string(),
        action: "change sent for approval",
        before: None,
        after: Some(json!({ "name": input.name, "status": input.status.code() })),
    };
    audit::record(tx, tenant, actor, change).await
}

/// What waits for the operator, oldest first.
pub async fn waiting(db: &sqlx::PgPool, actor: &Actor) -> Result<Vec<Waiting>, Error> {
    let tenant = actor.require(Permission::ViewVendors)?.tenant;
    crate::db::in_tenant_tx(db, tenant, async |tx| {
        let rows = sqlx::query!(
            r#"SELECT p.id AS "product!", p.name AS "now_named!", v.name AS "vendor!", c.input AS "input?",
                      coalesce(c.submitted_at, p.updated_at) AS "since!", p.description, p.brand, p.category_id,
                      p.tax_class, p.options
                 FROM products p
                 JOIN vendors v ON v.tenant_id = p.tenant_id AND v.id = p.vendor_id
                 LEFT JOIN product_changes c ON c.tenant_id = p.tenant_id AND c.product_id = p.id AND c.decision IS NULL
                WHERE p.tenant_id = $1 AND (p.moderation = 'pending' OR c.id IS NOT NULL)
                ORDER BY 5, 1
                LIMIT 500"#,
            tenant.0
        )
        .fetch_all(&mut *tx)
        .await?;
        let mut waiting = Vec::with_capacity(rows.len());
        for r in rows {
            let change =
                r.input.map(serde_json::from_value::<ProductInput>).transpose().map_err(|_| Error::Internal)?;
            let Some(change) = change else {
                waiting.push(Waiting {
                    product: ProductId(r.product),
                    name: r.now_named,
                    now_named: None,
                    vendor: r.vendor,
                    is_change: false,
                    changed: Vec::new(),
                    since: r.since,
                });
                continue;
            };
            let variants = crate::catalog::product::variants_as_input(tx, tenant, ProductId(r.product)).await?;
            let mut changed = Vec::new();
            let mut differs = |field: &str, different: bool| {
                if different {
                    changed.push(field.to_owned());
                }
            };
            differs("name", change.name != r.now_named);
            differs("description", change.description != r.description);
            differs("brand", change.brand != r.brand);
            differs("category", change.category.map(|c| c.0) != r.category_id);
            differs("VAT", change.tax_class.code() != r.tax_class);
            differs("options", change.options != r.options);
            differs("variants and prices", change.variants != variants);
            waiting.push(Waiting {
                product: ProductId(r.product),
                name: change.name,
                now_named: Some(r.now_named),
                vendor: r.vendor,
                is_change: true,
                changed,
                since: r.since,
            });
        }
        Ok(waiting)
    })
    .await
}

/// Decides on a product or change that waits: approving puts the product on sale, or makes the
/// change (keeping the product's status as it is now: the vendor takes a product off sale at
/// once, without approval); refusing needs a note the vendor reads. Either way the vendor is
/// told by mail. Refused with a conflict when nothing waits for it.
pub async fn decide(
    db: &sqlx::PgPool,
    actor: &Actor,
    product: ProductId,
    decision: Decision,
    note: &str,
    once: Option<&Once>,
) -> Result<(), Error> {
    let scope = actor.require(Permission::ManageVendors)?;
    let tenant = scope.tenant;
    let note = note.trim();
    Error::refuse_nul("note", note)?;
    if note.chars().count() > 1000 {
        return Err(Error::invalid("note", "at most 1,000 characters"));
    }
    if decision == Decision::Reject && note.is_empty() {
        return Err(Error::invalid("note", "say what to change: the vendor reads it"));
    }
    idempotency::run(db, tenant, once, async |tx| {
        let row = sqlx::query!(
            r#"SELECT p.name, p.moderation, p.status, v.email, v.name AS vendor,
                      c.id AS "change?", c.input AS "input?"
                 FROM products p
                 JOIN vendors v ON v.tenant_id = p.tenant_id AND v.id = p.vendor_id
                 LEFT JOIN product_changes c ON c.tenant_id = p.tenant_id AND c.product_id = p.id AND c.decision IS NULL
                WHERE p.tenant_id = $1 AND p.id = $2
                  FOR UPDATE OF p"#,
            tenant.0,
            product.0
        )
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| Error::not_found("product"))?;
        let who = actor.label();
        let (what, verdict) = match (row.change, row.input, decision) {
            (Some(change), Some(input), Decision::Approve) => {
                let mut input: ProductInput = serde_json::from_value(input).map_err(|_| Error::Internal)?;
                input.status = super::ProductStatus::from_code(&row.status).unwrap_or_default();
                super::product::save(tx, tenant, actor, Some((product, None)), &input).await?;
                close_change(tx, tenant, change, "approved", &who, note).await?;
                ("change", "approved")
            }
            (Some(change), _, Decision::Reject) => {
                close_change(tx, tenant, change, "rejected", &who, note).await?;
                ("change", "not approved")
            }
            (None, _, _) if row.moderation == Moderation::Pending.code() => {
                let to = if decision == Decision::Approve { Moderation::Approved } else { Moderation::Rejected };
                sqlx::query!(
                    "UPDATE products SET moderation = $3, moderation_note = $4, updated_at = now()
                      WHERE tenant_id = $1 AND id = $2",
                    tenant.0,
                    product.0,
                    to.code(),
                    note
                )
                .execute(&mut *tx)
                .await?;
                ("product", if decision == Decision::Approve { "approved" } else { "not approved" })
            }
            _ => {
                return Err(Error::conflict(Clash::WrongState, format!("Nothing of {} waits for approval.", row.name)));
            }
        };
        let change = Change {
            entity: "product",
            entity_id: product.to_string(),
            action: if decision == Decision::Approve { "approved" } else { "not approved" },
            before: None,
            after: Some(json!({ "what": what, "note": note })),
        };
        audit::record(tx, tenant, actor, change).await?;
        if !row.email.is_empty() {
            let said = if note.is_empty() { String::new() } else { format!("\n\nThe marketplace says: {note}") };
            let body = format!(
                "{}: your {what} is {verdict}.{said}\n\nSee it in the vendor portal, under Products.",
                row.name
            );
            let subject = format!("{} is {verdict}", row.name);
            crate::identity::outbox::send_later(tx, tenant, &row.email, &subject, &body).await?;
        }
        Ok(())
    })
    .await
}

async fn close_change(
    tx: &mut PgConnection,
    tenant: TenantId,
    change: Uuid,
    decision: &str,
    who: &str,
    note: &str,
) -> Result<(), Error> {
    sqlx::query!(
        "UPDATE product_changes SET decision = $3, decided_by = $4, decided_at = now(), note = $5
          WHERE tenant_id = $1 AND id = $2",
        tenant.0,
        change,
        decision,
        who,
        note
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}
