//! A marketplace's orders in parts: the vendor portal's orders and one part, worked by the
//! vendor's staff, and the part's form the back office's order page shares.

use commerce::base::Permission;
use commerce::base::page::Page;
use commerce::orders::{CashHolder, OrderPart, OrderStatus, PartSummary, PartView, PaymentMethod};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::{MovePart, RemitCash, load_part, load_vendor_parts};
use crate::components::{
    EmptyState, Field, FormAlert, Gate, Loaded, Needs, PageHeader, SubmissionKey, Workspace, business_time, failed,
    successes,
};
use crate::pages::vendor::VENDOR_NAV;

/// The statuses the list's tabs narrow to.
const TABS: [(&str, &str); 6] = [
    ("", "All"),
    ("awaiting_payment", "To be paid on delivery"),
    ("paid", "To prepare"),
    ("processing", "Being prepared"),
    ("shipped", "On the way"),
    ("delivered", "Delivered"),
];

/// `/vendor/orders`: the vendor's parts of the marketplace's orders, newest first.
#[component]
pub fn VendorOrdersPage() -> impl IntoView {
    let query = use_query_map();
    let get = move |name: &str| query.read().get(name).filter(|v| !v.is_empty());
    let parts =
        Resource::new(move || (get("status"), get("after")), |(status, after)| load_vendor_parts(status, after));
    view! {
        <Title text="Orders" />
        <Gate needs=Needs::Permission(Permission::UseVendorPortal) let:actor>
            <Workspace surface="Vendor portal" nav=VENDOR_NAV actor>
                <PageHeader title="Orders" subtitle="Your part of each order placed on the marketplace: prepare it, send it, mark it delivered." />
                <nav class="mb-4 flex flex-wrap gap-2" aria-label="Status">
                    {TABS.into_iter().map(|(code, label)| {
                        let current = move || query.read().get("status").unwrap_or_default() == code;
                        let href = if code.is_empty() { "/vendor/orders".to_owned() } else { format!("/vendor/orders?status={code}") };
                        view! {
                            <a href=href class=move || if current() { "btn btn-primary btn-sm" } else { "btn btn-secondary btn-sm" }
                                aria-current=move || current().then_some("page")>{label}</a>
                        }
                    }).collect_view()}
                </nav>
                <Loaded resource=parts let:page>
                    <PartTable page />
                </Loaded>
            </Workspace>
        </Gate>
    }
}

