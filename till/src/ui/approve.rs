//! A manager's PIN for what a cashier may not do alone: another price, a discount, a return.
//! A signed-in manager allows it themselves.

use commerce::pos::TillCashier;
use leptos::prelude::*;
use uuid::Uuid;

use super::sign_in::PinPad;
use crate::state::Till;

/// What waits for a manager: a question, and what to do with their id once they allow it.
#[derive(Clone)]
pub struct Approval {
    /// What is asked ("Sell Ofada rice at ₦2,000").
    pub what: String,
    /// Run with the manager's id.
    pub then: Callback<Uuid>,
}

/// The manager who allows things without asking: the one signed in, if they may.
pub fn approver_signed_in(till: Till) -> Option<Uuid> {
    till.cashier.with_untracked(|c| c.as_ref().filter(|c| c.approves).map(|c| c.id))
}

/// Asks for a manager's PIN when `asking` holds an approval, and runs it once given.
#[component]
pub fn ApprovalPad(asking: RwSignal<Option<Approval>>) -> impl IntoView {
    let till = expect_context::<Till>();
    let chosen = RwSignal::new(None::<TillCashier>);
    let managers = move || {
        till.data.with(|d| {
            d.as_ref()
                .map(|d| d.cashiers.iter().filter(|c| c.approves && c.pin.is_some()).cloned().collect::<Vec<_>>())
                .unwrap_or_default()
        })
    };
    let close = move || {
        chosen.set(None);
        asking.set(None);
    };
    view! {
        {move || asking.get().map(|approval| view! {
            <div class="till-overlay" role="dialog" aria-modal="true" aria-labelledby="approve-heading">
                <div class="pos-card w-full max-w-md">
                    <h2 id="approve-heading" class="text-lg font-bold text-white">"A manager's PIN"</h2>
                    <p class="mt-1 text-sm text-slate-300">{approval.what.clone()}</p>
                    {move || match chosen.get() {
                        None => view! {
                            <ul class="mt-3 grid grid-cols-2 gap-2">
                                {managers().into_iter().map(|m| {
                                    let name = m.name.clone();
                                    view! { <li><button type="button" class="pos-choice w-full" on:click=move |_| chosen.set(Some(m.clone()))>{name}</button></li> }
                                }).collect_view()}
                            </ul>
                            <button type="button" class="btn btn-secondary mt-3 w-full" on:click=move |_| close()>"Cancel"</button>
                        }.into_any(),
                        Some(manager) => {
                            let id = manager.id;
                            let then = approval.then;
                            view! {
                                <PinPad cashier=manager on_ok=Callback::new(move |()| { close(); then.run(id); })
                                    on_cancel=Callback::new(move |()| chosen.set(None)) />
                            }.into_any()
                        }
                    }}
                </div>
            </div>
        })}
    }
}
