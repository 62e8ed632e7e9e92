use commerce::base::Permission;
use commerce::identity::VendorHome;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::load_vendor_home;
use crate::components::{Badge, BadgeTone, Gate, Loaded, NavLink, Needs, PageHeader, Workspace};

/// The vendor portal's pages, as its side navigation lists them.
pub const VENDOR_NAV: &[NavLink] =
    &[NavLink { href: "/vendor", label: "Home", needs: Some(Permission::UseVendorPortal) }];

/// `/vendor`: the vendor portal's home for the signed-in vendor staff.
#[component]
pub fn VendorHomePage() -> impl IntoView {
    // Loaded outside the gate, so that it is loaded once (see `Gate`).
    let home = Resource::new(|| (), |()| load_vendor_home());
    view! {
        <Title text="Vendor portal" />
        <Gate needs=Needs::Permission(Permission::UseVendorPortal) let:actor>
            <Workspace surface="Vendor portal" nav=VENDOR_NAV actor>
                <Loaded resource=home let:home>
                    <VendorView home />
                </Loaded>
            </Workspace>
        </Gate>
    }
}

#[component]
fn VendorView(home: VendorHome) -> impl IntoView {
    let (tone, status) = match home.vendor_status.as_str() {
        "approved" => (BadgeTone::Positive, "Approved"),
        "pending" => (BadgeTone::Warning, "Waiting for approval"),
        _ => (BadgeTone::Negative, "Suspended"),
    };
    let market = home.marketplace;
    view! {
        <PageHeader title=home.vendor subtitle=format!("Selling on {}", market.name) />
        <section class="card max-w-2xl">
            <div class="flex items-center justify-between gap-3">
                <h2 class="font-semibold text-slate-900">{market.name.clone()}</h2>
                <Badge tone text=status />
            </div>
            <p class="mt-2 text-sm text-slate-600">{market.tagline}</p>
            <p class="mt-3 text-xs text-slate-500">{format!("Prices in {} · VAT {}%", market.currency.code(), market.vat_rate.normalize())}</p>
            <a class="btn btn-secondary mt-4" href=format!("/store/{}", market.slug) rel="external">"See the marketplace"</a>
        </section>
    }
}
