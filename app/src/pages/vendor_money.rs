//! A vendor's money: the vendor portal's payouts page (balance, asking for a payout, the
//! ledger line by line, statements), and the same figures on the back office's vendor page.

use commerce::base::Permission;
use commerce::marketplace::PayoutStatus;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::{AdjustVendorBalance, CancelPayout, RequestPayout, VendorMoney, load_vendor_money};
use crate::components::{
    Field, FormAlert, Gate, Loaded, Needs, PageHeader, SubmissionKey, Workspace, business_time, failed, successes,
};
use crate::pages::vendor::VENDOR_NAV;

/// `/vendor/payouts`: the vendor's balance, its payouts and asking for one, its ledger and
/// statements.
#[component]
pub fn VendorPayoutsPage() -> impl IntoView {
    let query = use_query_map();
    let request = ServerAction::<RequestPayout>::new();
    let cancel = ServerAction::<CancelPayout>::new();
    let (asked, called_off) = (successes(request), successes(cancel));
    let money = Resource::new(
        move || (query.read().get("after"), asked.get() + called_off.get()),
        |(after, _)| load_vendor_money(None, after),
    );
    view! {
        <Title text="Payouts" />
        <Gate needs=Needs::Permission(Permission::UseVendorPortal) let:actor>
            <Workspace surface="Vendor portal" nav=VENDOR_NAV actor>
                <PageHeader title="Payouts" subtitle="What the marketplace owes you, line by line, and paying it out." />
                <Loaded resource=money let:money>
                    <MoneyView money=money.clone() statement="/vendor/statement.csv".to_owned() cancel operator=false>
                        {money.may_request.then(|| view! { <RequestForm money=money.clone() request /> })}
                    </MoneyView>
                </Loaded>
            </Workspace>
        </Gate>
    }
}

