use std::collections::HashMap;

use commerce::base::Permission;
use commerce::identity::Location;
use commerce::inventory::{Movement, StockLevel};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};
use serde::Deserialize;
use uuid::Uuid;

use super::AdminPage;
use crate::api::{AdjustStock, SetReorder, StockView, load_stock, load_variant_history};
use crate::components::{
    DataTable, EmptyState, Field, FormAlert, Loaded, LocalTime, Needs, PageHeader, SubNav, SubmissionKey,
    clear_after_success, failed, follow_events, sent, successes,
};

/// The pages of the stock area, as its tabs list them.
pub(super) const STOCK_TABS: &[(&str, &str)] = &[
    ("/admin/stock", "Levels"),
    ("/admin/stock/receipts", "Receipts"),
    ("/admin/stock/transfers", "Transfers"),
    ("/admin/stock/counts", "Counts"),
    ("/admin/stock/alerts", "Alerts"),
];

/// A stock change as the live feed announces it.
#[derive(Clone, Copy, Debug, Deserialize)]
struct LiveLevel {
    variant: Uuid,
    location: Uuid,
    on_hand: i32,
    reserved: i32,
}

/// Levels that changed since the page loaded, by (variant, location), with how many times.
type LiveLevels = RwSignal<HashMap<(Uuid, Uuid), (i32, i32, u32)>>;

/// Follows the business's stock changes for as long as the page is open.
fn live_levels() -> LiveLevels {
    let live: LiveLevels = RwSignal::new(HashMap::new());
    follow_events("/admin/live/stock".to_owned(), "stock", move |data| {
        if let Ok(change) = serde_json::from_str::<LiveLevel>(&data) {
            live.update(|levels| {
                let seen = levels.get(&(change.variant, change.location)).map_or(0, |l| l.2);
                levels.insert((change.variant, change.location), (change.on_hand, change.reserved, seen + 1));
            });
        }
    });
    live
}

/// `/admin/stock`: on hand, reserved and available for every variant at every location, kept
/// current live while the page is open; filtered by location, search and low stock.
#[component]
pub fn StockPage() -> impl IntoView {
    // Loaded outside the gate, so that it is loaded once (see `Gate`).
    let query = use_query_map();
    let param = move |name: &str| query.read().get(name).filter(|v| !v.is_empty());
    let stock = Resource::new(
        move || (param("location"), param("search"), param("low"), param("after")),
        |(location, search, low, after)| load_stock(location, search, low, after),
    );
    view! {
        <AdminPage title="Stock" needs=Needs::Permission(Permission::ViewInventory) let:_actor>
            <PageHeader title="Stock" subtitle="What is on the shelves at each location, as it changes." />
            <SubNav links=STOCK_TABS current="/admin/stock" />
            <StockPanel stock />
        </AdminPage>
    }
}

#[component]
fn StockPanel(stock: Resource<Result<StockView, crate::AppError>>) -> impl IntoView {
    let live = live_levels();
    view! {
        <Loaded resource=stock let:view>
            <StockFilters locations=view.locations.clone() />
            <StockTable view live />
        </Loaded>
    }
}

#[component]
fn StockFilters(locations: Vec<Location>) -> impl IntoView {
    let query = use_query_map().read_untracked().clone();
    let param = move |name: &str| query.get(name).unwrap_or_default();
    let location = param("location");
    view! {
        <form method="get" action="/admin/stock" class="card mb-4 grid gap-3 sm:grid-cols-[2fr_1fr_auto_auto] sm:items-end">
            <div>
                <label class="label" for="search">"Search"</label>
                <input class="input" id="search" name="search" type="search" placeholder="SKU, barcode or name" value=param("search") />
            </div>
            <div>
                <label class="label" for="location">"Location"</label>
                <select class="input" id="location" name="location">
                    <option value="">"All"</option>
                    {locations.into_iter().map(|l| {
                        let id = l.id.0.to_string();
                        let chosen = id == location;
                        view! { <option value=id selected=chosen>{l.name}</option> }
                    }).collect_view()}
                </select>
            </div>
            <label class="flex items-center gap-2 text-sm sm:pb-2">
                <input type="checkbox" name="low" value="1" checked=!param("low").is_empty() />
                "Low stock only"
            </label>
            <button type="submit" class="btn btn-primary">"Show"</button>
        </form>
    }
}

