//! A product's pictures: added from an upload (checked, resized and kept in the media store),
//! described for people who cannot see them, put in order, and removed. The first is the one
//! lists and the storefront show. Files are written before their row and deleted after it is
//! gone (by the worker, see [`crate::media::delete_discarded`]), so a row never names a file
//! that is not there.

use serde_json::json;
use sqlx::PgConnection;
use uuid::Uuid;

use super::{ProductId, ProductImage, image_urls};
use crate::Error;
use crate::audit::{self, Change};
use crate::base::{Actor, Permission, Scope, TenantId, VendorId};
use crate::db::{in_tenant_tx, tenant_tx};
use crate::idempotency::{self, Once};
use crate::media::picture::{self, Prepared};
use crate::media::{MediaStore, thumbnail_key};

/// The most pictures a product has.
pub const MOST: i64 = 12;

/// The longest description of a picture.
const LONGEST_ALT: usize = 200;

/// A picture as it was uploaded.
#[derive(Clone, Debug)]
pub struct Upload {
    /// The file's bytes.
    pub bytes: Vec<u8>,
    /// What it shows, for people who cannot see it.
    pub alt: String,
}

fn checked_alt(alt: &str) -> Result<String, Error> {
    let alt = alt.trim();
    if alt.chars().count() > LONGEST_ALT {
        return Err(Error::invalid("alt", format!("at most {LONGEST_ALT} characters")));
    }
    Error::refuse_nul("alt", alt)?;
    Ok(alt.to_owned())
}

/// Adds an uploaded picture after the product's others; answers it.
pub async fn add(
    db: &sqlx::PgPool,
    media: &dyn MediaStore,
    actor: &Actor,
    product: ProductId,
    upload: Upload,
    once: Option<&Once>,
) -> Result<ProductImage, Error> {
    let scope = actor.require(Permission::ManageCatalog)?;
    let (tenant, vendor) = (scope.tenant, scope.vendor);
    let alt = checked_alt(&upload.alt)?;
    if once.is_none() {
        // Refuse early (before the work of resizing) when the product is not there or is full.
        let mut tx = tenant_tx(db, tenant).await?;
        room_for_one(&mut tx, tenant, vendor, product).await?;
        tx.rollback().await?;
    }
    // Decoded a few at a time, the largest refused from their header (see the module), and with
    // no connection held: decoding a phone's photo takes long enough to starve the pool.
    let prepared = picture::prepare_in_turn(upload.bytes).await?;
    let mut tx = tenant_tx(db, tenant).await?;
    // A retried upload that was kept answers the picture it made (the retry's own decoding is
    // thrown away). A retry sent while the first is being kept waits here for its answer.
    if let Some(once) = once
        && let Some(earlier) = idempotency::begin(&mut tx, tenant, once).await?
    {
        tx.commit().await?;
        return Ok(earlier);
    }
    attach(tx, media, &scope, actor, product, prepared, &alt, once).await
}

/// Keeps a prepared picture's files and adds its row after the product's others, committing
/// the caller's transaction. The files are deleted again when the row cannot be added. (The demo
/// data, loaded inside one transaction of its own, keeps its files and calls [`insert`] itself.)
#[expect(clippy::too_many_arguments, reason = "one step of `add`, which gathers them")]
async fn attach(
    mut tx: sqlx::Transaction<'static, sqlx::Postgres>,
    media: &dyn MediaStore,
    scope: &Scope,
    actor: &Actor,
    product: ProductId,
    prepared: Prepared,
    alt: &str,
    once: Option<&Once>,
) -> Result<ProductImage, Error> {
    let tenant = scope.tenant;
    let kept = Kept { id: Uuid::now_v7(), extension: "jpg", width: prepared.width, height: prepared.height };
    let key = kept.key(tenant);
    media.put(&key, prepared.picture).await?;
    let thumb = thumbnail_key(&key);
    if let Err(error) = media.put(&thumb, prepared.thumbnail).await {
        let _ = media.delete(&key).await;
        return Err(error);
    }
    let added = async {
        let position = room_for_one(&mut tx, tenant, scope.vendor, product).await?;
        let image = insert(&mut tx, tenant, product, &kept, &key, position, alt).await?;
        let change = Change {
            entity: "product",
            entity_id: product.to_string(),
            action: "picture added",
            before: None,
            after: Some(json!({ "picture": image.id, "width": image.width, "height": image.height, "alt": alt })),
        };
        audit::record(&mut tx, tenant, actor, change).await?;
        if let Some(once) = once {
            idempotency::finish(&mut tx, tenant, once, &image).await?;
        }
        tx.commit().await?;
        Ok::<_, Error>(image)
    }
    .await;
    if added.is_err() {
        let _ = media.delete(&key).await;
        let _ = media.delete(&thumb).await;
    }
    added
}

