use commerce::identity::{Location, Storefront};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::load_storefront;
use crate::components::{EmptyState, Loaded};

/// `/store/{slug}`: a business's storefront.
#[component]
pub fn StorefrontHome() -> impl IntoView {
    let params = use_params_map();
    let store = Resource::new(move || params.read().get("slug").unwrap_or_default(), load_storefront);
    view! {
        <Loaded resource=store let:store>
            <StorefrontView store />
        </Loaded>
    }
}

#[component]
fn StorefrontView(store: Storefront) -> impl IntoView {
    let tenant = store.tenant;
    let tax_note = format!(
        "Prices in {} ({}), VAT {}% {}.",
        tenant.currency.symbol().trim(),
        tenant.currency.code(),
        tenant.vat_rate.normalize(),
        if tenant.prices_include_tax { "included" } else { "added at checkout" }
    );
    view! {
        <Title text=tenant.name.clone() />
        <header class="store-header">
            <div class="mx-auto flex max-w-6xl items-center justify-between gap-4 px-4 py-3 sm:px-6">
                <a href=format!("/store/{}", tenant.slug) class="text-lg font-bold text-slate-900">{tenant.name.clone()}</a>
                <div class="flex items-center gap-3">
                    <span class="badge badge-neutral hidden sm:inline-flex">{tenant.mode.label()}</span>
                    <a class="btn btn-secondary btn-sm" href=format!("/store/{}/account", tenant.slug)>"Account"</a>
                </div>
            </div>
        </header>
        <main class="mx-auto max-w-6xl px-4 py-8 sm:px-6">
            <section class="store-hero">
                <h1 class="text-2xl font-bold text-white sm:text-4xl">{tenant.name}</h1>
                <p class="mt-3 max-w-2xl text-brand-50">{tenant.tagline}</p>
            </section>
            <section class="mt-10" aria-labelledby="shops-heading">
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
        <footer class="mx-auto max-w-6xl px-4 pb-10 text-sm text-slate-500 sm:px-6">{tax_note}</footer>
    }
}

/// A shop's address and phone, with its opening hours behind a button.
#[component]
fn ShopCard(shop: Location) -> impl IntoView {
    let (hours_open, set_hours_open) = signal(false);
    let hours_id = format!("hours-{}", shop.id.0);
    let phone_href = format!("tel:{}", shop.phone.replace(' ', ""));
    let address = shop.address_line();
    let hours = shop.opening_hours.lines().map(|line| view! { <li>{line.to_owned()}</li> }).collect_view();
    view! {
        <li class="card">
            <h3 class="font-semibold text-slate-900">{shop.name}</h3>
            <p class="mt-1 text-sm text-slate-600">{address}</p>
            <a class="mt-1 inline-block text-sm text-brand-700" href=phone_href>{shop.phone}</a>
            <div class="mt-3">
                <button
                    type="button"
                    class="btn btn-secondary btn-sm"
                    aria-expanded=move || hours_open.get().to_string()
                    aria-controls=hours_id.clone()
                    on:click=move |_| set_hours_open.update(|open| *open = !*open)
                >
                    {move || if hours_open.get() { "Hide opening hours" } else { "Opening hours" }}
                </button>
                <ul id=hours_id class="mt-2 text-sm text-slate-700" hidden=move || !hours_open.get()>
                    {hours}
                </ul>
            </div>
        </li>
    }
}
