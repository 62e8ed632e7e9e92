//! A product as a merchant, an API client or an import sends it, and the checks that turn it
//! into something the catalog can store. Plain code: the browser can run the same checks.

use std::collections::HashSet;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{CategoryId, ProductStatus, TaxClass, VariantId, barcode};
use crate::Error;
use crate::base::VendorId;

/// The most variants one product may have (3 options of up to 10 values would be 1,000).
pub const MAX_VARIANTS: usize = 250;

/// A product to create, or the whole new state of one being edited.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ProductInput {
    /// Its name.
    pub name: String,
    /// What it is, for shoppers.
    pub description: String,
    /// Who makes it.
    pub brand: String,
    /// Where it is filed.
    pub category: Option<CategoryId>,
    /// Draft, active or archived.
    pub status: ProductStatus,
    /// How VAT applies.
    pub tax_class: TaxClass,
    /// The names of the options its variants differ by, at most three.
    pub options: Vec<String>,
    /// Its variants; at least one.
    pub variants: Vec<VariantInput>,
    /// The marketplace vendor that sells it: kept as it is unless set (a new product has none
    /// unless set).
    pub vendor: Keep<Option<VendorId>>,
    /// Whether the storefront's home features it: kept as it is unless set (a new product is
    /// not featured unless set).
    pub featured: Keep<bool>,
}

/// A field that an edit either leaves as it is or sets: a client that does not know of the
/// field (an older spreadsheet, an integration, a page that does not show it) must not clear it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Keep<T> {
    /// Left as it is.
    #[default]
    Unchanged,
    /// Set to this.
    To(T),
}

impl<T: Copy> Keep<T> {
    /// The value to store, given the one stored now.
    pub fn or(self, current: T) -> T {
        match self {
            Self::Unchanged => current,
            Self::To(value) => value,
        }
    }
}

/// One variant of a [`ProductInput`].
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct VariantInput {
    /// The variant this row edits; none for a new one.
    pub id: Option<VariantId>,
    /// Its SKU, unique in the business.
    pub sku: String,
    /// Its barcode; empty for none.
    pub barcode: String,
    /// One value per option of the product.
    pub option_values: Vec<String>,
    /// The shelf price.
    pub price: Decimal,
    /// The "was" price, above the price.
    pub compare_at_price: Option<Decimal>,
    /// What a unit costs the business.
    pub cost: Option<Decimal>,
    /// Shipping weight.
    pub weight_grams: Option<i32>,
    /// Length, width and height in millimetres.
    pub dimensions_mm: Option<[i32; 3]>,
}

impl ProductInput {
    /// Checks every field and tidies the text (trimmed names, options and values, SKUs as
    /// typed, barcodes without spaces); the first problem found is named by its field, with
    /// variants as `variants[2].sku`.
    pub fn checked(mut self) -> Result<Self, Error> {
        // Every wrong field is named at once, so that a person mends the form in one go.
        let mut problems: Vec<(String, String)> = Vec::new();
        let mut wrong = |field: String, message: String| problems.push((field, message));
        self.name = trimmed(&self.name);
        if self.name.is_empty() || self.name.chars().count() > 200 {
            wrong("name".into(), "give the product a name (at most 200 characters)".into());
        }
        self.brand = trimmed(&self.brand);
        if self.brand.chars().count() > 80 {
            wrong("brand".into(), "at most 80 characters".into());
        }
        self.description = trimmed(&self.description);
        if self.description.chars().count() > 20_000 {
            wrong("description".into(), "at most 20,000 characters".into());
        }
        self.options = self.options.iter().map(|o| o.trim().to_owned()).filter(|o| !o.is_empty()).collect();
        let mut seen = HashSet::new();
        if self.options.len() > 3 {
            wrong("options".into(), "a product varies by at most three options (size, colour, …)".into());
        } else if let Some(twice) = self.options.iter().find(|o| !seen.insert(o.to_lowercase())) {
            wrong("options".into(), format!("\"{twice}\" is listed twice"));
        }
        if self.variants.is_empty() {
            wrong("variants".into(), "a product needs at least one variant with a SKU and a price".into());
        }
        if self.variants.len() > MAX_VARIANTS {
            wrong("variants".into(), format!("at most {MAX_VARIANTS} variants per product"));
        }
        let (mut skus, mut codes, mut combos) = (HashSet::new(), HashSet::new(), HashSet::new());
        let options = self.options.len();
        for (i, variant) in self.variants.iter_mut().enumerate().take(MAX_VARIANTS) {
            let field = |name: &str| format!("variants[{i}].{name}");
            if let Err(error) = variant.check(options, &field) {
                for (f, m) in error.field_problems() {
                    wrong(f.to_owned(), m.to_owned());
                }
                continue;
            }
            if !skus.insert(variant.sku.to_lowercase()) {
                wrong(field("sku"), format!("{} is used by another variant", variant.sku));
            }
            if !variant.barcode.is_empty() && !codes.insert(variant.barcode.clone()) {
                wrong(field("barcode"), "another variant has this barcode".into());
            }
            if !combos.insert(variant.option_values.iter().map(|v| v.to_lowercase()).collect::<Vec<_>>()) {
                let combo = if options == 0 { "no options".to_owned() } else { variant.option_values.join(" / ") };
                wrong(field("option_values"), format!("two variants are both {combo}"));
            }
        }
        Error::invalid_all(problems)?;
        Ok(self)
    }
}