/// A vendor's balance, payouts, ledger and statement, for the vendor and for the operator;
/// `children` (asking for a payout) go after the balance.
#[component]
pub fn MoneyView(
    money: VendorMoney,
    statement: String,
    cancel: ServerAction<CancelPayout>,
    operator: bool,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    let b = money.balance.clone();
    let may_cancel = operator || money.may_request;
    let cancel_error = failed(cancel);
    let more = money.ledger.next_cursor.clone().map(|next| crate::pages::next_page_link("", &next, &[]));
    let (payouts, entries) = (money.payouts, money.ledger.data);
    view! {
        <section class="grid grid-cols-2 gap-3 lg:grid-cols-4" data-testid="vendor-balance">
            <div class="card"><p class="text-sm text-slate-500">"Balance"</p><p class="text-lg font-semibold tabular-nums sm:text-2xl" data-testid="balance">{b.balance.to_string()}</p></div>
            <div class="card"><p class="text-sm text-slate-500">"Available to pay out"</p><p class="text-lg font-semibold tabular-nums sm:text-2xl" data-testid="available">{b.available.to_string()}</p></div>
            <div class="card"><p class="text-sm text-slate-500">"Waiting"</p><p class="text-lg font-semibold tabular-nums sm:text-2xl">{b.waiting.to_string()}</p>
                <p class="text-xs text-slate-500">{b.next_release_at.map_or_else(
                    || "For deliveries and the holding period".to_owned(),
                    |at| format!("{} from {}", b.next_release.map(|m| m.to_string()).unwrap_or_default(), business_time(at)),
                )}</p></div>
            <div class="card"><p class="text-sm text-slate-500">"On its way to the bank"</p><p class="text-lg font-semibold tabular-nums sm:text-2xl">{b.on_the_way.to_string()}</p>
                <p class="text-xs text-slate-500">{format!("Least payout {}", b.minimum)}</p></div>
        </section>
        {children.map(|c| c())}
        <section class="card mt-4 p-0">
            <h2 class="px-4 pt-4 font-semibold">"Payouts"</h2>
            {if payouts.is_empty() {
                view! { <p class="p-4 text-sm text-slate-600">"No payouts yet."</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table class="table" data-testid="payouts">
                            <thead><tr><th>"Made"</th><th>"Status"</th><th>"To"</th><th class="text-right">"Amount"</th><th><span class="sr-only">"Actions"</span></th></tr></thead>
                            <tbody>
                                {payouts.into_iter().map(|p| view! {
                                    <tr data-testid="payout-row" data-status=p.status.code()>
                                        <td>{business_time(p.created_at)}<span class="block break-all text-xs text-slate-500">{p.reference.clone()}</span></td>
                                        <td><span class="badge badge-neutral">{p.status.label()}</span>
                                            {(!p.bank_reference.is_empty()).then(|| view! { <span class="block text-xs">{format!("Bank ref. {}", p.bank_reference)}</span> })}
                                            {(!p.reason.is_empty()).then(|| view! { <span class="block text-xs text-slate-500">{p.reason.clone()}</span> })}</td>
                                        <td>{format!("{} ····{}", p.bank, p.account_last4)}</td>
                                        <td class="text-right tabular-nums">{p.amount.to_string()}</td>
                                        <td>{(may_cancel && p.status == PayoutStatus::Requested).then(move || view! {
                                            <ActionForm action=cancel>
                                                <SubmissionKey renew=cancel.version() />
                                                <input type="hidden" name="id" value=p.id.to_string() />
                                                <button type="submit" class="btn btn-secondary btn-sm">"Call off"</button>
                                            </ActionForm>
                                        })}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
            <div class="px-4 pb-2"><FormAlert error=cancel_error /></div>
        </section>
        <section class="card mt-4 p-0">
            <div class="flex flex-wrap items-end justify-between gap-3 px-4 pt-4">
                <h2 class="font-semibold">"Ledger"</h2>
                <form method="get" action=statement class="flex flex-wrap items-end gap-2" data-testid="statement-form">
                    <div class="field"><label class="label" for="statement_from">"From"</label><input class="input" type="date" id="statement_from" name="from" /></div>
                    <div class="field"><label class="label" for="statement_until">"Until"</label><input class="input" type="date" id="statement_until" name="until" /></div>
                    <button type="submit" class="btn btn-secondary btn-sm">"Download statement (CSV)"</button>
                </form>
            </div>
            {if entries.is_empty() {
                view! { <p class="p-4 text-sm text-slate-600">"Nothing yet: sales appear here as orders are paid."</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table class="table" data-testid="ledger">
                            <thead><tr><th>"When"</th><th>"What"</th><th class="hidden sm:table-cell">"Available"</th><th class="text-right">"Amount"</th><th class="text-right">"Balance"</th></tr></thead>
                            <tbody>
                                {entries.into_iter().map(|e| view! {
                                    <tr data-testid="ledger-row" data-kind=e.kind.code()>
                                        <td>{business_time(e.at)}</td>
                                        <td>{e.kind.label()}{e.part.clone().map(|p| format!(" · {p}"))}
                                            {(!e.note.is_empty()).then(|| view! { <span class="block text-xs text-slate-500">{e.note.clone()}</span> })}</td>
                                        <td class="hidden sm:table-cell text-sm">{e.available_at.map_or_else(|| "Waiting for delivery".to_owned(), business_time)}</td>
                                        <td class="text-right tabular-nums">{e.amount.to_string()}</td>
                                        <td class="text-right tabular-nums">{e.balance.to_string()}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
            {more.map(|href| view! { <a class="btn btn-secondary m-4" href=href>"Older entries"</a> })}
        </section>
    }
}

#[component]
fn RequestForm(money: VendorMoney, request: ServerAction<RequestPayout>) -> impl IntoView {
    let error = failed(request);
    let b = money.balance;
    let may = b.may_request();
    let why_not = if !b.has_bank {
        "Add your bank account on “Your business” first."
    } else if !b.on_the_way.amount.is_zero() {
        "A payout is on its way; ask again when it is settled."
    } else {
        "Nothing to pay out yet: the least payout is shown above."
    };
    view! {
        <section class="card mt-4">
            <h2 class="font-semibold">"Ask for a payout"</h2>
            {if may {
                view! {
                    <ActionForm action=request attr:class="mt-3 space-y-3">
                        <SubmissionKey renew=request.version() />
                        <Field label="Amount (empty for all that is available)" name="amount" kind="text" error />
                        <FormAlert error beside=&["amount"] />
                        <button type="submit" class="btn btn-primary" disabled=move || request.pending().get() data-testid="request-payout">
                            {format!("Pay out (up to {})", b.available)}
                        </button>
                    </ActionForm>
                }.into_any()
            } else {
                view! { <p class="mt-2 text-sm text-slate-600">{why_not}</p> }.into_any()
            }}
        </section>
    }
}

/// The back office's part of a vendor's page: its money, and an adjustment with a reason. Its
/// resource and forms are made by the page, before its gate (see `Gate`).
#[derive(Clone, Copy)]
pub struct MoneyForms {
    /// Calls a payout off.
    pub cancel: ServerAction<CancelPayout>,
    /// Adjusts the balance.
    pub adjust: ServerAction<AdjustVendorBalance>,
}

impl Default for MoneyForms {
    fn default() -> Self {
        Self { cancel: ServerAction::new(), adjust: ServerAction::new() }
    }
}

impl MoneyForms {
    /// A count that grows with each change they make, for the page's resource to follow.
    pub fn changes(self) -> impl Fn() -> usize + Copy {
        let (called_off, adjusted) = (successes(self.cancel), successes(self.adjust));
        move || called_off.get() + adjusted.get()
    }
}

/// A vendor's money on the back office's vendor page, with the adjustment form.
#[component]
pub fn VendorMoneySection(money: VendorMoney, forms: MoneyForms, manage: bool) -> impl IntoView {
    let error = failed(forms.adjust);
    let vendor = money.vendor;
    view! {
        <section class="mt-6" data-testid="vendor-money">
            <h2 class="mb-3 text-lg font-semibold">"Money"</h2>
            <MoneyView money statement=format!("/admin/vendors/{vendor}/statement.csv") cancel=forms.cancel operator=manage />
            {manage.then(|| view! {
                <ActionForm action=forms.adjust attr:class="card mt-4 max-w-md space-y-3">
                    <SubmissionKey renew=forms.adjust.version() />
                    <h3 class="font-semibold">"Adjust the balance"</h3>
                    <input type="hidden" name="vendor" value=vendor.to_string() />
                    <Field label="Amount (negative to take off)" name="amount" id="adjust_amount" error />
                    <Field label="Reason (the vendor reads it)" name="reason" id="adjust_reason" error />
                    <FormAlert error beside=&["amount", "reason"] />
                    <button type="submit" class="btn btn-secondary">"Add the adjustment"</button>
                </ActionForm>
            })}
        </section>
    }
}
