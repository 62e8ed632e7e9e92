//! Taking payment: split across cash (with change, and quick buttons for naira notes), a card on
//! the shop's terminal, a bank transfer or mobile money (each with its reference), and the
//! credit of goods brought back in an exchange; then the receipt, to print or send by WhatsApp.

use commerce::pos::{Document, Sale, SaleLine, Tender, TenderLine};
use leptos::prelude::*;
use rust_decimal::Decimal;
use uuid::Uuid;

use super::sell::totals;
use super::{amount, local_time, money};
use crate::state::{Cart, Screen, Till};
use crate::web;

/// Notes a customer hands over, for the quick-cash buttons.
const NOTES: [i64; 4] = [500, 1000, 2000, 5000];

/// What a customer is likely to hand over for `left`: the fewest of each note that covers it,
/// each amount once, smallest first.
fn quick_cash(left: Decimal) -> Vec<Decimal> {
    let mut amounts: Vec<Decimal> = NOTES
        .into_iter()
        .map(|note| (left / Decimal::from(note)).ceil().max(Decimal::ONE) * Decimal::from(note))
        .filter(|a| *a > left)
        .collect();
    amounts.sort_unstable();
    amounts.dedup();
    amounts
}

/// A tender of `handed` by `tender` towards `left`: cash covers at most what is left (the rest
/// is change); the others at most what is left, with their reference.
fn tender_line(
    tender: Tender,
    handed: Decimal,
    reference: &str,
    left: Decimal,
    till: Till,
) -> Result<TenderLine, String> {
    if left <= Decimal::ZERO || handed <= Decimal::ZERO {
        return Err("Nothing is left to pay.".to_owned());
    }
    if tender == Tender::Cash {
        let applied = handed.min(left);
        return Ok(TenderLine {
            tender,
            amount: applied,
            tendered: (handed > applied).then_some(handed),
            reference: String::new(),
        });
    }
    if handed > left {
        return Err(format!("{} pays at most what is left, {}.", tender.label(), money(till, left)));
    }
    if tender.needs_reference() && reference.trim().is_empty() {
        return Err(format!("{} needs its reference (the slip's or the transfer's).", tender.label()));
    }
    Ok(TenderLine { tender, amount: handed, tendered: None, reference: reference.trim().to_owned() })
}

/// The sale the cart makes, paid by `tenders`, by the signed-in cashier in the open shift.
fn sale_of(till: Till, tenders: Vec<TenderLine>, total: Decimal) -> Option<Sale> {
    let (cashier, shift) = (till.cashier.get_untracked()?, till.shift.get_untracked()?);
    let cart = till.cart.get_untracked();
    let (vat, currency) = till.data.with_untracked(|d| d.as_ref().map(|d| (d.business.vat, d.business.currency)))?;
    let lines = cart
        .lines
        .iter()
        .map(|l| SaleLine {
            variant: l.variant,
            name: l.name.clone(),
            sku: l.sku.clone(),
            quantity: l.quantity,
            unit_price: l.unit_price,
            shelf_price: l.shelf_price,
            discount: l.discount,
            tax_class: l.tax_class,
            approved_by: l.approved_by,
        })
        .collect();
    Some(Sale {
        id: Uuid::now_v7(),
        made_at: web::now(),
        cashier: cashier.id,
        shift: shift.id,
        receipt: String::new(),
        customer: cart.customer.as_ref().map(|c| c.id),
        currency,
        vat,
        lines,
        tenders,
        total,
    })
}

