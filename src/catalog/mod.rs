//! The catalog: categories as a tree, products with their variants (a matrix of up to three
//! options), barcodes, prices, tax classes and images, and typo-tolerant search.

pub mod barcode;
#[cfg(feature = "server")]
pub mod category;
#[cfg(feature = "server")]
pub mod image;
mod input;
#[cfg(feature = "server")]
pub mod moderation;
#[cfg(feature = "server")]
pub mod product;
pub mod shop;

use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::Money;

pub use input::{Keep, ProductInput, VariantInput, parse_price, variant_matrix};
pub use shop::{Seller, ShopCategory, ShopPicture, ShopProduct, ShopVariant};

/// A product's id, unique within its tenant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ProductId(pub Uuid);

/// A variant's id (the thing that has a SKU and is stocked).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct VariantId(pub Uuid);

/// A category's id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CategoryId(pub Uuid);

impl fmt::Display for ProductId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// Whether a product is being prepared, on sale, or retired.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ProductStatus {
    /// Being prepared; not on sale anywhere.
    #[default]
    Draft,
    /// On sale.
    Active,
    /// No longer sold; kept for its history.
    Archived,
}

impl ProductStatus {
    /// Every status, in the order lists show them.
    pub const ALL: [Self; 3] = [Self::Draft, Self::Active, Self::Archived];

    /// The stored value.
    pub fn code(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Active => "active",
            Self::Archived => "archived",
        }
    }

    /// Reads the stored value.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// What people call it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Draft => "Draft",
            Self::Active => "Active",
            Self::Archived => "Archived",
        }
    }
}

/// Whether the marketplace's operator has approved a vendor's product for sale.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Moderation {
    /// Approved (and every product that is not a moderated vendor's): it may be on sale.
    #[default]
    Approved,
    /// A moderated vendor's new product, waiting for the operator.
    Pending,
    /// Refused by the operator, with a note; the vendor may change it and send it again.
    Rejected,
}

impl Moderation {
    /// Every state, in the order lists show them.
    pub const ALL: [Self; 3] = [Self::Approved, Self::Pending, Self::Rejected];

    /// The stored value.
    pub fn code(self) -> &'static str {
        match self {
            Self::Approved => "approved",
            Self::Pending => "pending",
            Self::Rejected => "rejected",
        }
    }

    /// Reads the stored value.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.code() == code)
    }

    /// What people call it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Approved => "Approved",
            Self::Pending => "Waiting for approval",
            Self::Rejected => "Not approved",
        }
    }
}

/// A product, or a change to one, that waits for the operator.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Waiting {
    /// The product.
    pub product: ProductId,
    /// Its name (as the vendor wants it, for a change).
    pub name: String,
    /// Its name on sale now, for a change; none for a new product.
    pub now_named: Option<String>,
    /// The vendor.
    pub vendor: String,
    /// Whether it is a change to a product on sale (else a new product).
    pub is_change: bool,
    /// What differs, for a change: the fields the vendor changed.
    pub changed: Vec<String>,
    /// When it was sent.
    pub since: DateTime<Utc>,
}

/// What the operator decides.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Decision {
    /// The product goes on sale, or the change is made.
    Approve,
    /// Refused, with a note.
    Reject,
}

/// How VAT applies to a product.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub enum TaxClass {
    /// The business's VAT rate (7.5% in Nigeria).
    #[default]
    Standard,
    /// VAT at 0% (basic food items, medical and pharmaceutical products, exports…).
    ZeroRated,
    /// Outside VAT altogether.
    Exempt,
}

impl TaxClass {
    /// Every class.
    pub const ALL: [Self; 3] = [Self::Standard, Self::ZeroRated, Self::Exempt];

    /// The stored value.
    pub fn code(self) -> &'static str {
        match self {
            Self::Standard => "standard",
            Self::ZeroRated => "zero",
            Self::Exempt => "exempt",
        }
    }

    /// Reads the stored value.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// What people call it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Standard => "Standard VAT",
            Self::ZeroRated => "Zero-rated",
            Self::Exempt => "Exempt",
        }
    }
}

/// A category with its place in the tree.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Category {
    /// Its id.
    pub id: CategoryId,
    /// Its parent, if it is not at the top.
    pub parent: Option<CategoryId>,
    /// Its name.
    pub name: String,
    /// Its full path, "Food › Drinks › Soft drinks".
    pub path: String,
    /// How deep it sits (0 at the top).
    pub depth: i32,
    /// Products filed directly under it.
    pub products: i64,
}

