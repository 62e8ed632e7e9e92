//! `/admin/customers`: the people the business sells to, one customer with their orders, their
//! data to take away, and erasing it at their request.

use commerce::base::Permission;
use commerce::base::page::Page;
use commerce::base::phone::for_display;
use commerce::orders::{Customer, OrderSummary};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::AdminPage;
use crate::api::{EraseCustomer, load_customer, load_customers};
use crate::components::{EmptyState, Field, FormAlert, Loaded, Needs, PageHeader, business_time, failed, successes};

/// `/admin/customers`: customers, newest first, searched by name, phone or email.
#[component]
pub fn CustomersPage() -> impl IntoView {
    let query = use_query_map();
    let get = move |name: &str| query.read().get(name).filter(|v| !v.is_empty());
    let customers = Resource::new(move || (get("q"), get("after")), |(q, after)| load_customers(q, after));
    view! {
        <AdminPage title="Customers" needs=Needs::Permission(Permission::ViewOrders) let:_actor>
            <PageHeader title="Customers" subtitle="Everyone who has ordered, with what they bought.">
                <a class="btn btn-secondary" href="/admin/export/customers.csv" download>"Download CSV"</a>
            </PageHeader>
            <form method="get" class="card mb-4 flex flex-wrap items-end gap-3" role="search">
                <div class="field">
                    <label class="label" for="q">"Search"</label>
                    <input class="input" id="q" name="q" type="search" placeholder="Name, phone or email"
                        value=move || query.read_untracked().get("q").unwrap_or_default() />
                </div>
                <button type="submit" class="btn btn-secondary">"Search"</button>
            </form>
            <Loaded resource=customers let:page>
                <CustomerTable page />
            </Loaded>
        </AdminPage>
    }
}

#[component]
fn CustomerTable(page: Page<Customer>) -> impl IntoView {
    if page.data.is_empty() {
        return view! { <EmptyState title="No customers yet" message="Customers appear here when they order." /> }
            .into_any();
    }
    let more = page.next_cursor.map(|next| crate::pages::next_page_link("/admin/customers", &next, &["q"]));
    view! {
        <div class="table-wrap card p-0">
            <table class="table">
                <thead><tr><th>"Customer"</th><th>"Contact"</th><th class="text-right">"Orders"</th><th class="text-right">"Spent"</th><th>"Last order"</th></tr></thead>
                <tbody>
                    {page.data.into_iter().map(|c| view! {
                        <tr data-testid="customer-row">
                            <td><a class="font-medium text-brand-700" href=format!("/admin/customers/{}", c.id)>{shown_name(&c)}</a></td>
                            <td>{c.phone.as_deref().map(for_display).unwrap_or_default()}<span class="block text-xs text-slate-500">{c.email.clone().unwrap_or_default()}</span></td>
                            <td class="text-right tabular-nums">{c.orders}</td>
                            <td class="text-right tabular-nums">{c.lifetime_value.to_string()}</td>
                            <td>{c.last_order_at.map(business_time).unwrap_or_default()}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        {more.map(|href| view! { <a class="btn btn-secondary mt-4" href=href>"More customers"</a> })}
    }
    .into_any()
}

fn shown_name(c: &Customer) -> String {
    if c.erased_at.is_some() {
        "Erased customer".to_owned()
    } else if c.name.is_empty() {
        "(no name)".to_owned()
    } else {
        c.name.clone()
    }
}

/// `/admin/customers/{id}`: one customer, their orders, and their data.
#[component]
pub fn CustomerPage() -> impl IntoView {
    let params = use_params_map();
    let erase = ServerAction::<EraseCustomer>::new();
    let erased = successes(erase);
    let customer =
        Resource::new(move || (params.read().get("id").unwrap_or_default(), erased.get()), |(id, _)| load_customer(id));
    view! {
        <AdminPage title="Customer" needs=Needs::Permission(Permission::ViewOrders) let:actor>
            <Loaded resource=customer let:found>
                <CustomerView customer=found.0 orders=found.1 manage=actor.can(Permission::ManageOrders) erase />
            </Loaded>
        </AdminPage>
    }
}

#[component]
fn CustomerView(
    customer: Customer,
    orders: Vec<OrderSummary>,
    manage: bool,
    erase: ServerAction<EraseCustomer>,
) -> impl IntoView {
    let error = failed(erase);
    let id = customer.id;
    let consent = match (customer.marketing_consent, customer.consent_at) {
        (true, Some(at)) => format!("Agreed to hear of offers on {} ({})", business_time(at), customer.consent_source),
        _ => "Has not agreed to hear of offers".to_owned(),
    };
    view! {
        <PageHeader title=shown_name(&customer) subtitle=format!("Customer since {}", business_time(customer.created_at)) />
        <div class="grid gap-4 lg:grid-cols-[1fr_20rem]">
            <div class="space-y-4">
                <section class="card" data-testid="customer-detail">
                    <p>{customer.phone.as_deref().map(for_display).unwrap_or_default()}</p>
                    <p>{customer.email.clone().unwrap_or_default()}</p>
                    <p class="text-sm text-slate-600">{if customer.has_account { "Has an account at the store" } else { "Orders as a guest" }}</p>
                    <p class="text-sm text-slate-600">{consent}</p>
                    <p class="mt-2">{format!("{} orders · {} spent", customer.orders, customer.lifetime_value)}</p>
                    {customer.erased_at.map(|at| view! { <p class="mt-2 font-medium">{format!("Details erased at their request on {}.", business_time(at))}</p> })}
                </section>
                <section class="card">
                    <h2 class="font-semibold">"Orders"</h2>
                    <ul class="mt-2 space-y-1 text-sm">
                        {orders.into_iter().map(|o| view! {
                            <li><a class="text-brand-700" href=format!("/admin/orders/{}", o.id)>{o.number}</a>
                                {format!(" · {} · {} · {}", business_time(o.placed_at), o.status.label(), o.total)}</li>
                        }).collect_view()}
                    </ul>
                </section>
            </div>
            {(manage && customer.erased_at.is_none()).then(|| view! {
                <aside class="space-y-4">
                    <section class="card space-y-2">
                        <h2 class="font-semibold">"Their data"</h2>
                        <p class="text-sm text-slate-600">"Everything kept about them, to give them on request."</p>
                        <a class="btn btn-secondary" href=format!("/admin/export/customers/{id}.json") download>"Download as JSON"</a>
                    </section>
                    <ActionForm action=erase attr:class="card space-y-3">
                        <h2 class="font-semibold">"Erase their details"</h2>
                        <p class="text-sm text-slate-600">"At their request: their name, number, email and addresses go; their orders stay, for the books. This cannot be undone."</p>
                        <input type="hidden" name="id" value=id.to_string() />
                        <Field label="Type ERASE to confirm" name="confirm" error />
                        <FormAlert error beside=&["confirm"] />
                        <button type="submit" class="btn btn-danger" data-testid="erase-customer">"Erase"</button>
                    </ActionForm>
                </aside>
            })}
        </div>
    }
}
