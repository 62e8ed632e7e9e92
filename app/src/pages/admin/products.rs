use std::collections::HashSet;

use commerce::base::Permission;
use commerce::catalog::{ProductRow, ProductStatus};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use uuid::Uuid;

use super::AdminPage;
use crate::api::{ProductList, SetProductsStatus, load_products};
use crate::components::{
    Badge, BadgeTone, DataTable, EmptyState, FormAlert, Loaded, Needs, PageHeader, failed, successes,
};

/// `/admin/products`: the catalog, searched (typos forgiven) and filtered by status and
/// category through a plain GET form, with a bulk status change for those who may edit.
#[component]
pub fn ProductsPage() -> impl IntoView {
    // Loaded outside the gate, so that it is loaded once (see `Gate`).
    let query = use_query_map();
    let param = move |name: &str| query.read().get(name).filter(|v| !v.is_empty());
    let bulk = ServerAction::<SetProductsStatus>::new();
    let changed = successes(bulk);
    let products = Resource::new(
        move || (param("search"), param("status"), param("category"), param("sort"), param("after"), changed.get()),
        |(search, status, category, sort, after, _)| load_products(search, status, category, sort, after),
    );
    view! {
        <AdminPage title="Products" needs=Needs::Permission(Permission::ViewCatalog) let:actor>
            {
                let manage = actor.can(Permission::ManageCatalog);
                // A vendor's staff see their vendor's products; categories, files of the whole
                // catalog and the store's featured products are the marketplace's.
                let operator = !actor.can(Permission::UseVendorPortal);
                let subtitle = if operator {
                    "Everything you sell, in the shop, online and on the marketplace."
                } else {
                    "Your products on the marketplace. New ones and changes may wait for the marketplace's approval."
                };
                view! {
                    <PageHeader title="Products" subtitle>
                        {operator.then(|| view! {
                            <a class="btn btn-secondary" href="/admin/categories">"Categories"</a>
                            <a class="btn btn-secondary" href="/admin/products/import">"Import and export"</a>
                        })}
                        {manage.then(|| view! { <a class="btn btn-primary" href="/admin/products/new">"New product"</a> })}
                    </PageHeader>
                    <ProductsPanel products manage operator bulk />
                }
            }
        </AdminPage>
    }
}

#[component]
fn ProductsPanel(
    products: Resource<Result<ProductList, crate::AppError>>,
    manage: bool,
    operator: bool,
    bulk: ServerAction<SetProductsStatus>,
) -> impl IntoView {
    view! {
        <Loaded resource=products let:list>
            <Filters list=list.clone() />
            <ProductTable list manage operator bulk />
        </Loaded>
    }
}

