use commerce::catalog::ShopItem;
use commerce::identity::{Location, Storefront};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::{Shelf, ShelfQuery, load_featured, load_shop_categories, load_shop_items, load_storefront};
use crate::components::{EmptyState, Loaded};

/// `/store/{slug}`: a business's storefront; and `/store/{slug}/c/{category}`, one of its
/// categories (the shelf narrowed to it and those below it, under its name).
#[component]
pub fn StorefrontHome() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let in_category = move || params.read().get("category").filter(|c| !c.is_empty());
    let store = Resource::new(slug, load_storefront);
    // Created here, not inside the `Suspense` that waits for the store: on the server a
    // `Suspense` runs its children several times, and a resource made in them would load each time.
    let query = use_query_map();
    let param = move |name: &str| query.read().get(name).filter(|v| !v.is_empty());
    let narrowed = move || ShelfQuery {
        q: param("q"),
        // The shelf's own choice, made in its filters, wins over the page's category.
        category: param("category").or_else(in_category),
        brand: param("brand"),
        min: param("min"),
        max: param("max"),
        stock: param("stock"),
        sort: param("sort"),
    };
    let items = Resource::new(
        move || (slug(), narrowed(), param("after")),
        |(slug, query, after)| load_shop_items(slug, query, after),
    );
    let categories = Resource::new(slug, load_shop_categories);
    let category = move || param("category").or_else(in_category);
    // The featured products show on the home as it first opens: not on a category's page, a
    // search, or a further page.
    let plain = move || category().is_none() && narrowed() == ShelfQuery::default() && param("after").is_none();
    let featured = Resource::new(
        move || (slug(), plain()),
        |(slug, plain)| async move { if plain { load_featured(slug).await } else { Ok(Vec::new()) } },
    );
    view! {
        <Loaded resource=store let:store>
            <StorefrontView store items categories featured category=category() />
        </Loaded>
    }
}

/// A page of the products on sale, as loaded for the storefront's search.
type ShelfItems = Resource<Result<Shelf, crate::AppError>>;

/// The products featured on the home, as loaded for it (none elsewhere).
type FeaturedItems = Resource<Result<Vec<ShopItem>, crate::AppError>>;

/// The categories with products on sale, as loaded for the shelf's filters.
type ShopCategories = Resource<Result<Vec<commerce::catalog::ShopCategory>, crate::AppError>>;

/// The store's home (its name, its categories, the shelf and its shops), or, for a category,
/// where it sits among the others, those below it, and its shelf.
#[component]
fn StorefrontView(
    store: Storefront,
    items: ShelfItems,
    categories: ShopCategories,
    featured: FeaturedItems,
    category: Option<String>,
) -> impl IntoView {
    let tenant = store.tenant;
    let tax_note = format!(
        "Prices in {} ({}), VAT {}% {}.",
        tenant.currency.symbol().trim(),
        tenant.currency.code(),
        tenant.vat_rate.normalize(),
        if tenant.prices_include_tax { "included" } else { "added at checkout" }
    );
    view! {
        // A store's pages are the shop's own: its name alone, not the platform's after it.
        <Title text=tenant.name.clone() formatter=|text: String| text />
        <StoreHeader slug=tenant.slug.clone() name=tenant.name.clone() shopper=store.shopper.clone() />
        <main class="mx-auto max-w-6xl px-4 py-8 sm:px-6">
            {match category.clone() {
                None => view! {
                    <section class="store-hero">
                        <h1 class="text-2xl font-bold text-white sm:text-4xl">{tenant.name.clone()}</h1>
                        <p class="mt-3 max-w-2xl text-brand-50">{tenant.tagline.clone()}</p>
                    </section>
                }.into_any(),
                Some(_) => ().into_any(),
            }}
            <CategoryNav slug=tenant.slug.clone() categories current=category.clone() />
            <Featured slug=tenant.slug.clone() featured />
            <ShopShelf slug=tenant.slug.clone() items categories category=category.clone() />
            <section class="mt-10" aria-labelledby="shops-heading" hidden=category.is_some()>
                <h2 id="shops-heading" class="text-xl font-semibold text-slate-900">"Visit us"</h2>
                {if store.shops.is_empty() {
                    view! { <EmptyState title="We sell online only" message="Order online and we deliver to your door." /> }.into_any()
                } else {
                    view! {
                        <ul class="mt-4 grid gap-4 md:grid-cols-2">
                            {store.shops.into_iter().map(|shop| view! { <ShopCard shop /> }).collect_view()}
                        </ul>
                    }
                        .into_any()
                }}
            </section>
        </main>
        <footer class="mx-auto flex max-w-6xl flex-wrap justify-between gap-3 px-4 pb-10 text-sm text-slate-500 sm:px-6">
            <span>{tax_note}</span>
            {tenant.mode.has_marketplace().then(|| view! {
                <a class="font-semibold text-brand-700" href=format!("/store/{}/sell", tenant.slug) data-testid="sell-with-us">{format!("Sell on {}", tenant.name)}</a>
            })}
        </footer>
    }
}

