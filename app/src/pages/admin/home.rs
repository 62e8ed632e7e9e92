use commerce::base::Permission;
use commerce::identity::BusinessHome;
use commerce::inventory::StockSummary;
use leptos::prelude::*;

use super::AdminPage;
use crate::api::{load_business_home, load_stock_summary};
use crate::components::{Loaded, Needs, PageHeader, StatTile};

/// `/admin`: the business at a glance.
#[component]
pub fn AdminHome() -> impl IntoView {
    // Loaded outside the gate, so that it is loaded once (see `Gate`).
    let home = Resource::new(|| (), |()| load_business_home());
    let stock = Resource::new(|| (), |()| load_stock_summary());
    view! {
        <AdminPage title="Overview" needs=Needs::Permission(Permission::ViewDashboard) let:_actor>
            <Loaded resource=home let:home>
                <HomeView home />
            </Loaded>
            <Loaded resource=stock let:stock>
                {stock.map(|stock| view! { <StockNeeds stock /> })}
            </Loaded>
        </AdminPage>
    }
}

/// What needs a look in the stock this morning, each figure a link to the list behind it.
#[component]
fn StockNeeds(stock: StockSummary) -> impl IntoView {
    let tiles = [
        (
            "Running low",
            stock.low,
            "item at or under its reorder point",
            "items at or under their reorder point",
            "/admin/stock/alerts",
            "low",
        ),
        (
            "Out of stock",
            stock.out,
            "item with nothing left to sell",
            "items with nothing left to sell",
            "/admin/stock/alerts",
            "out",
        ),
        (
            "On the way",
            stock.in_transit,
            "transfer sent, not yet received",
            "transfers sent, not yet received",
            "/admin/stock/transfers",
            "in-transit",
        ),
        (
            "Drafted transfers",
            stock.drafts,
            "transfer not yet sent",
            "transfers not yet sent",
            "/admin/stock/transfers",
            "drafts",
        ),
        (
            "Counts under way",
            stock.counts,
            "count not yet approved",
            "counts not yet approved",
            "/admin/stock/counts",
            "counts",
        ),
    ];
    view! {
        <section class="mt-6" aria-labelledby="stock-needs">
            <h2 id="stock-needs" class="mb-3 font-semibold text-slate-900">"Stock to look at"</h2>
            <div class="grid grid-cols-2 gap-4 sm:grid-cols-3 lg:grid-cols-5">
                {tiles.into_iter().map(|(label, n, one, many, href, id)| {
                    let figure = if n > 0 && id != "drafts" { "mt-1 text-2xl font-semibold text-amber-700 tabular-nums" } else { "mt-1 text-2xl font-semibold text-slate-900 tabular-nums" };
                    view! {
                    <a class="card block hover:border-brand-300 hover:shadow" href=href data-testid=format!("stock-{id}")>
                        <p class="text-sm text-slate-500">{label}</p>
                        <p class=figure>{n}</p>
                        <p class="mt-1 text-xs text-slate-500">{if n == 1 { one } else { many }}</p>
                    </a>
                }}).collect_view()}
            </div>
        </section>
    }
}

#[component]
fn HomeView(home: BusinessHome) -> impl IntoView {
    let tenant = home.tenant;
    let shops = home.locations.iter().filter(|l| l.kind == commerce::identity::LocationKind::Shop).count();
    let warehouses = home.locations.len() - shops;
    let tax = if tenant.prices_include_tax { "included in prices" } else { "added to prices" };
    view! {
        <PageHeader title=tenant.name.clone() subtitle=tenant.tagline.clone() />
        <div class="grid grid-cols-1 gap-4 sm:grid-cols-3">
            <StatTile label="Shops" value=shops.to_string() hint=format!("and {warehouses} warehouse{}", if warehouses == 1 { "" } else { "s" }) />
            <StatTile label="Staff" value=home.staff.to_string() hint=format!("{} invitation{} open", home.open_invitations, if home.open_invitations == 1 { "" } else { "s" }) />
            <StatTile label="Sells as" value=tenant.mode.label() hint=format!("/store/{}", tenant.slug) />
        </div>
        <div class="mt-6 grid gap-6 lg:grid-cols-3">
            <section class="card lg:col-span-1">
                <h2 class="font-semibold text-slate-900">"Business"</h2>
                <dl class="mt-3 space-y-2 text-sm">
                    <div class="flex justify-between gap-4"><dt class="text-slate-500">"Currency"</dt><dd>{tenant.currency.code()}</dd></div>
                    <div class="flex justify-between gap-4"><dt class="text-slate-500">"VAT"</dt><dd>{format!("{}%, {tax}", tenant.vat_rate.normalize())}</dd></div>
                    <div class="flex justify-between gap-4"><dt class="text-slate-500">"Time zone"</dt><dd>{tenant.time_zone}</dd></div>
                </dl>
            </section>
            <section class="card p-0 lg:col-span-2">
                <h2 class="border-b border-slate-200 p-4 font-semibold text-slate-900">"Locations"</h2>
                <div class="table-wrap">
                    <table class="table">
                        <thead><tr><th>"Name"</th><th>"Kind"</th><th class="hidden sm:table-cell">"Address"</th></tr></thead>
                        <tbody>
                            {home.locations.into_iter().map(|l| {
                                let address = l.address_line();
                                view! {
                                <tr>
                                    <td class="font-medium">{l.name}</td>
                                    <td>{l.kind.label()}</td>
                                    <td class="hidden sm:table-cell">{address}</td>
                                </tr>
                            }}).collect_view()}
                        </tbody>
                    </table>
                </div>
            </section>
        </div>
    }
}
