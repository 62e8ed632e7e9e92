//! Shifts at the till: opening one with a float, cash in and out of the drawer, the X report at
//! any time and the close, counted note by note, with its Z report.

use std::collections::BTreeMap;

use commerce::pos::{CashMovement, Direction, Document, ShiftClose, ShiftOpen, Tender};
use leptos::prelude::*;
use rust_decimal::Decimal;
use uuid::Uuid;

use super::{amount, money};
use crate::state::{OpenShift, Screen, Till, in_shift};
use crate::web;

/// The naira's notes and coins, largest first.
const FACES: [i64; 10] = [1000, 500, 200, 100, 50, 20, 10, 5, 2, 1];

/// Opens a shift with the cash in the drawer.
#[component]
pub fn OpenShift() -> impl IntoView {
    let till = expect_context::<Till>();
    let float = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let open = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(cashier) = till.cashier.get_untracked() else { return };
        let Some(value) = amount(&float.get_untracked()) else {
            error.set(Some("Type the cash in the drawer, such as 10000.".to_owned()));
            return;
        };
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        let doc = ShiftOpen { id: Uuid::now_v7(), made_at: web::now(), cashier: cashier.id, float: value };
        let shift = OpenShift { id: doc.id, cashier: cashier.id, opened_at: doc.made_at, float: value };
        leptos::task::spawn_local(async move {
            match till.record(Document::ShiftOpen(doc)).await {
                Ok(_) => {
                    let _ = till.keep("shift", &Some(shift.clone())).await;
                    till.shift.set(Some(shift));
                    till.screen.set(Screen::Sell);
                }
                Err(why) => error.set(Some(why)),
            }
            busy.set(false);
        });
    };
    view! {
        <section class="pos-card mx-auto max-w-md" aria-labelledby="open-heading">
            <h1 id="open-heading" class="text-xl font-bold text-white">"Open a shift"</h1>
            <form class="mt-4 space-y-3" on:submit=open>
                <label class="block text-sm" for="float">"Cash in the drawer (opening float)"</label>
                <input id="float" class="till-input" inputmode="decimal" autocomplete="off" required
                    prop:value=float on:input=move |ev| float.set(event_target_value(&ev)) />
                {move || error.get().map(|e| view! { <p class="text-sm text-amber-300" role="alert">{e}</p> })}
                <button type="submit" class="btn btn-primary w-full" disabled=move || busy.get()>"Open shift"</button>
            </form>
        </section>
    }
}

/// Cash put into the drawer or taken out, with the reason.
#[component]
pub fn CashInOut() -> impl IntoView {
    let till = expect_context::<Till>();
    let direction = RwSignal::new(Direction::Out);
    let value = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    // Held from the first press until the movement is kept: a second press adds nothing.
    let busy = RwSignal::new(false);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let (Some(cashier), Some(shift)) = (till.cashier.get_untracked(), till.shift.get_untracked()) else { return };
        let Some(sum) = amount(&value.get_untracked()).filter(|a| *a > Decimal::ZERO) else {
            error.set(Some("Type an amount above 0.".to_owned()));
            return;
        };
        let doc = CashMovement {
            id: Uuid::now_v7(),
            made_at: web::now(),
            cashier: cashier.id,
            shift: shift.id,
            direction: direction.get_untracked(),
            amount: sum,
            reason: reason.get_untracked().trim().to_owned(),
        };
        busy.set(true);
        leptos::task::spawn_local(async move {
            match till.record(Document::CashMovement(doc)).await {
                Ok(_) => till.screen.set(Screen::Sell),
                Err(why) => error.set(Some(why)),
            }
            busy.set(false);
        });
    };
    view! {
        <section class="pos-card mx-auto max-w-md" aria-labelledby="cash-heading">
            <h1 id="cash-heading" class="text-xl font-bold text-white">"Cash in or out"</h1>
            <form class="mt-4 space-y-3" on:submit=save>
                <div class="flex gap-2">
                    <button type="button" class=move || if direction.get() == Direction::In { "btn btn-primary" } else { "btn btn-secondary" }
                        on:click=move |_| direction.set(Direction::In)>"Cash in"</button>
                    <button type="button" class=move || if direction.get() == Direction::Out { "btn btn-primary" } else { "btn btn-secondary" }
                        on:click=move |_| direction.set(Direction::Out)>"Cash out"</button>
                </div>
                <label class="block text-sm" for="cash-amount">"Amount"</label>
                <input id="cash-amount" class="till-input" inputmode="decimal" required
                    prop:value=value on:input=move |ev| value.set(event_target_value(&ev)) />
                <label class="block text-sm" for="cash-reason">"Reason"</label>
                <input id="cash-reason" class="till-input" required maxlength="200" placeholder="Banking run"
                    prop:value=reason on:input=move |ev| reason.set(event_target_value(&ev)) />
                {move || error.get().map(|e| view! { <p class="text-sm text-amber-300" role="alert">{e}</p> })}
                <div class="flex gap-2">
                    <button type="submit" class="btn btn-primary flex-1" disabled=move || busy.get()>"Save"</button>
                    <button type="button" class="btn btn-secondary" on:click=move |_| till.screen.set(Screen::Sell)>"Back"</button>
                </div>
            </form>
        </section>
    }
}

