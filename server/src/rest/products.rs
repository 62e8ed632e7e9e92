//! `/api/v1/marketplace/products`: the catalog's products with their variants.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use commerce::base::VendorId;
use commerce::catalog::{
    self, CategoryId, Keep, Product, ProductCursor, ProductId, ProductInput, ProductQuery, ProductRow, ProductSort,
    ProductStatus, TaxClass, VariantId, VariantInput,
};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::idempotent::Keyed;
use super::list::{ListParams, Page, cursor_after};
use super::{ApiActor, IdPath, IdsPath, JsonBody, Problem, QueryOf};
use crate::AppState;

/// A variant: the thing with a SKU, a price and stock.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct VariantOut {
    /// Its id.
    pub id: Uuid,
    /// Stock-keeping unit, unique in the business (whatever the case).
    pub sku: String,
    /// EAN-13, EAN-8, UPC-A, or the merchant's own code.
    pub barcode: Option<String>,
    /// One value per option of the product.
    pub option_values: Vec<String>,
    /// Shelf price, a decimal string.
    #[schema(value_type = String, example = "1500.00")]
    pub price: Decimal,
    /// The "was" price.
    #[schema(value_type = Option<String>)]
    pub compare_at_price: Option<Decimal>,
    /// What a unit costs the business (weighted average of receipts).
    #[schema(value_type = Option<String>)]
    pub cost: Option<Decimal>,
    /// Shipping weight in grams.
    pub weight_grams: Option<i32>,
    /// Length, width and height in millimetres.
    pub dimensions_mm: Option<[i32; 3]>,
    /// Units on hand across locations.
    pub on_hand: i64,
    /// Units that can be sold across locations.
    pub available: i64,
}

/// A product image.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImageOut {
    /// Its id.
    pub id: Uuid,
    /// The original.
    pub url: String,
    /// A small version.
    pub thumbnail_url: String,
    /// The original's width in pixels.
    pub width: i32,
    /// The original's height in pixels.
    pub height: i32,
    /// Alternative text.
    pub alt: String,
}

impl From<catalog::ProductImage> for ImageOut {
    fn from(i: catalog::ProductImage) -> Self {
        Self { id: i.id, url: i.url, thumbnail_url: i.thumbnail_url, width: i.width, height: i.height, alt: i.alt }
    }
}

/// A product.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProductOut {
    /// Its id.
    pub id: Uuid,
    /// Its name.
    pub name: String,
    /// What it is.
    pub description: String,
    /// Who makes it.
    pub brand: String,
    /// Its category.
    pub category_id: Option<Uuid>,
    /// The category's path, "Food › Drinks".
    pub category_path: Option<String>,
    /// `draft`, `active` or `archived`.
    pub status: &'static str,
    /// `standard`, `zero` or `exempt`.
    pub tax_class: &'static str,
    /// The names of the options its variants differ by.
    pub options: Vec<String>,
    /// Its variants.
    pub variants: Vec<VariantOut>,
    /// Its images.
    pub images: Vec<ImageOut>,
    /// The marketplace vendor that sells it.
    pub vendor_id: Option<Uuid>,
    /// Shown on the storefront's home page (set from the back office's product list).
    pub featured: bool,
    /// Counts its changes; also its `ETag`. Send it back as `If-Match` when replacing it, and
    /// the change is refused (412, `version_mismatch`) if someone changed it in between.
    pub revision: i64,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}

impl From<Product> for ProductOut {
    fn from(p: Product) -> Self {
        Self {
            id: p.id.0,
            name: p.name,
            description: p.description,
            brand: p.brand,
            category_id: p.category.map(|c| c.0),
            category_path: p.category_path,
            status: p.status.code(),
            tax_class: p.tax_class.code(),
            options: p.options,
            variants: p
                .variants
                .into_iter()
                .map(|v| VariantOut {
                    id: v.id.0,
                    sku: v.sku,
                    barcode: v.barcode,
                    option_values: v.option_values,
                    price: commerce::base::money::exact(v.price.amount),
                    compare_at_price: v.compare_at_price.map(|m| commerce::base::money::exact(m.amount)),
                    cost: v.cost.map(|m| commerce::base::money::exact(m.amount)),
                    weight_grams: v.weight_grams,
                    dimensions_mm: v.dimensions_mm,
                    on_hand: v.on_hand,
                    available: v.available,
                })
                .collect(),
            images: p.images.into_iter().map(ImageOut::from).collect(),
            vendor_id: p.vendor,
            featured: p.featured,
            revision: p.revision,
            created_at: p.created_at,
            updated_at: p.updated_at,
        }
    }
}