impl VariantInput {
    /// Tidies the variant and names each of its wrong fields.
    fn check(&mut self, options: usize, field: &dyn Fn(&str) -> String) -> Result<(), Error> {
        let mut problems: Vec<(String, String)> = Vec::new();
        let mut wrong = |name: &str, message: String| problems.push((field(name), message));
        let amount = |value: Decimal, digits: u32| match check_amount(value, "", digits) {
            Err(Error::Invalid { message, .. }) => Some(message),
            _ => None,
        };
        self.sku = trimmed(&self.sku);
        let sku_ok = (1..=64).contains(&self.sku.len())
            && self.sku.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
            && self.sku.chars().all(|c| c.is_ascii_alphanumeric() || "._/-".contains(c));
        if !sku_ok {
            wrong(
                "sku",
                "use 1 to 64 letters, digits, dots, dashes, slashes or underscores, starting with a letter or digit"
                    .into(),
            );
        }
        if self.barcode.trim().is_empty() {
            self.barcode = String::new();
        } else {
            match barcode::check(&self.barcode) {
                Ok(code) => self.barcode = code,
                Err(message) => wrong("barcode", message),
            }
        }
        self.option_values = self.option_values.iter().map(|v| v.trim().to_owned()).collect();
        if self.option_values.len() != options || self.option_values.iter().any(String::is_empty) {
            let message = if options == 0 {
                "this product has no options, so its variant has no option values".to_owned()
            } else {
                format!("give a value for each of the product's {options} option(s)")
            };
            wrong("option_values", message);
        }
        if let Some(message) = amount(self.price, PRICE_DIGITS) {
            wrong("price", message);
        }
        if let Some(was) = self.compare_at_price {
            if let Some(message) = amount(was, PRICE_DIGITS) {
                wrong("compare_at_price", message);
            }
            if was <= self.price {
                wrong("compare_at_price", "the \"was\" price must be above the price".into());
            }
        }
        if let Some(message) = self.cost.and_then(|cost| amount(cost, COST_DIGITS)) {
            wrong("cost", message);
        }
        if self.weight_grams.is_some_and(|w| !(0..=1_000_000).contains(&w)) {
            wrong("weight_grams", "between 0 and 1,000,000 grams".into());
        }
        if self.dimensions_mm.is_some_and(|d| d.iter().any(|x| !(0..=100_000).contains(x))) {
            wrong("dimensions_mm", "each between 0 and 100,000 mm".into());
        }
        Error::invalid_all(problems)
    }
}

fn trimmed(text: &str) -> String {
    text.trim().to_owned()
}

/// Decimal places a price may have: whole kobo, what a shopper can pay.
const PRICE_DIGITS: u32 = 2;
/// Decimal places a unit cost may have: a weighted average of receipts is finer than a kobo,
/// and an export read back in must not change it.
const COST_DIGITS: u32 = 4;

fn check_amount(amount: Decimal, field: &str, digits: u32) -> Result<(), Error> {
    if amount.is_sign_negative() {
        return Err(Error::invalid(field, "cannot be negative"));
    }
    if amount.scale() > digits && amount.normalize().scale() > digits {
        let unit = if digits == PRICE_DIGITS { " (kobo)" } else { "" };
        return Err(Error::invalid(field, format!("at most {digits} decimal places{unit}")));
    }
    if amount > crate::base::money::LARGEST_AMOUNT {
        return Err(Error::invalid(field, "is too large"));
    }
    Ok(())
}

