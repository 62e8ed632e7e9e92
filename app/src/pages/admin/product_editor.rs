use commerce::base::Permission;
use commerce::catalog::{
    Category, CategoryId, Keep, Product, ProductInput, ProductStatus, TaxClass, VariantId, VariantInput, parse_price,
    variant_matrix,
};
use commerce::{Currency, Money};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};
use uuid::Uuid;

use super::AdminPage;
use super::product_pictures::Pictures;
use crate::AppError;
use crate::api::{DeleteProduct, SaveProduct, load_product};
use crate::components::{FieldError, FormAlert, Loaded, Needs, PageHeader, one_time_key};

/// `/admin/products/new` and `/admin/products/{id}`: a product's details, its options and the
/// variant matrix they make, with SKU, barcode, prices, cost and weight per variant.
#[component]
pub fn ProductEditorPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|id| Uuid::parse_str(&id).ok());
    // Loaded outside the gate, so that it is loaded once (see `Gate`).
    let saves = RwSignal::new(0_u32);
    let product = Resource::new(move || (id(), saves.get()), |(id, _)| load_product(id));
    view! {
        <AdminPage title="Product" needs=Needs::Permission(Permission::ViewCatalog) let:actor>
            {
                let manage = actor.can(Permission::ManageCatalog);
                view! {
                    <Loaded resource=product let:loaded>
                        <Editor product=loaded.0 categories=loaded.1 currency=loaded.2 manage saves />
                    </Loaded>
                }
            }
        </AdminPage>
    }
}

/// One option of the product: its name and its values as typed ("S, M, L").
#[derive(Clone, Copy)]
struct OptionSlot {
    name: RwSignal<String>,
    values: RwSignal<String>,
}

/// One row of the variant table.
#[derive(Clone)]
struct VariantRow {
    id: Option<VariantId>,
    values: Vec<String>,
    sku: RwSignal<String>,
    barcode: RwSignal<String>,
    price: RwSignal<String>,
    compare_at: RwSignal<String>,
    cost: RwSignal<String>,
    weight: RwSignal<String>,
    dimensions: RwSignal<String>,
}

impl VariantRow {
    fn blank(values: Vec<String>, sku: String) -> Self {
        Self {
            id: None,
            values,
            sku: RwSignal::new(sku),
            barcode: RwSignal::new(String::new()),
            price: RwSignal::new(String::new()),
            compare_at: RwSignal::new(String::new()),
            cost: RwSignal::new(String::new()),
            weight: RwSignal::new(String::new()),
            dimensions: RwSignal::new(String::new()),
        }
    }

    /// The row as the domain takes it; a price or number that cannot be read is named by field.
    fn input(&self, i: usize) -> Result<VariantInput, commerce::Error> {
        let field = |name: &str| format!("variants[{i}].{name}");
        let optional_price = |text: String, name: &str| {
            if text.trim().is_empty() { Ok(None) } else { parse_price(&text, &field(name)).map(Some) }
        };
        let weight = self.weight.get_untracked();
        let dimensions = self.dimensions.get_untracked();
        Ok(VariantInput {
            id: self.id,
            sku: self.sku.get_untracked(),
            barcode: self.barcode.get_untracked(),
            option_values: self.values.clone(),
            price: parse_price(&self.price.get_untracked(), &field("price"))?,
            compare_at_price: optional_price(self.compare_at.get_untracked(), "compare_at_price")?,
            cost: optional_price(self.cost.get_untracked(), "cost")?,
            weight_grams: if weight.trim().is_empty() {
                None
            } else {
                Some(
                    weight
                        .trim()
                        .parse()
                        .map_err(|_| commerce::Error::invalid(field("weight_grams"), "whole grams, such as 500"))?,
                )
            },
            dimensions_mm: parse_dimensions(&dimensions)
                .map_err(|m| commerce::Error::invalid(field("dimensions_mm"), m))?,
        })
    }
}

/// "300 x 200 x 100" (millimetres) as length, width and height; empty for none.
fn parse_dimensions(text: &str) -> Result<Option<[i32; 3]>, &'static str> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let parts: Vec<i32> = text
        .split(['x', 'X', '×', '*'])
        .map(|p| p.trim().parse::<i32>())
        .collect::<Result<_, _>>()
        .map_err(|_| "length x width x height in mm, such as 300 x 200 x 100")?;
    match parts.as_slice() {
        [l, w, h] => Ok(Some([*l, *w, *h])),
        _ => Err("length x width x height in mm, such as 300 x 200 x 100"),
    }
}

