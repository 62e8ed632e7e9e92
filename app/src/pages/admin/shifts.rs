use commerce::base::Permission;
use commerce::pos::{ShiftReport, ShiftSummary};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use uuid::Uuid;

use super::AdminPage;
use crate::api::{load_shift, load_shifts};
use crate::components::{EmptyState, Loaded, LocalTime, Needs, PageHeader};

/// `/admin/shifts`: the tills' shifts, newest first, with their takings and what the drawer
/// was over or short.
#[component]
pub fn ShiftsPage() -> impl IntoView {
    let shifts = Resource::new(|| (), |()| load_shifts());
    view! {
        <AdminPage title="Till shifts" needs=Needs::Permission(Permission::ViewOrders) let:_actor>
            <PageHeader title="Till shifts" subtitle="Each cashier's shift at a register: its sales, and the drawer counted at the close." />
            <Loaded resource=shifts let:shifts>
                <ShiftList shifts />
            </Loaded>
        </AdminPage>
    }
}

#[component]
fn ShiftList(shifts: Vec<ShiftSummary>) -> impl IntoView {
    if shifts.is_empty() {
        return view! { <EmptyState title="No shifts yet" message="Shifts appear here once a till opens one and syncs." /> }.into_any();
    }
    view! {
        <section class="card p-0">
            <div class="table-wrap">
                <table class="table">
                    <thead><tr><th>"Opened"</th><th>"Register"</th><th>"Cashier"</th><th class="text-right">"Sales"</th><th class="text-right">"Takings"</th><th class="text-right">"Cash over/short"</th></tr></thead>
                    <tbody>
                        {shifts.into_iter().map(|s| view! {
                            <tr>
                                <td><a class="font-medium text-brand-700" href=format!("/admin/shifts/{}", s.id)><LocalTime at=s.opened_at /></a>
                                    <span class="block text-xs text-slate-500">{if s.closed_at.is_some() { "closed" } else { "open" }}</span></td>
                                <td>{s.register}<span class="block text-xs text-slate-500">{s.location_name}</span></td>
                                <td>{s.opened_by}</td>
                                <td class="text-right">{s.sales}</td>
                                <td class="text-right">{s.takings.to_string()}</td>
                                <td class="text-right">{s.cash_difference.map(|d| d.to_string()).unwrap_or_default()}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
    .into_any()
}

/// `/admin/shifts/:id`: one shift's report, the X report while open, the Z report once closed.
#[component]
pub fn ShiftPage() -> impl IntoView {
    let params = use_params_map();
    let shift = Resource::new(
        move || params.with(|p| p.get("id").and_then(|id| id.parse::<Uuid>().ok())),
        |id| async move {
            match id {
                Some(id) => load_shift(id).await,
                None => Err(crate::AppError::from(commerce::Error::not_found("shift"))),
            }
        },
    );
    view! {
        <AdminPage title="Shift report" needs=Needs::Permission(Permission::ViewOrders) let:_actor>
            <Loaded resource=shift let:report>
                <Report report />
            </Loaded>
        </AdminPage>
    }
}

#[component]
fn Report(report: ShiftReport) -> impl IntoView {
    let closed = report.closed_at.is_some();
    let title = if closed { "Z report" } else { "X report (shift open)" };
    let currency = report.opening_float.currency;
    let money = move |amount: rust_decimal::Decimal| commerce::Money::new(amount, currency).to_string();
    view! {
        <PageHeader title=title subtitle=format!("{} at {} · opened by {}", report.register, report.location_name, report.opened_by) />
        <section class="card mb-6 grid gap-2 sm:grid-cols-3" data-testid="z-report">
            <p>"Opened " <LocalTime at=report.opened_at /></p>
            <p>{report.closed_at.map(|at| view! { "Closed " <LocalTime at /> })}{report.closed_by.clone().map(|by| format!(" by {by}"))}</p>
            <p>{format!("Float {}", report.opening_float)}</p>
            <p>{format!("{} sales · {}", report.sales, report.sales_total)}</p>
            <p>{format!("{} returns · {}", report.returns, report.returns_total)}</p>
            <p>{format!("VAT {}", report.vat)}</p>
            <p>{format!("Cash in {} · out {}", report.cash_in, report.cash_out)}</p>
        </section>
        <section class="card p-0 mb-6">
            <div class="table-wrap">
                <table class="table">
                    <thead><tr><th>"Tender"</th><th class="text-right">"Taken"</th><th class="text-right">"Given back"</th><th class="text-right">"Expected"</th><th class="text-right">"Counted"</th><th class="text-right">"Over/short"</th></tr></thead>
                    <tbody>
                        {report.tenders.iter().map(|t| view! {
                            <tr>
                                <td>{t.tender.label()}</td>
                                <td class="text-right">{money(t.taken)}</td>
                                <td class="text-right">{money(t.refunded)}</td>
                                <td class="text-right">{money(t.expected)}</td>
                                <td class="text-right">{t.counted.map(money).unwrap_or_default()}</td>
                                <td class="text-right">{t.difference().map(money).unwrap_or_default()}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
        {(!report.movements.is_empty()).then(|| view! {
            <section class="card mb-6">
                <h2 class="font-semibold">"Cash in and out"</h2>
                <ul class="mt-2 space-y-1 text-sm" data-testid="cash-movements">
                    {report.movements.iter().map(|m| view! {
                        <li>{format!("{} · {} {} · {} · {}", crate::components::business_time(m.at),
                            if m.direction == commerce::pos::Direction::In { "in" } else { "out" }, m.amount, m.reason, m.by)}</li>
                    }).collect_view()}
                </ul>
            </section>
        })}
        {(!report.denominations.is_empty()).then(|| view! {
            <section class="card mb-6">
                <h2 class="font-semibold">"Counted in the drawer"</h2>
                <ul class="mt-2 grid grid-cols-2 gap-1 text-sm sm:grid-cols-4">
                    {report.denominations.iter().map(|d| view! { <li>{format!("{} × {}", money(d.face), d.count)}</li> }).collect_view()}
                </ul>
                {(!report.close_note.is_empty()).then(|| view! { <p class="mt-2 text-sm text-slate-600">{report.close_note.clone()}</p> })}
            </section>
        })}
    }
}