/// A shift's figures from the documents this till made in it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Figures {
    /// Sales and what they came to.
    pub sales: (usize, Decimal),
    /// Returns and what they gave back.
    pub returns: (usize, Decimal),
    /// Each tender: taken, given back.
    pub tenders: BTreeMap<Tender, (Decimal, Decimal)>,
    /// Cash put in, taken out.
    pub cash: (Decimal, Decimal),
}

impl Figures {
    /// The figures of `shift` among `documents`.
    pub fn of(documents: &[Document], shift: Uuid) -> Self {
        let mut f = Self::default();
        for doc in documents.iter().filter(|d| in_shift(d, shift)) {
            match doc {
                Document::Sale(s) => {
                    f.sales.0 += 1;
                    f.sales.1 += s.total;
                    for t in &s.tenders {
                        f.tenders.entry(t.tender).or_default().0 += t.amount;
                    }
                }
                Document::Return(r) => {
                    f.returns.0 += 1;
                    f.returns.1 += r.total;
                    for t in &r.tenders {
                        f.tenders.entry(t.tender).or_default().1 += t.amount;
                    }
                }
                Document::CashMovement(m) => match m.direction {
                    Direction::In => f.cash.0 += m.amount,
                    Direction::Out => f.cash.1 += m.amount,
                },
                _ => {}
            }
        }
        f.tenders.entry(Tender::Cash).or_default();
        f
    }

    /// What a tender should hold: cash with the float and the drawer's movements.
    pub fn expected(&self, tender: Tender, float: Decimal) -> Decimal {
        let (taken, refunded) = self.tenders.get(&tender).copied().unwrap_or_default();
        let base = taken - refunded;
        if tender == Tender::Cash { base + float + self.cash.0 - self.cash.1 } else { base }
    }
}

/// What the notes and coins counted come to.
fn cash_of(counts: &BTreeMap<i64, String>) -> Decimal {
    counts.iter().map(|(face, n)| Decimal::from(*face) * Decimal::from(n.trim().parse::<i64>().unwrap_or(0))).sum()
}

