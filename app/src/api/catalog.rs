use commerce::Currency;
use commerce::catalog::{Category, Product, ProductInput, ProductPage};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::AppError;

/// What the product list shows: a page of products, where the next begins, the categories to
/// filter by (prices carry their currency).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProductList {
    /// The page.
    pub page: ProductPage,
    /// The next page's cursor, as the address carries it.
    pub next: Option<String>,
    /// The category tree.
    pub categories: Vec<Category>,
}

/// A page of the product list, filtered as the address says.
#[server(prefix = "/rpc", endpoint = "load_products")]
pub async fn load_products(
    search: Option<String>,
    status: Option<String>,
    category: Option<String>,
    sort: Option<String>,
    after: Option<String>,
) -> Result<ProductList, AppError> {
    use commerce::catalog::{CategoryId, ProductCursor, ProductQuery, ProductSort, ProductStatus};
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    let query = ProductQuery {
        search,
        status: ProductStatus::filter(status.as_deref())?,
        category: super::optional_id(category.as_deref().unwrap_or_default(), "category")?.map(CategoryId),
        sort: ProductSort::parse(sort.as_deref())?,
    };
    let after: Option<ProductCursor> = super::after(after.as_deref());
    let page = commerce::catalog::product::list(db.read(), &actor, &query, after, 50).await?;
    let next = page.next.as_ref().map(commerce::base::page::cursor_after);
    let categories = commerce::catalog::category::list(db.read(), &actor).await?;
    Ok(ProductList { page, next, categories })
}

/// Changes the chosen products: sets their status (`draft`, `active`, `archived`), or puts them
/// on the store's home page (`feature`) or takes them off it (`unfeature`); answers how many
/// changed.
#[server(prefix = "/rpc", endpoint = "set_products_status")]
pub async fn set_products_status(ids: Vec<Uuid>, status: String) -> Result<u64, AppError> {
    use commerce::catalog::{ProductStatus, product};
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    let ids: Vec<_> = ids.into_iter().map(commerce::catalog::ProductId).collect();
    Ok(match status.as_str() {
        "feature" | "unfeature" => product::set_featured(db.primary(), &actor, &ids, status == "feature").await?,
        code => {
            let status =
                ProductStatus::from_code(code).ok_or_else(|| commerce::Error::invalid("status", "choose a change"))?;
            product::set_status(db.primary(), &actor, &ids, status).await?
        }
    })
}

/// What the product editor needs: the product (none for a new one), the categories and the
/// currency. The product is read from the primary: an editor opened from a replica that has not
/// yet caught up would start from an old revision, and its save would be refused.
#[server(prefix = "/rpc", endpoint = "load_product")]
pub async fn load_product(id: Option<Uuid>) -> Result<(Option<Product>, Vec<Category>, Currency), AppError> {
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    let product = match id {
        Some(id) => {
            Some(commerce::catalog::product::get(db.primary(), &actor, commerce::catalog::ProductId(id)).await?)
        }
        None => None,
    };
    let categories = commerce::catalog::category::list(db.read(), &actor).await?;
    Ok((product, categories, commerce::identity::currency(db.read(), &actor).await?))
}

/// Creates (no id) or saves a product made from `revision` of it; answers its id. A save made
/// from an older revision than the product's is refused, so two people editing at once cannot
/// silently undo each other's changes.
#[server(prefix = "/rpc", endpoint = "save_product", input = leptos::server_fn::codec::Json)]
pub async fn save_product(
    id: Option<Uuid>,
    revision: Option<i64>,
    input: ProductInput,
    #[server(default)] submission: String,
) -> Result<Uuid, AppError> {
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    let fields = [
        id.map(|id| id.to_string()).unwrap_or_default(),
        revision.map(|r| r.to_string()).unwrap_or_default(),
        serde_json::to_string(&input).unwrap_or_default(),
    ];
    let fields: Vec<&str> = fields.iter().map(String::as_str).collect();
    let once = super::submission(&actor, &submission, "save_product", &fields)?;
    let saved = match id {
        Some(id) => {
            let id = commerce::catalog::ProductId(id);
            commerce::catalog::product::update(db.primary(), &actor, id, input, revision, once.as_ref()).await?
        }
        None => commerce::catalog::product::create(db.primary(), &actor, input, once.as_ref()).await?,
    };
    Ok(saved.id.0)
}

/// Removes a product that was never stocked.
#[server(prefix = "/rpc", endpoint = "delete_product")]
pub async fn delete_product(id: Uuid) -> Result<(), AppError> {
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    commerce::catalog::product::delete(db.primary(), &actor, commerce::catalog::ProductId(id)).await?;
    leptos_axum::redirect("/admin/products");
    Ok(())
}

