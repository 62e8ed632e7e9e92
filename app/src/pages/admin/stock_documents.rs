use commerce::base::Permission;
use commerce::identity::Location;
use commerce::inventory::{AlertKind, CountStatus, Receipt, StockCount, Transfer, TransferStatus};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};
use uuid::Uuid;

use super::AdminPage;
use super::stock::STOCK_TABS;
use crate::api::{
    AdvanceTransfer, CancelCount, DraftTransfer, ReceiveStock, SaveCount, StartCount, VoidReceipt, load_alerts,
    load_count, load_counts, load_receipt, load_receipts, load_transfers,
};
use crate::components::{
    Badge, BadgeTone, DataTable, EmptyState, Field, FieldError, FormAlert, Loaded, LocalTime, Needs, PageHeader,
    SubNav, SubmissionKey, business_time, clear_after_success, failed, one_time_key, successes, typed,
};

/// A labelled choice of location for a form.
#[component]
fn LocationChoice(
    id: &'static str,
    name: &'static str,
    label: &'static str,
    locations: Vec<Location>,
) -> impl IntoView {
    view! {
        <div class="field">
            <label class="label" for=id>{label}</label>
            <select class="input" id=id name=name>
                {
                    let chosen = typed(name);
                    locations.into_iter().map(|l| {
                        let value = l.id.0.to_string();
                        let selected = chosen.as_deref() == Some(value.as_str());
                        view! { <option value=value selected=selected>{l.name}</option> }
                    }).collect_view()
                }
            </select>
        </div>
    }
}

/// The box where lines are typed or pasted, one item a line.
#[component]
fn LinesBox(hint: &'static str, error: Signal<Option<crate::AppError>>) -> impl IntoView {
    view! {
        <div class="field">
            <label class="label" for="lines">"Items"</label>
            <p class="field-hint">{hint}</p>
            <textarea class="input min-h-32 font-mono text-sm" id="lines" name="lines" spellcheck="false">{typed("lines")}</textarea>
            <FieldError error field="lines" />
        </div>
    }
}

/// `/admin/stock/receipts`: goods booked in from suppliers, and a form to book more.
#[component]
pub fn ReceiptsPage() -> impl IntoView {
    // Loaded outside the gate, so that it is loaded once (see `Gate`).
    let receive = ServerAction::<ReceiveStock>::new();
    let received = successes(receive);
    let receipts = Resource::new(move || received.get(), |_| load_receipts());
    let form = NodeRef::<leptos::html::Form>::new();
    clear_after_success(form, receive.value().into());
    view! {
        <AdminPage title="Receipts" needs=Needs::Permission(Permission::ViewInventory) let:actor>
            {
                let manage = actor.can(Permission::ManageInventory);
                let error = failed(receive);
                view! {
                    <PageHeader title="Receipts" subtitle="Goods that arrived from suppliers, with what they cost." />
                    <SubNav links=STOCK_TABS current="/admin/stock/receipts" />
                    <Loaded resource=receipts let:loaded>
                        {manage.then(|| view! {
                            <section class="card mb-6">
                                <h2 class="font-semibold text-slate-900">"Receive stock"</h2>
                                <ActionForm action=receive node_ref=form attr:class="mt-4 grid gap-4 md:grid-cols-3">
                                    <SubmissionKey renew=receive.version() />
                                    <LocationChoice id="receipt-location" name="location" label="Arrived at" locations=loaded.1.clone() />
                                    <Field label="Supplier" name="supplier" error />
                                    <Field label="Delivery note or invoice" name="reference" error />
                                    <div class="md:col-span-3">
                                        <LinesBox hint="One item a line: SKU or barcode, units, unit cost, such as PEAK-400 24 ₦3,100.50; or paste the three columns from a spreadsheet." error />
                                    </div>
                                    <div class="md:col-span-3"><FormAlert error beside=&["lines", "supplier", "reference"] /></div>
                                    <button type="submit" class="btn btn-primary md:col-span-1">"Receive"</button>
                                </ActionForm>
                                {move || receive.value().get().and_then(Result::ok).map(|done| view! {
                                    <p class="notice mt-3" role="status" data-testid="received">
                                        {format!("Received {}{}, receipt ", done.summary, units_aside(&done))}
                                        <a class="link" href=format!("/admin/stock/receipts/{}", done.id)>{done.number.clone()}</a>
                                        ". The stock is on hand now."
                                    </p>
                                })}
                            </section>
                        })}
                        <ReceiptTable receipts=loaded.0 />
                    </Loaded>
                }
            }
        </AdminPage>
    }
}

