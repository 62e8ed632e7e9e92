//! `/admin/vendors`: the marketplace's vendors. Applications wait here for review; the operator
//! reads a vendor's details and documents, asks for changes, approves, rejects, suspends and
//! reinstates, and decides whether its products wait for approval.

use commerce::base::Permission;
use commerce::base::page::Page;
use commerce::base::phone::for_display;
use commerce::marketplace::{Vendor, VendorStatus, VendorSummary};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::AdminPage;
use crate::api::{
    RemoveVendorDocument, ReviewVendor, SaveVendorDetails, SetVendorBank, SetVendorModeration, load_vendor,
    load_vendor_money, load_vendors,
};
use crate::components::{
    EmptyState, FormAlert, Loaded, Needs, PageHeader, SubmissionKey, business_time, failed, successes, ticked,
};
use crate::pages::vendor_forms::{
    BankFields, VendorBadge, VendorDetailsFields, VendorDocuments, VendorHistory, remove_document_button,
};
use crate::pages::vendor_money::{MoneyForms, VendorMoneySection};

/// The standings the list can be narrowed to, as its tabs name them.
const TABS: [(&str, &str); 6] = [
    ("applied", "Waiting for review"),
    ("changes_requested", "Changes requested"),
    ("approved", "Approved"),
    ("suspended", "Suspended"),
    ("rejected", "Rejected"),
    ("", "All"),
];

/// `/admin/vendors`: vendors, newest first, by standing and words.
#[component]
pub fn VendorsPage() -> impl IntoView {
    let query = use_query_map();
    let get = move |name: &str| query.read().get(name).filter(|v| !v.is_empty());
    let vendors =
        Resource::new(move || (get("status"), get("q"), get("after")), |(s, q, after)| load_vendors(s, q, after));
    view! {
        <AdminPage title="Vendors" needs=Needs::Permission(Permission::ViewVendors) let:_actor>
            <PageHeader title="Vendors" subtitle="Sellers on your marketplace: review applications, approve, suspend.">
                <a class="btn btn-secondary" href="/admin/vendors/products">"Products to approve"</a>
                <a class="btn btn-secondary" href="/admin/vendors/payouts">"Payouts"</a>
                <a class="btn btn-secondary" href="/admin/vendors/disputes">"Disputes"</a>
                <a class="btn btn-secondary" href="/admin/vendors/terms">"Terms"</a>
            </PageHeader>
            <nav class="mb-4 flex flex-wrap gap-2" aria-label="Standing">
                {TABS.into_iter().map(|(code, label)| {
                    let current = move || query.read().get("status").unwrap_or_default() == code;
                    let href = if code.is_empty() { "/admin/vendors".to_owned() } else { format!("/admin/vendors?status={code}") };
                    view! {
                        <a href=href class=move || if current() { "btn btn-primary btn-sm" } else { "btn btn-secondary btn-sm" }
                            aria-current=move || current().then_some("page")>{label}</a>
                    }
                }).collect_view()}
            </nav>
            <form method="get" class="card mb-4 flex flex-wrap items-end gap-3" role="search">
                <input type="hidden" name="status" value=move || query.read_untracked().get("status").unwrap_or_default() />
                <div class="field">
                    <label class="label" for="q">"Search"</label>
                    <input class="input" id="q" name="q" type="search" placeholder="Name, contact, email or phone"
                        value=move || query.read_untracked().get("q").unwrap_or_default() />
                </div>
                <button type="submit" class="btn btn-secondary">"Search"</button>
            </form>
            <Loaded resource=vendors let:page>
                <VendorTable page />
            </Loaded>
        </AdminPage>
    }
}