/// The tender screen.
#[component]
pub fn Pay() -> impl IntoView {
    let till = expect_context::<Till>();
    let tenders = RwSignal::new(Vec::<TenderLine>::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let due = move || till.cart.with(|c| totals(till, c)).map_or(Decimal::ZERO, |t| t.total);
    let paid = move || tenders.with(|t| t.iter().map(|t| t.amount).sum::<Decimal>());
    let left = Signal::derive(move || (due() - paid()).max(Decimal::ZERO));
    let complete = move |_| {
        if busy.get_untracked() || left.get_untracked() > Decimal::ZERO {
            return;
        }
        let Some(sale) = sale_of(till, tenders.get_untracked(), due()) else { return };
        busy.set(true);
        let exchanged: Decimal = sale.tenders.iter().filter(|t| t.tender == Tender::Exchange).map(|t| t.amount).sum();
        leptos::task::spawn_local(async move {
            match till.record(Document::Sale(sale)).await {
                Ok(kept) => {
                    till.cart.set(Cart::default());
                    till.keep_cart();
                    if exchanged > Decimal::ZERO {
                        let left = (till.credit.get_untracked() - exchanged).max(Decimal::ZERO);
                        till.credit.set(left);
                        let _ = till.keep("credit", &left).await;
                    }
                    till.screen.set(Screen::Receipt(kept.id()));
                }
                Err(why) => error.set(Some(why)),
            }
            busy.set(false);
        });
    };
    view! {
        <section class="pos-card mx-auto max-w-2xl" aria-labelledby="pay-heading">
            <h1 id="pay-heading" class="text-xl font-bold text-white">"Payment"</h1>
            <p class="mt-2 flex justify-between text-lg"><span>"Total"</span><span>{move || money(till, due())}</span></p>
            <p class="flex justify-between text-2xl font-bold text-white">
                <span>"Left to pay"</span><span data-testid="left">{move || money(till, left.get())}</span>
            </p>
            <ul class="mt-3 space-y-1" data-testid="tenders">
                {move || tenders.get().into_iter().enumerate().map(|(i, t)| view! {
                    <li class="flex justify-between rounded bg-slate-900 px-3 py-2">
                        <span>{format!("{} {}", t.tender.label(), t.reference)}</span>
                        <span>{money(till, t.amount)}
                            {t.tendered.map(|h| format!(" (handed {}, change {})", money(till, h), money(till, h - t.amount)))}
                        </span>
                        <button type="button" class="underline" on:click=move |_| tenders.update(|ts| { ts.remove(i); })>"Remove"</button>
                    </li>
                }).collect_view()}
            </ul>
            <Show when=move || { left.get() > Decimal::ZERO }>
                <TenderEntry tenders left error />
            </Show>
            {move || error.get().map(|e| view! { <p class="mt-2 text-sm text-amber-300" role="alert">{e}</p> })}
            <div class="mt-4 flex gap-2">
                <button type="button" class="btn btn-primary flex-1 text-lg" data-testid="complete"
                    disabled=move || { left.get() > Decimal::ZERO || busy.get() } on:click=complete>"Complete sale"</button>
                <button type="button" class="btn btn-secondary" on:click=move |_| till.screen.set(Screen::Sell)>"Back"</button>
            </div>
        </section>
    }
}

/// Choosing a tender and its amount: quick buttons for cash, a typed amount (what is left when
/// empty) and reference, and the credit of an exchange.
#[component]
fn TenderEntry(
    tenders: RwSignal<Vec<TenderLine>>,
    left: Signal<Decimal>,
    error: RwSignal<Option<String>>,
) -> impl IntoView {
    let till = expect_context::<Till>();
    let kind = RwSignal::new(Tender::Cash);
    let typed = RwSignal::new(String::new());
    let reference = RwSignal::new(String::new());
    let credit = move || till.credit.get();
    let take = move |tender: Tender, handed: Decimal, reference: &str| match tender_line(
        tender,
        handed,
        reference,
        left.get_untracked(),
        till,
    ) {
        Ok(line) => {
            tenders.update(|t| t.push(line));
            typed.set(String::new());
            error.set(None);
        }
        Err(why) => error.set(Some(why)),
    };
    let add_typed = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = typed.get_untracked();
        let value = if text.trim().is_empty() { Some(left.get_untracked()) } else { amount(&text) };
        match value {
            Some(v) => take(kind.get_untracked(), v, &reference.get_untracked()),
            None => error.set(Some("Type the amount, such as 5000.".to_owned())),
        }
    };
    view! {
        <div class="mt-4 grid grid-cols-2 gap-2 sm:grid-cols-4" role="group" aria-label="Tender">
            {[Tender::Cash, Tender::Card, Tender::Transfer, Tender::MobileMoney].into_iter().map(|t| view! {
                <button type="button" class=move || if kind.get() == t { "btn btn-primary" } else { "btn btn-secondary" }
                    on:click=move |_| kind.set(t)>{t.label()}</button>
            }).collect_view()}
        </div>
        <Show when=move || kind.get() == Tender::Cash>
            <div class="mt-3 flex flex-wrap gap-2" role="group" aria-label="Quick cash">
                <button type="button" class="till-pill" on:click=move |_| take(Tender::Cash, left.get_untracked(), "")>"Exact"</button>
                {move || quick_cash(left.get()).into_iter().map(|handed| view! {
                    <button type="button" class="till-pill" on:click=move |_| take(Tender::Cash, handed, "")>
                        {money(till, handed)}
                    </button>
                }).collect_view()}
            </div>
        </Show>
        <form class="mt-3 flex flex-wrap items-end gap-2" on:submit=add_typed>
            <label class="text-sm">{move || if kind.get() == Tender::Cash { "Cash handed over" } else { "Amount" }}
                <input class="till-input" inputmode="decimal" placeholder=move || money(till, left.get()) data-testid="tender-amount"
                    prop:value=typed on:input=move |ev| typed.set(event_target_value(&ev)) />
            </label>
            <Show when=move || kind.get().needs_reference()>
                <label class="text-sm">"Reference"
                    <input class="till-input" maxlength="80" data-testid="tender-reference"
                        prop:value=reference on:input=move |ev| reference.set(event_target_value(&ev)) />
                </label>
            </Show>
            <button type="submit" class="btn btn-secondary" data-testid="add-tender">"Add"</button>
        </form>
        <Show when=move || { credit() > Decimal::ZERO }>
            <button type="button" class="btn btn-secondary mt-2"
                on:click=move |_| take(Tender::Exchange, credit().min(left.get_untracked()), "")>
                {move || format!("Use exchange credit ({})", money(till, credit()))}
            </button>
        </Show>
    }
}