/// A storefront's header: the store's name, and links to the cart, tracking and the account.
#[component]
pub(crate) fn StoreHeader(slug: String, name: String, shopper: Option<String>) -> impl IntoView {
    let account = shopper.map_or_else(|| "Account".to_owned(), |name| format!("Hi, {name}"));
    view! {
        <header class="store-header">
            <div class="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-3 px-4 py-3 sm:px-6">
                <a href=format!("/store/{slug}") class="text-lg font-bold text-slate-900">{name}</a>
                <nav class="flex items-center gap-2" aria-label="Store">
                    <a class="btn btn-secondary btn-sm" href=format!("/store/{slug}/track")>"Track an order"</a>
                    <a class="btn btn-secondary btn-sm" href=format!("/store/{slug}/account") data-testid="account-link">{account}</a>
                    <a class="btn btn-primary btn-sm" href=format!("/store/{slug}/cart") data-testid="cart-link">"Cart"</a>
                </nav>
            </div>
        </header>
    }
}

/// The store's categories as links: on the home, the top ones; on a category's page, the way
/// back up to it (every step a link), its name, and the categories just below it.
#[component]
fn CategoryNav(slug: String, categories: ShopCategories, current: Option<String>) -> impl IntoView {
    view! {
        <Loaded resource=categories let:list>
            {
                let link = |c: &commerce::catalog::ShopCategory| format!("/store/{slug}/c/{}", c.id.0);
                let last = |path: &str| path.rsplit(" › ").next().unwrap_or(path).to_owned();
                let here = current.as_deref().and_then(|id| list.iter().find(|c| c.id.0.to_string() == id)).cloned();
                // Those one step below `path` ("" for the top).
                let below = |path: &str| -> Vec<commerce::catalog::ShopCategory> {
                    list.iter()
                        .filter(|c| match c.path.strip_prefix(path) {
                            Some(rest) if path.is_empty() => !rest.contains(" › "),
                            Some(rest) => rest.strip_prefix(" › ").is_some_and(|name| !name.contains(" › ")),
                            None => false,
                        })
                        .cloned()
                        .collect()
                };
                let chips = |of: Vec<commerce::catalog::ShopCategory>| {
                    of.iter()
                        .map(|c| view! {
                            <li><a class="btn btn-secondary btn-sm" href=link(c) data-testid="category-link">{format!("{} ({})", last(&c.path), c.products)}</a></li>
                        })
                        .collect_view()
                };
                match here {
                    None => {
                        let top = below("");
                        (!top.is_empty()).then(|| view! {
                            <nav class="mt-8" aria-labelledby="categories-heading">
                                <h2 id="categories-heading" class="text-xl font-semibold text-slate-900">"Shop by category"</h2>
                                <ul class="mt-3 flex flex-wrap gap-2">{chips(top)}</ul>
                            </nav>
                        }).into_any()
                    }
                    Some(category) => {
                        // Each step up the path, as a link to its page.
                        let steps: Vec<(String, Option<String>)> = {
                            let parts: Vec<&str> = category.path.split(" › ").collect();
                            (1..parts.len())
                                .map(|n| {
                                    let path = parts[..n].join(" › ");
                                    let href = list.iter().find(|c| c.path == path).map(&link);
                                    (parts[n - 1].to_owned(), href)
                                })
                                .collect()
                        };
                        let under = below(&category.path);
                        view! {
                            <nav class="text-sm text-slate-600" aria-label="Breadcrumb">
                                <a class="text-brand-700 hover:underline" href=format!("/store/{slug}")>"All products"</a>
                                {steps.into_iter().map(|(name, href)| view! {
                                    " › "
                                    {match href {
                                        Some(href) => view! { <a class="text-brand-700 hover:underline" href=href>{name}</a> }.into_any(),
                                        None => name.into_any(),
                                    }}
                                }).collect_view()}
                            </nav>
                            <h1 class="mt-2 text-2xl font-bold text-slate-900 sm:text-3xl">{last(&category.path)}</h1>
                            <p class="mt-1 text-sm text-slate-600">{format!("{} products", category.products)}</p>
                            {(!under.is_empty()).then(|| view! {
                                <ul class="mt-3 flex flex-wrap gap-2" aria-label="Below this category">{chips(under)}</ul>
                            })}
                        }.into_any()
                    }
                }
            }
        </Loaded>
    }
}

