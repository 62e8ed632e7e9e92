//! `/admin/orders`: the business's orders, searched and filtered, and one order with the
//! actions its status allows.

use commerce::base::Permission;
use commerce::base::page::Page;
use commerce::orders::{Fulfilment, Order, OrderStatus, OrderSummary};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::AdminPage;
use crate::api::{
    AddOrderNote, ConfirmTransfer, ConfirmTransfers, CreateDraftOrder, MoveOrder, MovePart, RemitCash, load_order,
    load_order_options, load_orders,
};
use crate::components::{
    AddressFields, EmptyState, Field, FieldError, FormAlert, Loaded, Needs, PageHeader, SubmissionKey, business_time,
    failed, successes,
};
use crate::pages::store_buy::OrderLines;

/// `/admin/orders`: orders, newest first, searched by number, name or phone and filtered by
/// status, channel and payment; paged by key.
#[component]
pub fn OrdersPage() -> impl IntoView {
    let query = use_query_map();
    let get = move |name: &str| query.read().get(name).filter(|v| !v.is_empty());
    let confirm = ServerAction::<ConfirmTransfers>::new();
    let confirmed = successes(confirm);
    let orders = Resource::new(
        move || {
            (
                (get("q"), get("status"), get("channel"), get("paid")),
                (get("from"), get("until")),
                get("after"),
                confirmed.get(),
            )
        },
        |((q, status, channel, paid), (from, until), after, _)| {
            load_orders(q, status, channel, paid, from, until, after)
        },
    );
    view! {
        <AdminPage title="Orders" needs=Needs::Permission(Permission::ViewOrders) let:actor>
            <PageHeader title="Orders" subtitle="Every order, newest first.">
                <a class="btn btn-primary" href="/admin/orders/new" data-testid="new-order">"New order"</a>
            </PageHeader>
            <OrderFilters />
            <Loaded resource=orders let:page>
                <OrderTable page confirm manage=actor.can(Permission::ManageOrders) />
            </Loaded>
        </AdminPage>
    }
}