/// A row of the product list.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProductSummary {
    /// Its id.
    pub id: Uuid,
    /// Its name.
    pub name: String,
    /// Who makes it.
    pub brand: String,
    /// Its category's name.
    pub category: Option<String>,
    /// `draft`, `active` or `archived`.
    pub status: &'static str,
    /// How many variants.
    pub variants: i64,
    /// The first variant's SKU.
    pub sku: String,
    /// Lowest variant price.
    #[schema(value_type = String)]
    pub price_from: Decimal,
    /// Highest variant price.
    #[schema(value_type = String)]
    pub price_to: Decimal,
    /// Units available across variants and locations.
    pub available: i64,
    /// Shown on the storefront's home page.
    pub featured: bool,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}

impl From<ProductRow> for ProductSummary {
    fn from(r: ProductRow) -> Self {
        Self {
            id: r.id.0,
            name: r.name,
            brand: r.brand,
            category: r.category,
            status: r.status.code(),
            variants: r.variants,
            sku: r.sku,
            price_from: commerce::base::money::exact(r.price_range.0.amount),
            price_to: commerce::base::money::exact(r.price_range.1.amount),
            available: r.available,
            featured: r.featured,
            updated_at: r.updated_at,
        }
    }
}

/// A variant to create or change.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VariantIn {
    /// The variant to change; leave out for a new one.
    pub id: Option<Uuid>,
    /// Stock-keeping unit: letters, digits, dots, dashes, slashes or underscores, starting with a
    /// letter or digit.
    #[schema(min_length = 1, max_length = 64, pattern = "^[A-Za-z0-9][A-Za-z0-9._/-]*$")]
    pub sku: String,
    /// Barcode.
    #[serde(default)]
    pub barcode: Option<String>,
    /// One value per option of the product.
    #[serde(default)]
    pub option_values: Vec<String>,
    /// Shelf price, a decimal string such as "1500.00".
    #[schema(value_type = String, pattern = "^[0-9]{1,12}(\\.[0-9]{1,2})?$")]
    pub price: Decimal,
    /// The "was" price.
    #[serde(default)]
    #[schema(value_type = Option<String>, pattern = "^[0-9]{1,12}(\\.[0-9]{1,2})?$")]
    pub compare_at_price: Option<Decimal>,
    /// Unit cost.
    #[serde(default)]
    #[schema(value_type = Option<String>, pattern = "^[0-9]{1,12}(\\.[0-9]{1,2})?$")]
    pub cost: Option<Decimal>,
    /// Shipping weight in grams.
    #[serde(default)]
    #[schema(minimum = 0, maximum = 1_000_000)]
    pub weight_grams: Option<i32>,
    /// Length, width and height in millimetres, each from 0 to 100,000.
    #[serde(default)]
    pub dimensions_mm: Option<[i32; 3]>,
}

/// A product to create, or the whole new state of one (PUT replaces; variants left out are
/// removed when they were never stocked).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "name": "Golden Penny Semovita 1kg",
    "brand": "Golden Penny",
    "status": "active",
    "options": ["Size"],
    "variants": [
        {"sku": "GP-SEMO-1KG", "option_values": ["1kg"], "price": "1850.00"},
        {"sku": "GP-SEMO-2KG", "option_values": ["2kg"], "price": "3600.00", "barcode": "6151100051233"}
    ]
}))]
pub struct ProductIn {
    /// Its name.
    #[schema(min_length = 1, max_length = 200)]
    pub name: String,
    /// What it is.
    #[serde(default)]
    #[schema(max_length = 20_000)]
    pub description: String,
    /// Who makes it.
    #[serde(default)]
    #[schema(max_length = 80)]
    pub brand: String,
    /// Its category.
    #[serde(default)]
    pub category_id: Option<Uuid>,
    /// `draft` (the default), `active` or `archived`.
    #[serde(default)]
    #[schema(pattern = "^(draft|active|archived)$")]
    pub status: Option<String>,
    /// `standard` (the default), `zero` or `exempt`.
    #[serde(default)]
    #[schema(pattern = "^(standard|zero|exempt)$")]
    pub tax_class: Option<String>,
    /// Option names, at most three.
    #[serde(default)]
    #[schema(max_items = 3)]
    pub options: Vec<String>,
    /// Its variants, at least one.
    #[schema(min_items = 1, max_items = 250)]
    pub variants: Vec<VariantIn>,
    /// The marketplace vendor that sells it; `null` for none. Left out, a product keeps the
    /// vendor it has (a new one has none).
    #[serde(default, deserialize_with = "set")]
    #[schema(value_type = Option<Uuid>)]
    pub vendor_id: Keep<Option<Uuid>>,
    /// Whether the store's home features it (up to eight, by name). Left out, a product keeps
    /// what it has (a new one is not featured).
    #[serde(default, deserialize_with = "set")]
    #[schema(value_type = bool)]
    pub featured: Keep<bool>,
}

