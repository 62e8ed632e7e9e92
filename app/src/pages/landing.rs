use commerce::identity::{ListedStore, TenantMode};
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::{load_demo_logins, load_listed_stores};
use crate::components::{Badge, BadgeTone, EmptyState, Loaded};

/// `/`: what the suite is, the way into each surface, and the storefronts whose businesses
/// chose to be listed (the demo businesses do).
#[component]
pub fn Landing() -> impl IntoView {
    let stores = Resource::new(|| (), |()| load_listed_stores());
    view! {
        <Title text="" />
        <main class="mx-auto max-w-6xl px-4 py-10 sm:px-6 lg:py-16">
            <section class="max-w-3xl">
                <p class="eyebrow">"SC-1 Commerce Suite"</p>
                <h1 class="mt-2 text-3xl font-bold tracking-tight text-slate-900 sm:text-5xl">
                    "Your shop, your online store and your marketplace — one business, one set of books."
                </h1>
                <p class="mt-4 text-lg text-slate-600">
                    "Sell at the counter even when the network drops, online without ever overselling, and through vendors on your own marketplace. Naira, VAT at 7.5%, cash, transfer and mobile money from day one."
                </p>
            </section>
            <Loaded resource=stores let:stores>
                <SurfaceCards stores=stores.clone() />
                <DemoBusinesses stores />
            </Loaded>
            <DemoLogins />
        </main>
    }
}

#[component]
fn SurfaceCards(stores: Vec<ListedStore>) -> impl IntoView {
    let store_href = stores
        .iter()
        .find(|t| t.mode != TenantMode::Marketplace)
        .or(stores.first())
        .map_or_else(|| "#businesses".to_owned(), |t| format!("/store/{}", t.slug));
    let surfaces = [
        (
            "/admin".to_owned(),
            "Back office",
            "Owners, managers and accountants: the live dashboard, catalog, stock, orders, invoices and settings.",
        ),
        (store_href, "Storefront", "Shoppers browse, buy, track deliveries and collect loyalty points."),
        (
            "/vendor".to_owned(),
            "Vendor portal",
            "Marketplace vendors list products, fulfil their orders and follow commission and payouts.",
        ),
        (
            "/pos".to_owned(),
            "Point of sale",
            "Cashiers ring up sales on any phone or tablet, online or off; every sale syncs exactly once.",
        ),
    ];
    view! {
        <section class="mt-10 grid gap-4 sm:grid-cols-2 lg:grid-cols-4" aria-label="Surfaces">
            {surfaces
                .into_iter()
                .map(|(href, title, text)| {
                    view! {
                        <a href=href.clone() rel=href.starts_with("/store/").then_some("external") class="card card-link">
                            <h2 class="text-lg font-semibold text-slate-900">{title}</h2>
                            <p class="mt-2 text-sm text-slate-600">{text}</p>
                            <span class="mt-4 inline-block text-sm font-semibold text-brand-700">"Open →"</span>
                        </a>
                    }
                })
                .collect_view()}
        </section>
    }
}

#[component]
fn DemoBusinesses(stores: Vec<ListedStore>) -> impl IntoView {
    view! {
        <section id="businesses" class="mt-12">
            <h2 class="text-xl font-semibold text-slate-900">"Demo businesses"</h2>
            <p class="mt-1 text-sm text-slate-600">"Real data in a real database: open a storefront, or explore the back office."</p>
            {if stores.is_empty() {
                view! { <EmptyState title="No stores listed yet" message="A business shows its storefront here once its owner chooses to, in the back office's settings." /> }.into_any()
            } else {
                view! {
                    <ul class="mt-4 grid gap-4 md:grid-cols-2">
                        {stores
                            .into_iter()
                            .map(|t| {
                                view! {
                                    <li class="card">
                                        <div class="flex items-start justify-between gap-3">
                                            <h3 class="font-semibold text-slate-900">{t.name.clone()}</h3>
                                            <Badge tone=BadgeTone::Neutral text=t.mode.label() />
                                        </div>
                                        <p class="mt-2 text-sm text-slate-600">{t.tagline.clone()}</p>
                                        <a class="btn btn-secondary mt-4" href=format!("/store/{}", t.slug) rel="external">"Visit the storefront"</a>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                    .into_any()
            }}
        </section>
    }
}

/// The demo accounts, one per role, when the server runs as a demonstration with the demo data.
#[component]
fn DemoLogins() -> impl IntoView {
    let logins = Resource::new(|| (), |()| load_demo_logins());
    view! {
        <Loaded resource=logins let:logins>
            {let (password, logins) = logins;
            (!logins.is_empty()).then(|| view! {
                <section class="mt-12" aria-labelledby="demo-logins">
                    <h2 id="demo-logins" class="text-xl font-semibold text-slate-900">"Demo logins"</h2>
                    <p class="mt-1 text-sm text-slate-600">
                        "Every demo account uses the password " <code class="rounded bg-slate-100 px-1.5 py-0.5">{password}</code>
                        ". " <a class="font-semibold text-brand-700" href="/admin/login">"Sign in"</a> " or " <a class="font-semibold text-brand-700" href="/signup">"open your own business"</a> "."
                    </p>
                    <div class="card mt-4 p-0">
                        <div class="table-wrap">
                            <table class="table">
                                <thead><tr><th>"Who"</th><th>"Email"</th></tr></thead>
                                <tbody>
                                    {logins.into_iter().map(|(who, email)| view! { <tr><td>{who}</td><td class="font-mono text-xs sm:text-sm">{email}</td></tr> }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    </div>
                </section>
            })}
        </Loaded>
    }
}