/// One variant as the product editor and the API show it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Variant {
    /// Its id.
    pub id: VariantId,
    /// Its stock-keeping unit, unique in the business.
    pub sku: String,
    /// Its barcode, if it has one.
    pub barcode: Option<String>,
    /// One value per option of the product ("L", "Black").
    pub option_values: Vec<String>,
    /// The shelf price.
    pub price: Money,
    /// The "was" price shown struck through.
    pub compare_at_price: Option<Money>,
    /// What one unit costs the business.
    pub cost: Option<Money>,
    /// Shipping weight.
    pub weight_grams: Option<i32>,
    /// Length, width and height in millimetres.
    pub dimensions_mm: Option<[i32; 3]>,
    /// Units on hand across all locations.
    pub on_hand: i64,
    /// Units that can still be sold across all locations.
    pub available: i64,
}

impl Variant {
    /// The variant as an edit that leaves it as it is.
    pub fn as_input(&self) -> VariantInput {
        VariantInput {
            id: Some(self.id),
            sku: self.sku.clone(),
            barcode: self.barcode.clone().unwrap_or_default(),
            option_values: self.option_values.clone(),
            price: self.price.amount,
            compare_at_price: self.compare_at_price.map(|m| m.amount),
            cost: self.cost.map(|m| m.amount),
            weight_grams: self.weight_grams,
            dimensions_mm: self.dimensions_mm,
        }
    }
}

impl Variant {
    /// "L / Black", or "Default" for a product without options.
    pub fn title(&self) -> String {
        variant_title(&self.option_values)
    }
}

/// An image of a product.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductImage {
    /// Its id.
    pub id: Uuid,
    /// Where the original is served from.
    pub url: String,
    /// Where its thumbnail is served from.
    pub thumbnail_url: String,
    /// Its size in pixels.
    pub width: i32,
    /// Its size in pixels.
    pub height: i32,
    /// What it shows, for people who cannot see it.
    pub alt: String,
}

/// A whole product, as the editor and the API show it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Product {
    /// Its id.
    pub id: ProductId,
    /// Its name.
    pub name: String,
    /// What it is, for shoppers.
    pub description: String,
    /// Who makes it.
    pub brand: String,
    /// Where it is filed.
    pub category: Option<CategoryId>,
    /// The category's path, when it has one.
    pub category_path: Option<String>,
    /// Draft, active or archived.
    pub status: ProductStatus,
    /// How VAT applies.
    pub tax_class: TaxClass,
    /// The names of the options its variants differ by.
    pub options: Vec<String>,
    /// Its variants, in order.
    pub variants: Vec<Variant>,
    /// Its images, in order.
    pub images: Vec<ProductImage>,
    /// The marketplace vendor that sells it, if any.
    pub vendor: Option<Uuid>,
    /// Shown on the storefront's home page.
    pub featured: bool,
    /// Whether the operator approved it (a moderated vendor's products wait).
    #[serde(default)]
    pub moderation: Moderation,
    /// What the operator said when it refused the product or a change to it.
    #[serde(default)]
    pub moderation_note: String,
    /// Whether a change of the vendor's waits for the operator, the product staying as it is
    /// meanwhile.
    #[serde(default)]
    pub change_waiting: bool,
    /// Counts its changes: an edit names the revision it was made from, and one made from an
    /// older revision is refused as a [`crate::Clash::VersionMismatch`].
    pub revision: i64,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}

/// A row of the product list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProductRow {
    /// Its id.
    pub id: ProductId,
    /// Its name.
    pub name: String,
    /// Who makes it.
    pub brand: String,
    /// Its category's name.
    pub category: Option<String>,
    /// Draft, active or archived.
    pub status: ProductStatus,
    /// How many variants it has.
    pub variants: i64,
    /// The first variant's SKU.
    pub sku: String,
    /// The lowest and highest variant price.
    pub price_range: (Money, Money),
    /// Units available across variants and locations.
    pub available: i64,
    /// Shown on the storefront's home page.
    pub featured: bool,
    /// Its first image's thumbnail.
    pub thumbnail_url: Option<String>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}

/// What the product list asks for.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductQuery {
    /// Words of the name, brand or description, a SKU or a barcode; typos are forgiven.
    pub search: Option<String>,
    /// Only this status.
    pub status: Option<ProductStatus>,
    /// Only this category (and those below it).
    pub category: Option<CategoryId>,
    /// Order: by name (the default) or most recently changed first.
    pub sort: ProductSort,
}

/// The orders the product list offers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum ProductSort {
    /// A to Z.
    #[default]
    Name,
    /// Most recently changed first.
    RecentlyUpdated,
}

impl ProductSort {
    /// The sort as lists name it: `name`, or `-updated_at` (most recent first).
    pub fn code(self) -> &'static str {
        match self {
            Self::Name => "name",
            Self::RecentlyUpdated => "-updated_at",
        }
    }

    /// The sort `code` names (by name when none), or what is wrong with it: the page and the
    /// API both read it here.
    pub fn parse(code: Option<&str>) -> Result<Self, crate::Error> {
        match code.map(str::trim) {
            None | Some("" | "name") => Ok(Self::Name),
            Some("-updated_at") => Ok(Self::RecentlyUpdated),
            Some(_) => Err(crate::Error::invalid("sort", "sort by name or -updated_at")),
        }
    }
}

