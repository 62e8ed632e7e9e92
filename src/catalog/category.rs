//! Categories as a tree: list with full paths, create, rename or move (never under itself),
//! and remove an empty one.

use serde_json::json;
use uuid::Uuid;

use super::{Category, CategoryId};
use crate::audit::{self, Change};
use crate::base::{Actor, Permission, Scope};
use crate::db::{field_errors, tenant_tx};
use crate::idempotency::{self, Once};
use crate::{Clash, Error};

/// Every category of the business, in tree order (each parent before its children, siblings
/// by name).
pub async fn list(db: &sqlx::PgPool, actor: &Actor) -> Result<Vec<Category>, Error> {
    let tenant = actor.require(Permission::ViewCatalog)?.tenant;
    let mut tx = tenant_tx(db, tenant).await?;
    let rows = sqlx::query!(
        r#"WITH RECURSIVE tree AS (
               SELECT id, parent_id, name, name::text AS path, 0 AS depth, ARRAY[lower(name), id::text] AS sort_key
                 FROM categories WHERE tenant_id = $1 AND parent_id IS NULL
               UNION ALL
               SELECT c.id, c.parent_id, c.name, tree.path || ' › ' || c.name, tree.depth + 1,
                      tree.sort_key || ARRAY[lower(c.name), c.id::text]
                 FROM categories c JOIN tree ON c.parent_id = tree.id
                WHERE c.tenant_id = $1 AND tree.depth < 20)
           SELECT t.id AS "id!", t.parent_id, t.name AS "name!", t.path AS "path!", t.depth AS "depth!",
                  coalesce(n.products, 0) AS "products!"
             FROM tree t
             LEFT JOIN (SELECT category_id, count(*) AS products FROM products
                         WHERE tenant_id = $1 AND category_id IS NOT NULL GROUP BY category_id) n
               ON n.category_id = t.id
            ORDER BY t.sort_key"#,
        tenant.0
    )
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(rows
        .into_iter()
        .map(|r| Category {
            id: CategoryId(r.id),
            parent: r.parent_id.map(CategoryId),
            name: r.name,
            path: r.path,
            depth: r.depth,
            products: r.products,
        })
        .collect())
}

/// Every category's path as files write it ("Food > Rice & grains"), inside the caller's
/// transaction.
pub(crate) async fn paths_in(
    tx: &mut sqlx::PgConnection,
    tenant: crate::base::TenantId,
) -> Result<Vec<(String, CategoryId)>, Error> {
    let rows = sqlx::query!(
        r#"WITH RECURSIVE tree AS (
               SELECT id, name::text AS path, 0 AS depth FROM categories WHERE tenant_id = $1 AND parent_id IS NULL
               UNION ALL
               SELECT c.id, tree.path || ' > ' || c.name, tree.depth + 1
                 FROM categories c JOIN tree ON c.parent_id = tree.id WHERE c.tenant_id = $1 AND tree.depth < 20)
           SELECT id AS "id!", path AS "path!" FROM tree"#,
        tenant.0
    )
    .fetch_all(&mut *tx)
    .await?;
    Ok(rows.into_iter().map(|r| (r.path, CategoryId(r.id))).collect())
}

/// Creates a category, at the top or under `parent`. With `once`, a second request with the
/// same key answers the first category and makes no other.
pub async fn create(
    db: &sqlx::PgPool,
    actor: &Actor,
    name: &str,
    parent: Option<CategoryId>,
    once: Option<&Once>,
) -> Result<CategoryId, Error> {
    let scope = actor.require(Permission::ManageCatalog)?;
    idempotency::run(db, scope.tenant, once, async |tx| create_in(tx, &scope, actor, name, parent).await).await
}

/// The step of [`create`], in the caller's transaction, for `scope` (its permission already
/// required); `actor` is who the audit names.
pub async fn create_in(
    tx: &mut sqlx::PgConnection,
    scope: &Scope,
    actor: &Actor,
    name: &str,
    parent: Option<CategoryId>,
) -> Result<CategoryId, Error> {
    let tenant = scope.tenant;
    scope.operator_only("arrange the categories")?;
    let name = checked_name(name)?;
    let id = CategoryId(Uuid::now_v7());
    sqlx::query!(
        "INSERT INTO categories (tenant_id, id, parent_id, name) VALUES ($1, $2, $3, $4)",
        tenant.0,
        id.0,
        parent.map(|p| p.0),
        name
    )
    .execute(&mut *tx)
    .await
    .map_err(category_errors)?;
    let change = Change {
        entity: "category",
        entity_id: id.0.to_string(),
        action: "created",
        before: None,
        after: Some(json!({ "name": name, "parent": parent.map(|p| p.0) })),
    };
    audit::record(tx, tenant, actor, change).await?;
    Ok(id)
}