#[component]
fn PartTable(page: Page<PartSummary>) -> impl IntoView {
    if page.data.is_empty() {
        return view! { <EmptyState title="No orders here" message="Orders for your products appear here as shoppers place them." /> }
            .into_any();
    }
    let more = page.next_cursor.map(|next| crate::pages::next_page_link("/vendor/orders", &next, &["status"]));
    view! {
        <div class="table-wrap card p-0">
            <table class="table" data-testid="vendor-orders">
                <thead><tr><th>"Order"</th><th>"Placed"</th><th>"Customer"</th><th>"Status"</th><th class="hidden sm:table-cell">"Payment"</th><th class="text-right">"Total"</th></tr></thead>
                <tbody>
                    {page.data.into_iter().map(|p| view! {
                        <tr data-testid="vendor-order-row">
                            <td><a class="font-medium text-brand-700" href=format!("/vendor/orders/{}", p.id)>{p.number.clone()}</a>
                                <span class="block text-xs text-slate-500">{format!("{} items", p.units)}</span></td>
                            <td>{business_time(p.placed_at)}</td>
                            <td>{p.contact_name.clone()}</td>
                            <td><span class="badge badge-neutral">{p.status.label()}</span></td>
                            <td class="hidden sm:table-cell">{p.method.label()}{if p.paid { " · paid" } else { "" }}</td>
                            <td class="text-right tabular-nums">{p.total.to_string()}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        {more.map(|href| view! { <a class="btn btn-secondary mt-4" href=href>"Older orders"</a> })}
    }
    .into_any()
}

/// `/vendor/orders/{id}`: one part of an order: who it goes to, what is in it, its timeline,
/// and where it may move next.
#[component]
pub fn VendorPartPage() -> impl IntoView {
    let params = use_params_map();
    let step = ServerAction::<MovePart>::new();
    let moved = successes(step);
    let part =
        Resource::new(move || (params.read().get("id").unwrap_or_default(), moved.get()), |(id, _)| load_part(id));
    view! {
        <Title text="Order" />
        <Gate needs=Needs::Permission(Permission::UseVendorPortal) let:actor>
            <Workspace surface="Vendor portal" nav=VENDOR_NAV actor>
                <Loaded resource=part let:part>
                    <PartPage view=part step />
                </Loaded>
            </Workspace>
        </Gate>
    }
}

#[component]
fn PartPage(view: PartView, step: ServerAction<MovePart>) -> impl IntoView {
    let part = view.part.clone();
    let address = view.shipping_address.as_ref().map(commerce::orders::Address::one_line).unwrap_or_default();
    let at_door = view.method == PaymentMethod::PayOnDelivery && !part.paid;
    view! {
        <PageHeader title=format!("Order {}", part.number) subtitle=format!("Placed {} · {}", business_time(view.placed_at), view.method.label()) />
        <div class="grid gap-4 lg:grid-cols-[1fr_20rem]">
            <div class="min-w-0 space-y-4">
                <section class="card" data-testid="part-detail" data-status=part.status.code()>
                    <p><span class="badge badge-neutral" data-testid="part-status">{part.status.label()}</span>
                        {part.paid.then(|| view! { " " <span class="badge badge-success">"Paid"</span> })}</p>
                    <p class="mt-2">{view.contact_name.clone()} " · " {commerce::base::phone::for_display(&view.contact_phone)}</p>
                    <p class="text-sm text-slate-600">{format!("Deliver to {address}")}</p>
                    {(!view.note.is_empty()).then(|| view! { <p class="mt-2 text-sm">{format!("Note: {}", view.note)}</p> })}
                    {at_door.then(|| view! { <p class="mt-2 text-sm font-medium">{format!("Collect {} at the door.", part.total())}</p> })}
                </section>
                <section class="card">
                    <div class="table-wrap">
                        <table class="table">
                            <thead><tr><th>"Item"</th><th class="text-right">"Qty"</th><th class="text-right">"Total"</th><th class="text-right hidden sm:table-cell">"Commission"</th></tr></thead>
                            <tbody>
                                {view.lines.iter().map(|l| view! {
                                    <tr><td>{l.name.clone()}<span class="block text-xs text-slate-500">{l.sku.clone()}</span></td>
                                        <td class="text-right tabular-nums">{l.quantity}</td>
                                        <td class="text-right tabular-nums">{l.total.to_string()}</td>
                                        <td class="text-right tabular-nums hidden sm:table-cell">{l.commission.map(|c| c.to_string()).unwrap_or_default()}
                                            <span class="block text-xs text-slate-500">{l.commission_rule.clone()}</span></td></tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                    <PartFigures part=part.clone() />
                </section>
                <section class="card">
                    <h2 class="font-semibold">"Timeline"</h2>
                    <ol class="mt-2 space-y-1 text-sm" data-testid="part-timeline">
                        {view.events.iter().map(|e| view! {
                            <li>{format!("{} · {} · {}{}", business_time(e.at), e.who,
                                match (e.from, e.to) { (Some(f), Some(t)) => format!("{} → {}. ", f.label(), t.label()), (None, Some(t)) => format!("{}. ", t.label()), _ => String::new() },
                                e.note)}</li>
                        }).collect_view()}
                    </ol>
                </section>
            </div>
            <aside class="min-w-0 space-y-4">
                <PartMoveForm part next=view.next.clone() method=view.method operator=false step />
            </aside>
        </div>
    }
}

/// A part's money: its goods, delivery fee, commission and what the seller earns.
#[component]
pub fn PartFigures(part: OrderPart) -> impl IntoView {
    let earns = part
        .commission
        .map(|c| commerce::Money::new(part.goods.amount + part.delivery.amount - c.amount, part.goods.currency));
    view! {
        <dl class="mt-3 grid grid-cols-2 gap-1 text-sm">
            <dt>"Goods"</dt><dd class="text-right tabular-nums">{part.goods.to_string()}</dd>
            <dt>"Delivery"</dt><dd class="text-right tabular-nums">{part.delivery.to_string()}</dd>
            {part.commission.map(|c| view! {
                <dt>"Marketplace commission"</dt><dd class="text-right tabular-nums">{format!("−{c}")}</dd>
            })}
            {earns.map(|e| view! {
                <dt class="font-semibold">"The seller earns"</dt><dd class="text-right font-semibold tabular-nums" data-testid="part-earns">{e.to_string()}</dd>
            })}
        </dl>
    }
}

/// Moves a part to one of its `next` statuses, with a note; delivering one paid at the door
/// asks who took the cash (the marketplace's staff choose; a vendor's took it themselves).
#[component]
pub fn PartMoveForm(
    part: OrderPart,
    next: Vec<OrderStatus>,
    method: PaymentMethod,
    operator: bool,
    step: ServerAction<MovePart>,
) -> impl IntoView {
    let error = failed(step);
    if next.is_empty() {
        return view! { <p class="card text-sm text-slate-600">"Nothing more to do with this part."</p> }.into_any();
    }
    let at_door = method == PaymentMethod::PayOnDelivery
        && !part.paid
        && next.iter().any(|s| matches!(s, OrderStatus::Delivered | OrderStatus::Completed));
    let id = part.id.to_string();
    let field = |name: &str| format!("{name}-{}", part.id.simple());
    let (to_id, cash_id, rider_id) = (field("to"), field("cash"), field("rider"));
    view! {
        <ActionForm action=step attr:class="card space-y-3" attr:data-testid="part-move">
            <SubmissionKey renew=step.version() />
            <input type="hidden" name="id" value=id />
            <p class="text-sm font-medium">{format!("{} · {}", part.number, part.seller)}</p>
            <div class="field">
                <label class="label" for=to_id.clone()>"Move to"</label>
                <select class="input" id=to_id name="to" data-testid="part-move-to">
                    {next.iter().map(|s| view! { <option value=s.code()>{if *s == OrderStatus::Cancelled { "Cancel (stock goes back)" } else { s.label() }}</option> }).collect_view()}
                </select>
            </div>
            {at_door.then(|| if operator {
                view! {
                    <div class="field">
                        <label class="label" for=cash_id.clone()>"Who took the cash, on delivery"</label>
                        <select class="input" id=cash_id.clone() name="cash_holder">
                            {CashHolder::ALL.into_iter().map(|h| view! { <option value=h.code()>{h.label()}</option> }).collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label class="label" for=rider_id.clone()>"Rider's name (optional)"</label>
                        <input class="input" id=rider_id.clone() name="holder_name" maxlength="120" />
                    </div>
                }.into_any()
            } else {
                view! { <p class="field-hint">"Delivered here means you collected the cash: it is taken from your balance until you hand it to the marketplace."</p> }.into_any()
            })}
            <Field label="Note (optional)" name="note" id="part_note" error />
            <FormAlert error beside=&["note", "cash_holder", "holder_name"] />
            <button type="submit" class="btn btn-primary w-full" disabled=move || step.pending().get() data-testid="move-part">"Save"</button>
        </ActionForm>
    }
    .into_any()
}

/// The marketplace records that cash a rider or vendor took for a part reached it.
#[component]
pub fn RemitCashForm(part: OrderPart, remit: ServerAction<RemitCash>) -> impl IntoView {
    let error = failed(remit);
    let Some(cash) = part.cash.clone().filter(|c| c.remitted_at.is_none()) else {
        return ().into_any();
    };
    let holder = match cash.holder {
        CashHolder::Rider if !cash.holder_name.is_empty() => format!("the rider {}", cash.holder_name),
        other => other.label().to_lowercase(),
    };
    view! {
        <ActionForm action=remit attr:class="card space-y-3" attr:data-testid="remit-cash">
            <SubmissionKey renew=remit.version() />
            <input type="hidden" name="id" value=part.id.to_string() />
            <p class="text-sm">{format!("{} of {}'s cash is with {holder}.", cash.amount, part.number)}</p>
            <Field label="Deposit or transfer reference" name="reference" id="cash_reference" error />
            <FormAlert error beside=&["reference"] />
            <button type="submit" class="btn btn-secondary w-full">"The cash reached us"</button>
        </ActionForm>
    }
    .into_any()
}