/// A picture whose files are kept: what its row records.
#[derive(Clone, Debug)]
pub(crate) struct Kept {
    /// Its id.
    pub id: Uuid,
    /// Its files' extension.
    pub extension: &'static str,
    /// Its size in pixels.
    pub width: u32,
    /// Its size in pixels.
    pub height: u32,
}

impl Kept {
    /// Where its files are kept: `<tenant>/<id>.<extension>`.
    pub fn key(&self, tenant: TenantId) -> String {
        format!("{}/{}.{}", tenant.0, self.id, self.extension)
    }
}

/// Adds the row of a kept picture at `position`; answers the picture.
pub(crate) async fn insert(
    c: &mut PgConnection,
    tenant: TenantId,
    product: ProductId,
    kept: &Kept,
    key: &str,
    position: i32,
    alt: &str,
) -> Result<ProductImage, Error> {
    let (width, height) = (dimension(kept.width)?, dimension(kept.height)?);
    sqlx::query!(
        "INSERT INTO product_images (tenant_id, id, product_id, position, file_key, width, height, alt)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        tenant.0,
        kept.id,
        product.0,
        position,
        key,
        width,
        height,
        alt
    )
    .execute(&mut *c)
    .await?;
    let (url, thumbnail_url) = image_urls(key);
    Ok(ProductImage { id: kept.id, url, thumbnail_url, width, height, alt: alt.to_owned() })
}

fn dimension(pixels: u32) -> Result<i32, Error> {
    i32::try_from(pixels).map_err(|_| Error::Internal)
}

/// Locks the product's row (so two uploads number their pictures one after the other) and
/// answers the position after its last picture; refuses a product that is full.
async fn room_for_one(
    tx: &mut PgConnection,
    tenant: TenantId,
    vendor: Option<VendorId>,
    product: ProductId,
) -> Result<i32, Error> {
    lock_product(tx, tenant, vendor, product).await?;
    let held = sqlx::query!(
        r#"SELECT count(*) AS "count!", coalesce(max(position) + 1, 0) AS "next!"
             FROM product_images WHERE tenant_id = $1 AND product_id = $2"#,
        tenant.0,
        product.0
    )
    .fetch_one(&mut *tx)
    .await?;
    if held.count >= MOST {
        return Err(Error::invalid("file", format!("a product has at most {MOST} pictures; remove one first")));
    }
    Ok(held.next)
}

/// What to change about a picture.
#[derive(Clone, Debug, Default)]
pub struct Edit {
    /// A new description.
    pub alt: Option<String>,
    /// A new place among the product's pictures, counting from 0 (0 makes it the main one).
    pub position: Option<usize>,
}

/// Describes or moves a picture; answers the product's pictures in their new order.
pub async fn edit(
    db: &sqlx::PgPool,
    actor: &Actor,
    product: ProductId,
    image: Uuid,
    edit: Edit,
) -> Result<Vec<ProductImage>, Error> {
    let scope = actor.require(Permission::ManageCatalog)?;
    in_tenant_tx(db, scope.tenant, async |tx| edit_in(tx, &scope, actor, product, image, edit).await).await
}