/// A shop's address and phone, with its opening hours folded away (the browser's own
/// disclosure, so it opens without a script).
#[component]
fn ShopCard(shop: Location) -> impl IntoView {
    let phone_href = format!("tel:{}", shop.phone.replace(' ', ""));
    let address = shop.address_line();
    let hours = shop.opening_hours.lines().map(|line| view! { <li>{line.to_owned()}</li> }).collect_view();
    view! {
        <li class="card">
            <h3 class="font-semibold text-slate-900">{shop.name}</h3>
            <p class="mt-1 text-sm text-slate-600">{address}</p>
            <a class="mt-1 inline-block text-sm text-brand-700" href=phone_href>{shop.phone}</a>
            <details class="mt-3">
                <summary class="btn btn-secondary btn-sm">"Opening hours"</summary>
                <ul class="mt-2 text-sm text-slate-700">{hours}</ul>
            </details>
        </li>
    }
}

/// The products the merchant features, on the home; nothing when it features none.
#[component]
fn Featured(slug: String, featured: FeaturedItems) -> impl IntoView {
    view! {
        <Loaded resource=featured let:items>
            {(!items.is_empty()).then(|| view! {
                <section class="mt-10" aria-labelledby="featured-heading" data-testid="featured">
                    <h2 id="featured-heading" class="text-xl font-semibold text-slate-900">"Featured"</h2>
                    <ul class="mt-4 grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-4">
                        {items.into_iter().map(|item| view! { <ItemCard slug=slug.clone() item testid="featured-item" /> }).collect_view()}
                    </ul>
                </section>
            })}
        </Loaded>
    }
}

/// The products on sale, with a search box (a plain GET form). The storefront's script keeps
/// each product's availability as the store's live feed announces it.
#[component]
fn ShopShelf(slug: String, items: ShelfItems, categories: ShopCategories, category: Option<String>) -> impl IntoView {
    let query = use_query_map();
    // The shelf's own address: the category's page when it shows one.
    let here = category.as_ref().map_or_else(|| format!("/store/{slug}"), |c| format!("/store/{slug}/c/{c}"));
    view! {
        <section class="mt-10" aria-labelledby="shelf-heading">
            <div class="flex flex-wrap items-end justify-between gap-3">
                <h2 id="shelf-heading" class="text-xl font-semibold text-slate-900">"Shop"</h2>
            </div>
            <ShelfFilters slug=slug.clone() categories category />
            <Loaded resource=items let:shelf>
                {if shelf.items.is_empty() {
                    view! { <EmptyState title="Nothing found" message="Try another word, or look around the shop." /> }.into_any()
                } else {
                    // Further pages are plain links, kept with the narrowing: they work before any script.
                    const KEEP: &[&str] = &["q", "brand", "min", "max", "stock", "sort"];
                    let start = query.read_untracked().get("after").is_some().then(|| crate::pages::link_keeping(&here, KEEP));
                    let more = shelf.next.map(|next| crate::pages::next_page_link(&here, &next, KEEP));
                    view! {
                        <ul class="mt-4 grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-4">
                            {shelf.items.into_iter().map(|item| view! { <ItemCard slug=slug.clone() item /> }).collect_view()}
                        </ul>
                        <nav class="mt-6 flex flex-wrap gap-3" aria-label="More products">
                            {start.map(|href| view! { <a class="btn btn-secondary" href=href>"Back to the start"</a> })}
                            {more.map(|href| view! { <a class="btn btn-primary" href=href data-testid="more-products">"More products"</a> })}
                        </nav>
                    }.into_any()
                }}
            </Loaded>
        </section>
    }
}