/// " (24 units)" when the summary does not already say the units.
fn units_aside(done: &commerce::inventory::Received) -> String {
    if done.summary.ends_with("items") { format!(" ({} units)", done.units) } else { String::new() }
}

#[component]
fn ReceiptTable(receipts: Vec<Receipt>) -> impl IntoView {
    if receipts.is_empty() {
        return view! { <EmptyState title="No receipts yet" message="Goods you receive will be listed here." /> }
            .into_any();
    }
    view! {
        <DataTable head=vec!["Receipt", "When", "Location", "Supplier", "Reference", "Lines", "Units", "Cost", "By"]>
            {receipts.into_iter().map(|r| view! {
                <tr data-testid="receipt">
                    <td class="whitespace-nowrap">
                        <a class="link font-medium" href=format!("/admin/stock/receipts/{}", r.id)>{r.number}</a>
                        {r.voided.then(|| view! { " " <Badge tone=BadgeTone::Negative text="Voided".to_owned() /> })}
                    </td>
                    <td class="whitespace-nowrap"><LocalTime at=r.at /></td>
                    <td>{r.location_name}</td>
                    <td>{r.supplier}</td>
                    <td>{r.reference}</td>
                    <td class="num">{r.lines}</td>
                    <td class="num">{r.units}</td>
                    <td class="num whitespace-nowrap">{r.total_cost.to_string()}</td>
                    <td class="text-xs">{r.actor}</td>
                </tr>
            }).collect_view()}
        </DataTable>
    }
    .into_any()
}