/// The step of [`edit`], in the caller's transaction, for `scope` (its permission already
/// required).
pub async fn edit_in(
    tx: &mut PgConnection,
    scope: &Scope,
    actor: &Actor,
    product: ProductId,
    image: Uuid,
    edit: Edit,
) -> Result<Vec<ProductImage>, Error> {
    let tenant = scope.tenant;
    let alt = edit.alt.as_deref().map(checked_alt).transpose()?;
    lock_product(tx, tenant, scope.vendor, product).await?;
    let mut images = list(tx, tenant, product).await?;
    let Some(at) = images.iter().position(|i| i.id == image) else { return Err(Error::not_found("picture")) };
    if let Some(alt) = &alt {
        sqlx::query!("UPDATE product_images SET alt = $3 WHERE tenant_id = $1 AND id = $2", tenant.0, image, alt)
            .execute(&mut *tx)
            .await?;
        images[at].alt.clone_from(alt);
    }
    if let Some(to) = edit.position {
        let moved = images.remove(at);
        images.insert(to.min(images.len()), moved);
        let order: Vec<Uuid> = images.iter().map(|i| i.id).collect();
        let positions: Vec<i32> = (0..).take(order.len()).collect();
        sqlx::query!(
            "UPDATE product_images i SET position = o.position
               FROM unnest($3::uuid[], $4::int[]) AS o(id, position)
              WHERE i.tenant_id = $1 AND i.product_id = $2 AND i.id = o.id",
            tenant.0,
            product.0,
            &order,
            &positions
        )
        .execute(&mut *tx)
        .await?;
    }
    let change = Change {
        entity: "product",
        entity_id: product.to_string(),
        action: "picture changed",
        before: None,
        after: Some(json!({ "picture": image, "alt": alt, "position": edit.position })),
    };
    audit::record(tx, tenant, actor, change).await?;
    Ok(images)
}

/// Removes a picture (its files follow, see the module's notes); answers the pictures left.
pub async fn remove(
    db: &sqlx::PgPool,
    actor: &Actor,
    product: ProductId,
    image: Uuid,
) -> Result<Vec<ProductImage>, Error> {
    let scope = actor.require(Permission::ManageCatalog)?;
    in_tenant_tx(db, scope.tenant, async |tx| remove_in(tx, &scope, actor, product, image).await).await
}

/// The step of [`remove`], in the caller's transaction, for `scope` (its permission already
/// required).
pub async fn remove_in(
    tx: &mut PgConnection,
    scope: &Scope,
    actor: &Actor,
    product: ProductId,
    image: Uuid,
) -> Result<Vec<ProductImage>, Error> {
    let tenant = scope.tenant;
    lock_product(tx, tenant, scope.vendor, product).await?;
    let gone = sqlx::query_scalar!(
        "DELETE FROM product_images WHERE tenant_id = $1 AND product_id = $2 AND id = $3 RETURNING alt",
        tenant.0,
        product.0,
        image
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| Error::not_found("picture"))?;
    let change = Change {
        entity: "product",
        entity_id: product.to_string(),
        action: "picture removed",
        before: Some(json!({ "picture": image, "alt": gone })),
        after: None,
    };
    audit::record(tx, tenant, actor, change).await?;
    list(tx, tenant, product).await
}

/// Locks the product's row: changes to its pictures are made one after another.
/// Locks the product while its pictures change; a vendor's staff find only their vendor's.
async fn lock_product(
    tx: &mut PgConnection,
    tenant: TenantId,
    vendor: Option<VendorId>,
    product: ProductId,
) -> Result<(), Error> {
    sqlx::query_scalar!(
        "SELECT id FROM products WHERE tenant_id = $1 AND id = $2 AND ($3::uuid IS NULL OR vendor_id = $3) FOR UPDATE",
        tenant.0,
        product.0,
        vendor.map(|v| v.0)
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| Error::not_found("product"))?;
    Ok(())
}

/// A product's pictures in order.
pub(crate) async fn list(
    tx: &mut PgConnection,
    tenant: TenantId,
    product: ProductId,
) -> Result<Vec<ProductImage>, Error> {
    let rows = sqlx::query!(
        "SELECT id, file_key, width, height, alt FROM product_images
          WHERE tenant_id = $1 AND product_id = $2 ORDER BY position, id",
        tenant.0,
        product.0
    )
    .fetch_all(&mut *tx)
    .await?;
    Ok(rows
        .into_iter()
        .map(|i| {
            let (url, thumbnail_url) = image_urls(&i.file_key);
            ProductImage { id: i.id, url, thumbnail_url, width: i.width, height: i.height, alt: i.alt }
        })
        .collect())
}
