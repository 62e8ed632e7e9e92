//! `/admin/vendors/products`: vendors' new products and changes that wait for the operator's
//! approval, oldest first, each to approve or to refuse with a note the vendor reads.

use commerce::base::Permission;
use commerce::catalog::Waiting;
use leptos::prelude::*;

use super::AdminPage;
use crate::api::{DecideProduct, load_waiting_products};
use crate::components::{
    EmptyState, FormAlert, Loaded, Needs, PageHeader, SubmissionKey, business_time, failed, successes,
};

/// `/admin/vendors/products`: what waits for approval.
#[component]
pub fn ProductApprovalsPage() -> impl IntoView {
    let decide = ServerAction::<DecideProduct>::new();
    let decided = successes(decide);
    let waiting = Resource::new(move || decided.get(), |_| load_waiting_products());
    view! {
        <AdminPage title="Products to approve" needs=Needs::Permission(Permission::ViewVendors) let:actor>
            <PageHeader title="Products to approve" subtitle="Vendors' new products and changes, waiting for you before shoppers see them.">
                <a class="btn btn-secondary" href="/admin/vendors">"Vendors"</a>
            </PageHeader>
            <Loaded resource=waiting let:waiting>
                <WaitingList waiting decide manage=actor.can(Permission::ManageVendors) />
            </Loaded>
        </AdminPage>
    }
}

#[component]
fn WaitingList(waiting: Vec<Waiting>, decide: ServerAction<DecideProduct>, manage: bool) -> impl IntoView {
    let error = failed(decide);
    if waiting.is_empty() {
        return view! { <EmptyState title="Nothing waits" message="Vendors' new products and changes appear here when their vendor is moderated." /> }
            .into_any();
    }
    view! {
        <FormAlert error beside=&[] />
        <ul class="space-y-3" data-testid="waiting-products">
            {waiting.into_iter().map(|w| {
                let what = if w.is_change {
                    format!("Change: {}", if w.changed.is_empty() { "nothing visible".to_owned() } else { w.changed.join(", ") })
                } else {
                    "New product".to_owned()
                };
                let product = w.product.0.to_string();
                view! {
                    <li class="card">
                        <div class="flex flex-wrap items-start justify-between gap-3">
                            <div class="min-w-0">
                                <a class="font-medium text-brand-700" href=format!("/admin/products/{product}")>{w.name.clone()}</a>
                                {w.now_named.filter(|now| *now != w.name).map(|now| view! { <span class="block text-xs text-slate-500">{format!("Now on sale as {now}")}</span> })}
                                <p class="text-sm text-slate-600">{format!("{} · {} · since {}", w.vendor, what, business_time(w.since))}</p>
                            </div>
                            {manage.then(|| view! {
                                <ActionForm action=decide attr:class="grid w-full gap-2 sm:w-80">
                                    <SubmissionKey renew=decide.version() />
                                    <input type="hidden" name="product" value=product.clone() />
                                    <label class="sr-only" for=format!("note-{product}")>"Note to the vendor"</label>
                                    <input class="input" id=format!("note-{product}") name="note" maxlength="1000" placeholder="Note to the vendor (needed to refuse)" />
                                    <div class="flex gap-2">
                                        <button type="submit" name="decision" value="approve" class="btn btn-primary btn-sm">"Approve"</button>
                                        <button type="submit" name="decision" value="reject" class="btn btn-danger btn-sm">"Refuse"</button>
                                    </div>
                                </ActionForm>
                            })}
                        </div>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}