#[component]
fn StockTable(view: StockView, live: LiveLevels) -> impl IntoView {
    if view.levels.is_empty() {
        return view! {
            <EmptyState title="No stock to show" message="Nothing matches these filters. Receive stock to see it here." />
        }
        .into_any();
    }
    let next =
        view.next.map(|next| crate::pages::next_page_link("/admin/stock", &next, &["location", "search", "low"]));
    view! {
        <DataTable head=vec!["Item", "SKU", "Location", "On hand", "Reserved", "Available", "Reorder at"]>
            {view.levels.into_iter().map(|level| view! { <LevelRow level live /> }).collect_view()}
        </DataTable>
        {next.map(|href| view! { <a class="btn btn-secondary mt-4" href=href>"Next page"</a> })}
    }
    .into_any()
}

#[component]
fn LevelRow(level: StockLevel, live: LiveLevels) -> impl IntoView {
    let key = (level.variant.0, level.location.0);
    let current = move || live.with(|l| l.get(&key).copied());
    let on_hand = move || current().map_or(level.on_hand, |c| c.0);
    let reserved = move || current().map_or(level.reserved, |c| c.1);
    let available = move || on_hand() - reserved();
    let reorder = level.reorder_point;
    let low = move || commerce::inventory::is_low(available(), reorder);
    // Re-rendering the row's key restarts the flash each time a change arrives.
    let flash = move || current().map(|c| c.2);
    let (sku, place) = (level.sku.clone(), level.location_name.clone());
    view! {
        <tr data-testid="stock-row" data-sku=sku data-location=place class="row-link">
            <td>
                <a class="row-link-target font-medium text-slate-900 hover:underline" href=format!("/admin/stock/variant/{}", level.variant.0)>{level.product_name}</a>
                <div class="text-xs text-slate-500">{level.variant_title}</div>
            </td>
            <td class="whitespace-nowrap font-mono text-xs">{level.sku}</td>
            <td class="whitespace-nowrap">{level.location_name}</td>
            {move || {
                let class = if flash().is_some() { "num live-flash" } else { "num" };
                view! {
                    <td class=class data-testid="on-hand">{on_hand()}</td>
                    <td class=class>{reserved()}</td>
                    <td class=move || if low() { format!("{class} font-semibold text-amber-700") } else { class.to_owned() } data-testid="available">{available()}</td>
                }
            }}
            <td class="num text-slate-500">{if reorder > 0 { reorder.to_string() } else { "—".to_owned() }}</td>
        </tr>
    }
}

/// `/admin/stock/variant/{id}`: one variant's stock at each location, a chart of on-hand over
/// time, its movements, and (for those who may) an adjustment and reorder points. The page
/// reloads after a change succeeds.
#[component]
pub fn VariantStockPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|id| Uuid::parse_str(&id).ok()).unwrap_or_default();
    // Loaded outside the gate, so that it is loaded once (see `Gate`).
    let adjust = ServerAction::<AdjustStock>::new();
    let reorder = ServerAction::<SetReorder>::new();
    let (adjusted, reordered) = (successes(adjust), successes(reorder));
    let history = Resource::new(move || (id(), adjusted.get(), reordered.get()), |(id, _, _)| load_variant_history(id));
    view! {
        <AdminPage title="Stock history" needs=Needs::Permission(Permission::ViewInventory) let:actor>
            {
                let manage = actor.can(Permission::ManageInventory);
                view! {
                    <Loaded resource=history let:history>
                        {
                            let levels = history.levels.clone();
                            let first = levels.first().cloned();
                            let title = first.as_ref().map_or_else(String::new, |l| format!("{} — {}", l.product_name, l.variant_title));
                            let sku = first.as_ref().map(|l| l.sku.clone()).unwrap_or_default();
                            view! {
                                <PageHeader title=title subtitle=format!("SKU {sku}")>
                                    <a class="btn btn-secondary" href="/admin/stock">"All stock"</a>
                                </PageHeader>
                                <div class="grid gap-6 lg:grid-cols-3">
                                    <div class="space-y-6 lg:col-span-2">
                                        <LevelTable levels=history.levels />
                                        <OnHandChart movements=history.movements.clone() />
                                        <MovementTable movements=history.movements />
                                    </div>
                                    {manage.then(|| view! {
                                        <div class="space-y-6">
                                            <AdjustForm levels=levels.clone() adjust />
                                            <ReorderForm levels reorder />
                                        </div>
                                    })}
                                </div>
                            }
                        }
                    </Loaded>
                }
            }
        </AdminPage>
    }
}

