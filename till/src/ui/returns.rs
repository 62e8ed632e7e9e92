//! Taking goods back against a receipt: which lines and how many (never more than were sold and
//! not yet brought back), the money back by a tender or as exchange credit for the next sale,
//! allowed by a manager.

use commerce::pos::{Document, ReturnDoc, ReturnLine, SoldReceipt, Tender, TenderLine, return_figures};
use leptos::prelude::*;
use rust_decimal::Decimal;
use uuid::Uuid;

use super::{Approval, ApprovalPad, approve::approver_signed_in, money};
use crate::state::{Screen, Till, sale_by_receipt};
use crate::web;

/// A line of the sale as it can come back.
#[derive(Clone, Debug, PartialEq)]
struct Returnable {
    position: i32,
    name: String,
    sold: i32,
    back_already: i32,
    vat: Decimal,
    total: Decimal,
}

/// The sale with `receipt` and what of each line may still come back: this till's own from its
/// storage, another till's from the server when there is a connection.
async fn returnable(till: Till, receipt: &str) -> Result<(Uuid, Vec<Returnable>), String> {
    let documents = till.documents().await;
    let Some(found) = sale_by_receipt(&documents, receipt) else {
        return from_server(receipt).await;
    };
    let figures = found.totals()?;
    let returned = |position: i32| -> i32 {
        documents
            .iter()
            .filter_map(|d| match d {
                Document::Return(r) if r.sale == found.id => Some(r),
                _ => None,
            })
            .flat_map(|r| r.lines.iter())
            .filter(|l| l.position == position)
            .map(|l| l.quantity)
            .sum()
    };
    let rows = found
        .lines
        .iter()
        .zip(&figures.lines)
        .enumerate()
        .filter_map(|(i, (l, f))| {
            let position = i32::try_from(i).ok()?;
            Some(Returnable {
                position,
                name: l.name.clone(),
                sold: l.quantity,
                back_already: returned(position),
                vat: f.vat,
                total: f.total,
            })
        })
        .collect();
    Ok((found.id, rows))
}

/// Another till's sale, asked of the server.
async fn from_server(receipt: &str) -> Result<(Uuid, Vec<Returnable>), String> {
    let credential = crate::state::credential_now().await.ok_or("This till is not enrolled.")?;
    let path = format!("/api/v1/pos/receipts/{}", js_sys::encode_uri_component(receipt.trim()));
    match web::call::<SoldReceipt>(&path, Some(&credential), None::<&()>).await {
        Ok(sold) => Ok((
            sold.sale,
            sold.lines
                .into_iter()
                .map(|l| Returnable {
                    position: l.position,
                    name: l.name,
                    sold: l.quantity,
                    back_already: l.returned,
                    vat: l.vat,
                    total: l.total,
                })
                .collect(),
        )),
        Err(web::Failure::Unreachable) => {
            Err("No sale of this till has that number; another till's can be found once the connection returns."
                .to_owned())
        }
        Err(web::Failure::Refused(_, detail)) => Err(detail),
    }
}

