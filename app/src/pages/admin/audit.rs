use commerce::audit::{AuditEntry, AuditPage};
use commerce::base::Permission;
use commerce::identity::StaffList;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::AdminPage;
use crate::api::{load_audit, load_audit_entities, load_staff};
use crate::components::{EmptyState, Loaded, LocalTime, Needs, PageHeader};

/// `/admin/audit`: every change made in the business, newest first, filtered by person, kind
/// of record and dates. The filters are a plain GET form, so the page works without JavaScript.
#[component]
pub fn AuditPageView() -> impl IntoView {
    // Loaded outside the gate, so that it is loaded once (see `Gate`).
    let query = use_query_map();
    let param = move |name: &str| query.read().get(name).filter(|v| !v.is_empty());
    let entries = Resource::new(
        move || (param("person"), param("entity"), param("from"), param("until"), param("after")),
        |(person, entity, from, until, after)| load_audit(person, entity, from, until, after),
    );
    let people = Resource::new(|| (), |()| load_staff());
    let entities = Resource::new(|| (), |()| load_audit_entities());
    view! {
        <AdminPage title="Audit trail" needs=Needs::Permission(Permission::ViewAudit) let:_actor>
            <PageHeader title="Audit trail" subtitle="Who changed what, and when. Nothing here can be edited." />
            <AuditPanel entries people entities />
        </AdminPage>
    }
}

#[component]
fn AuditPanel(
    entries: Resource<Result<(AuditPage, Option<String>), crate::AppError>>,
    people: Resource<Result<StaffList, crate::AppError>>,
    entities: Resource<Result<Vec<String>, crate::AppError>>,
) -> impl IntoView {
    let query = use_query_map();
    let param = move |name: &str| query.read().get(name).filter(|v| !v.is_empty());
    view! {
        <form method="get" action="/admin/audit" class="card mb-6 grid gap-4 sm:grid-cols-2 lg:grid-cols-5 lg:items-end">
            <div>
                <label class="label" for="person">"Person"</label>
                <select class="input" id="person" name="person">
                    <option value="">"Anyone"</option>
                    <Loaded resource=people let:staff>
                        {staff.members.into_iter().map(|m| {
                            let id = m.user.to_string();
                            let selected = param("person").as_deref() == Some(id.as_str());
                            view! { <option value=id selected=selected>{m.name}</option> }
                        }).collect_view()}
                    </Loaded>
                </select>
            </div>
            <Loaded resource=entities let:entities>
                <div>
                    <label class="label" for="entity">"Record"</label>
                    <select class="input" id="entity" name="entity">
                        <option value="">"Any"</option>
                        {entities.into_iter().map(|e| {
                            let selected = param("entity").as_deref() == Some(e.as_str());
                            view! { <option value=e.clone() selected=selected>{e.clone()}</option> }
                        }).collect_view()}
                    </select>
                </div>
            </Loaded>
            <div>
                <label class="label" for="from">"From"</label>
                <input class="input" id="from" name="from" type="date" value=param("from").unwrap_or_default() />
            </div>
            <div>
                <label class="label" for="until">"Until"</label>
                <input class="input" id="until" name="until" type="date" value=param("until").unwrap_or_default() />
            </div>
            <button type="submit" class="btn btn-primary">"Show"</button>
        </form>
        <Loaded resource=entries let:loaded>
            <EntryList page=loaded.0 next=loaded.1 />
        </Loaded>
    }
}

#[component]
fn EntryList(page: AuditPage, next: Option<String>) -> impl IntoView {
    if page.entries.is_empty() {
        return view! { <EmptyState title="Nothing recorded" message="No change matches these filters." /> }.into_any();
    }
    let older =
        next.map(|next| crate::pages::next_page_link("/admin/audit", &next, &["person", "entity", "from", "until"]));
    view! {
        <section class="card p-0">
            <div class="table-wrap">
                <table class="table">
                    <thead><tr><th>"When"</th><th>"Who"</th><th>"What"</th><th>"Change"</th></tr></thead>
                    <tbody>{page.entries.into_iter().map(|e| view! { <EntryRow entry=e /> }).collect_view()}</tbody>
                </table>
            </div>
        </section>
        {older.map(|href| view! { <a class="btn btn-secondary mt-4" href=href>"Older changes"</a> })}
    }
    .into_any()
}

#[component]
fn EntryRow(entry: AuditEntry) -> impl IntoView {
    let page = record_page(&entry.entity, &entry.entity_id);
    let what = view! { <span class="font-medium">{entry.entity.clone()}</span>" "{entry.action.clone()} };
    view! {
        <tr>
            <td class="whitespace-nowrap"><LocalTime at=entry.at /></td>
            <td>{entry.actor}</td>
            <td>{match page { Some(href) => view! { <a class="link" href=href>{what}</a> }.into_any(), None => what.into_any() }}</td>
            <td class="text-xs" data-testid="change">
                <ul class="space-y-0.5">{entry.changes.into_iter().map(|line| view! { <li class="break-words">{line}</li> }).collect_view()}</ul>
            </td>
        </tr>
    }
}

/// The page of the record an entry is about, for the kinds that have one.
fn record_page(entity: &str, id: &str) -> Option<String> {
    // A level is named "variant@location".
    let id = uuid::Uuid::parse_str(id.split('@').next().unwrap_or_default()).ok()?;
    match entity {
        "stock" => Some(format!("/admin/stock/variant/{id}")),
        "staff" | "invitation" => Some("/admin/staff".to_owned()),
        "stock receipt" => Some(format!("/admin/stock/receipts/{id}")),
        "product" => Some(format!("/admin/products/{id}")),
        "stock count" => Some(format!("/admin/stock/counts/{id}")),
        "stock transfer" => Some(format!("/admin/stock/transfers#transfer-{id}")),
        _ => None,
    }
}