/// `/admin/stock/receipts/{id}`: one receipt, its lines, and (for those who may) voiding it.
#[component]
pub fn ReceiptPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|id| Uuid::parse_str(&id).ok()).unwrap_or_default();
    // Loaded outside the gate, so that it is loaded once (see `Gate`).
    let void = ServerAction::<VoidReceipt>::new();
    let voided = successes(void);
    let receipt = Resource::new(move || (id(), voided.get()), |(id, _)| load_receipt(id));
    view! {
        <AdminPage title="Receipt" needs=Needs::Permission(Permission::ViewInventory) let:actor>
            {
                let manage = actor.can(Permission::ManageInventory);
                let error = failed(void);
                view! {
                    <Loaded resource=receipt let:detail>
                        {
                            let r = detail.receipt.clone();
                            let subtitle = if r.supplier.is_empty() { r.location_name.clone() } else { format!("From {} to {}", r.supplier, r.location_name) };
                            view! {
                                <PageHeader title=format!("Receipt {}", r.number) subtitle>
                                    <a class="btn btn-secondary" href="/admin/stock/receipts">"All receipts"</a>
                                </PageHeader>
                                {detail.voided.clone().map(|(at, by, why)| view! {
                                    <div class="form-alert mb-4" role="status" data-testid="voided">
                                        "Voided " <LocalTime at /> " by " {by} ": " {why} ". Its stock was taken back out."
                                    </div>
                                })}
                                <dl class="card mb-6 grid gap-3 text-sm sm:grid-cols-4">
                                    <div><dt class="text-slate-500">"Received"</dt><dd><LocalTime at=r.at /></dd></div>
                                    <div><dt class="text-slate-500">"By"</dt><dd>{r.actor.clone()}</dd></div>
                                    <div><dt class="text-slate-500">"Delivery note or invoice"</dt><dd>{if r.reference.is_empty() { "—".to_owned() } else { r.reference.clone() }}</dd></div>
                                    <div><dt class="text-slate-500">"Cost"</dt><dd class="tabular-nums">{r.total_cost.to_string()}</dd></div>
                                </dl>
                                <DataTable head=vec!["SKU", "Item", "Units", "Unit cost", "Line cost"]>
                                    {detail.lines.iter().map(|l| {
                                        let line_cost = commerce::Money::new(l.unit_cost.amount * rust_decimal::Decimal::from(l.quantity), l.unit_cost.currency);
                                        view! {
                                            <tr>
                                                <td class="font-mono text-xs"><a class="link" href=format!("/admin/stock/variant/{}", l.variant.0)>{l.sku.clone()}</a></td>
                                                <td>{l.name.clone()}</td>
                                                <td class="num">{l.quantity}</td>
                                                <td class="num whitespace-nowrap">{l.unit_cost.to_string()}</td>
                                                <td class="num whitespace-nowrap">{line_cost.to_string()}</td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </DataTable>
                                {(manage && detail.voided.is_none()).then(|| view! {
                                    <details class="card mt-6" data-testid="void-receipt">
                                        <summary class="cursor-pointer font-semibold text-slate-900">"Void this receipt"</summary>
                                        <p class="mt-2 text-sm text-slate-600">
                                            "Booked by mistake? Voiding takes every unit it brought back out of " {r.location_name.clone()}
                                            " and keeps the receipt, marked voided, in the history. Goods sold since cannot be taken out; adjust those by hand."
                                        </p>
                                        <ActionForm action=void attr:class="mt-3 space-y-3">
                                            <SubmissionKey renew=void.version() />
                                            <input type="hidden" name="id" value=r.id.to_string() />
                                            <Field label="Why" name="reason" hint="Wrong shop, typed twice, goods sent back…" error />
                                            <FormAlert error beside=&["reason"] />
                                            <button type="submit" class="btn btn-danger">{format!("Void {}", r.number)}</button>
                                        </ActionForm>
                                    </details>
                                })}
                            }
                        }
                    </Loaded>
                }
            }
        </AdminPage>
    }
}

/// `/admin/stock/transfers`: stock moving between locations, drafted, sent and received.
#[component]
pub fn TransfersPage() -> impl IntoView {
    // Loaded outside the gate, so that it is loaded once (see `Gate`).
    let draft = ServerAction::<DraftTransfer>::new();
    let advance = ServerAction::<AdvanceTransfer>::new();
    let draft_form = NodeRef::<leptos::html::Form>::new();
    clear_after_success(draft_form, draft.value().into());
    let query = use_query_map();
    let (drafted, advanced) = (successes(draft), successes(advance));
    let transfers = Resource::new(
        move || (drafted.get(), advanced.get(), query.read().get("after")),
        |(_, _, after)| load_transfers(after),
    );
    view! {
        <AdminPage title="Transfers" needs=Needs::Permission(Permission::ViewInventory) let:actor>
            {
                let manage = actor.can(Permission::ManageInventory);
                let error = failed(draft);
                let step_error = failed(advance);
                view! {
                    <PageHeader title="Transfers" subtitle="Stock sent from one location to another." />
                    <SubNav links=STOCK_TABS current="/admin/stock/transfers" />
                    <Loaded resource=transfers let:loaded>
                        {manage.then(|| view! {
                            <section class="card mb-6">
                                <h2 class="font-semibold text-slate-900">"New transfer"</h2>
                                <ActionForm action=draft node_ref=draft_form attr:class="mt-4 grid gap-4 md:grid-cols-3">
                                    <SubmissionKey renew=draft.version() />
                                    <LocationChoice id="transfer-from" name="from" label="From" locations=loaded.1.clone() />
                                    <div>
                                        <LocationChoice id="transfer-to" name="to" label="To" locations=loaded.1.iter().cloned().rev().collect() />
                                        <FieldError error field="to" />
                                    </div>
                                    <Field label="Note" name="note" error />
                                    <div class="md:col-span-3">
                                        <LinesBox hint="One item a line: SKU or barcode and units. For example: PEAK-400 12" error />
                                    </div>
                                    <div class="md:col-span-3"><FormAlert error beside=&["lines", "to", "note"] /></div>
                                    <button type="submit" class="btn btn-primary">"Draft transfer"</button>
                                </ActionForm>
                            </section>
                        })}
                        <FormAlert error=step_error />
                        <TransferList transfers=loaded.0.data manage advance />
                        <OlderLink path="/admin/stock/transfers" next=loaded.0.next_cursor label="Older transfers" />
                    </Loaded>
                }
            }
        </AdminPage>
    }
}

#[component]
fn TransferList(transfers: Vec<Transfer>, manage: bool, advance: ServerAction<AdvanceTransfer>) -> impl IntoView {
    if transfers.is_empty() {
        return view! { <EmptyState title="No transfers yet" message="Transfers between your locations will be listed here." /> }.into_any();
    }
    view! {
        <div class="space-y-4">
            {transfers.into_iter().map(|t| {
                let tone = match t.status {
                    TransferStatus::Draft => BadgeTone::Neutral,
                    TransferStatus::Sent => BadgeTone::Warning,
                    TransferStatus::Received => BadgeTone::Positive,
                    TransferStatus::Cancelled => BadgeTone::Negative,
                };
                let steps: Vec<(&str, &str)> = match t.status {
                    TransferStatus::Draft => vec![("send", "Send"), ("cancel", "Cancel")],
                    TransferStatus::Sent => vec![("receive", "Mark received")],
                    _ => vec![],
                };
                let id = t.id;
                view! {
                    <section class="card" data-testid="transfer" id=format!("transfer-{}", t.id)>
                        <div class="flex flex-wrap items-center justify-between gap-2">
                            <h3 class="font-semibold text-slate-900">{format!("{} → {}", t.from_name, t.to_name)}</h3>
                            <Badge tone text=t.status.label() />
                        </div>
                        <p class="mt-1 text-xs text-slate-500">{format!("{} by {}{}", business_time(t.created_at), t.created_by, if t.note.is_empty() { String::new() } else { format!(" · {}", t.note) })}</p>
                        <ul class="mt-3 divide-y divide-slate-100 text-sm">
                            {t.lines.into_iter().map(|l| view! {
                                <li class="flex justify-between gap-3 py-1.5">
                                    <span>{l.item}" "<span class="font-mono text-xs text-slate-500">{l.sku}</span></span>
                                    <span class="tabular-nums">{match l.received { Some(r) if r != l.quantity => format!("{r} of {}", l.quantity), _ => l.quantity.to_string() }}</span>
                                </li>
                            }).collect_view()}
                        </ul>
                        {(manage && !steps.is_empty()).then(|| view! {
                            <div class="mt-3 flex gap-2">
                                // A form each, so that a step works before the script has loaded too.
                                {steps.into_iter().map(|(step, label)| view! {
                                    <ActionForm action=advance>
                                        <SubmissionKey renew=advance.version() />
                                        <input type="hidden" name="id" value=id.to_string() />
                                        <input type="hidden" name="step" value=step />
                                        <button type="submit" class="btn btn-secondary btn-sm">{label}</button>
                                    </ActionForm>
                                }).collect_view()}
                            </div>
                        })}
                    </section>
                }
            }).collect_view()}
        </div>
    }
    .into_any()
}

/// `/admin/stock/counts`: stock counts by location, and starting a new one.
#[component]
pub fn CountsPage() -> impl IntoView {
    // Loaded outside the gate, so that it is loaded once (see `Gate`).
    let start = ServerAction::<StartCount>::new();
    let query = use_query_map();
    let counts = Resource::new(move || query.read().get("after"), load_counts);
    view! {
        <AdminPage title="Stock counts" needs=Needs::Permission(Permission::ViewInventory) let:actor>
            {
                let manage = actor.can(Permission::ManageInventory);
                let error = failed(start);
                view! {
                    <PageHeader title="Stock counts" subtitle="Count what is on the shelves; the differences are posted when you approve." />
                    <SubNav links=STOCK_TABS current="/admin/stock/counts" />
                    <Loaded resource=counts let:loaded>
                        {manage.then(|| view! {
                            <section class="card mb-6">
                                <h2 class="font-semibold text-slate-900">"Start a count"</h2>
                                <ActionForm action=start attr:class="mt-4 grid gap-4 md:grid-cols-[1fr_2fr_auto] md:items-end">
                                    <SubmissionKey renew=start.version() />
                                    <LocationChoice id="count-location" name="location" label="Location" locations=loaded.1.clone() />
                                    <Field label="Note" name="note" error />
                                    <button type="submit" class="btn btn-primary">"Start count"</button>
                                </ActionForm>
                                <FormAlert error beside=&["note"] />
                            </section>
                        })}
                        {if loaded.0.data.is_empty() {
                            view! { <EmptyState title="No counts yet" message="Counts you start will be listed here." /> }.into_any()
                        } else {
                            view! {
                                <DataTable head=vec!["Started", "Location", "Status", "Note", "By"]>
                                    {loaded.0.data.into_iter().map(|c| view! {
                                        <tr>
                                            <td class="whitespace-nowrap"><a class="hover:underline" href=format!("/admin/stock/counts/{}", c.id)><LocalTime at=c.created_at /></a></td>
                                            <td>{c.location_name}</td>
                                            <td><CountBadge status=c.status /></td>
                                            <td>{c.note}</td>
                                            <td class="text-xs">{c.created_by}</td>
                                        </tr>
                                    }).collect_view()}
                                </DataTable>
                            }.into_any()
                        }}
                        <OlderLink path="/admin/stock/counts" next=loaded.0.next_cursor label="Older counts" />
                    </Loaded>
                }
            }
        </AdminPage>
    }
}

/// A link to the page after this one, when there is one.
#[component]
fn OlderLink(path: &'static str, next: Option<String>, label: &'static str) -> impl IntoView {
    next.map(
        |next| view! { <a class="btn btn-secondary mt-4" href=crate::pages::next_page_link(path, &next, &[])>{label}</a> },
    )
}

#[component]
fn CountBadge(status: CountStatus) -> impl IntoView {
    let (tone, text) = match status {
        CountStatus::Open => (BadgeTone::Warning, "Counting"),
        CountStatus::Approved => (BadgeTone::Positive, "Approved"),
        CountStatus::Cancelled => (BadgeTone::Neutral, "Cancelled"),
    };
    view! { <Badge tone text /> }
}

/// `/admin/stock/counts/{id}`: the count sheet, with a number to fill in per item, the
/// variance as it is typed, and approval.
#[component]
pub fn CountSheetPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|id| Uuid::parse_str(&id).ok()).unwrap_or_default();
    // Loaded outside the gate, so that it is loaded once (see `Gate`).
    let save = ServerAction::<SaveCount>::new();
    let cancel = ServerAction::<CancelCount>::new();
    let (saved, cancelled) = (successes(save), successes(cancel));
    let count = Resource::new(move || (id(), saved.get(), cancelled.get()), |(id, _, _)| load_count(id));
    view! {
        <AdminPage title="Count sheet" needs=Needs::Permission(Permission::ViewInventory) let:actor>
            {
                let manage = actor.can(Permission::ManageInventory);
                view! {
                    <Loaded resource=count let:count>
                        <CountSheet count manage save cancel />
                    </Loaded>
                }
            }
        </AdminPage>
    }
}

#[component]
fn CountSheet(
    count: StockCount,
    manage: bool,
    save: ServerAction<SaveCount>,
    cancel: ServerAction<CancelCount>,
) -> impl IntoView {
    let open = count.status == CountStatus::Open && manage;
    let id = count.id;
    let entries: Vec<(Uuid, RwSignal<String>)> = count
        .lines
        .iter()
        .map(|l| (l.variant.0, RwSignal::new(l.counted.map(|c| c.to_string()).unwrap_or_default())))
        .collect();
    let entries = StoredValue::new(entries);
    let (save_failed, cancel_failed) = (failed(save), failed(cancel));
    let error = Signal::derive(move || save_failed.get().or_else(|| cancel_failed.get()));
    // A double press saves (or approves, or abandons) once.
    let (save_key, cancel_key) = (one_time_key(save.version().into()), one_time_key(cancel.version().into()));
    let send = move |approve: bool| {
        let counts = entries.with_value(|e| e.iter().map(|(v, s)| (*v, s.get_untracked())).collect());
        save.dispatch(SaveCount { id, counts, approve, submission: save_key.get_untracked() });
    };
    view! {
        <PageHeader title=format!("Count at {}", count.location_name) subtitle=format!("Started {} by {}", business_time(count.created_at), count.created_by)>
            <a class="btn btn-secondary" href="/admin/stock/counts">"All counts"</a>
        </PageHeader>
        <div class="mb-4"><CountBadge status=count.status /></div>
        <DataTable head=vec!["Item", "SKU", "Expected", "Counted", "Difference"]>
            {count.lines.into_iter().enumerate().map(|(i, line)| {
                let value = entries.with_value(|e| e[i].1);
                let expected = line.expected;
                let difference = move || value.get().trim().parse::<i32>().ok().map(|c| c - expected);
                let input_id = format!("count-{i}");
                let sku = line.sku.clone();
                view! {
                    <tr data-testid="count-line" data-sku=sku>
                        <td><label for=input_id.clone()>{line.item}</label></td>
                        <td class="font-mono text-xs">{line.sku}</td>
                        <td class="num">{expected}</td>
                        <td class="num">
                            <input class="input input-sm w-24 text-right" id=input_id inputmode="numeric" disabled=!open value=value.get_untracked() prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev)) />
                            <FieldError error field=format!("counts[{i}]") />
                        </td>
                        <td class=move || match difference() { Some(d) if d < 0 => "num text-red-700", Some(d) if d > 0 => "num text-emerald-700", _ => "num text-slate-400" }>
                            {move || difference().map_or_else(|| "—".to_owned(), |d| format!("{d:+}"))}
                        </td>
                    </tr>
                }
            }).collect_view()}
        </DataTable>
        <FormAlert error beside=&["counts[]"] />
        {open.then(|| view! {
            <div class="mt-4 flex flex-wrap gap-2">
                <button type="button" class="btn btn-secondary" on:click=move |_| send(false)>"Save counts"</button>
                <button type="button" class="btn btn-primary" on:click=move |_| send(true)>"Approve and post differences"</button>
                <details>
                    <summary class="btn btn-secondary cursor-pointer">"Abandon count"</summary>
                    <div class="mt-2 grid gap-2">
                        <p class="text-sm text-slate-600">"Abandon this count? What was typed is thrown away and no stock changes."</p>
                        <button type="button" class="btn btn-danger btn-sm justify-self-start" on:click=move |_| { cancel.dispatch(CancelCount { id, submission: cancel_key.get_untracked() }); }>"Yes, abandon it"</button>
                    </div>
                </details>
            </div>
            <p class="mt-2 text-xs text-slate-500">"Items left empty are not counted and keep their stock."</p>
        })}
    }
}