/// The category tree.
#[server(prefix = "/rpc", endpoint = "load_categories")]
pub async fn load_categories() -> Result<Vec<Category>, AppError> {
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    Ok(commerce::catalog::category::list(db.read(), &actor).await?)
}

/// Adds a category, at the top or under another.
#[server(prefix = "/rpc", endpoint = "add_category")]
pub async fn add_category(
    name: String,
    #[server(default)] parent: String,
    #[server(default)] submission: String,
) -> Result<(), AppError> {
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    let once = super::submission(&actor, &submission, "add_category", &[&name, &parent])?;
    let parent = super::optional_id(&parent, "parent")?.map(commerce::catalog::CategoryId);
    commerce::catalog::category::create(db.primary(), &actor, &name, parent, once.as_ref()).await?;
    Ok(())
}

/// Renames or moves a category.
#[server(prefix = "/rpc", endpoint = "edit_category")]
pub async fn edit_category(
    id: Uuid,
    name: String,
    #[server(default)] parent: String,
    #[server(default)] submission: String,
) -> Result<(), AppError> {
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    let once = super::submission(&actor, &submission, "edit_category", &[&id.to_string(), &name, &parent])?;
    let (id, parent) =
        (commerce::catalog::CategoryId(id), super::optional_id(&parent, "parent")?.map(commerce::catalog::CategoryId));
    commerce::catalog::category::update(db.primary(), &actor, id, &name, parent, once.as_ref()).await?;
    Ok(())
}

/// Removes an empty category.
#[server(prefix = "/rpc", endpoint = "delete_category")]
pub async fn delete_category(id: Uuid, #[server(default)] submission: String) -> Result<(), AppError> {
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    let once = super::submission(&actor, &submission, "delete_category", &[&id.to_string()])?;
    Ok(commerce::catalog::category::delete(db.primary(), &actor, commerce::catalog::CategoryId(id), once.as_ref())
        .await?)
}

/// Opens an import of a CSV file ("products" or "stock") and starts it in the background;
/// answers the job to follow. With `dry_run`, everything is checked and nothing kept.
#[server(prefix = "/rpc", endpoint = "start_import", input = leptos::server_fn::codec::Json)]
pub async fn start_import(kind: String, text: String, dry_run: bool) -> Result<Uuid, AppError> {
    use commerce::files::{self, ImportKind};
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    let kind = match kind.as_str() {
        "products" => ImportKind::Products,
        "stock" => ImportKind::Stock,
        _ => return Err(commerce::Error::invalid("kind", "products or stock").into()),
    };
    let job = files::begin(db.primary(), &actor, kind, &text, dry_run).await?;
    let pool = db.primary().clone();
    leptos::task::spawn(async move {
        files::run(&pool, &actor, job, kind, &text, dry_run).await;
    });
    Ok(job)
}

/// An import's progress and report.
#[server(prefix = "/rpc", endpoint = "load_import")]
pub async fn load_import(id: Uuid) -> Result<commerce::files::ImportJob, AppError> {
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    Ok(commerce::files::job(db.read(), &actor, id).await?)
}

/// Stops a running import; nothing of it is kept.
#[server(prefix = "/rpc", endpoint = "cancel_import")]
pub async fn cancel_import(id: Uuid) -> Result<(), AppError> {
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    Ok(commerce::files::cancel(db.primary(), &actor, id).await?)
}

/// Describes or moves one of a product's pictures; answers its pictures in their new order.
#[server(prefix = "/rpc", endpoint = "edit_product_image")]
pub async fn edit_product_image(
    product: Uuid,
    image: Uuid,
    alt: Option<String>,
    position: Option<usize>,
) -> Result<Vec<commerce::catalog::ProductImage>, AppError> {
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    let edit = commerce::catalog::image::Edit { alt, position };
    let product = commerce::catalog::ProductId(product);
    Ok(commerce::catalog::image::edit(db.primary(), &actor, product, image, edit).await?)
}

/// Removes one of a product's pictures; answers the pictures left.
#[server(prefix = "/rpc", endpoint = "remove_product_image")]
pub async fn remove_product_image(
    product: Uuid,
    image: Uuid,
) -> Result<Vec<commerce::catalog::ProductImage>, AppError> {
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    let product = commerce::catalog::ProductId(product);
    Ok(commerce::catalog::image::remove(db.primary(), &actor, product, image).await?)
}