#[component]
fn OrderFilters() -> impl IntoView {
    let query = use_query_map();
    let now = move |name: &str| query.read_untracked().get(name).unwrap_or_default();
    let (status, paid, channel) = (now("status"), now("paid"), now("channel"));
    view! {
        <form method="get" class="card mb-4 flex flex-wrap items-end gap-3" role="search">
            <div class="field">
                <label class="label" for="q">"Search"</label>
                <input class="input" id="q" name="q" type="search" placeholder="Number, name or phone" value=now("q") />
            </div>
            <div class="field">
                <label class="label" for="status">"Status"</label>
                <select class="input" id="status" name="status">
                    <option value="">"Any"</option>
                    {OrderStatus::ALL.into_iter().map(|s| view! { <option value=s.code() selected=status == s.code()>{s.label()}</option> }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label class="label" for="paid">"Payment"</label>
                <select class="input" id="paid" name="paid">
                    <option value="">"Any"</option>
                    <option value="paid" selected=paid == "paid">"Paid"</option>
                    <option value="unpaid" selected=paid == "unpaid">"Not paid"</option>
                    <option value="transfers" selected=paid == "transfers">"Transfers to confirm"</option>
                </select>
            </div>
            <div class="field">
                <label class="label" for="channel">"Channel"</label>
                <select class="input" id="channel" name="channel">
                    <option value="">"Any"</option>
                    {[("store", "Online store"), ("draft", "Made for a customer"), ("pos", "Till"), ("marketplace", "Marketplace")]
                        .into_iter()
                        .map(|(code, label)| view! { <option value=code selected=channel == code>{label}</option> })
                        .collect_view()}
                </select>
            </div>
            <div class="field">
                <label class="label" for="from">"Placed from"</label>
                <input class="input" id="from" name="from" type="date" value=now("from") />
            </div>
            <div class="field">
                <label class="label" for="until">"Placed until"</label>
                <input class="input" id="until" name="until" type="date" value=now("until") />
            </div>
            <button type="submit" class="btn btn-secondary">"Show"</button>
        </form>
    }
}

#[component]
fn OrderTable(page: Page<OrderSummary>, confirm: ServerAction<ConfirmTransfers>, manage: bool) -> impl IntoView {
    let error = failed(confirm);
    let done = move || confirm.value().get().and_then(Result::ok);
    // Orders waiting for a transfer can be ticked and confirmed together, from a bank statement.
    let waiting = manage
        && page.data.iter().any(|o| {
            o.method == commerce::orders::PaymentMethod::BankTransfer
                && o.status == OrderStatus::AwaitingPayment
                && !o.paid
        });
    if page.data.is_empty() {
        return view! { <EmptyState title="No orders" message="Orders placed in your store appear here." /> }
            .into_any();
    }
    let more = page.next_cursor.map(|next| {
        crate::pages::next_page_link("/admin/orders", &next, &["q", "status", "channel", "paid", "from", "until"])
    });
    view! {
        <ActionForm action=confirm>
        <SubmissionKey renew=confirm.version() />
        <div class="table-wrap card p-0">
            <table class="table">
                <thead><tr><th><span class="sr-only">"Tick"</span></th><th>"Order"</th><th>"Placed"</th><th>"Customer"</th><th>"Status"</th><th>"Payment"</th><th class="text-right">"Total"</th></tr></thead>
                <tbody>
                    {page.data.into_iter().enumerate().map(|(i, o)| {
                        let tickable = manage
                            && o.method == commerce::orders::PaymentMethod::BankTransfer
                            && o.status == OrderStatus::AwaitingPayment
                            && !o.paid;
                        view! {
                        <tr data-testid="order-row">
                            <td>{tickable.then(|| view! {
                                <input type="checkbox" name=format!("orders[{i}]") value=o.id.to_string()
                                    aria-label=format!("Transfer for {} arrived", o.number) />
                            })}</td>
                            <td><a class="font-medium text-brand-700" href=format!("/admin/orders/{}", o.id)>{o.number.clone()}</a></td>
                            <td>{business_time(o.placed_at)}</td>
                            <td>{o.contact_name.clone()}<span class="block text-xs text-slate-500">{commerce::base::phone::for_display(&o.contact_phone)}</span></td>
                            <td><span class="badge badge-neutral">{o.status.label()}</span></td>
                            <td>{o.method.label()}{if o.paid { " · paid" } else { "" }}{if o.payment_flagged { " · check it" } else { "" }}</td>
                            <td class="text-right tabular-nums">{o.total.to_string()}</td>
                        </tr>
                    }}).collect_view()}
                </tbody>
            </table>
        </div>
        {waiting.then(|| view! {
            <button type="submit" class="btn btn-primary mt-3" data-testid="confirm-transfers">"Confirm the ticked transfers arrived"</button>
        })}
        <FormAlert error />
        {move || done().map(|n| view! { <p class="notice mt-2" role="status">{format!("{n} transfers confirmed; those orders are paid.")}</p> })}
        </ActionForm>
        {more.map(|href| view! { <a class="btn btn-secondary mt-4" href=href>"Older orders"</a> })}
    }
    .into_any()
}

/// `/admin/orders/{id}`: one order, its timeline, and the actions its status allows.
#[component]
pub fn AdminOrderPage() -> impl IntoView {
    let params = use_params_map();
    let step = ServerAction::<MoveOrder>::new();
    let confirm = ServerAction::<ConfirmTransfer>::new();
    let note = ServerAction::<AddOrderNote>::new();
    let parts = PartActions { step: ServerAction::new(), remit: ServerAction::new() };
    let (moved, confirmed, noted) = (successes(step), successes(confirm), successes(note));
    let (part_moved, remitted) = (successes(parts.step), successes(parts.remit));
    let order = Resource::new(
        move || {
            (
                params.read().get("id").unwrap_or_default(),
                moved.get() + confirmed.get() + noted.get() + part_moved.get() + remitted.get(),
            )
        },
        |(id, _)| load_order(id),
    );
    view! {
        <AdminPage title="Order" needs=Needs::Permission(Permission::ViewOrders) let:actor>
            <Loaded resource=order let:order>
                <OrderDetail order=order.order page_url=order.page_url can_work=actor.can(Permission::ManageOrders) step confirm note parts />
            </Loaded>
        </AdminPage>
    }
}

/// The forms of an order's parts.
#[derive(Clone, Copy)]
struct PartActions {
    step: ServerAction<MovePart>,
    remit: ServerAction<RemitCash>,
}

/// An order's parts, one per seller, each with its status, figures and (for those who work
/// orders) its own moves and the cash taken at the door.
#[component]
fn Parts(order: Order, can_work: bool, actions: PartActions) -> impl IntoView {
    use crate::pages::vendor_orders::{PartFigures, PartMoveForm, RemitCashForm};
    let settlement = order.method.settlement();
    view! {
        <section class="mt-4 space-y-3" data-testid="order-parts">
            <h2 class="font-semibold">"Parts, one per seller"</h2>
            {order.parts.iter().map(|part| {
                let next: Vec<OrderStatus> = commerce::orders::status::next(part.status, order.fulfilment, settlement)
                    .into_iter()
                    .filter(|s| *s != OrderStatus::Paid)
                    .collect();
                let lines: Vec<String> = order.lines.iter().filter(|l| l.part == Some(part.id))
                    .map(|l| format!("{} × {}", l.quantity, l.name)).collect();
                view! {
                    <div class="card grid gap-3 md:grid-cols-[1fr_18rem]" data-testid="order-part" data-status=part.status.code()>
                        <div>
                            <p class="font-semibold">{part.number.clone()} " · " {part.seller.clone()}
                                " " <span class="badge badge-neutral">{part.status.label()}</span>
                                {part.paid.then(|| view! { " " <span class="badge badge-success">"Paid"</span> })}</p>
                            <ul class="mt-1 text-sm text-slate-600">{lines.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}</ul>
                            <PartFigures part=part.clone() />
                            {part.cash.clone().map(|c| view! {
                                <p class="mt-2 text-sm">{format!("Cash {} taken by {}{}", c.amount, c.holder.label().to_lowercase(),
                                    if c.remitted_at.is_some() { format!(", handed over{}", if c.reference.is_empty() { String::new() } else { format!(" ({})", c.reference) }) } else { ", not yet handed over".to_owned() })}</p>
                            })}
                        </div>
                        {can_work.then(|| view! {
                            <div class="space-y-3">
                                <PartMoveForm part=part.clone() next method=order.method operator=true step=actions.step />
                                <RemitCashForm part=part.clone() remit=actions.remit />
                            </div>
                        })}
                    </div>
                }
            }).collect_view()}
        </section>
    }
}

#[component]
fn OrderDetail(
    order: Order,
    page_url: String,
    can_work: bool,
    step: ServerAction<MoveOrder>,
    confirm: ServerAction<ConfirmTransfer>,
    note: ServerAction<AddOrderNote>,
    parts: PartActions,
) -> impl IntoView {
    let (step_error, confirm_error, note_error) = (failed(step), failed(confirm), failed(note));
    let id = order.id.to_string();
    let (confirm_id, step_id, note_id) = (id.clone(), id.clone(), id);
    let next = order.next();
    let whatsapp = format!(
        "https://wa.me/{}?text={}",
        order.contact_phone.trim_start_matches('+'),
        crate::pages::urlencode(&format!(
            "Hello {}, your order {} is {}. Total {}. Pay and follow it here: {page_url}",
            order.contact_name,
            order.number,
            order.status.label().to_lowercase(),
            order.total
        ))
    );
    let place = match order.fulfilment {
        Fulfilment::Pickup => {
            format!("Pickup at {}", order.pickup.as_ref().map(|p| p.name.clone()).unwrap_or_default())
        }
        Fulfilment::Delivery => format!(
            "Deliver to {} ({})",
            order.shipping_address.as_ref().map(commerce::orders::Address::one_line).unwrap_or_default(),
            order.delivery_zone
        ),
    };
    view! {
        <PageHeader title=format!("Order {}", order.number) subtitle=format!("Placed {} · {}", business_time(order.placed_at), order.method.label()) />
        <div class="grid gap-4 lg:grid-cols-[1fr_20rem]">
            <div>
                <section class="card" data-testid="order-detail" data-status=order.status.code()>
                    <p><span class="badge badge-neutral" data-testid="admin-order-status">{order.status.label()}</span>
                        {order.paid.then(|| view! { " " <span class="badge badge-success">"Paid"</span> })}
                        {order.payment_flagged.then(|| view! { " " <span class="badge badge-danger">"Payment needs checking"</span> })}</p>
                    <p class="mt-2">{order.contact_name.clone()} " · " {commerce::base::phone::for_display(&order.contact_phone)}
                        {order.contact_email.clone().map(|e| format!(" · {e}"))}</p>
                    <p class="text-sm text-slate-600">{place}</p>
                    {(!order.note.is_empty()).then(|| view! { <p class="mt-2 text-sm">{format!("Note: {}", order.note)}</p> })}
                    <div class="mt-3 flex flex-wrap gap-2">
                        <a class="btn btn-secondary btn-sm" href=whatsapp target="_blank" rel="noopener">"Message on WhatsApp"</a>
                        <a class="btn btn-secondary btn-sm" href=format!("/admin/orders/{}/print", order.id) data-testid="print-order">"Print summary and packing slip"</a>
                    </div>
                </section>
                <OrderLines order=order.clone() />
                {(!order.parts.is_empty()).then(|| view! { <Parts order=order.clone() can_work actions=parts /> })}
                {order.till.clone().map(|t| view! { <RungAtTill till=t /> })}
                <section class="card mt-4">
                    <h2 class="font-semibold">"Payments"</h2>
                    <ul class="mt-2 space-y-1 text-sm">
                        {order.payments.iter().map(|p| view! {
                            <li>{format!("{} · {} · {} · {}{}", business_time(p.created_at), p.method.label(), p.amount, p.status.label(),
                                if p.flag_reason.is_empty() { String::new() } else { format!(" — {}", p.flag_reason) })}
                                <span class="block text-xs text-slate-500">{format!("Reference {}", p.reference)}</span></li>
                        }).collect_view()}
                    </ul>
                </section>
                <section class="card mt-4">
                    <h2 class="font-semibold">"Timeline"</h2>
                    <ol class="mt-2 space-y-1 text-sm" data-testid="timeline">
                        {order.events.iter().map(|e| view! {
                            <li>{format!("{} · {} · {}{}{}", business_time(e.at), e.who,
                                e.part.as_ref().map(|p| format!("{p}: ")).unwrap_or_default(),
                                match (e.from, e.to) { (Some(f), Some(t)) => format!("{} → {}. ", f.label(), t.label()), (None, Some(t)) => format!("{}. ", t.label()), _ => String::new() },
                                e.note)}</li>
                        }).collect_view()}
                    </ol>
                </section>
            </div>
            {can_work.then(|| view! {
                <aside class="space-y-4">
                    {order.awaits_transfer().then(|| view! {
                        <ActionForm action=confirm attr:class="card space-y-2">
                            <SubmissionKey renew=confirm.version() />
                            <input type="hidden" name="id" value=confirm_id.clone() />
                            <p class="text-sm">{format!("Has {} arrived in your account?", order.total)}</p>
                            <button type="submit" class="btn btn-primary w-full" data-testid="confirm-transfer">"Confirm the transfer arrived"</button>
                            <FormAlert error=confirm_error />
                        </ActionForm>
                    })}
                    {(!next.is_empty()).then(|| view! {
                        <ActionForm action=step attr:class="card space-y-3">
                            <SubmissionKey renew=step.version() />
                            <input type="hidden" name="id" value=step_id.clone() />
                            <div class="field">
                                <label class="label" for="to">{if order.parts.is_empty() { "Move to" } else { "The whole order" }}</label>
                                <select class="input" id="to" name="to" data-testid="move-to">
                                    {next.iter().map(|s| view! { <option value=s.code()>{if *s == OrderStatus::Cancelled { "Cancel (stock goes back)" } else { s.label() }}</option> }).collect_view()}
                                </select>
                            </div>
                            <Field label="Note (optional)" name="note" id="move_note" error=step_error />
                            <FormAlert error=step_error beside=&["note"] />
                            <button type="submit" class="btn btn-primary w-full" data-testid="move-order">"Save"</button>
                        </ActionForm>
                    })}
                    <ActionForm action=note attr:class="card space-y-3">
                        <SubmissionKey renew=note.version() />
                        <input type="hidden" name="id" value=note_id.clone() />
                        <Field label="Add a note" name="note" id="order_note" error=note_error />
                        <FormAlert error=note_error beside=&["note"] />
                        <button type="submit" class="btn btn-secondary w-full">"Add note"</button>
                    </ActionForm>
                </aside>
            })}
        </div>
    }
}

/// `/admin/orders/new`: an order for a customer who ordered by phone or WhatsApp; its payment
/// link is then shared with them.
#[component]
pub fn NewOrderPage() -> impl IntoView {
    let options = Resource::new(|| (), |()| load_order_options());
    let make = ServerAction::<CreateDraftOrder>::new();
    view! {
        <AdminPage title="New order" needs=Needs::Permission(Permission::ManageOrders) let:_actor>
            <PageHeader title="New order" subtitle="For a customer who ordered by phone or WhatsApp: send them the payment link." />
            <Loaded resource=options let:options>
                <DraftForm options make />
            </Loaded>
        </AdminPage>
    }
}

#[component]
fn DraftForm(options: commerce::orders::CheckoutOptions, make: ServerAction<CreateDraftOrder>) -> impl IntoView {
    let error = failed(make);
    let made = move || make.value().get().and_then(Result::ok);
    view! {
        <Show when=move || made().is_some()>
            {move || made().map(|m| view! {
                <section class="card mb-4 border-emerald-300" data-testid="draft-made">
                    <p class="font-semibold">{format!("Order {} is placed.", m.number)}</p>
                    <p class="mt-1 break-all text-sm">"Payment link: " <a class="text-brand-700" href=m.payment_link.clone() rel="external" data-testid="payment-link">{m.payment_link.clone()}</a></p>
                    <div class="mt-3 flex flex-wrap gap-2">
                        <a class="btn btn-primary" href=m.whatsapp.clone() target="_blank" rel="noopener">"Send on WhatsApp"</a>
                        <a class="btn btn-secondary" href=format!("/admin/orders/{}", m.order)>"Open the order"</a>
                    </div>
                </section>
            })}
        </Show>
        <ActionForm action=make attr:class="grid gap-4 lg:grid-cols-2">
            <SubmissionKey renew=make.version() />
            <section class="card space-y-4">
                <h2 class="font-semibold">"Customer"</h2>
                <Field label="Name" name="name" error />
                <Field label="Mobile number" name="phone" kind="tel" error />
                <Field label="Email (optional)" name="email" kind="email" error />
                <div class="field">
                    <label class="label" for="lines">"Items"</label>
                    <p class="field-hint">"One a line: SKU or barcode, then how many (RICE-1 2)."</p>
                    <textarea class="input h-32 font-mono" id="lines" name="lines">{crate::components::typed("lines").unwrap_or_default()}</textarea>
                    <FieldError error field="lines" />
                </div>
                <Field label="Note (optional)" name="note" error />
            </section>
            <section class="card space-y-4">
                <h2 class="font-semibold">"Delivery and payment"</h2>
                <div class="field">
                    <label class="label" for="fulfilment">"How it reaches them"</label>
                    <select class="input" id="fulfilment" name="fulfilment">
                        {(!options.zones.is_empty()).then(|| view! { <option value="delivery">"Delivery"</option> })}
                        {(!options.shops.is_empty()).then(|| view! { <option value="pickup">"Pickup at a shop"</option> })}
                    </select>
                    <FieldError error field="fulfilment" />
                </div>
                <AddressFields error start=commerce::orders::Address::default() line_label="Address" />
                <div class="field">
                    <label class="label" for="pickup_location">"Pickup shop"</label>
                    <select class="input" id="pickup_location" name="pickup_location">
                        <option value="">"—"</option>
                        {options.shops.iter().map(|s| view! { <option value=s.id.0.to_string()>{s.name.clone()}</option> }).collect_view()}
                    </select>
                    <FieldError error field="pickup_location" />
                </div>
                <div class="field">
                    <label class="label" for="payment">"Payment"</label>
                    <select class="input" id="payment" name="payment" data-testid="draft-payment">
                        {options.methods.iter().map(|m| view! { <option value=m.code()>{m.label()}</option> }).collect_view()}
                    </select>
                    <FieldError error field="payment" />
                </div>
                <FormAlert error beside=&["name", "phone", "email", "lines", "note", "fulfilment", "address.line", "address.city", "address.lga", "address.state", "pickup_location", "payment"] />
                <button type="submit" class="btn btn-primary w-full" disabled=move || make.pending().get() data-testid="make-order">"Place order"</button>
            </section>
        </ActionForm>
    }
}

/// `/admin/orders/{id}/print`: the order's A4 summary and its packing slip, for the printer.
#[component]
pub fn OrderPrintPage() -> impl IntoView {
    let params = use_params_map();
    let order = Resource::new(move || params.read().get("id").unwrap_or_default(), load_order);
    view! {
        <leptos_meta::Title text="Print order" />
        <crate::components::Gate needs=Needs::Permission(Permission::ViewOrders) let:_actor>
            <Loaded resource=order let:order>
                <PrintedOrder order=order.order />
            </Loaded>
        </crate::components::Gate>
    }
}

#[component]
fn PrintedOrder(order: Order) -> impl IntoView {
    let to = match order.fulfilment {
        Fulfilment::Pickup => {
            format!("Collect at {}", order.pickup.as_ref().map(|p| p.name.clone()).unwrap_or_default())
        }
        Fulfilment::Delivery => {
            order.shipping_address.as_ref().map(commerce::orders::Address::one_line).unwrap_or_default()
        }
    };
    let contact = format!("{} · {}", order.contact_name, commerce::base::phone::for_display(&order.contact_phone));
    let lines = order.lines.clone();
    view! {
        <main class="printed mx-auto max-w-3xl bg-white p-8 text-slate-900">
            <p class="no-print mb-4 flex gap-2">
                <a class="btn btn-secondary" href=format!("/admin/orders/{}", order.id)>"Back to the order"</a>
                <button type="button" class="btn btn-primary" on:click=move |_| { let _ = window().print(); }>"Print"</button>
            </p>
            <section data-testid="order-summary">
                <h1 class="text-2xl font-bold">{format!("Order {}", order.number)}</h1>
                <p>{format!("Placed {} · {} · {}", business_time(order.placed_at), order.method.label(), order.status.label())}</p>
                <p class="mt-2">{contact.clone()}</p>
                <p>{to.clone()}</p>
                <crate::pages::store_buy::OrderLines order=order.clone() />
            </section>
            <section class="page-break mt-10" data-testid="packing-slip">
                <h2 class="text-xl font-bold">{format!("Packing slip · {}", order.number)}</h2>
                <p class="mt-2">{contact}</p>
                <p>{to}</p>
                <table class="table mt-4">
                    <thead><tr><th>"Item"</th><th>"SKU"</th><th class="text-right">"Qty"</th><th>"Packed"</th></tr></thead>
                    <tbody>
                        {lines.into_iter().map(|l| view! {
                            <tr><td>{l.name}</td><td>{l.sku}</td><td class="text-right tabular-nums">{l.quantity}</td><td>"☐"</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
                {(!order.note.is_empty()).then(|| view! { <p class="mt-4">{format!("Note: {}", order.note)}</p> })}
            </section>
        </main>
    }
}

/// A till's sale: its receipt, who rang it where, its tenders and what came back.
#[component]
fn RungAtTill(till: commerce::orders::AtTill) -> impl IntoView {
    let label =
        |code: &str| commerce::pos::Tender::from_code(code).map_or_else(|| code.to_owned(), |t| t.label().to_owned());
    view! {
        <section class="card mt-4" data-testid="at-till">
            <h2 class="font-semibold">{format!("Rung at {}: receipt {}", till.register, till.receipt)}</h2>
            <p class="text-sm text-slate-600">{format!("By {}", till.cashier)}</p>
            <ul class="mt-2 space-y-1 text-sm">
                {till.tenders.iter().map(|t| view! {
                    <li>{format!("{} · {}", label(&t.tender), t.amount)}
                        {t.tendered.map(|h| format!(" (handed {h}, change {})", t.change.map(|c| c.to_string()).unwrap_or_default()))}
                        {(!t.reference.is_empty()).then(|| format!(" · {}", t.reference))}</li>
                }).collect_view()}
            </ul>
            {(!till.returns.is_empty()).then(|| view! {
                <h3 class="mt-3 text-sm font-semibold">"Brought back"</h3>
                <ul class="mt-1 space-y-1 text-sm">
                    {till.returns.iter().map(|r| view! { <li>{format!("{} · {} · {} given back", business_time(r.made_at), r.receipt, r.total)}</li> }).collect_view()}
                </ul>
            })}
        </section>
    }
}
