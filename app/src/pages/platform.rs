use commerce::identity::{PlatformOverview, TenantStatus, TenantSummary};
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::{SetBusinessStatus, load_platform_overview};
use crate::components::{
    Badge, BadgeTone, EmptyState, Gate, Loaded, NavLink, Needs, PageHeader, StatTile, Workspace, successes,
};

/// The platform's pages, as its side navigation lists them.
pub const PLATFORM_NAV: &[NavLink] = &[NavLink { href: "/platform", label: "Businesses", needs: None }];

/// `/platform`: every business on the platform and their figures, for platform admins.
#[component]
pub fn PlatformHome() -> impl IntoView {
    // Loaded outside the gate, so that it is loaded once (see `Gate`).
    let set_status = ServerAction::<SetBusinessStatus>::new();
    let changed = successes(set_status);
    let overview = Resource::new(move || changed.get(), |_| load_platform_overview());
    view! {
        <Title text="Platform" />
        <Gate needs=Needs::PlatformAdmin let:actor>
            <Workspace surface="Platform" nav=PLATFORM_NAV actor>
                <PlatformOverviewPanel set_status overview />
            </Workspace>
        </Gate>
    }
}

#[component]
fn PlatformOverviewPanel(
    set_status: ServerAction<SetBusinessStatus>,
    overview: Resource<Result<PlatformOverview, crate::AppError>>,
) -> impl IntoView {
    view! {
        <PageHeader title="Businesses" subtitle="Every business on the platform, live from the database." />
        <Loaded resource=overview let:overview>
            <Figures overview=overview.clone() />
            <BusinessTable tenants=overview.tenants set_status />
        </Loaded>
    }
}

#[component]
fn Figures(overview: PlatformOverview) -> impl IntoView {
    let marketplaces = overview.marketplaces().count();
    let suspended = overview.tenants.iter().filter(|t| t.status == TenantStatus::Suspended).count();
    view! {
        <div class="grid grid-cols-1 gap-4 sm:grid-cols-3">
            <StatTile
                label="Businesses"
                value=overview.tenants.len().to_string()
                hint=if suspended == 0 { "all trading".to_owned() } else { format!("{suspended} suspended") }
            />
            <StatTile label="Shops and warehouses" value=overview.location_count.to_string() />
            <StatTile label="Marketplaces" value=marketplaces.to_string() hint="with vendors selling through them" />
        </div>
    }
}

/// The businesses, with a filter that narrows the rows as the user types.
#[component]
fn BusinessTable(tenants: Vec<TenantSummary>, set_status: ServerAction<SetBusinessStatus>) -> impl IntoView {
    let (filter, set_filter) = signal(String::new());
    let tenants = StoredValue::new(tenants);
    let shown = move || {
        let needle = filter.get().trim().to_lowercase();
        tenants.with_value(|all| {
            all.iter()
                .filter(|t| needle.is_empty() || t.name.to_lowercase().contains(&needle) || t.slug.contains(&needle))
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    view! {
        <section class="card mt-6 p-0">
            <div class="flex flex-col gap-3 border-b border-slate-200 p-4 sm:flex-row sm:items-center sm:justify-between">
                <h2 class="font-semibold text-slate-900">"Businesses"</h2>
                <label class="sr-only" for="business-filter">"Filter businesses"</label>
                <input
                    id="business-filter"
                    class="input sm:max-w-xs"
                    type="search"
                    placeholder="Filter by name"
                    prop:value=filter
                    on:input=move |ev| set_filter.set(event_target_value(&ev))
                />
            </div>
            {move || {
                let rows = shown();
                if rows.is_empty() {
                    view! { <EmptyState title="No business matches" message="Try another name, or clear the filter." /> }.into_any()
                } else {
                    view! {
                        <div class="table-wrap">
                            <table class="table">
                                <thead>
                                    <tr>
                                        <th>"Business"</th>
                                        <th>"Sells as"</th>
                                        <th class="hidden md:table-cell">"Currency and VAT"</th>
                                        <th class="hidden md:table-cell">"Time zone"</th>
                                        <th class="text-right">"Locations"</th>
                                        <th>"Status"</th>
                                        <th></th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {rows.into_iter().map(|t| view! { <BusinessRow tenant=t set_status /> }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }
                        .into_any()
                }
            }}
        </section>
    }
}

#[component]
fn BusinessRow(tenant: TenantSummary, set_status: ServerAction<SetBusinessStatus>) -> impl IntoView {
    let suspended = tenant.status == TenantStatus::Suspended;
    let id = tenant.id.0.to_string();
    let tax = if tenant.prices_include_tax { "incl." } else { "excl." };
    view! {
        <tr>
            <td>
                <a class="font-medium text-brand-700 hover:underline" href=format!("/store/{}", tenant.slug) rel="external">{tenant.name}</a>
                <div class="text-xs text-slate-500">{format!("/store/{}", tenant.slug)}</div>
            </td>
            <td>{tenant.mode.label()}</td>
            <td class="hidden md:table-cell">{format!("{} · VAT {}% {tax}", tenant.currency.code(), tenant.vat_rate.normalize())}</td>
            <td class="hidden md:table-cell">{tenant.time_zone}</td>
            <td class="text-right tabular-nums">{tenant.location_count}</td>
            <td>
                {match tenant.status {
                    TenantStatus::Active => view! { <Badge tone=BadgeTone::Positive text="Active" /> },
                    TenantStatus::Suspended => view! { <Badge tone=BadgeTone::Negative text="Suspended" /> },
                }}
            </td>
            <td class="text-right">
                <ActionForm action=set_status>
                    <input type="hidden" name="tenant" value=id />
                    <input type="hidden" name="suspended" value=(!suspended).to_string() />
                    <button type="submit" class="btn btn-secondary btn-sm">{if suspended { "Reactivate" } else { "Suspend" }}</button>
                </ActionForm>
            </td>
        </tr>
    }
}