/// The lines of the sale, each with how many come back.
#[component]
fn ReturnLines(
    lines: RwSignal<Vec<Returnable>>,
    back: RwSignal<std::collections::BTreeMap<i32, i32>>,
) -> impl IntoView {
    view! {
        <ul class="mt-3 divide-y divide-slate-700">
            {move || lines.get().into_iter().map(|r| {
                let most = r.sold - r.back_already;
                let position = r.position;
                view! {
                    <li class="flex items-center justify-between gap-2 py-2">
                        <span class="min-w-0 flex-1 truncate">{format!("{} ({} sold, {} back already)", r.name, r.sold, r.back_already)}</span>
                        <input type="number" min="0" max=most.to_string() class="till-input w-20" aria-label=format!("How many {} come back", r.name)
                            disabled=most <= 0 value="0"
                            on:input=move |ev| {
                                let n = event_target_value(&ev).parse::<i32>().unwrap_or(0).clamp(0, most);
                                back.update(|b| { b.insert(position, n); });
                            } />
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

/// What bringing back `back` of `rows` gives back.
fn back_total(rows: &[Returnable], back: &std::collections::BTreeMap<i32, i32>) -> Decimal {
    rows.iter().map(|r| return_figures(r.sold, r.vat, r.total, back.get(&r.position).copied().unwrap_or(0)).2).sum()
}

/// Keeps a return made now; money given as exchange credit waits for the next sale.
/// A second press while the first is being kept takes nothing back twice.
async fn keep_return(till: Till, doc: ReturnDoc, error: RwSignal<Option<String>>, busy: RwSignal<bool>) {
    if busy.get_untracked() {
        return;
    }
    busy.set(true);
    let credit: Decimal = doc.tenders.iter().filter(|t| t.tender == Tender::Exchange).map(|t| t.amount).sum();
    match till.record(Document::Return(doc)).await {
        Ok(kept) => {
            if credit > Decimal::ZERO {
                let credit = till.credit.get_untracked() + credit;
                till.credit.set(credit);
                let _ = till.keep("credit", &credit).await;
            }
            till.screen.set(Screen::Receipt(kept.id()));
        }
        Err(why) => error.set(Some(why)),
    }
    busy.set(false);
}

/// How the money goes back: a tender (with its reference) or exchange credit, and why.
#[component]
fn RefundChoice(tender: RwSignal<Tender>, reference: RwSignal<String>, reason: RwSignal<String>) -> impl IntoView {
    view! {
        <div class="mt-2 grid grid-cols-2 gap-2 sm:grid-cols-5" role="group" aria-label="Give back by">
            {[Tender::Cash, Tender::Card, Tender::Transfer, Tender::MobileMoney, Tender::Exchange].into_iter().map(|t| view! {
                <button type="button" class=move || if tender.get() == t { "btn btn-primary" } else { "btn btn-secondary" }
                    on:click=move |_| tender.set(t)>{if t == Tender::Exchange { "Exchange credit" } else { t.label() }}</button>
            }).collect_view()}
        </div>
        <Show when=move || tender.get().needs_reference()>
            <input class="till-input mt-2" placeholder="Reference" aria-label="Reference" maxlength="80"
                prop:value=reference on:input=move |ev| reference.set(event_target_value(&ev)) />
        </Show>
        <input class="till-input mt-2" placeholder="Reason (optional)" aria-label="Reason" maxlength="200"
            prop:value=reason on:input=move |ev| reason.set(event_target_value(&ev)) />
    }
}

/// The return screen.
#[component]
pub fn Return() -> impl IntoView {
    let till = expect_context::<Till>();
    let receipt = RwSignal::new(String::new());
    let sale = RwSignal::new(None::<Uuid>);
    let lines = RwSignal::new(Vec::<Returnable>::new());
    let back = RwSignal::new(std::collections::BTreeMap::<i32, i32>::new());
    let tender = RwSignal::new(Tender::Cash);
    let reference = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let asking = RwSignal::new(None::<Approval>);
    // Held from the first press until the return is kept: a second press takes nothing back twice.
    let busy = RwSignal::new(false);
    let find = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        leptos::task::spawn_local(async move {
            match returnable(till, &receipt.get_untracked()).await {
                Ok((found, rows)) => {
                    error.set(None);
                    back.set(std::collections::BTreeMap::default());
                    lines.set(rows);
                    sale.set(Some(found));
                }
                Err(why) => error.set(Some(why)),
            }
        });
    };
    let total = move || lines.with(|rows| back.with(|b| back_total(rows, b)));
    let give_back = move |_| {
        let (Some(cashier), Some(shift), Some(sold)) =
            (till.cashier.get_untracked(), till.shift.get_untracked(), sale.get_untracked())
        else {
            return;
        };
        let chosen: Vec<ReturnLine> = back
            .get_untracked()
            .into_iter()
            .filter(|(_, q)| *q > 0)
            .map(|(position, quantity)| ReturnLine { position, quantity })
            .collect();
        if chosen.is_empty() {
            error.set(Some("Choose what comes back.".to_owned()));
            return;
        }
        let sum = total();
        let how = tender.get_untracked();
        if how.needs_reference() && reference.get_untracked().trim().is_empty() {
            error.set(Some(format!("{} needs its reference.", how.label())));
            return;
        }
        let make = Callback::new(move |manager: Uuid| {
            let doc = ReturnDoc {
                id: Uuid::now_v7(),
                made_at: web::now(),
                cashier: cashier.id,
                shift: shift.id,
                receipt: String::new(),
                sale: sold,
                lines: chosen.clone(),
                tenders: if sum > Decimal::ZERO {
                    vec![TenderLine {
                        tender: how,
                        amount: sum,
                        tendered: None,
                        reference: reference.get_untracked().trim().to_owned(),
                    }]
                } else {
                    Vec::new()
                },
                total: sum,
                reason: reason.get_untracked().trim().to_owned(),
                approved_by: Some(manager),
            };
            leptos::task::spawn_local(keep_return(till, doc, error, busy));
        });
        match approver_signed_in(till) {
            Some(me) => make.run(me),
            None => asking.set(Some(Approval {
                what: format!("Give back {} for receipt {}", money(till, sum), receipt.get_untracked()),
                then: make,
            })),
        }
    };
    view! {
        <section class="pos-card mx-auto max-w-2xl" aria-labelledby="return-heading">
            <h1 id="return-heading" class="text-xl font-bold text-white">"Return or exchange"</h1>
            <form class="mt-3 flex gap-2" on:submit=find>
                <input class="till-input flex-1 uppercase" placeholder="Receipt number (R01-000057)" aria-label="Receipt number" required
                    data-testid="return-receipt" prop:value=receipt on:input=move |ev| receipt.set(event_target_value(&ev)) />
                <button type="submit" class="btn btn-secondary">"Find"</button>
            </form>
            <Show when=move || sale.with(Option::is_some)>
                <ReturnLines lines back />
                <p class="mt-2 text-lg font-bold text-white">{move || format!("Give back {}", money(till, total()))}</p>
                <RefundChoice tender reference reason />
                <button type="button" class="btn btn-primary mt-3 w-full" data-testid="give-back" disabled=move || busy.get() on:click=give_back>"Take back"</button>
            </Show>
            {move || error.get().map(|e| view! { <p class="mt-2 text-sm text-amber-300" role="alert">{e}</p> })}
            <button type="button" class="btn btn-secondary mt-3" on:click=move |_| till.screen.set(Screen::Sell)>"Back"</button>
            <ApprovalPad asking />
        </section>
    }
}