/// An amount in its input as people write it: `11,200`.
fn amount_text(amount: Option<Money>) -> String {
    amount.map(|a| a.for_input()).unwrap_or_default()
}

/// A SKU to start from for a variant: the product's name and the variant's values, in capitals,
/// joined by hyphens (`ANKARA-SHIRT-S-BLUE`), within what a SKU may hold.
fn proposed_sku(product: &str, values: &[String]) -> String {
    let words = |text: &str| -> Vec<String> {
        text.split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_ascii_uppercase)
            .collect()
    };
    let stem: String = words(product).into_iter().take(3).collect::<Vec<_>>().join("-").chars().take(24).collect();
    let mut parts = vec![if stem.is_empty() { "ITEM".to_owned() } else { stem }];
    parts.extend(values.iter().map(|v| words(v).concat()).filter(|v| !v.is_empty()));
    let sku: String = parts.join("-").chars().take(64).collect();
    sku.trim_end_matches('-').to_owned()
}

/// What the marketplace's approval says of a vendor's product, when anything waits or was refused.
fn moderation_notice(product: &Product) -> Option<AnyView> {
    use commerce::catalog::Moderation;
    let note = product.moderation_note.clone();
    let text = match (product.moderation, product.change_waiting) {
        (Moderation::Pending, _) => {
            "Waiting for the marketplace's approval: not on sale until it is approved.".to_owned()
        }
        (Moderation::Rejected, _) => {
            format!("Not approved. The marketplace says: {note} Change it and save to send it again.")
        }
        (Moderation::Approved, true) => {
            "Your last change waits for the marketplace's approval; shoppers see the product as it was until then."
                .to_owned()
        }
        (Moderation::Approved, false) => return None,
    };
    Some(view! { <p class="notice mb-4" role="status" data-testid="moderation">{text}</p> }.into_any())
}