#[component]
fn Filters(list: ProductList) -> impl IntoView {
    let query = use_query_map().read_untracked().clone();
    let param = move |name: &str| query.get(name).unwrap_or_default();
    let (status, category, sort) = (param("status"), param("category"), param("sort"));
    view! {
        <form method="get" action="/admin/products" class="card mb-4 grid gap-3 sm:grid-cols-2 lg:grid-cols-[2fr_1fr_1fr_1fr_auto] lg:items-end">
            <div>
                <label class="label" for="search">"Search"</label>
                <input class="input" id="search" name="search" type="search" placeholder="Name, brand, SKU or barcode" value=param("search") />
            </div>
            <div>
                <label class="label" for="status">"Status"</label>
                <select class="input" id="status" name="status">
                    <option value="">"Any"</option>
                    {ProductStatus::ALL.into_iter().map(|s| view! { <option value=s.code() selected=status == s.code()>{s.label()}</option> }).collect_view()}
                </select>
            </div>
            <div>
                <label class="label" for="category">"Category"</label>
                <select class="input" id="category" name="category">
                    <option value="">"Any"</option>
                    {list.categories.into_iter().map(|c| {
                        let id = c.id.0.to_string();
                        let chosen = category == id;
                        view! { <option value=id selected=chosen>{c.path}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div>
                <label class="label" for="sort">"Order"</label>
                <select class="input" id="sort" name="sort">
                    <option value="name">"Name, A to Z"</option>
                    <option value="-updated_at" selected=sort == "-updated_at">"Recently changed"</option>
                </select>
            </div>
            <button type="submit" class="btn btn-primary">"Show"</button>
        </form>
    }
}

#[component]
fn ProductTable(
    list: ProductList,
    manage: bool,
    operator: bool,
    bulk: ServerAction<SetProductsStatus>,
) -> impl IntoView {
    if list.page.rows.is_empty() {
        return view! {
            <EmptyState title="No products here" message="Nothing matches these filters yet. Add a product, or import a list of them." />
        }
        .into_any();
    }
    let chosen = RwSignal::new(HashSet::<Uuid>::new());
    let error = failed(bulk);
    let changed = move || bulk.value().get().and_then(Result::ok);
    let next = list
        .next
        .map(|next| crate::pages::next_page_link("/admin/products", &next, &["search", "status", "category", "sort"]));
    let mut head = vec!["Product", "SKU", "Status", "Variants", "Price", "Available"];
    if manage {
        head.insert(0, "");
    }
    view! {
        {manage.then(|| view! { <BulkBar chosen bulk operator /> })}
        <FormAlert error />
        <Show when=move || changed().is_some()>
            <p class="notice mb-3" role="status">{move || format!("{} product(s) changed.", changed().unwrap_or_default())}</p>
        </Show>
        <DataTable head>
            {list.page.rows.into_iter().map(|row| view! { <ProductLine row manage chosen /> }).collect_view()}
        </DataTable>
        {next.map(|href| view! { <a class="btn btn-secondary mt-4" href=href>"Next page"</a> })}
    }
    .into_any()
}

#[component]
fn BulkBar(chosen: RwSignal<HashSet<Uuid>>, bulk: ServerAction<SetProductsStatus>, operator: bool) -> impl IntoView {
    let status = RwSignal::new(ProductStatus::Active.code().to_owned());
    view! {
        <div class="mb-3 flex flex-wrap items-center gap-2 text-sm">
            <span class="text-slate-600">{move || format!("{} chosen", chosen.read().len())}</span>
            <label class="sr-only" for="bulk-status">"Change"</label>
            <select class="input w-auto" id="bulk-status" on:change=move |ev| status.set(event_target_value(&ev))>
                {ProductStatus::ALL.into_iter().map(|s| view! { <option value=s.code()>{format!("Make {}", s.label().to_lowercase())}</option> }).collect_view()}
                {operator.then(|| view! {
                    <option value="feature">"Feature on the store's home"</option>
                    <option value="unfeature">"Stop featuring"</option>
                })}
            </select>
            <button
                type="button"
                class="btn btn-secondary btn-sm"
                disabled=move || chosen.read().is_empty()
                on:click=move |_| {
                    let ids: Vec<Uuid> = chosen.get_untracked().into_iter().collect();
                    bulk.dispatch(SetProductsStatus { ids, status: status.get_untracked() });
                    chosen.set(HashSet::new());
                }
            >
                "Apply"
            </button>
        </div>
    }
}

#[component]
fn ProductLine(row: ProductRow, manage: bool, chosen: RwSignal<HashSet<Uuid>>) -> impl IntoView {
    let id = row.id.0;
    let (low, high) = row.price_range;
    let price = if low == high { low.to_string() } else { format!("{low} – {high}") };
    let tone = match row.status {
        ProductStatus::Active => BadgeTone::Positive,
        ProductStatus::Draft => BadgeTone::Warning,
        ProductStatus::Archived => BadgeTone::Neutral,
    };
    let stock_tone = if row.available <= 0 { "text-red-700" } else { "" };
    view! {
        <tr data-testid="product-row">
            {manage.then(|| view! {
                <td>
                    <input
                        type="checkbox"
                        aria-label=format!("Choose {}", row.name)
                        prop:checked=move || chosen.read().contains(&id)
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            chosen.update(|set| { if on { set.insert(id); } else { set.remove(&id); } });
                        }
                    />
                </td>
            })}
            <td>
                <div class="flex items-center gap-3">
                    {row.thumbnail_url.map(|src| view! { <img src=src alt="" class="h-10 w-10 rounded object-cover" loading="lazy" /> })}
                    <div>
                        <a class="font-medium text-slate-900 hover:underline" href=format!("/admin/products/{id}")>{row.name}</a>
                        <div class="text-xs text-slate-500">{[row.brand, row.category.unwrap_or_default()].into_iter().filter(|t| !t.is_empty()).collect::<Vec<_>>().join(" · ")}</div>
                    </div>
                </div>
            </td>
            <td class="whitespace-nowrap font-mono text-xs">{row.sku}</td>
            <td>
                <Badge tone text=row.status.label() />
                {row.featured.then(|| view! { <span class="ml-1"><Badge tone=BadgeTone::Positive text="Featured" /></span> })}
            </td>
            <td class="num">{row.variants}</td>
            <td class="num whitespace-nowrap">{price}</td>
            <td class=format!("num {stock_tone}")>{row.available}</td>
        </tr>
    }
}