/// The shelf's search and filters: a plain GET form, so a shopper without the script narrows
/// the shelf the same way.
#[component]
fn ShelfFilters(slug: String, categories: ShopCategories, category: Option<String>) -> impl IntoView {
    let query = use_query_map();
    let now = move |name: &str| query.read_untracked().get(name).unwrap_or_default();
    let (chosen, stock) = (category.unwrap_or_default(), now("stock") == "1");
    // Narrowing starts again from the whole shelf, with the category as chosen in the form.
    let action = format!("/store/{slug}");
    let sort = Some(now("sort")).filter(|s| !s.is_empty()).unwrap_or_else(|| "relevance".to_owned());
    view! {
        <form method="get" action=action class="card mt-4 grid gap-3 sm:grid-cols-3 lg:grid-cols-6" role="search" data-testid="shelf-filters">
            <div class="field sm:col-span-2">
                <label class="label" for="q">"Search the shop"</label>
                <input class="input" id="q" name="q" type="search" placeholder="Search products" value=now("q") />
            </div>
            <div class="field">
                <label class="label" for="category">"Category"</label>
                <select class="input" id="category" name="category">
                    <option value="">"All"</option>
                    <Loaded resource=categories let:list>
                        {list.into_iter().map(|c| {
                            let id = c.id.0.to_string();
                            view! { <option value=id.clone() selected=chosen == id>{format!("{} ({})", c.path, c.products)}</option> }
                        }).collect_view()}
                    </Loaded>
                </select>
            </div>
            <div class="field">
                <label class="label" for="brand">"Brand"</label>
                <input class="input" id="brand" name="brand" value=now("brand") />
            </div>
            <div class="field">
                <label class="label" for="min">"Price from (₦)"</label>
                <input class="input" id="min" name="min" inputmode="decimal" value=now("min") />
            </div>
            <div class="field">
                <label class="label" for="max">"Price to (₦)"</label>
                <input class="input" id="max" name="max" inputmode="decimal" value=now("max") />
            </div>
            <div class="field">
                <label class="label" for="sort">"Sort by"</label>
                <select class="input" id="sort" name="sort">
                    {commerce::catalog::ShelfOrder::ALL.into_iter().map(|order| {
                        let code = order.code();
                        view! { <option value=code selected=sort == code>{order.label()}</option> }
                    }).collect_view()}
                </select>
            </div>
            <label class="flex items-center gap-2 text-sm"><input type="checkbox" name="stock" value="1" checked=stock />"In stock only"</label>
            <button type="submit" class="btn btn-secondary sm:col-span-1">"Show"</button>
        </form>
    }
}

/// One product on the shelf: name, price and whether it can be bought now. It names its
/// variants and what each had (`data-variants`, `data-available`) for the storefront's script,
/// which says it again as the live feed changes it, in the same words.
#[component]
pub(crate) fn ItemCard(
    slug: String,
    item: ShopItem,
    #[prop(default = "shop-item")] testid: &'static str,
) -> impl IntoView {
    let available: i64 = item.variants.iter().map(|(_, n)| (*n).max(0)).sum();
    let ids = item.variants.iter().map(|(v, _)| v.0.to_string()).collect::<Vec<_>>().join(" ");
    let counts = item.variants.iter().map(|(_, n)| n.to_string()).collect::<Vec<_>>().join(" ");
    let (low, high) = item.price_range;
    let price = if low == high { low.to_string() } else { format!("from {low}") };
    let (class, says) = match available {
        0 => ("text-xs font-medium text-red-700", "Sold out".to_owned()),
        n @ 1..=5 => ("text-xs font-medium text-amber-700", format!("Only {n} left")),
        _ => ("text-xs text-emerald-700", "In stock".to_owned()),
    };
    view! {
        <li class="card flex flex-col gap-1 p-3" data-testid=testid data-product=item.id.0.to_string() data-variants=ids data-available=counts>
            {item.thumbnail_url.map(|src| view! { <img src=src alt="" class="mb-2 aspect-square w-full rounded object-cover" loading="lazy" /> })}
            <span class="text-xs text-slate-500">{item.brand}</span>
            <a class="font-medium leading-snug text-slate-900 hover:text-brand-700" href=format!("/store/{slug}/p/{}", item.id.0)>{item.name}</a>
            <span class="mt-auto pt-1 font-semibold tabular-nums">{price}</span>
            <span data-testid="availability" class=class>{says}</span>
        </li>
    }
}
