use commerce::base::{ApiModule, Permission};
use commerce::identity::api_client::ApiClientView;
use leptos::prelude::*;

use super::AdminPage;
use crate::api::{CreateApiClient, RevokeApiClient, load_api_clients};
use crate::components::{
    Badge, BadgeTone, EmptyState, Field, FieldError, FormAlert, Loaded, Needs, PageHeader, SubmissionKey,
    clear_after_success, failed, successes, ticked,
};

/// `/admin/api-clients`: integrations allowed into the business's data through the REST API.
#[component]
pub fn ApiClientsPage() -> impl IntoView {
    // Loaded outside the gate, so that it is loaded once (see `Gate`).
    let create = ServerAction::<CreateApiClient>::new();
    let revoke = ServerAction::<RevokeApiClient>::new();
    let (created, revoked) = (successes(create), successes(revoke));
    let clients = Resource::new(move || (created.get(), revoked.get()), |_| load_api_clients());
    view! {
        <AdminPage title="API clients" needs=Needs::Permission(Permission::ManageApiClients) let:_actor>
            <PageHeader title="API clients" subtitle="Let your other systems (accounting, ERP, delivery partners) use your data through the REST API." />
            <ClientsPanel create revoke clients modules=&ApiModule::ALL />
        </AdminPage>
    }
}

/// The form that makes a client with scopes of `modules`, and the clients made: the back
/// office's, and a vendor's in the vendor portal.
#[component]
pub fn ClientsPanel(
    create: ServerAction<CreateApiClient>,
    revoke: ServerAction<RevokeApiClient>,
    clients: Resource<Result<Vec<ApiClientView>, crate::AppError>>,
    modules: &'static [ApiModule],
) -> impl IntoView {
    let error = failed(create);
    let created = move || create.value().get().and_then(Result::ok).flatten();
    // A second press of the same form made nothing, and its answer has no secret to show.
    let repeated = move || matches!(create.value().get(), Some(Ok(None)));
    let form = NodeRef::<leptos::html::Form>::new();
    clear_after_success(form, create.value().into());
    view! {
        <section class="card mb-6">
            <h2 class="font-semibold text-slate-900">"New API client"</h2>
            <ActionForm action=create node_ref=form attr:class="mt-4 space-y-4">
                <SubmissionKey renew=create.version() />
                <Field label="Name" name="name" hint="What it is for, such as “Sage accounting export”." error />
                <fieldset>
                    <legend class="label">"What it may use"</legend>
                    <div class="grid gap-2 sm:grid-cols-2">
                        {modules.iter().enumerate().flat_map(|(i, module)| {
                            ["read", "write"].into_iter().enumerate().map(move |(j, access)| {
                                let scope = format!("{}:{access}", module.code());
                                let name = format!("scopes[{}]", i * 2 + j);
                                let checked = ticked::<CreateApiClient>(&name, false);
                                view! {
                                    <label class="flex items-center gap-2 text-sm">
                                        <input type="checkbox" name=name value=scope.clone() checked=checked />
                                        <code>{scope}</code>
                                    </label>
                                }
                            })
                        }).collect_view()}
                    </div>
                    <FieldError error field="scopes" />
                </fieldset>
                <FormAlert error beside=&["name", "scopes"] />
                // Held while the client is made, so that a second press cannot replace the secret shown.
                <button type="submit" class="btn btn-primary" disabled=move || create.pending().get()>"Create client"</button>
            </ActionForm>
            <Show when=repeated>
                <p class="notice mt-4" role="status" data-testid="client-repeated">
                    "This client was made by your first press, and its secret was shown then; it is not kept. If you did not copy it, revoke the client below and make another."
                </p>
            </Show>
            <Show when=move || created().is_some()>
                <div class="notice mt-4" role="status">
                    <p class="font-medium">"Copy the secret now: it is shown only this once."</p>
                    <p class="mt-2 text-xs">"Client id"</p>
                    <input class="input font-mono text-xs" readonly data-testid="client-id" prop:value=move || created().map(|c| c.client_id).unwrap_or_default() />
                    <p class="mt-2 text-xs">"Client secret"</p>
                    <input class="input font-mono text-xs" readonly data-testid="client-secret" prop:value=move || created().map(|c| c.client_secret).unwrap_or_default() />
                    <p class="mt-2 text-xs">"Get a token: POST /api/v1/oauth/token with grant_type=client_credentials. See " <a class="font-semibold" href="/api/docs">"the API documentation"</a> "."</p>
                </div>
            </Show>
        </section>
        <Loaded resource=clients let:clients>
            <ClientList clients revoke />
        </Loaded>
    }
}

#[component]
fn ClientList(clients: Vec<ApiClientView>, revoke: ServerAction<RevokeApiClient>) -> impl IntoView {
    if clients.is_empty() {
        return view! { <EmptyState title="No API clients yet" message="Create one above to connect another system." /> }.into_any();
    }
    view! {
        <section class="card p-0">
            <div class="table-wrap">
                <table class="table">
                    <thead><tr><th>"Name"</th><th>"Client id"</th><th class="hidden md:table-cell">"Scopes"</th><th>"Status"</th><th></th></tr></thead>
                    <tbody>
                        {clients.into_iter().map(|c| {
                            let live = c.revoked_at.is_none();
                            let scopes = c.scopes.iter().map(ToString::to_string).collect::<Vec<_>>().join(" ");
                            let question = format!("Revoke {}? Its tokens stop working at once, and the system using it loses access.", c.name);
                            let label = format!("Revoke {}", c.name);
                            view! {
                                <tr>
                                    <td>
                                        <span class="font-medium">{c.name}</span>
                                        {c.vendor.map(|vendor| view! { <span class="block text-xs text-slate-500">{format!("Vendor: {vendor}")}</span> })}
                                    </td>
                                    <td class="font-mono text-xs">{c.client_id}</td>
                                    <td class="hidden font-mono text-xs md:table-cell">{scopes}</td>
                                    <td>{if live { view! { <Badge tone=BadgeTone::Positive text="Active" /> } } else { view! { <Badge tone=BadgeTone::Neutral text="Revoked" /> } }}</td>
                                    <td class="text-right">
                                        // Asked twice, saying what it breaks, so that a slip of the finger breaks nothing.
                                        {live.then(|| view! {
                                            <details class="inline-block text-left">
                                                <summary class="btn btn-secondary btn-sm cursor-pointer" aria-label=label>"Revoke"</summary>
                                                <ActionForm action=revoke attr:class="mt-2 grid w-56 gap-2">
                                                    <SubmissionKey renew=revoke.version() />
                                                    <input type="hidden" name="id" value=c.id.to_string() />
                                                    <p class="text-xs text-slate-600">{question}</p>
                                                    <button type="submit" class="btn btn-danger btn-sm justify-self-start">"Yes, revoke it"</button>
                                                </ActionForm>
                                            </details>
                                        })}
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
    .into_any()
}