/// The shift's figures so far: the X report.
#[component]
fn XReport(figures: RwSignal<Figures>, float: Signal<Decimal>) -> impl IntoView {
    let till = expect_context::<Till>();
    let float = move || float.get();
    view! {
            <div class="till-report mt-3" data-testid="x-report">
            <p>{move || format!("Sales: {} · {}", figures.get().sales.0, money(till, figures.get().sales.1))}</p>
            <p>{move || format!("Returns: {} · {}", figures.get().returns.0, money(till, figures.get().returns.1))}</p>
            <p>{move || format!("Cash in {} · out {}", money(till, figures.get().cash.0), money(till, figures.get().cash.1))}</p>
            <table class="mt-2 w-full text-sm">
                <thead><tr><th class="text-left">"Tender"</th><th class="text-right">"Expected"</th></tr></thead>
                <tbody>
                    {move || figures.get().tenders.keys().copied().collect::<Vec<_>>().into_iter().map(|t| view! {
                        <tr><td>{t.label()}</td><td class="text-right">{move || money(till, figures.get().expected(t, float()))}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// The X report, and closing the shift with the count.
#[component]
pub fn Close() -> impl IntoView {
    let till = expect_context::<Till>();
    let figures = RwSignal::new(Figures::default());
    let counts = RwSignal::new(BTreeMap::<i64, String>::new());
    let others = RwSignal::new(BTreeMap::<Tender, String>::new());
    let note = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let float = move || till.shift.with(|s| s.as_ref().map_or(Decimal::ZERO, |s| s.float));
    Effect::new(move |_| {
        leptos::task::spawn_local(async move {
            if let Some(shift) = till.shift.get_untracked() {
                figures.set(Figures::of(&till.documents().await, shift.id));
            }
        });
    });
    let counted_cash = move || counts.with(cash_of);
    let close = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (Some(cashier), Some(shift)) = (till.cashier.get_untracked(), till.shift.get_untracked()) else { return };
        let denominations: BTreeMap<String, i64> = counts
            .get_untracked()
            .into_iter()
            .filter_map(|(face, n)| n.trim().parse::<i64>().ok().filter(|n| *n > 0).map(|n| (face.to_string(), n)))
            .collect();
        let mut counted = BTreeMap::from([(Tender::Cash, counted_cash())]);
        for (tender, text) in others.get_untracked() {
            match amount(&text) {
                Some(value) => {
                    counted.insert(tender, value);
                }
                None if text.trim().is_empty() => {}
                None => {
                    error.set(Some(format!("{} counted: type an amount", tender.label())));
                    return;
                }
            }
        }
        let doc = ShiftClose {
            id: Uuid::now_v7(),
            made_at: web::now(),
            cashier: cashier.id,
            shift: shift.id,
            denominations,
            counted,
            note: note.get_untracked().trim().to_owned(),
        };
        leptos::task::spawn_local(async move {
            match till.record(Document::ShiftClose(doc.clone())).await {
                Ok(_) => {
                    let _ = till.keep("shift", &None::<OpenShift>).await;
                    let _ = till.keep("last_close", &doc).await;
                    till.shift.set(None);
                    till.notice.set(Some(format!(
                        "Shift closed. Cash counted {} against {} expected.",
                        money(till, counted_cash()),
                        money(till, figures.get_untracked().expected(Tender::Cash, shift.float))
                    )));
                    till.screen.set(Screen::OpenShift);
                }
                Err(why) => error.set(Some(why)),
            }
        });
    };
    view! {
        <section class="pos-card mx-auto max-w-2xl" aria-labelledby="close-heading">
            <h1 id="close-heading" class="text-xl font-bold text-white">"Shift report"</h1>
            <XReport figures float=Signal::derive(float) />
            <form class="mt-4 space-y-3" on:submit=close>
                <h2 class="font-semibold text-white">"Count the drawer"</h2>
                <div class="grid grid-cols-2 gap-2 sm:grid-cols-5">
                    {FACES.into_iter().map(|face| view! {
                        <label class="text-sm">{format!("₦{face} ×")}
                            <input class="till-input" inputmode="numeric" aria-label=format!("₦{face} notes or coins")
                                on:input=move |ev| counts.update(|c| { c.insert(face, event_target_value(&ev)); }) />
                        </label>
                    }).collect_view()}
                </div>
                <p data-testid="counted-cash">{move || format!("Cash counted: {}", money(till, counted_cash()))}</p>
                <div class="grid grid-cols-1 gap-2 sm:grid-cols-3">
                    {[Tender::Card, Tender::Transfer, Tender::MobileMoney].into_iter().map(|t| view! {
                        <label class="text-sm">{format!("{} counted", t.label())}
                            <input class="till-input" inputmode="decimal" aria-label=format!("{} counted", t.label())
                                on:input=move |ev| others.update(|o| { o.insert(t, event_target_value(&ev)); }) />
                        </label>
                    }).collect_view()}
                </div>
                <input class="till-input" placeholder="Note (optional)" maxlength="500" aria-label="Note"
                    prop:value=note on:input=move |ev| note.set(event_target_value(&ev)) />
                {move || error.get().map(|e| view! { <p class="text-sm text-amber-300" role="alert">{e}</p> })}
                <div class="flex gap-2">
                    <button type="submit" class="btn btn-primary flex-1">"Close shift"</button>
                    <button type="button" class="btn btn-secondary" on:click=move |_| till.screen.set(Screen::Sell)>"Back"</button>
                </div>
            </form>
        </section>
    }
}
