//! `/admin/vendors/terms`: the marketplace's terms with its vendors: the commission it keeps by
//! default, and whether on delivery fees; how long money waits after delivery; the least payout;
//! and commissions of their own for categories and vendors.

use commerce::base::Permission;
use commerce::catalog::Category;
use commerce::identity::VendorChoice;
use commerce::marketplace::Terms;
use leptos::prelude::*;

use super::AdminPage;
use crate::api::{RemoveCommissionRule, SaveTerms, SetCommissionRule, load_terms};
use crate::components::{
    Field, FieldError, FormAlert, Loaded, Needs, PageHeader, SubmissionKey, failed, successes, ticked,
};

/// The forms of the page, whose successes reload it.
#[derive(Clone, Copy)]
struct Actions {
    save: ServerAction<SaveTerms>,
    set: ServerAction<SetCommissionRule>,
    remove: ServerAction<RemoveCommissionRule>,
}

/// `/admin/vendors/terms`.
#[component]
pub fn MarketplaceTermsPage() -> impl IntoView {
    let actions = Actions { save: ServerAction::new(), set: ServerAction::new(), remove: ServerAction::new() };
    let changed = (successes(actions.save), successes(actions.set), successes(actions.remove));
    let terms = Resource::new(move || changed.0.get() + changed.1.get() + changed.2.get(), |_| load_terms());
    view! {
        <AdminPage title="Marketplace terms" needs=Needs::Permission(Permission::ViewVendors) let:actor>
            <PageHeader title="Marketplace terms" subtitle="What you keep of your vendors' sales, and when they are paid.">
                <a class="btn btn-secondary" href="/admin/vendors">"Vendors"</a>
            </PageHeader>
            <Loaded resource=terms let:loaded>
                <TermsView terms=loaded.0 categories=loaded.1 vendors=loaded.2 manage=actor.can(Permission::ManageVendors) actions />
            </Loaded>
        </AdminPage>
    }
}

#[component]
fn TermsView(
    terms: Terms,
    categories: Vec<Category>,
    vendors: Vec<VendorChoice>,
    manage: bool,
    actions: Actions,
) -> impl IntoView {
    let error = failed(actions.save);
    let on_delivery = ticked::<SaveTerms>("commission_on_delivery", terms.commission_on_delivery);
    let symbol = terms.commission_flat.currency.symbol().trim().to_owned();
    view! {
        <div class="grid gap-4 lg:grid-cols-2">
            <ActionForm action=actions.save attr:class="card space-y-4" attr:data-testid="terms-form">
                <h2 class="font-semibold text-slate-900">"Commission and payouts"</h2>
                <SubmissionKey renew=actions.save.version() />
                <fieldset disabled=!manage class="grid gap-4 sm:grid-cols-2">
                    <Field label="Commission (% of the goods)" name="commission_percent" hint="VAT included, discounts taken off." value=terms.commission_percent.to_string() error />
                    <Field label="And a fee per item" name="commission_flat" hint="In naira, on each item sold." value=terms.commission_flat.amount.normalize().to_string() error />
                    <label class="flex items-start gap-2 text-sm sm:col-span-2">
                        <input type="checkbox" name="commission_on_delivery" value="on" checked=on_delivery class="mt-1" />
                        <span>"Charge the percentage on the delivery fees vendors collect too"</span>
                    </label>
                    <Field label="Days after delivery before money may be withdrawn" name="payout_hold_days" kind="number" value=terms.payout_hold_days.to_string() error />
                    <Field label="Least payout" name="payout_minimum" value=terms.payout_minimum.amount.normalize().to_string() error />
                    <div class="field sm:col-span-2">
                        <label class="label" for="payout_day">"Pay vendors every"</label>
                        <select class="input" id="payout_day" name="payout_day">
                            <option value="" selected=terms.payout_day.is_none()>"Never by itself: when I run payouts"</option>
                            {commerce::marketplace::WEEKDAYS.iter().zip(1_i16..).map(|(day, n)| view! {
                                <option value=n.to_string() selected=terms.payout_day == Some(n)>{*day}</option>
                            }).collect_view()}
                        </select>
                        <p class="field-hint">"On that day every vendor due is paid all it has available, at least the least payout."</p>
                        <crate::components::FieldError error field="payout_day" />
                    </div>
                </fieldset>
                <FormAlert error beside=&["commission_percent", "commission_flat", "payout_hold_days", "payout_minimum", "payout_day"] />
                {manage.then(|| view! { <button type="submit" class="btn btn-primary">"Save terms"</button> })}
            </ActionForm>
            <section class="card space-y-3">
                <h2 class="font-semibold text-slate-900">"Commissions of their own"</h2>
                <p class="text-sm text-slate-600">"A category's rule comes first (and reaches the categories below it), then a vendor's, then the default."</p>
                {if terms.rules.is_empty() {
                    view! { <p class="text-sm text-slate-600">"None: every sale pays the default."</p> }.into_any()
                } else {
                    let symbol = symbol.clone();
                    view! {
                        <ul class="divide-y divide-slate-100" data-testid="commission-rules">
                            {terms.rules.into_iter().map(|rule| {
                                let rate = commerce::marketplace::commission::Rate { percent: rule.percent, flat_per_item: rule.flat_per_item.amount };
                                let kind = if rule.category.is_some() { "Category" } else { "Vendor" };
                                view! {
                                    <li class="flex flex-wrap items-center justify-between gap-2 py-2">
                                        <span><span class="text-xs text-slate-500">{kind}" · "</span><span class="font-medium">{rule.name}</span>" · "{rate.describe(&symbol)}</span>
                                        {manage.then(|| view! {
                                            <ActionForm action=actions.remove>
                                                <input type="hidden" name="id" value=rule.id.to_string() />
                                                <button type="submit" class="btn btn-secondary btn-sm">"Remove"</button>
                                            </ActionForm>
                                        })}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }
                    .into_any()
                }}
                {manage.then(|| view! { <RuleForm categories vendors set=actions.set /> })}
            </section>
        </div>
    }
}

#[component]
fn RuleForm(
    categories: Vec<Category>,
    vendors: Vec<VendorChoice>,
    set: ServerAction<SetCommissionRule>,
) -> impl IntoView {
    let error = failed(set);
    view! {
        <ActionForm action=set attr:class="grid gap-3 border-t border-slate-100 pt-3 sm:grid-cols-2">
            <SubmissionKey renew=set.version() />
            <div class="field sm:col-span-2">
                <label class="label" for="subject">"For"</label>
                <select class="input" id="subject" name="subject">
                    <optgroup label="Categories">
                        {categories.into_iter().map(|c| view! { <option value=format!("category:{}", c.id.0)>{c.path}</option> }).collect_view()}
                    </optgroup>
                    <optgroup label="Vendors">
                        {vendors.into_iter().map(|v| view! { <option value=format!("vendor:{}", v.id.0)>{v.name}</option> }).collect_view()}
                    </optgroup>
                </select>
                <FieldError error field="subject" />
            </div>
            <Field label="Commission (%)" name="percent" id="rule_percent" error />
            <Field label="Fee per item" name="flat_per_item" id="rule_flat" error />
            <div class="sm:col-span-2">
                <FormAlert error beside=&["subject", "percent", "flat_per_item"] />
                <button type="submit" class="btn btn-secondary">"Set commission"</button>
            </div>
        </ActionForm>
    }
}