/// A field that is there, even as `null`, is set; one left out is kept (the `default`).
fn set<'de, D: serde::Deserializer<'de>, T: Deserialize<'de>>(field: D) -> Result<Keep<T>, D::Error> {
    T::deserialize(field).map(Keep::To)
}

impl ProductIn {
    fn into_input(self) -> Result<ProductInput, commerce::Error> {
        let status = match self.status.as_deref() {
            None => ProductStatus::Draft,
            Some(code) => ProductStatus::from_code(code)
                .ok_or_else(|| commerce::Error::invalid("status", "one of draft, active, archived"))?,
        };
        let tax_class = match self.tax_class.as_deref() {
            None => TaxClass::Standard,
            Some(code) => TaxClass::from_code(code)
                .ok_or_else(|| commerce::Error::invalid("tax_class", "one of standard, zero, exempt"))?,
        };
        Ok(ProductInput {
            name: self.name,
            description: self.description,
            brand: self.brand,
            category: self.category_id.map(CategoryId),
            status,
            tax_class,
            options: self.options,
            variants: self
                .variants
                .into_iter()
                .map(|v| VariantInput {
                    id: v.id.map(VariantId),
                    sku: v.sku,
                    barcode: v.barcode.unwrap_or_default(),
                    option_values: v.option_values,
                    price: v.price,
                    compare_at_price: v.compare_at_price,
                    cost: v.cost.map(commerce::base::money::exact),
                    weight_grams: v.weight_grams,
                    dimensions_mm: v.dimensions_mm,
                })
                .collect(),
            vendor: match self.vendor_id {
                Keep::Unchanged => Keep::Unchanged,
                Keep::To(vendor) => Keep::To(vendor.map(VendorId)),
            },
            featured: self.featured,
        })
    }
}

/// Filters for the product list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProductFilter {
    /// Words of the name, brand or description, a SKU (or its start) or a barcode; typos forgiven.
    pub search: Option<String>,
    /// `draft`, `active` or `archived`.
    pub status: Option<String>,
    /// Only this category and those below it.
    pub category_id: Option<Uuid>,
}

/// Products, by name (`sort=name`, the default) or most recently changed first (`sort=-updated_at`).
#[utoipa::path(
    get,
    path = "/marketplace/products",
    tag = "products",
    params(ListParams, ProductFilter),
    security(("bearer" = ["products:read"])),
    responses(
        (status = 200, description = "A page of products", body = Page<ProductSummary>),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token lacks products:read", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A bad filter, limit, sort or cursor", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    QueryOf(params): QueryOf<ListParams>,
    QueryOf(filter): QueryOf<ProductFilter>,
) -> Result<Json<Page<ProductSummary>>, Problem> {
    let limit = params.limit()?;
    let sort = ProductSort::parse(params.sort.as_deref())?;
    let status = ProductStatus::filter(filter.status.as_deref())?;
    let query = ProductQuery { search: filter.search, status, category: filter.category_id.map(CategoryId), sort };
    let after: Option<ProductCursor> = params.cursor()?;
    let found = catalog::product::list(state.db.read(), &actor, &query, after, limit).await?;
    Ok(Json(Page {
        data: found.rows.into_iter().map(ProductSummary::from).collect(),
        next_cursor: found.next.map(|c| cursor_after(&c)),
    }))
}