#[component]
fn Editor(
    product: Option<Product>,
    categories: Vec<Category>,
    currency: Currency,
    manage: bool,
    saves: RwSignal<u32>,
) -> impl IntoView {
    let id = product.as_ref().map(|p| p.id.0);
    let images = product.as_ref().map(|p| p.images.clone()).unwrap_or_default();
    // The revision the edit starts from: a save is refused if someone saved since.
    let revision = product.as_ref().map(|p| p.revision);
    let title = product.as_ref().map_or_else(|| "New product".to_owned(), |p| p.name.clone());
    let moderation = product.as_ref().and_then(moderation_notice);
    let name = RwSignal::new(product.as_ref().map(|p| p.name.clone()).unwrap_or_default());
    let brand = RwSignal::new(product.as_ref().map(|p| p.brand.clone()).unwrap_or_default());
    let description = RwSignal::new(product.as_ref().map(|p| p.description.clone()).unwrap_or_default());
    let category =
        RwSignal::new(product.as_ref().and_then(|p| p.category).map(|c| c.0.to_string()).unwrap_or_default());
    let status = RwSignal::new(product.as_ref().map_or(ProductStatus::Draft, |p| p.status));
    let tax_class = RwSignal::new(product.as_ref().map_or(TaxClass::Standard, |p| p.tax_class));
    let options: [OptionSlot; 3] = std::array::from_fn(|i| {
        let name = product.as_ref().and_then(|p| p.options.get(i).cloned()).unwrap_or_default();
        let values: Vec<String> = product
            .as_ref()
            .map(|p| {
                let mut seen = Vec::new();
                for v in &p.variants {
                    if let Some(value) = v.option_values.get(i).filter(|value| !seen.contains(*value)) {
                        seen.push(value.clone());
                    }
                }
                seen
            })
            .unwrap_or_default();
        OptionSlot { name: RwSignal::new(name), values: RwSignal::new(values.join(", ")) }
    });
    let rows = RwSignal::new(match &product {
        Some(p) => p
            .variants
            .iter()
            .map(|v| VariantRow {
                id: Some(v.id),
                values: v.option_values.clone(),
                sku: RwSignal::new(v.sku.clone()),
                barcode: RwSignal::new(v.barcode.clone().unwrap_or_default()),
                price: RwSignal::new(amount_text(Some(v.price))),
                compare_at: RwSignal::new(amount_text(v.compare_at_price)),
                cost: RwSignal::new(amount_text(v.cost)),
                weight: RwSignal::new(v.weight_grams.map(|w| w.to_string()).unwrap_or_default()),
                dimensions: RwSignal::new(
                    v.dimensions_mm.map(|[l, w, h]| format!("{l} x {w} x {h}")).unwrap_or_default(),
                ),
            })
            .collect(),
        None => vec![VariantRow::blank(Vec::new(), String::new())],
    });
    let local_error = RwSignal::new(None::<AppError>);
    let save = ServerAction::<SaveProduct>::new();
    let remove = ServerAction::<DeleteProduct>::new();
    let error = Signal::derive(move || {
        local_error
            .get()
            .or_else(|| save.value().get().and_then(Result::err))
            .or_else(|| remove.value().get().and_then(Result::err))
    });
    let saved = RwSignal::new(false);
    // One key per save, renewed once it is answered: a double click saves once (a new product
    // is made once) rather than the second press being refused as out of date.
    let save_key = one_time_key(save.version().into());
    let navigate = use_navigate();
    Effect::new(move || {
        if let Some(Ok(saved_id)) = save.value().get() {
            if id == Some(saved_id) {
                saved.set(true);
                saves.update(|n| *n += 1);
            } else {
                navigate(&format!("/admin/products/{saved_id}"), leptos_router::NavigateOptions::default());
            }
        }
    });
    let option_names =
        move || options.iter().map(|o| o.name.get()).filter(|n| !n.trim().is_empty()).collect::<Vec<_>>();
    let build_matrix = move |_| {
        let used: Vec<(String, Vec<String>)> = options
            .iter()
            .filter(|o| !o.name.get_untracked().trim().is_empty())
            .map(|o| {
                let values = o
                    .values
                    .get_untracked()
                    .split(',')
                    .map(|v| v.trim().to_owned())
                    .filter(|v| !v.is_empty())
                    .collect();
                (o.name.get_untracked(), values)
            })
            .collect();
        let combos = variant_matrix(&used.iter().map(|(_, v)| v.clone()).collect::<Vec<_>>());
        // A SKU typed for the first row names the product; else its name does.
        let base = rows.get_untracked().first().map(|r| r.sku.get_untracked()).unwrap_or_default();
        let base = base.split('-').next().unwrap_or_default().trim().to_owned();
        let stem = if base.is_empty() { name.get_untracked() } else { base };
        let old = rows.get_untracked();
        let next = combos
            .into_iter()
            .map(|values| {
                old.iter().find(|r| r.values == values).cloned().unwrap_or_else(|| {
                    let row = VariantRow::blank(values.clone(), proposed_sku(&stem, &values));
                    if let Some(first) = old.first() {
                        row.price.set(first.price.get_untracked());
                        row.cost.set(first.cost.get_untracked());
                    }
                    row
                })
            })
            .collect();
        rows.set(next);
    };
    let submit = move |_| {
        local_error.set(None);
        saved.set(false);
        // Every amount or number that cannot be read is named, in every row, at once.
        let (mut variants, mut problems) = (Vec::<VariantInput>::new(), Vec::new());
        for (i, row) in rows.get_untracked().iter().enumerate() {
            match row.input(i) {
                Ok(variant) => variants.push(variant),
                Err(e) => problems.extend(e.field_problems().into_iter().map(|(f, m)| (f.to_owned(), m.to_owned()))),
            }
        }
        if let Err(e) = commerce::Error::invalid_all(problems) {
            local_error.set(Some(AppError::Domain(e)));
            return;
        }
        let input = ProductInput {
            name: name.get_untracked(),
            description: description.get_untracked(),
            brand: brand.get_untracked(),
            category: Uuid::parse_str(&category.get_untracked()).ok().map(CategoryId),
            status: status.get_untracked(),
            tax_class: tax_class.get_untracked(),
            options: option_names(),
            variants,
            // The marketplace vendor that sells it is not shown here, so it is kept as it is.
            vendor: Keep::Unchanged,
            featured: Keep::Unchanged,
        };
        save.dispatch(SaveProduct { id, revision, input, submission: save_key.get_untracked() });
    };
    view! {
        <PageHeader title=title subtitle=format!("Prices in {}.", currency.code())>
            <a class="btn btn-secondary" href="/admin/products">"All products"</a>
        </PageHeader>
        {moderation}
        <fieldset disabled=!manage class="grid gap-6 lg:grid-cols-3">
            {view! {
            <section class="card space-y-4 lg:col-span-2">
                <BoundField label="Name" field="name" value=name error />
                <div class="grid gap-4 sm:grid-cols-2">
                    <BoundField label="Brand" field="brand" value=brand error />
                    <div class="field">
                        <label class="label" for="category">"Category"</label>
                        <select class="input" id="category" on:change=move |ev| category.set(event_target_value(&ev))>
                            <option value="">"None"</option>
                            {categories.into_iter().map(|c| {
                                let value = c.id.0.to_string();
                                let chosen = category.get_untracked() == value;
                                view! { <option value=value selected=chosen>{c.path}</option> }
                            }).collect_view()}
                        </select>
                        <FieldError error field="category" />
                    </div>
                </div>
                <div class="field">
                    <label class="label" for="description">"Description"</label>
                    <textarea class="input min-h-28" id="description" prop:value=move || description.get() on:input=move |ev| description.set(event_target_value(&ev))>{description.get_untracked()}</textarea>
                    <FieldError error field="description" />
                </div>
            </section>
            }.into_any()}
            {view! {
            <section class="card space-y-4">
                <div class="field">
                    <label class="label" for="status">"Status"</label>
                    <select class="input" id="status" on:change=move |ev| status.set(ProductStatus::from_code(&event_target_value(&ev)).unwrap_or_default())>
                        {ProductStatus::ALL.into_iter().map(|s| view! { <option value=s.code() selected=move || status.get() == s>{s.label()}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label class="label" for="tax_class">"VAT"</label>
                    <select class="input" id="tax_class" on:change=move |ev| tax_class.set(TaxClass::from_code(&event_target_value(&ev)).unwrap_or_default())>
                        {TaxClass::ALL.into_iter().map(|t| view! { <option value=t.code() selected=move || tax_class.get() == t>{t.label()}</option> }).collect_view()}
                    </select>
                </div>
            </section>
            }.into_any()}
            {view! {
            <section class="card space-y-4 lg:col-span-3">
                <div>
                    <h2 class="font-semibold text-slate-900">"Options"</h2>
                    <p class="text-sm text-slate-500">"Up to three ways the product varies, such as size and colour, with their values separated by commas."</p>
                </div>
                <div class="grid gap-3 md:grid-cols-3">
                    {options.iter().enumerate().map(|(i, o)| {
                        let (name_id, values_id) = (format!("option-{i}-name"), format!("option-{i}-values"));
                        let o = *o;
                        let (name_input, values_input) = (NodeRef::new(), NodeRef::new());
                        follow_typed(name_input, o.name);
                        follow_typed(values_input, o.values);
                        view! {
                            <div class="space-y-2">
                                <label class="label" for=name_id.clone()>{format!("Option {}", i + 1)}</label>
                                <input class="input" id=name_id node_ref=name_input placeholder=["Size", "Colour", "Material"][i] value=o.name.get_untracked() on:input=move |ev| o.name.set(event_target_value(&ev)) />
                                <label class="sr-only" for=values_id.clone()>{format!("Values of option {}", i + 1)}</label>
                                <input class="input" id=values_id node_ref=values_input placeholder=["S, M, L", "Black, White", "Cotton, Linen"][i] value=o.values.get_untracked() on:input=move |ev| o.values.set(event_target_value(&ev)) />
                            </div>
                        }
                    }).collect_view()}
                </div>
                <FieldError error field="options" />
                <button type="button" class="btn btn-secondary" on:click=build_matrix>"Make the variants"</button>
                <VariantTable rows option_names=Signal::derive(option_names) error />
            </section>
            }.into_any()}
        </fieldset>
        <FormAlert error beside=PRODUCT_FIELDS />
        <Show when=move || saved.get()><p class="notice mt-4" role="status">"Saved."</p></Show>
        {manage.then(|| view! {
            <div class="mt-4 flex flex-wrap gap-2">
                <button type="button" class="btn btn-primary" on:click=submit disabled=move || save.pending().get()>"Save product"</button>
                {id.map(|id| view! {
                    // Asks first; a product with stock history is refused, with the advice to
                    // archive it (set its status) instead.
                    <details class="inline-block" data-testid="delete-product">
                        <summary class="btn btn-secondary cursor-pointer list-none">"Delete…"</summary>
                        <div class="card mt-2 max-w-sm space-y-3">
                            <p class="text-sm text-slate-600">"Delete this product for good? One that has had stock cannot be deleted: set its status to Archived, which keeps its history."</p>
                            <button type="button" class="btn btn-danger" on:click=move |_| { remove.dispatch(DeleteProduct { id }); }>"Delete for good"</button>
                        </div>
                    </details>
                })}
            </div>
        })}
        <Pictures product=id images manage />
    }
}

#[component]
fn VariantTable(
    rows: RwSignal<Vec<VariantRow>>,
    option_names: Signal<Vec<String>>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let cell = move |i: usize,
                     name: &'static str,
                     label: &'static str,
                     value: RwSignal<String>,
                     class: &'static str| {
        let id = format!("variants-{i}-{name}");
        let field = format!("variants[{i}].{name}");
        view! {
            <td>
                <label class="sr-only" for=id.clone()>{label}</label>
                <input class=format!("input input-sm {class}") id=id value=value.get_untracked() prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev)) />
                <FieldError error field />
            </td>
        }
    };
    view! {
        <div class="table-wrap rounded-lg border border-slate-200">
            <table class="table">
                <thead>
                    <tr>
                        <th>{move || option_names.get().join(" / ")}</th>
                        <th>"SKU"</th><th>"Barcode"</th><th>"Price"</th><th>"Was"</th><th>"Cost"</th><th>"Weight (g)"</th><th>"L x W x H (mm)"</th>
                    </tr>
                </thead>
                <tbody>
                    {move || rows.get().into_iter().enumerate().map(|(i, row)| view! {
                        <tr data-testid="variant-row">
                            <td class="whitespace-nowrap font-medium">
                                {commerce::catalog::variant_title(&row.values)}
                                <FieldError error field=format!("variants[{i}].option_values") />
                            </td>
                            {cell(i, "sku", "SKU", row.sku, "w-36 font-mono")}
                            {cell(i, "barcode", "Barcode", row.barcode, "w-36 font-mono")}
                            {cell(i, "price", "Price", row.price, "w-24")}
                            {cell(i, "compare_at_price", "Was price", row.compare_at, "w-24")}
                            {cell(i, "cost", "Cost", row.cost, "w-24")}
                            {cell(i, "weight_grams", "Weight in grams", row.weight, "w-20")}
                            {cell(i, "dimensions_mm", "Dimensions in mm", row.dimensions, "w-32")}
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        <FieldError error field="variants" />
    }
}

/// The fields whose problems the editor shows beside their controls; any other is said above
/// the save button.
const PRODUCT_FIELDS: &[&str] = &["name", "brand", "category", "description", "options", "variants", "variants[]"];

/// A text field bound to a signal, with its error beneath.
#[component]
fn BoundField(
    label: &'static str,
    field: &'static str,
    value: RwSignal<String>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let input = NodeRef::<leptos::html::Input>::new();
    follow_typed(input, value);
    view! {
        <div class="field">
            <label class="label" for=field>{label}</label>
            <input class="input" id=field node_ref=input value=value.get_untracked() on:input=move |ev| value.set(event_target_value(&ev)) />
            <FieldError error field />
        </div>
    }
}

/// Binds an input to `value` without losing what was typed before the script ran: on the page's
/// first moment in the browser, the input's text (typed while the page was loading) becomes the
/// value; after that the input shows whatever the value becomes (a SKU proposed for it, say).
fn follow_typed(input: NodeRef<leptos::html::Input>, value: RwSignal<String>) {
    Effect::new(move |started: Option<bool>| {
        let wanted = value.get();
        let Some(element) = input.get() else { return false };
        if started == Some(true) {
            if element.value() != wanted {
                element.set_value(&wanted);
            }
        } else if element.value() != wanted {
            value.set(element.value());
        }
        true
    });
}

#[cfg(test)]
mod tests {
    use super::{parse_dimensions, proposed_sku};

    #[test]
    fn a_variants_sku_is_proposed_from_the_product_and_its_values() {
        let values = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        assert_eq!(proposed_sku("Ankara shirt", &values(&["S", "Navy blue"])), "ANKARA-SHIRT-S-NAVYBLUE");
        assert_eq!(proposed_sku("Mama's Pride Parboiled Rice 50kg", &values(&["5kg"])), "MAMA-S-PRIDE-5KG");
        assert_eq!(proposed_sku("ÀṢỌ", &values(&["L"])), "ITEM-L");
        let long = proposed_sku(&"word ".repeat(40), &values(&[&"x".repeat(80)]));
        assert!(long.len() <= 64 && !long.ends_with('-'), "{long}");
    }

    #[test]
    fn dimensions_are_read_as_typed() {
        assert_eq!(parse_dimensions("300 x 200 x 100"), Ok(Some([300, 200, 100])));
        assert_eq!(parse_dimensions(" "), Ok(None));
        assert!(parse_dimensions("300 x 200").is_err());
    }
}