/// A receipt of this till, by its document's id: to print (58 or 80 mm) or send.
#[component]
pub fn ReceiptView(id: Uuid) -> impl IntoView {
    let till = expect_context::<Till>();
    let doc = LocalResource::new(move || async move { till.document(id).await });
    let width = RwSignal::new("80");
    let print = move |_| {
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    };
    view! {
        <section class="mx-auto max-w-md">
            {move || doc.get().flatten().map(|doc| {
                let text = receipt_text(till, &doc);
                let share = format!("https://wa.me/?text={}", js_sys::encode_uri_component(&text));
                view! {
                    <pre class=move || format!("till-receipt till-receipt-{}", width.get()) data-testid="receipt">{text}</pre>
                    <div class="no-print mt-3 grid grid-cols-2 gap-2">
                        <button type="button" class="btn btn-primary" on:click=print>"Print"</button>
                        <a class="btn btn-secondary" href=share target="_blank" rel="noopener">"Send by WhatsApp"</a>
                        <button type="button" class="btn btn-secondary" on:click=move |_| width.set(if width.get_untracked() == "80" { "58" } else { "80" })>
                            {move || format!("Paper: {} mm", width.get())}
                        </button>
                        <button type="button" class="btn btn-secondary" data-testid="new-sale" on:click=move |_| till.screen.set(Screen::Sell)>"New sale"</button>
                    </div>
                }
            })}
        </section>
    }
}

/// A sale's or return's receipt as text, for the printer and for WhatsApp.
pub fn receipt_text(till: Till, doc: &Document) -> String {
    use std::fmt::Write;
    let (business, shop, address) = till
        .data
        .with_untracked(|d| {
            d.as_ref().map(|d| (d.business.name.clone(), d.register.location_name.clone(), d.register.address.clone()))
        })
        .unwrap_or_default();
    let mut out = format!("{business}\n{shop}\n{address}\n\n");
    let cashier = till.cashier_by_id(doc.cashier()).map(|c| c.name).unwrap_or_default();
    match doc {
        Document::Sale(s) => {
            let _ = writeln!(out, "Receipt {}\n{}\nCashier: {cashier}\n", s.receipt, local_time(till, s.made_at));
            let figures = s.totals().ok();
            for (i, l) in s.lines.iter().enumerate() {
                let line_total = figures.as_ref().and_then(|f| f.lines.get(i)).map_or(Decimal::ZERO, |f| f.total);
                let _ = writeln!(
                    out,
                    "{}\n  {} x {}  {}",
                    l.name,
                    l.quantity,
                    money(till, l.unit_price),
                    money(till, line_total)
                );
                if l.discount > Decimal::ZERO {
                    let _ = writeln!(out, "  discount -{}", money(till, l.discount));
                }
            }
            if let Some(f) = figures {
                let _ = writeln!(
                    out,
                    "\nVAT {}%: {}\nTOTAL {}",
                    s.vat.rate.normalize(),
                    money(till, f.vat),
                    money(till, f.total)
                );
            }
            for t in &s.tenders {
                let _ = writeln!(out, "{} {} {}", t.tender.label(), t.reference, money(till, t.amount));
                if let Some(handed) = t.tendered {
                    let _ =
                        writeln!(out, "  handed {}, change {}", money(till, handed), money(till, handed - t.amount));
                }
            }
        }
        Document::Return(r) => {
            let _ = writeln!(out, "Return {}\n{}\nCashier: {cashier}\n", r.receipt, local_time(till, r.made_at));
            for t in &r.tenders {
                let _ = writeln!(out, "Given back by {} {}", t.tender.label(), money(till, t.amount));
            }
            let _ = writeln!(out, "TOTAL GIVEN BACK {}", money(till, r.total));
        }
        _ => {}
    }
    out.push_str("\nThank you!\n");
    out
}