/// `/admin/stock/alerts`: low and oversold stock, open ones first.
#[component]
pub fn AlertsPage() -> impl IntoView {
    let query = use_query_map();
    let all = move || query.read().get("all").is_some_and(|v| !v.is_empty());
    // Loaded outside the gate, so that it is loaded once (see `Gate`).
    let alerts = Resource::new(all, |all| load_alerts(!all));
    view! {
        <AdminPage title="Stock alerts" needs=Needs::Permission(Permission::ViewInventory) let:_actor>
            {
                view! {
                    <PageHeader title="Stock alerts" subtitle="Items at or below their reorder point, and items sold below zero at a till.">
                        <a class="btn btn-secondary" href=move || if all() { "/admin/stock/alerts" } else { "/admin/stock/alerts?all=1" }>
                            {move || if all() { "Open alerts only" } else { "Include resolved" }}
                        </a>
                    </PageHeader>
                    <SubNav links=STOCK_TABS current="/admin/stock/alerts" />
                    <Loaded resource=alerts let:alerts>
                        {if alerts.is_empty() {
                            view! { <EmptyState title="Nothing needs attention" message="No item is low or oversold." /> }.into_any()
                        } else {
                            view! {
                                <DataTable head=vec!["Item", "SKU", "Location", "Alert", "Available now", "Reorder", "Raised", ""]>
                                    {alerts.into_iter().map(|a| {
                                        let (tone, text) = match (a.kind, a.resolved_at.is_some()) {
                                            (_, true) => (BadgeTone::Neutral, "Resolved"),
                                            (AlertKind::Low, false) if a.available_now <= 0 => (BadgeTone::Negative, "Out of stock"),
                                            (AlertKind::Low, false) => (BadgeTone::Warning, "Low"),
                                            (AlertKind::Oversold, false) => (BadgeTone::Negative, "Oversold"),
                                        };
                                        // Reordering starts a receipt at the location with the item and the
                                        // quantity to order filled in; the cost is for the person to add.
                                        let reorder = (a.resolved_at.is_none() && a.reorder.1 > 0).then(|| {
                                            let fields = [("__f.location", a.location.0.to_string()), ("__f.lines", format!("{} {} ", a.sku, a.reorder.1))];
                                            let query: Vec<String> = fields.iter().map(|(k, v)| format!("{k}={}", crate::pages::urlencode(v))).collect();
                                            format!("/admin/stock/receipts?{}", query.join("&"))
                                        });
                                        view! {
                                            <tr data-testid="alert" data-available=a.available_now.to_string() class="row-link">
                                                <td><a class="row-link-target font-medium hover:underline" href=format!("/admin/stock/variant/{}", a.variant.0)>{a.item}</a></td>
                                                <td class="font-mono text-xs">{a.sku}</td>
                                                <td>{a.location_name}</td>
                                                <td><Badge tone text /></td>
                                                <td class="num">{a.available_now}</td>
                                                <td class="num">{if a.reorder.0 > 0 { format!("at {}, order {}", a.reorder.0, a.reorder.1) } else { "—".to_owned() }}</td>
                                                <td class="whitespace-nowrap"><LocalTime at=a.raised_at /></td>
                                                <td>{reorder.map(|href| view! { <a class="btn btn-secondary btn-sm row-link-over" href=href>"Reorder"</a> })}</td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </DataTable>
                            }.into_any()
                        }}
                    </Loaded>
                }
            }
        </AdminPage>
    }
}
