//! `/admin/vendors/payouts`: payouts to vendors waiting to be settled (or all): run for every
//! vendor due, settled by hand with the bank's reference, sent by Paystack Transfers, or
//! called off.

use commerce::base::Permission;
use commerce::base::page::Page;
use commerce::marketplace::{Payout, PayoutStatus};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::AdminPage;
use crate::api::{CancelPayout, MarkPayoutPaid, RunPayouts, SendPayout, load_payouts};
use crate::components::{
    EmptyState, FormAlert, Loaded, Needs, PageHeader, SubmissionKey, business_time, failed, successes,
};

/// The actions on the back office's payouts.
#[derive(Clone, Copy)]
struct PayoutActions {
    run: ServerAction<RunPayouts>,
    paid: ServerAction<MarkPayoutPaid>,
    send: ServerAction<SendPayout>,
    cancel: ServerAction<CancelPayout>,
}

/// `/admin/vendors/payouts`: payouts waiting to be settled (or all), run, settled by hand or
/// sent by Paystack, or called off.
#[component]
pub fn PayoutsPage() -> impl IntoView {
    let query = use_query_map();
    let actions = PayoutActions {
        run: ServerAction::new(),
        paid: ServerAction::new(),
        send: ServerAction::new(),
        cancel: ServerAction::new(),
    };
    let changed = (successes(actions.run), successes(actions.paid), successes(actions.send), successes(actions.cancel));
    let payouts = Resource::new(
        move || {
            (
                query.read().get("show"),
                query.read().get("after"),
                changed.0.get() + changed.1.get() + changed.2.get() + changed.3.get(),
            )
        },
        |(show, after, _)| load_payouts(show, after),
    );
    let run_error = failed(actions.run);
    let ran = move || actions.run.value().get().and_then(Result::ok);
    view! {
        <AdminPage title="Payouts" needs=Needs::Permission(Permission::ViewVendors) let:actor>
            <PageHeader title="Payouts" subtitle="Money owed to vendors, on its way to their banks.">
                <a class="btn btn-secondary" href="/admin/vendors">"Vendors"</a>
            </PageHeader>
            <nav class="mb-4 flex flex-wrap gap-2" aria-label="Which payouts">
                <a class="btn btn-secondary btn-sm" href="/admin/vendors/payouts">"To settle"</a>
                <a class="btn btn-secondary btn-sm" href="/admin/vendors/payouts?show=all">"All"</a>
            </nav>
            {actor.can(Permission::ManageVendors).then(|| view! {
                <ActionForm action=actions.run attr:class="card mb-4 flex flex-wrap items-center gap-3">
                    <SubmissionKey renew=actions.run.version() />
                    <p class="text-sm">"Pay every approved vendor all it has available, at least the least payout."</p>
                    <button type="submit" class="btn btn-primary" data-testid="run-payouts">"Run payouts now"</button>
                    <FormAlert error=run_error />
                    {move || ran().map(|n| view! { <p class="notice" role="status">{format!("{n} payouts made.")}</p> })}
                </ActionForm>
            })}
            <Loaded resource=payouts let:page>
                <PayoutTable page actions manage=actor.can(Permission::ManageVendors) />
            </Loaded>
        </AdminPage>
    }
}

#[component]
fn PayoutTable(page: Page<Payout>, actions: PayoutActions, manage: bool) -> impl IntoView {
    let (paid_error, send_error, cancel_error) = (failed(actions.paid), failed(actions.send), failed(actions.cancel));
    if page.data.is_empty() {
        return view! { <EmptyState title="No payouts to settle" message="Payouts vendors ask for, and those you run, wait here." /> }
            .into_any();
    }
    let more = page.next_cursor.map(|next| crate::pages::next_page_link("/admin/vendors/payouts", &next, &["show"]));
    view! {
        <FormAlert error=paid_error beside=&["bank_reference"] />
        <FormAlert error=send_error />
        <FormAlert error=cancel_error />
        <div class="space-y-3" data-testid="admin-payouts">
            {page.data.into_iter().map(|p| {
                let id = p.id.to_string();
                let (paid_id, send_id, cancel_id) = (id.clone(), id.clone(), id.clone());
                let waiting = p.status == PayoutStatus::Requested && manage;
                view! {
                    <section class="card" data-testid="admin-payout" data-status=p.status.code()>
                        <div class="flex flex-wrap items-start justify-between gap-2">
                            <div>
                                <p class="font-semibold"><a class="text-brand-700" href=format!("/admin/vendors/{}", p.vendor.0)>{p.vendor_name.clone()}</a>
                                    {format!(" · {}", p.amount)}</p>
                                <p class="text-sm text-slate-600">{format!("{} ····{} · {}", p.bank, p.account_last4, p.account_name)}</p>
                                <p class="text-xs text-slate-500">{format!("{} · asked by {} · {}", business_time(p.created_at), p.asked_by, p.reference)}</p>
                                {(!p.reason.is_empty()).then(|| view! { <p class="text-xs text-slate-600">{p.reason.clone()}</p> })}
                            </div>
                            <span class="badge badge-neutral">{p.status.label()}</span>
                        </div>
                        {waiting.then(move || view! {
                            <div class="mt-3 flex flex-wrap items-end gap-3">
                                <ActionForm action=actions.paid attr:class="flex flex-wrap items-end gap-2">
                                    <SubmissionKey renew=actions.paid.version() />
                                    <input type="hidden" name="id" value=paid_id />
                                    <div class="field">
                                        <label class="label" for=format!("ref-{id}")>"Bank reference"</label>
                                        <input class="input" id=format!("ref-{id}") name="bank_reference" maxlength="120" required />
                                    </div>
                                    <button type="submit" class="btn btn-primary btn-sm" data-testid="mark-paid">"Paid by hand"</button>
                                </ActionForm>
                                <ActionForm action=actions.send>
                                    <input type="hidden" name="id" value=send_id />
                                    <button type="submit" class="btn btn-secondary btn-sm" disabled=move || actions.send.pending().get()>"Send by Paystack"</button>
                                </ActionForm>
                                <ActionForm action=actions.cancel>
                                    <SubmissionKey renew=actions.cancel.version() />
                                    <input type="hidden" name="id" value=cancel_id />
                                    <button type="submit" class="btn btn-secondary btn-sm">"Call off"</button>
                                </ActionForm>
                            </div>
                        })}
                    </section>
                }
            }).collect_view()}
        </div>
        {more.map(|href| view! { <a class="btn btn-secondary mt-4" href=href>"Older payouts"</a> })}
    }
    .into_any()
}