#[component]
fn LevelTable(levels: Vec<StockLevel>) -> impl IntoView {
    view! {
        <DataTable head=vec!["Location", "On hand", "Reserved", "Available", "Reorder at", "Reorder qty"]>
            {levels.into_iter().map(|l| view! {
                <tr data-testid="level">
                    <td>{l.location_name}</td>
                    <td class="num">{l.on_hand}</td>
                    <td class="num">{l.reserved}</td>
                    <td class="num">{l.available}</td>
                    <td class="num">{l.reorder_point}</td>
                    <td class="num">{l.reorder_quantity}</td>
                </tr>
            }).collect_view()}
        </DataTable>
    }
}

/// The location a form is about; `chosen` is the one chosen in the form when it came back refused.
#[component]
fn LocationSelect(id: &'static str, levels: Vec<StockLevel>, chosen: Option<String>) -> impl IntoView {
    view! {
        <div class="field">
            <label class="label" for=id>"Location"</label>
            <select class="input" id=id name="location">
                {levels.into_iter().map(|l| {
                    let value = l.location.0.to_string();
                    let selected = chosen.as_deref() == Some(value.as_str());
                    view! { <option value=value selected=selected>{l.location_name}</option> }
                }).collect_view()}
            </select>
        </div>
    }
}

#[component]
fn AdjustForm(levels: Vec<StockLevel>, adjust: ServerAction<AdjustStock>) -> impl IntoView {
    let error = failed(adjust);
    let variant = levels.first().map(|l| l.variant.0.to_string()).unwrap_or_default();
    let form = NodeRef::<leptos::html::Form>::new();
    clear_after_success(form, adjust.value().into());
    view! {
        <section class="card">
            <h2 class="font-semibold text-slate-900">"Adjust stock"</h2>
            <ActionForm action=adjust node_ref=form attr:class="mt-4 space-y-3">
                <SubmissionKey renew=adjust.version() />
                <input type="hidden" name="variant" value=variant />
                <LocationSelect id="adjust-location" levels chosen={sent::<AdjustStock>("location")} />
                <Field label="Change (units)" name="change" hint="5 adds five; -2 takes two away." error />
                <Field label="Why" name="note" hint="Damaged, expired, found on a shelf…" error />
                <FormAlert error beside=&["change", "note"] />
                <button type="submit" class="btn btn-primary">"Adjust"</button>
            </ActionForm>
            {move || adjust.value().get().and_then(Result::ok).map(|on_hand| view! {
                <p class="notice mt-3" role="status" data-testid="adjusted">{format!("Adjusted. {on_hand} on hand there now.")}</p>
            })}
        </section>
    }
}

#[component]
fn ReorderForm(levels: Vec<StockLevel>, reorder: ServerAction<SetReorder>) -> impl IntoView {
    let error = failed(reorder);
    let variant = levels.first().map(|l| l.variant.0.to_string()).unwrap_or_default();
    view! {
        <section class="card">
            <h2 class="font-semibold text-slate-900">"Reorder point"</h2>
            <p class="mt-1 text-sm text-slate-500">"When available stock falls to this, a low-stock alert is raised."</p>
            <ActionForm action=reorder attr:class="mt-4 space-y-3">
                <SubmissionKey renew=reorder.version() />
                <input type="hidden" name="variant" value=variant />
                <LocationSelect id="reorder-location" levels chosen={sent::<SetReorder>("location")} />
                <div class="grid grid-cols-2 gap-3">
                    <Field label="Alert at" name="reorder_point" error />
                    <Field label="Order" name="reorder_quantity" error />
                </div>
                <FormAlert error beside=&["reorder_point", "reorder_quantity"] />
                <button type="submit" class="btn btn-secondary">"Save"</button>
            </ActionForm>
            {move || reorder.value().get().and_then(Result::ok).map(|(point, quantity)| view! {
                <p class="notice mt-3" role="status" data-testid="reorder-saved">
                    {if point == 0 {
                        "Saved. No low-stock alert is raised there.".to_owned()
                    } else {
                        format!("Saved. An alert is raised there at {point} available; the reorder is {quantity}.")
                    }}
                </p>
            })}
        </section>
    }
}