impl ProductStatus {
    /// The status a list is filtered by (none for all), or what is wrong with it.
    pub fn filter(code: Option<&str>) -> Result<Option<Self>, crate::Error> {
        match code.map(str::trim) {
            None | Some("") => Ok(None),
            Some(code) => Self::from_code(code)
                .map(Some)
                .ok_or_else(|| crate::Error::invalid("status", "one of draft, active, archived")),
        }
    }
}

/// Where a page of products continues: after this row's sort key and id.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ProductCursor {
    /// After this (lower-cased) name and id.
    Name(String, Uuid),
    /// After this change time and id.
    Updated(DateTime<Utc>, Uuid),
}

/// A page of the product list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProductPage {
    /// The rows.
    pub rows: Vec<ProductRow>,
    /// Where the next page starts, when there is one.
    pub next: Option<ProductCursor>,
}

/// A product as the storefront shows it: what it costs and how many can be bought.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ShopItem {
    /// Its id.
    pub id: ProductId,
    /// Its name.
    pub name: String,
    /// Who makes it.
    pub brand: String,
    /// The lowest and highest variant price.
    pub price_range: (Money, Money),
    /// Its first image's thumbnail.
    pub thumbnail_url: Option<String>,
    /// Its variants and how many of each can be bought across locations.
    pub variants: Vec<(VariantId, i64)>,
}

impl ShopItem {
    /// Units that can be bought across variants (never below zero).
    pub fn available(&self) -> i64 {
        self.variants.iter().map(|(_, n)| (*n).max(0)).sum()
    }
}

/// What a storefront shelf shows: products matching the words, in a category (and those
/// below it), of a brand, within a price range, and only those that can be bought.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ShelfFilter {
    /// Words of the name, brand or description.
    pub search: Option<String>,
    /// Only this category and those below it.
    pub category: Option<CategoryId>,
    /// Only this brand (any case).
    pub brand: Option<String>,
    /// Only products with a variant at this price or more.
    pub min_price: Option<rust_decimal::Decimal>,
    /// Only products with a variant at this price or less.
    pub max_price: Option<rust_decimal::Decimal>,
    /// Only products with some stock free.
    pub in_stock: bool,
    /// Only the products the merchant features on the home page.
    pub featured: bool,
    /// Only this marketplace vendor's (its page on the storefront).
    pub vendor: Option<crate::base::VendorId>,
    /// The order the shelf is in.
    pub order: ShelfOrder,
}

/// The orders a shopper can put a shelf in. Each pages by a key of its own (the value it sorts
/// by, then the product's id), so every page costs the same wherever it starts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ShelfOrder {
    /// A to Z by name.
    #[default]
    Name,
    /// Best match for the words searched first (by name when nothing is searched).
    Relevance,
    /// Cheapest first, by the lowest price of a product's variants.
    PriceLow,
    /// Dearest first, by the highest price of a product's variants.
    PriceHigh,
    /// Newest first, as the products were added.
    Newest,
}

impl ShelfOrder {
    /// Every order, as the shelf offers them.
    pub const ALL: [Self; 5] = [Self::Relevance, Self::Name, Self::PriceLow, Self::PriceHigh, Self::Newest];

    /// The value in the shelf's address (`sort=`).
    pub fn code(self) -> &'static str {
        match self {
            Self::Name => "name",
            Self::Relevance => "relevance",
            Self::PriceLow => "price",
            Self::PriceHigh => "price-desc",
            Self::Newest => "newest",
        }
    }

    /// Reads the value in the shelf's address.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.code() == code)
    }

    /// What the shopper reads.
    pub fn label(self) -> &'static str {
        match self {
            Self::Name => "Name, A to Z",
            Self::Relevance => "Best match",
            Self::PriceLow => "Price, low to high",
            Self::PriceHigh => "Price, high to low",
            Self::Newest => "Newest",
        }
    }
}

/// A variant found by its SKU or barcode.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VariantRef {
    /// Its id.
    pub id: VariantId,
    /// Its product.
    pub product: ProductId,
    /// Its SKU.
    pub sku: String,
    /// "Product — variant".
    pub item: String,
}

/// Where an image kept under `file_key` is served: the original, and its thumbnail.
pub fn image_urls(file_key: &str) -> (String, String) {
    (format!("/media/{file_key}"), format!("/media/thumbs/{file_key}"))
}

/// A variant's name from its option values: "L / Black", or "Default" for a product without options.
pub fn variant_title(option_values: &[String]) -> String {
    if option_values.is_empty() { "Default".to_owned() } else { option_values.join(" / ") }
}

/// "Ankara shirt — L / Black", or just the product's name when it has no options.
pub fn item_name(product: &str, option_values: &[String]) -> String {
    if option_values.is_empty() { product.to_owned() } else { format!("{product} — {}", option_values.join(" / ")) }
}