/// Reads a price as people type it: "1500", "1,500.50", "₦1,500".
pub fn parse_price(text: &str, field: &str) -> Result<Decimal, Error> {
    let cleaned: String = text.trim().chars().filter(|c| !matches!(c, ',' | '₦' | ' ')).collect();
    Decimal::from_str(&cleaned).map_err(|_| Error::invalid(field, "enter an amount such as 1500 or 1,500.50"))
}

/// Every combination of the options' values, in order: the rows of a variant matrix.
/// `[("Size", [S, M]), ("Colour", [Black, White])]` gives S/Black, S/White, M/Black, M/White.
pub fn variant_matrix(values: &[Vec<String>]) -> Vec<Vec<String>> {
    values.iter().fold(vec![Vec::new()], |rows, option| {
        rows.iter()
            .flat_map(|row| {
                option.iter().map(move |value| {
                    let mut next = row.clone();
                    next.push(value.clone());
                    next
                })
            })
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn variant(sku: &str, values: &[&str], price: i64) -> VariantInput {
        VariantInput {
            sku: sku.into(),
            option_values: values.iter().map(|v| (*v).to_owned()).collect(),
            price: Decimal::from(price),
            ..VariantInput::default()
        }
    }

    fn shirt() -> ProductInput {
        ProductInput {
            name: "  Ankara shirt ".into(),
            options: vec!["Size".into(), "Colour".into()],
            variants: vec![variant("ANK-S-BLU", &["S", "Blue"], 8500), variant("ANK-M-BLU", &["M", "Blue"], 8500)],
            ..ProductInput::default()
        }
    }

    fn field_of(result: Result<ProductInput, Error>) -> String {
        match result {
            Err(Error::Invalid { field, .. }) => field,
            other => panic!("expected a field error, got {other:?}"),
        }
    }

    #[test]
    fn a_good_product_is_tidied() {
        let checked = shirt().checked().unwrap();
        assert_eq!(checked.name, "Ankara shirt");
    }

    #[test]
    fn each_mistake_names_its_field() {
        let mut p = shirt();
        p.variants[1].sku = "ank-s-blu".into();
        assert_eq!(field_of(p.checked()), "variants[1].sku", "SKUs differ regardless of case");
        let mut p = shirt();
        p.variants[1].option_values = vec!["S".into(), "blue".into()];
        assert_eq!(field_of(p.checked()), "variants[1].option_values");
        let mut p = shirt();
        p.variants[0].option_values.pop();
        assert_eq!(field_of(p.checked()), "variants[0].option_values");
        let mut p = shirt();
        p.variants[0].compare_at_price = Some(Decimal::from(8000));
        assert_eq!(field_of(p.checked()), "variants[0].compare_at_price");
        let mut p = shirt();
        p.variants[0].price = Decimal::new(10_005, 3);
        assert_eq!(field_of(p.checked()), "variants[0].price", "no fractions of a kobo");
        let mut p = shirt();
        p.variants[0].barcode = "5449000000997".into();
        assert_eq!(field_of(p.checked()), "variants[0].barcode");
        let mut p = shirt();
        p.variants.clear();
        assert_eq!(field_of(p.checked()), "variants");
        let mut p = shirt();
        p.name = " ".into();
        assert_eq!(field_of(p.checked()), "name");
    }

    #[test]
    fn every_wrong_field_is_named_at_once() {
        let mut p = shirt();
        p.name = String::new();
        p.variants[0].sku = String::new();
        p.variants[1].compare_at_price = Some(Decimal::from(10));
        match p.checked() {
            Err(error @ Error::InvalidFields(_)) => {
                let fields: Vec<&str> = error.field_problems().into_iter().map(|(f, _)| f).collect();
                assert_eq!(fields, ["name", "variants[0].sku", "variants[1].compare_at_price"]);
            }
            other => panic!("expected every wrong field, got {other:?}"),
        }
    }

    #[test]
    fn prices_are_read_as_people_type_them() {
        assert_eq!(parse_price("₦1,500.50", "price").unwrap(), Decimal::new(150_050, 2));
        assert!(parse_price("one thousand", "price").is_err());
    }

    #[test]
    fn the_matrix_has_every_combination_in_order() {
        let sizes = vec!["S".to_owned(), "M".to_owned()];
        let colours = vec!["Black".to_owned(), "White".to_owned(), "Red".to_owned()];
        let rows = variant_matrix(&[sizes, colours]);
        assert_eq!(rows.len(), 6);
        assert_eq!(rows[1], ["S", "White"]);
        assert_eq!(variant_matrix(&[]), vec![Vec::<String>::new()]);
    }
}