/// Creates a product with its variants. Send an `Idempotency-Key` to make retries safe.
#[utoipa::path(
    post,
    path = "/marketplace/products",
    tag = "products",
    request_body = ProductIn,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retry return the first answer")),
    security(("bearer" = ["products:write"])),
    responses(
        (status = 201, description = "Created", body = ProductOut),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token lacks products:write", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The first request with this key is still running", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is wrong (named in errors), or the key was used for another request", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    keyed: Keyed,
    JsonBody { value, bytes }: JsonBody<ProductIn>,
) -> Result<Response, Problem> {
    keyed
        .run(&actor, &bytes, async |once| {
            let created = catalog::product::create(state.db.primary(), &actor, value.into_input()?, once).await?;
            Ok(with_etag(StatusCode::CREATED, created))
        })
        .await
}

/// One product with its variants, stock and images.
#[utoipa::path(
    get,
    path = "/marketplace/products/{id}",
    tag = "products",
    params(("id" = Uuid, Path, description = "The product's id")),
    security(("bearer" = ["products:read"])),
    responses(
        (status = 200, description = "The product, with its revision as `ETag`", body = ProductOut),
        (status = 404, description = "No such product in this business", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn show(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    IdPath(id): IdPath,
) -> Result<Response, Problem> {
    Ok(with_etag(StatusCode::OK, catalog::product::get(state.db.read(), &actor, ProductId(id)).await?))
}

/// Replaces a product's fields and variants. Send the `ETag` it was read with as `If-Match`, so
/// that a change someone made in between is not overwritten.
#[utoipa::path(
    put,
    path = "/marketplace/products/{id}",
    tag = "products",
    request_body = ProductIn,
    params(
        ("id" = Uuid, Path, description = "The product's id"),
        ("If-Match" = Option<String>, Header, description = "The `ETag` (revision) the change was made from, such as `\"7\"`"),
    ),
    security(("bearer" = ["products:write"])),
    responses(
        (status = 200, description = "The product as it is now, with its new `ETag`", body = ProductOut),
        (status = 400, description = "`If-Match` is not one `ETag` of a product", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such product in this business", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A variant left out has stock history (`stock_history`)", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "The product changed since the `ETag` in `If-Match` (`version_mismatch`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is wrong (named in errors)", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn replace(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    IdPath(id): IdPath,
    headers: HeaderMap,
    body: JsonBody<ProductIn>,
) -> Result<Response, Problem> {
    let revision = if_match(&headers).map_err(Problem::bad_request)?;
    let input = body.value.into_input()?;
    Ok(with_etag(
        StatusCode::OK,
        catalog::product::update(state.db.primary(), &actor, ProductId(id), input, revision, None).await?,
    ))
}

/// A product as the answer's body, with its revision as the `ETag`.
fn with_etag(status: StatusCode, product: Product) -> Response {
    let etag = format!("\"{}\"", product.revision);
    let mut response = (status, Json(ProductOut::from(product))).into_response();
    if let Ok(value) = HeaderValue::from_str(&etag) {
        response.headers_mut().insert(header::ETAG, value);
    }
    response
}

/// The revision `If-Match` names: none without the header or with `*`; one `ETag` such as
/// `"7"` (a weak `W/"7"` too); anything else cannot name a product's revision and is a 400.
fn if_match(headers: &HeaderMap) -> Result<Option<i64>, &'static str> {
    let Some(value) = headers.get(header::IF_MATCH) else { return Ok(None) };
    let text = value.to_str().unwrap_or_default().trim();
    if text == "*" {
        return Ok(None);
    }
    text.trim_start_matches("W/")
        .strip_prefix('"')
        .and_then(|rest| rest.strip_suffix('"'))
        .and_then(|revision| revision.parse::<i64>().ok())
        .filter(|revision| *revision > 0)
        .map(Some)
        .ok_or("If-Match must be one ETag of the product as it was read, such as \"7\".")
}

/// Deletes a product that was never stocked (one with stock history is archived instead).
#[utoipa::path(
    delete,
    path = "/marketplace/products/{id}",
    tag = "products",
    params(("id" = Uuid, Path, description = "The product's id")),
    security(("bearer" = ["products:write"])),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "No such product in this business", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "It has stock history; archive it instead", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn remove(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    IdPath(id): IdPath,
) -> Result<StatusCode, Problem> {
    catalog::product::delete(state.db.primary(), &actor, ProductId(id)).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A picture to upload, as `multipart/form-data`.
#[derive(Debug, ToSchema)]
#[expect(dead_code, reason = "describes the form in the API document; `media::PictureForm` reads it")]
pub struct ImageUpload {
    /// A JPEG, PNG or WebP file of at most 15 MB and at least 100 pixels a side. It is kept at
    /// most 1,600 pixels a side, as JPEG, with a 400-pixel thumbnail.
    #[schema(value_type = String, format = Binary)]
    pub file: Vec<u8>,
    /// What it shows, for people who cannot see it (at most 200 characters).
    #[schema(max_length = 200)]
    pub alt: Option<String>,
}

/// A change to a picture.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ImageEdit {
    /// A new description.
    #[serde(default)]
    #[schema(max_length = 200)]
    pub alt: Option<String>,
    /// Its new place among the product's pictures, from 0 (the main picture).
    #[serde(default)]
    pub position: Option<usize>,
}

/// Adds a picture after the product's others (at most 12).
#[utoipa::path(
    post,
    path = "/marketplace/products/{id}/images",
    tag = "products",
    request_body(content = ImageUpload, content_type = "multipart/form-data"),
    params(
        ("id" = Uuid, Path, description = "The product's id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retried upload return the first picture, not add it again"),
    ),
    security(("bearer" = ["products:write"])),
    responses(
        (status = 201, description = "The picture as kept", body = ImageOut),
        (status = 400, description = "The body is not a readable form", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such product in this business", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The file is missing, unreadable, too small or too large, or the product has 12 pictures; or the key was used for another request", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn add_image(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    IdPath(id): IdPath,
    keyed: Keyed,
    crate::media::PictureForm(upload): crate::media::PictureForm,
) -> Result<Response, Problem> {
    // The key's fingerprint covers the request's path (so the product), the picture and its text.
    let body = [upload.bytes.as_slice(), &[0], upload.alt.as_bytes()].concat();
    keyed
        .run(&actor, &body, async |once| {
            let image =
                catalog::image::add(state.db.primary(), &*state.media, &actor, ProductId(id), upload, once).await?;
            Ok((StatusCode::CREATED, Json(ImageOut::from(image))))
        })
        .await
}

/// Describes or moves a picture; answers the product's pictures in their new order.
#[utoipa::path(
    patch,
    path = "/marketplace/products/{id}/images/{image_id}",
    tag = "products",
    request_body = ImageEdit,
    params(
        ("id" = Uuid, Path, description = "The product's id"),
        ("image_id" = Uuid, Path, description = "The picture's id"),
    ),
    security(("bearer" = ["products:write"])),
    responses(
        (status = 200, description = "The product's pictures", body = Vec<ImageOut>),
        (status = 404, description = "No such product or picture", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is wrong", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn edit_image(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    IdsPath(id, image): IdsPath,
    body: JsonBody<ImageEdit>,
) -> Result<Json<Vec<ImageOut>>, Problem> {
    let edit = catalog::image::Edit { alt: body.value.alt, position: body.value.position };
    Ok(images_answer(catalog::image::edit(state.db.primary(), &actor, ProductId(id), image, edit).await?))
}

/// Removes a picture; answers the product's pictures left.
#[utoipa::path(
    delete,
    path = "/marketplace/products/{id}/images/{image_id}",
    tag = "products",
    params(
        ("id" = Uuid, Path, description = "The product's id"),
        ("image_id" = Uuid, Path, description = "The picture's id"),
    ),
    security(("bearer" = ["products:write"])),
    responses(
        (status = 200, description = "The product's pictures left", body = Vec<ImageOut>),
        (status = 404, description = "No such product or picture", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn remove_image(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    IdsPath(id, image): IdsPath,
) -> Result<Json<Vec<ImageOut>>, Problem> {
    Ok(images_answer(catalog::image::remove(state.db.primary(), &actor, ProductId(id), image).await?))
}

fn images_answer(images: Vec<catalog::ProductImage>) -> Json<Vec<ImageOut>> {
    Json(images.into_iter().map(ImageOut::from).collect())
}
