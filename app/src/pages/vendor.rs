use commerce::identity::PlatformOverview;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::load_platform_overview;
use crate::components::{EmptyState, Loaded, NavLink, PageHeader, Workspace};

/// The vendor portal's pages, as its side navigation lists them.
pub const VENDOR_NAV: &[NavLink] = &[NavLink { href: "/vendor", label: "Home" }];

/// `/vendor`: the vendor portal's home, with the marketplaces a vendor can sell through.
#[component]
pub fn VendorHome() -> impl IntoView {
    let overview = Resource::new(|| (), |()| load_platform_overview());
    view! {
        <Title text="Vendor portal" />
        <Workspace surface="Vendor portal" nav=VENDOR_NAV>
            <PageHeader title="Sell on SC-1 marketplaces" subtitle="List your products, fulfil your part of each order, and follow commission and payouts." />
            <Loaded resource=overview let:overview>
                <Marketplaces overview />
            </Loaded>
        </Workspace>
    }
}

#[component]
fn Marketplaces(overview: PlatformOverview) -> impl IntoView {
    let marketplaces: Vec<_> = overview.marketplaces().cloned().collect();
    if marketplaces.is_empty() {
        return view! { <EmptyState title="No marketplaces yet" message="When a business opens a marketplace, it appears here for vendors to join." /> }.into_any();
    }
    view! {
        <ul class="grid gap-4 md:grid-cols-2">
            {marketplaces
                .into_iter()
                .map(|m| {
                    view! {
                        <li class="card">
                            <h2 class="font-semibold text-slate-900">{m.name}</h2>
                            <p class="mt-2 text-sm text-slate-600">{m.tagline}</p>
                            <p class="mt-3 text-xs text-slate-500">{format!("Prices in {} · VAT {}%", m.currency.code(), m.vat_rate.normalize())}</p>
                            <a class="btn btn-secondary mt-4" href=format!("/store/{}", m.slug)>"See the marketplace"</a>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
    .into_any()
}
