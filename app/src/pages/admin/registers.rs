use commerce::base::Permission;
use commerce::pos::{RegisterView, Seller, Waiting};
use leptos::prelude::*;

use super::AdminPage;
use crate::api::{AddRegister, DecideTillDocument, RevokeRegister, SetTillPin, TillsView, load_tills};
use crate::components::{
    Badge, BadgeTone, EmptyState, Field, FormAlert, Loaded, LocalTime, Needs, PageHeader, SubmissionKey,
    clear_after_success, failed, successes,
};

/// `/admin/registers`: the business's tills. Registers are added here and enrolled on their
/// device with a one-time code; cashiers' PINs are set here; documents a till sent that the
/// server refused wait here for a manager to book or set aside.
#[component]
pub fn RegistersPage() -> impl IntoView {
    // Loaded outside the gate, so that it is loaded once (see `Gate`).
    let add = ServerAction::<AddRegister>::new();
    let revoke = ServerAction::<RevokeRegister>::new();
    let pin = ServerAction::<SetTillPin>::new();
    let decide = ServerAction::<DecideTillDocument>::new();
    let changes = (successes(add), successes(revoke), successes(pin), successes(decide));
    let tills =
        Resource::new(move || (changes.0.get(), changes.1.get(), changes.2.get(), changes.3.get()), |_| load_tills());
    view! {
        <AdminPage title="Registers" needs=Needs::Permission(Permission::ViewSettings) let:_actor>
            <PageHeader title="Registers" subtitle="Tills in your shops: add one, enrol it on its device with the code, set cashiers' PINs." />
            <AddForm add tills />
            <Loaded resource=tills let:tills>
                <Registers registers=tills.registers.clone() revoke />
                <Pins sellers=tills.sellers.clone() pin />
                <WaitingList waiting=tills.waiting decide />
            </Loaded>
        </AdminPage>
    }
}

#[component]
fn AddForm(add: ServerAction<AddRegister>, tills: Resource<Result<TillsView, crate::AppError>>) -> impl IntoView {
    let error = failed(add);
    let made = move || add.value().get().and_then(Result::ok).flatten();
    let form = NodeRef::<leptos::html::Form>::new();
    clear_after_success(form, add.value().into());
    view! {
        <section class="card mb-6">
            <h2 class="font-semibold text-slate-900">"Add a register"</h2>
            <ActionForm action=add node_ref=form attr:class="mt-4 grid gap-4 sm:grid-cols-3">
                <SubmissionKey renew=add.version() />
                <label class="block">
                    <span class="label">"Shop"</span>
                    <select name="location" class="input" required>
                        {move || tills.get().and_then(Result::ok).map(|t| t.shops.into_iter().map(|s| view! {
                            <option value=s.location.id.0.to_string()>{s.location.name}</option>
                        }).collect_view())}
                    </select>
                </label>
                <Field label="Name" name="name" hint="Such as “Till 1”." error />
                <Field label="Receipt prefix" name="prefix" hint="Left empty: R01, R02…" error />
                <div class="sm:col-span-3">
                    <FormAlert error beside=&["name", "prefix", "location"] />
                    <button type="submit" class="btn btn-primary mt-2" disabled=move || add.pending().get()>"Add register"</button>
                </div>
            </ActionForm>
            <Show when=move || made().is_some()>
                <div class="notice mt-4" role="status">
                    <p class="font-medium">"Open /pos on the till's device and type this code. It works once, for 30 minutes."</p>
                    <p class="mt-2 font-mono text-2xl tracking-widest" data-testid="register-code">{move || made().map(|m| m.code).unwrap_or_default()}</p>
                    <p class="text-xs">{move || made().map(|m| format!("{} · receipts {}-000001 onwards", m.register.name, m.register.prefix)).unwrap_or_default()}</p>
                </div>
            </Show>
        </section>
    }
}