/// On-hand over time, one line per location, drawn from the movements (oldest to newest).
#[component]
fn OnHandChart(movements: Vec<Movement>) -> impl IntoView {
    if movements.len() < 2 {
        return ().into_any();
    }
    let mut points: Vec<&Movement> = movements.iter().collect();
    points.reverse();
    let (first, last) = (points[0].at.timestamp(), points[points.len() - 1].at.timestamp());
    #[expect(clippy::cast_precision_loss, reason = "a span of seconds, far below 2^52")]
    let span = (last - first).max(1) as f64;
    let top = points.iter().map(|m| m.on_hand_after.max(m.on_hand_after - m.quantity)).max().unwrap_or(1).max(1);
    let bottom = points.iter().map(|m| m.on_hand_after.min(m.on_hand_after - m.quantity)).min().unwrap_or(0).min(0);
    let height = f64::from(top - bottom).max(1.0);
    let (w, h) = (600.0, 160.0);
    let y = |units: i32| h - f64::from(units - bottom) / height * h;
    // A step line per location: flat between movements, a jump at each, carried on to now.
    let mut by_location: Vec<(String, Vec<(f64, f64)>)> = Vec::new();
    for m in points {
        #[expect(clippy::cast_precision_loss, reason = "seconds since the first movement, far below 2^52")]
        let x = (m.at.timestamp() - first) as f64 / span * w;
        let i = if let Some(i) = by_location.iter().position(|(name, _)| *name == m.location_name) {
            i
        } else {
            by_location.push((m.location_name.clone(), vec![(x, y(m.on_hand_after - m.quantity))]));
            by_location.len() - 1
        };
        let line = &mut by_location[i].1;
        let previous = line.last().map_or(y(0), |p| p.1);
        line.push((x, previous));
        line.push((x, y(m.on_hand_after)));
    }
    for (_, line) in &mut by_location {
        if let Some(&(_, last)) = line.last() {
            line.push((w, last));
        }
    }
    let colours = ["#0f766e", "#b45309", "#4338ca", "#be123c"];
    view! {
        <section class="card">
            <h2 class="font-semibold text-slate-900">"On hand over time"</h2>
            <svg viewBox=format!("-4 -4 {} {}", w + 8.0, h + 8.0) class="mt-3 h-40 w-full" role="img" aria-label="On hand over time, by location" preserveAspectRatio="none">
                <line x1="0" y1=h x2=w y2=h stroke="#e2e8f0" />
                {by_location.iter().enumerate().map(|(i, (_, line))| {
                    let path: Vec<String> = line.iter().map(|(x, y)| format!("{x:.1},{y:.1}")).collect();
                    view! { <polyline class="chart-line" stroke=colours[i % colours.len()] points=path.join(" ") /> }
                }).collect_view()}
            </svg>
            <div class="mt-2 flex flex-wrap gap-4 text-xs text-slate-600">
                {by_location.into_iter().enumerate().map(|(i, (name, _))| view! {
                    <span class="flex items-center gap-1"><svg class="h-2 w-4" viewBox="0 0 16 8" aria-hidden="true"><rect width="16" height="8" rx="2" fill=colours[i % colours.len()] /></svg>{name}</span>
                }).collect_view()}
                <span>{format!("{bottom} to {top}")}</span>
            </div>
        </section>
    }
    .into_any()
}

#[component]
fn MovementTable(movements: Vec<Movement>) -> impl IntoView {
    if movements.is_empty() {
        return view! { <EmptyState title="No movements yet" message="Receipts, sales, transfers and counts will show here." /> }.into_any();
    }
    view! {
        <DataTable head=vec!["When", "Location", "What", "Change", "On hand", "By"]>
            {movements.into_iter().map(|m| {
                let reference = match (m.document, m.reference) {
                    (_, reference) if reference.is_empty() => None,
                    (Some(href), reference) => Some(view! { <a class="link" href=href>{reference}</a> }.into_any()),
                    (None, reference) => Some(reference.into_any()),
                };
                let note = (!m.note.is_empty()).then(|| format!("{}{}", if reference.is_some() { " · " } else { "" }, m.note));
                view! {
                    <tr data-testid="movement">
                        <td class="whitespace-nowrap"><LocalTime at=m.at /></td>
                        <td>{m.location_name}</td>
                        <td>{m.reason.label()}<div class="text-xs text-slate-500">{reference}{note}</div></td>
                        <td class=if m.quantity < 0 { "num text-red-700" } else { "num text-emerald-700" }>{format!("{:+}", m.quantity)}</td>
                        <td class="num">{m.on_hand_after}</td>
                        <td class="text-xs">{m.actor}</td>
                    </tr>
                }
            }).collect_view()}
        </DataTable>
    }
    .into_any()
}