#[component]
fn VendorTable(page: Page<VendorSummary>) -> impl IntoView {
    if page.data.is_empty() {
        return view! {
            <EmptyState title="No vendors here" message="Sellers apply from your store's “Sell with us” page; their applications wait here." />
        }
        .into_any();
    }
    let more = page.next_cursor.map(|next| crate::pages::next_page_link("/admin/vendors", &next, &["status", "q"]));
    view! {
        <div class="table-wrap card p-0">
            <table class="table">
                <thead><tr><th>"Vendor"</th><th>"Contact"</th><th>"State"</th><th class="text-right">"Products"</th><th>"Standing"</th><th class="hidden md:table-cell">"Since"</th></tr></thead>
                <tbody>
                    {page.data.into_iter().map(|v| view! {
                        <tr data-testid="vendor-row">
                            <td><a class="font-medium text-brand-700" href=format!("/admin/vendors/{}", v.id.0)>{v.name}</a></td>
                            <td>{v.contact_name}<span class="block text-xs text-slate-500">{for_display(&v.phone)}" · "{v.email}</span></td>
                            <td>{v.state}</td>
                            <td class="text-right tabular-nums">{v.products}</td>
                            <td><VendorBadge status=v.status /></td>
                            <td class="hidden md:table-cell">{business_time(v.status_at)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        {more.map(|href| view! { <a class="btn btn-secondary mt-4" href=href>"More vendors"</a> })}
    }
    .into_any()
}

/// The forms of a vendor's page, whose successes reload it.
#[derive(Clone, Copy)]
struct Actions {
    review: ServerAction<ReviewVendor>,
    moderation: ServerAction<SetVendorModeration>,
    details: ServerAction<SaveVendorDetails>,
    bank: ServerAction<SetVendorBank>,
    remove: ServerAction<RemoveVendorDocument>,
}

/// `/admin/vendors/{id}`: one vendor, its review and its record.
#[component]
pub fn VendorPage() -> impl IntoView {
    let params = use_params_map();
    let actions = Actions {
        review: ServerAction::new(),
        moderation: ServerAction::new(),
        details: ServerAction::new(),
        bank: ServerAction::new(),
        remove: ServerAction::new(),
    };
    let changed = (
        successes(actions.review),
        successes(actions.moderation),
        successes(actions.details),
        successes(actions.bank),
        successes(actions.remove),
    );
    let vendor = Resource::new(
        move || {
            (
                params.read().get("id").unwrap_or_default(),
                changed.0.get() + changed.1.get() + changed.2.get() + changed.3.get() + changed.4.get(),
            )
        },
        |(id, _)| load_vendor(id),
    );
    let forms = MoneyForms::default();
    let money_changes = forms.changes();
    let money = Resource::new(
        move || (params.read().get("id").unwrap_or_default(), money_changes()),
        |(id, _)| load_vendor_money(Some(id), None),
    );
    view! {
        <AdminPage title="Vendor" needs=Needs::Permission(Permission::ViewVendors) let:actor>
            {
                let manage = actor.can(Permission::ManageVendors);
                view! {
                    <Loaded resource=vendor let:vendor>
                        <VendorView vendor manage actions />
                    </Loaded>
                    <Loaded resource=money let:money>
                        <VendorMoneySection money forms manage />
                    </Loaded>
                }
            }
        </AdminPage>
    }
}

#[component]
fn VendorView(vendor: Vendor, manage: bool, actions: Actions) -> impl IntoView {
    let id = vendor.summary.id.0;
    let base = format!("/admin/vendors/{id}/documents");
    let remove = manage.then(|| remove_document_button(actions.remove, id));
    let subtitle = format!(
        "{} · applied {} · {} products",
        vendor.summary.status.label(),
        business_time(vendor.summary.created_at),
        vendor.summary.products
    );
    view! {
        <PageHeader title=vendor.summary.name.clone() subtitle>
            <VendorBadge status=vendor.summary.status />
        </PageHeader>
        <div class="grid gap-4 lg:grid-cols-[1fr_22rem]">
            <div class="min-w-0 space-y-4">
                <Details vendor=vendor.clone() manage actions />
                <VendorDocuments documents=vendor.documents.clone() base can_add=manage remove />
                <VendorHistory events=vendor.events.clone() />
            </div>
            <aside class="min-w-0 space-y-4">
                <Review vendor=vendor.clone() actions />
                {manage.then(|| view! { <Moderation vendor=vendor.clone() actions /> })}
                <Bank vendor manage actions />
            </aside>
        </div>
    }
}

#[component]
fn Review(vendor: Vendor, actions: Actions) -> impl IntoView {
    let error = failed(actions.review);
    let id = vendor.summary.id.0.to_string();
    let reason = (!vendor.status_reason.is_empty()).then(|| vendor.status_reason.clone());
    view! {
        <section class="card space-y-3" data-testid="vendor-review">
            <h2 class="font-semibold text-slate-900">"Standing"</h2>
            <p><VendorBadge status=vendor.summary.status /></p>
            {reason.map(|r| view! { <p class="text-sm text-slate-600 whitespace-pre-line">{r}</p> })}
            {if vendor.moves.is_empty() {
                view! { <p class="text-sm text-slate-600">"Nothing to decide now."</p> }.into_any()
            } else {
                let from = vendor.summary.status;
                view! {
                    <ActionForm action=actions.review attr:class="space-y-3">
                        <SubmissionKey renew=actions.review.version() />
                        <input type="hidden" name="id" value=id />
                        <div class="field">
                            <label class="label" for="reason">"Message to the vendor"</label>
                            <p class="field-hint">"Required to ask for changes, reject or suspend: the vendor reads it."</p>
                            <textarea class="input" id="reason" name="reason" rows="3" maxlength="1000"></textarea>
                        </div>
                        <FormAlert error beside=&[] />
                        <div class="flex flex-wrap gap-2">
                            {vendor.moves.into_iter().map(|to| {
                                let class = match to {
                                    VendorStatus::Approved => "btn btn-primary",
                                    VendorStatus::Rejected | VendorStatus::Suspended => "btn btn-danger",
                                    _ => "btn btn-secondary",
                                };
                                view! { <button type="submit" name="to" value=to.code() class=class>{to.action_label(from)}</button> }
                            }).collect_view()}
                        </div>
                    </ActionForm>
                }
                .into_any()
            }}
        </section>
    }
}

#[component]
fn Moderation(vendor: Vendor, actions: Actions) -> impl IntoView {
    let error = failed(actions.moderation);
    let ticked = ticked::<SetVendorModeration>("moderated", vendor.moderated);
    view! {
        <ActionForm action=actions.moderation attr:class="card space-y-3">
            <h2 class="font-semibold text-slate-900">"Products"</h2>
            <SubmissionKey renew=actions.moderation.version() />
            <input type="hidden" name="id" value=vendor.summary.id.0.to_string() />
            <label class="flex items-start gap-2 text-sm">
                <input type="checkbox" name="moderated" value="on" checked=ticked class="mt-1" />
                <span>"New and changed products wait for your approval before shoppers see them."</span>
            </label>
            <FormAlert error beside=&[] />
            <button type="submit" class="btn btn-secondary btn-sm">"Save"</button>
        </ActionForm>
    }
}

#[component]
fn Bank(vendor: Vendor, manage: bool, actions: Actions) -> impl IntoView {
    let error = failed(actions.bank);
    let id = vendor.summary.id.0.to_string();
    view! {
        <section class="card space-y-3">
            <h2 class="font-semibold text-slate-900">"Bank account"</h2>
            {match vendor.bank_account {
                Some(account) => view! {
                    <p data-testid="vendor-bank">{account.bank_name}" ····"{account.last4}<span class="block text-sm text-slate-600">{account.account_name}</span></p>
                    <p class="text-xs text-slate-500">"Only the vendor's owner can change it, from the vendor portal."</p>
                }
                .into_any(),
                None if manage => view! {
                    <p class="text-sm text-slate-600">"None yet. A vendor is paid here, so it needs one before it is approved."</p>
                    <ActionForm action=actions.bank attr:class="space-y-3">
                        <SubmissionKey renew=actions.bank.version() />
                        <input type="hidden" name="id" value=id />
                        <BankFields error />
                        <FormAlert error beside=&["bank_code", "account_number", "account_name"] />
                        <button type="submit" class="btn btn-secondary btn-sm">"Set bank account"</button>
                    </ActionForm>
                }
                .into_any(),
                None => view! { <p class="text-sm text-slate-600">"None yet."</p> }.into_any(),
            }}
        </section>
    }
}

#[component]
fn Details(vendor: Vendor, manage: bool, actions: Actions) -> impl IntoView {
    let error = failed(actions.details);
    let summary = vendor.summary.clone();
    let details = commerce::marketplace::VendorDetails {
        name: summary.name.clone(),
        contact_name: summary.contact_name.clone(),
        email: summary.email.clone(),
        phone: summary.phone.clone(),
        address: vendor.address.clone(),
        city: summary.city.clone(),
        state: summary.state.clone(),
        description: vendor.description.clone(),
        cac_number: vendor.cac_number.clone(),
    };
    let shown = view! {
        <dl class="grid gap-x-4 gap-y-2 text-sm sm:grid-cols-[10rem_1fr]" data-testid="vendor-details">
            <dt class="text-slate-500">"Contact"</dt><dd>{summary.contact_name.clone()}</dd>
            <dt class="text-slate-500">"Email"</dt><dd>{summary.email.clone()}</dd>
            <dt class="text-slate-500">"Mobile"</dt><dd>{for_display(&summary.phone)}</dd>
            <dt class="text-slate-500">"Address"</dt><dd>{[vendor.address.clone(), summary.city.clone(), summary.state.clone()].into_iter().filter(|p| !p.is_empty()).collect::<Vec<_>>().join(", ")}</dd>
            <dt class="text-slate-500">"CAC number"</dt><dd>{if vendor.cac_number.is_empty() { "Not registered".to_owned() } else { vendor.cac_number.clone() }}</dd>
            <dt class="text-slate-500">"Sells"</dt><dd class="whitespace-pre-line">{vendor.description.clone()}</dd>
            <dt class="text-slate-500">"Store page"</dt><dd class="font-mono text-xs">{format!("/sellers/{}", summary.slug)}</dd>
        </dl>
    };
    view! {
        <section class="card space-y-3">
            <h2 class="font-semibold text-slate-900">"Details"</h2>
            {shown}
            {manage.then(|| view! {
                <details>
                    <summary class="btn btn-secondary btn-sm cursor-pointer">"Edit details"</summary>
                    <ActionForm action=actions.details attr:class="mt-3 grid gap-3 sm:grid-cols-2">
                        <SubmissionKey renew=actions.details.version() />
                        <input type="hidden" name="id" value=summary.id.0.to_string() />
                        <VendorDetailsFields error start=details />
                        <div class="sm:col-span-2">
                            <FormAlert error beside=&["name", "contact_name", "email", "phone", "address", "city", "state", "description", "cac_number"] />
                            <button type="submit" class="btn btn-primary mt-2">"Save details"</button>
                        </div>
                    </ActionForm>
                </details>
            })}
        </section>
    }
}