#[component]
fn Registers(registers: Vec<RegisterView>, revoke: ServerAction<RevokeRegister>) -> impl IntoView {
    if registers.is_empty() {
        return view! { <EmptyState title="No registers yet" message="Add one above, then enrol it on the till's device." /> }.into_any();
    }
    view! {
        <section class="card mb-6 p-0">
            <div class="table-wrap">
                <table class="table">
                    <thead><tr><th>"Register"</th><th>"Shop"</th><th>"Status"</th><th class="hidden md:table-cell">"Last sync"</th><th></th></tr></thead>
                    <tbody>
                        {registers.into_iter().map(|r| {
                            let live = r.revoked_at.is_none();
                            let (tone, text) = match (live, r.enrolled) {
                                (false, _) => (BadgeTone::Neutral, "Revoked".to_owned()),
                                (true, false) => (BadgeTone::Warning, "Waiting for its device".to_owned()),
                                (true, true) if r.refused > 0 => (BadgeTone::Warning, format!("{} refused", r.refused)),
                                (true, true) => (BadgeTone::Positive, "Enrolled".to_owned()),
                            };
                            let label = format!("Revoke {}", r.name);
                            view! {
                                <tr>
                                    <td class="font-medium">{r.name}<span class="block font-mono text-xs text-slate-500">{r.prefix}</span></td>
                                    <td>{r.location_name}</td>
                                    <td><Badge tone text /></td>
                                    <td class="hidden md:table-cell">{r.last_seen_at.map(|at| view! { <LocalTime at /> })}</td>
                                    <td class="text-right">
                                        {live.then(|| view! {
                                            <details class="inline-block text-left">
                                                <summary class="btn btn-secondary btn-sm cursor-pointer" aria-label=label>"Revoke"</summary>
                                                <ActionForm action=revoke attr:class="mt-2 grid w-56 gap-2">
                                                    <input type="hidden" name="id" value=r.id.to_string() />
                                                    <p class="text-xs text-slate-600">"Its device stops syncing at once; what it sends is kept here for you to decide on."</p>
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

#[component]
fn Pins(sellers: Vec<Seller>, pin: ServerAction<SetTillPin>) -> impl IntoView {
    let error = failed(pin);
    view! {
        <section class="card mb-6">
            <h2 class="font-semibold text-slate-900">"Cashiers' PINs"</h2>
            <p class="mt-1 text-sm text-slate-600">"4 to 8 digits, not all one digit and not a run such as 1234. A till learns a new PIN the next time it syncs."</p>
            <FormAlert error beside=&[] />
            <ul class="mt-3 divide-y divide-slate-100">
                {sellers.into_iter().map(|s| view! {
                    <li class="flex flex-wrap items-center justify-between gap-2 py-2">
                        <span>
                            <span class="font-medium">{s.name.clone()}</span>
                            <span class="ml-2 text-xs text-slate-500">{s.role.label()}</span>
                            <span class="ml-2 text-xs text-slate-500">{if s.pin_set_at.is_some() { "PIN set" } else { "no PIN" }}</span>
                        </span>
                        <ActionForm action=pin attr:class="flex items-center gap-2">
                            <input type="hidden" name="member" value=s.id.to_string() />
                            <input type="password" name="pin" class="input w-28" inputmode="numeric" autocomplete="new-password"
                                aria-label=format!("New PIN for {}", s.name) required minlength="4" maxlength="8" pattern="[0-9]{4,8}" />
                            <button type="submit" class="btn btn-secondary btn-sm">"Set PIN"</button>
                        </ActionForm>
                    </li>
                }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn WaitingList(waiting: Vec<Waiting>, decide: ServerAction<DecideTillDocument>) -> impl IntoView {
    let error = failed(decide);
    if waiting.is_empty() {
        return view! { <EmptyState title="Nothing waits for a decision" message="Every document the tills sent is booked." /> }.into_any();
    }
    view! {
        <section class="card p-0" aria-labelledby="waiting-heading">
            <h2 id="waiting-heading" class="px-4 pt-4 font-semibold text-slate-900">"Refused by the server"</h2>
            <p class="px-4 text-sm text-slate-600">"Kept as the till made them. Book one as it is (a cashier whose access ended, a revoked register), or set it aside with why."</p>
            <div class="px-4"><FormAlert error beside=&["reason"] /></div>
            <div class="table-wrap">
                <table class="table">
                    <thead><tr><th>"Document"</th><th>"Register"</th><th>"Why"</th><th></th></tr></thead>
                    <tbody>
                        {waiting.into_iter().map(|w| {
                            let open = w.status == commerce::pos::Status::Refused;
                            let title = format!("{} {}", w.kind.replace('_', " "), w.receipt.clone().unwrap_or_default());
                            view! {
                                <tr>
                                    <td class="font-medium">{title}
                                        <span class="block text-xs text-slate-500">{w.total.map(|t| t.to_string())}" · "{w.cashier.clone()}" · "<LocalTime at=w.made_at /></span>
                                    </td>
                                    <td>{w.register.clone()}</td>
                                    <td class="text-sm">{w.problem.clone()}</td>
                                    <td class="text-right">
                                        {open.then(|| view! {
                                            <div class="grid gap-2">
                                                <ActionForm action=decide>
                                                    <input type="hidden" name="id" value=w.id.to_string() />
                                                    <input type="hidden" name="decision" value="book" />
                                                    <button type="submit" class="btn btn-primary btn-sm">"Book it"</button>
                                                </ActionForm>
                                                <ActionForm action=decide attr:class="flex gap-1">
                                                    <input type="hidden" name="id" value=w.id.to_string() />
                                                    <input type="hidden" name="decision" value="set_aside" />
                                                    <input name="reason" class="input w-40" placeholder="Why" aria-label="Why it is set aside" required maxlength="500" />
                                                    <button type="submit" class="btn btn-secondary btn-sm">"Set aside"</button>
                                                </ActionForm>
                                            </div>
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