/// Renames a category or moves it under another (never under itself or its own children).
/// With `once`, a second request with the same key answers the first and writes nothing more.
pub async fn update(
    db: &sqlx::PgPool,
    actor: &Actor,
    id: CategoryId,
    name: &str,
    parent: Option<CategoryId>,
    once: Option<&Once>,
) -> Result<(), Error> {
    let scope = actor.require(Permission::ManageCatalog)?;
    idempotency::run(db, scope.tenant, once, async |tx| update_in(tx, &scope, actor, id, name, parent).await).await
}

/// The step of [`update`], in the caller's transaction, for `scope` (its permission already
/// required).
pub async fn update_in(
    tx: &mut sqlx::PgConnection,
    scope: &Scope,
    actor: &Actor,
    id: CategoryId,
    name: &str,
    parent: Option<CategoryId>,
) -> Result<(), Error> {
    let tenant = scope.tenant;
    scope.operator_only("arrange the categories")?;
    let name = checked_name(name)?;
    let before = sqlx::query!(
        "SELECT name, parent_id FROM categories WHERE tenant_id = $1 AND id = $2 FOR UPDATE",
        tenant.0,
        id.0
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| Error::not_found("category"))?;
    if let Some(parent) = parent {
        let loops = sqlx::query_scalar!(
            r#"WITH RECURSIVE up AS (
                   SELECT id, parent_id, 0 AS depth FROM categories WHERE tenant_id = $1 AND id = $2
                   UNION ALL
                   SELECT c.id, c.parent_id, up.depth + 1 FROM categories c JOIN up ON c.id = up.parent_id
                    WHERE c.tenant_id = $1 AND up.depth < 20)
               SELECT EXISTS (SELECT 1 FROM up WHERE id = $3) AS "loops!""#,
            tenant.0,
            parent.0,
            id.0
        )
        .fetch_one(&mut *tx)
        .await?;
        if loops {
            return Err(Error::invalid("parent", "a category cannot sit under itself or one of its own"));
        }
    }
    sqlx::query!(
        "UPDATE categories SET name = $3, parent_id = $4 WHERE tenant_id = $1 AND id = $2",
        tenant.0,
        id.0,
        name,
        parent.map(|p| p.0)
    )
    .execute(&mut *tx)
    .await
    .map_err(category_errors)?;
    let change = Change {
        entity: "category",
        entity_id: id.0.to_string(),
        action: "updated",
        before: Some(json!({ "name": before.name, "parent": before.parent_id })),
        after: Some(json!({ "name": name, "parent": parent.map(|p| p.0) })),
    };
    audit::record(tx, tenant, actor, change).await?;
    Ok(())
}

/// Removes a category that has no products and no categories under it. With `once`, a second
/// request with the same key answers the first rather than finding the category gone.
pub async fn delete(db: &sqlx::PgPool, actor: &Actor, id: CategoryId, once: Option<&Once>) -> Result<(), Error> {
    let scope = actor.require(Permission::ManageCatalog)?;
    idempotency::run(db, scope.tenant, once, async |tx| delete_in(tx, &scope, actor, id).await).await
}

/// The step of [`delete`], in the caller's transaction, for `scope` (its permission already
/// required).
pub async fn delete_in(tx: &mut sqlx::PgConnection, scope: &Scope, actor: &Actor, id: CategoryId) -> Result<(), Error> {
    let tenant = scope.tenant;
    scope.operator_only("arrange the categories")?;
    let row = sqlx::query!(
        r#"SELECT name,
                  EXISTS (SELECT 1 FROM products WHERE tenant_id = $1 AND category_id = $2) AS "has_products!",
                  EXISTS (SELECT 1 FROM categories WHERE tenant_id = $1 AND parent_id = $2) AS "has_children!"
             FROM categories WHERE tenant_id = $1 AND id = $2 FOR UPDATE"#,
        tenant.0,
        id.0
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| Error::not_found("category"))?;
    if row.has_products || row.has_children {
        return Err(Error::conflict(
            Clash::NotEmpty,
            format!("{} still has products or categories under it; move them first.", row.name),
        ));
    }
    sqlx::query!("DELETE FROM categories WHERE tenant_id = $1 AND id = $2", tenant.0, id.0).execute(&mut *tx).await?;
    let change = Change {
        entity: "category",
        entity_id: id.0.to_string(),
        action: "deleted",
        before: Some(json!({ "name": row.name })),
        after: None,
    };
    audit::record(tx, tenant, actor, change).await?;
    Ok(())
}

fn checked_name(name: &str) -> Result<&str, Error> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 80 {
        return Err(Error::invalid("name", "give the category a name (at most 80 characters)"));
    }
    Ok(name)
}

fn category_errors(error: sqlx::Error) -> Error {
    field_errors(
        error,
        &[
            ("categories_name_unique", "name", "there is already a category of this name here"),
            ("categories_tenant_id_parent_id_fkey", "parent", "choose one of your categories"),
        ],
    )
}
