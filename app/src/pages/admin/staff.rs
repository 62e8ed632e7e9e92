use commerce::identity::{Permission, Role, StaffList, StaffRow};
use leptos::prelude::*;

use super::AdminPage;
use crate::api::{InviteStaff, SetStaffActive, load_staff};
use crate::components::{Badge, BadgeTone, Field, FormAlert, Loaded, Needs, PageHeader};

/// `/admin/staff`: who works here, open invitations, and (for the owner) inviting and
/// deactivating people.
#[component]
pub fn StaffPage() -> impl IntoView {
    view! {
        <AdminPage title="Staff" needs=Needs::Permission(Permission::ViewStaff) let:actor>
            <StaffPanel manage=actor.can(Permission::ManageStaff) me=actor_user(&actor) />
        </AdminPage>
    }
}

fn actor_user(actor: &commerce::identity::Actor) -> Option<uuid::Uuid> {
    match actor {
        commerce::identity::Actor::Staff(member) => Some(member.user),
        _ => None,
    }
}

#[component]
fn StaffPanel(manage: bool, me: Option<uuid::Uuid>) -> impl IntoView {
    let invite = ServerAction::<InviteStaff>::new();
    let set_active = ServerAction::<SetStaffActive>::new();
    let staff = Resource::new(move || (invite.version().get(), set_active.version().get()), |_| load_staff());
    view! {
        <PageHeader title="Staff" subtitle="The people who work in this business and what they may do." />
        {manage.then(|| view! { <InviteForm invite /> })}
        <Loaded resource=staff let:list>
            <StaffTables list manage me set_active />
        </Loaded>
    }
}

#[component]
fn InviteForm(invite: ServerAction<InviteStaff>) -> impl IntoView {
    let error = Signal::derive(move || invite.value().get().and_then(Result::err));
    let link = move || invite.value().get().and_then(Result::ok);
    view! {
        <section class="card mb-6">
            <h2 class="font-semibold text-slate-900">"Invite someone"</h2>
            <ActionForm action=invite attr:class="mt-4 grid gap-4 sm:grid-cols-[1fr_12rem_auto] sm:items-start">
                <Field label="Email" name="email" kind="email" error />
                <div class="field">
                    <label class="label" for="role">"Role"</label>
                    <select class="input" id="role" name="role">
                        {[Role::Cashier, Role::Manager, Role::Accountant, Role::Owner]
                            .into_iter()
                            .map(|r| view! { <option value=r.code()>{r.label()}</option> })
                            .collect_view()}
                    </select>
                </div>
                <button type="submit" class="btn btn-primary sm:mt-6">"Send invitation"</button>
            </ActionForm>
            <FormAlert error />
            <Show when=move || link().is_some()>
                <div class="notice mt-4" role="status">
                    <p class="font-medium">"Invitation sent. They can also join with this link (valid for 7 days):"</p>
                    <input class="input mt-2 font-mono text-xs" readonly data-testid="invitation-link" prop:value=move || link().unwrap_or_default() />
                </div>
            </Show>
        </section>
    }
}

#[component]
fn StaffTables(
    list: StaffList,
    manage: bool,
    me: Option<uuid::Uuid>,
    set_active: ServerAction<SetStaffActive>,
) -> impl IntoView {
    let error = Signal::derive(move || set_active.value().get().and_then(Result::err));
    view! {
        <FormAlert error />
        <section class="card p-0">
            <div class="table-wrap">
                <table class="table">
                    <thead><tr><th>"Name"</th><th>"Role"</th><th>"Status"</th>{manage.then(|| view! { <th class="text-right">"Access"</th> })}</tr></thead>
                    <tbody>
                        {list.members.into_iter().map(|m| {
                            let column = manage;
                            let manage = manage && Some(m.user) != me;
                            view! { <MemberRow member=m column manage set_active /> }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
        <section class="mt-6">
            <h2 class="font-semibold text-slate-900">"Open invitations"</h2>
            {if list.invitations.is_empty() {
                view! { <p class="mt-2 text-sm text-slate-500">"No invitations are waiting."</p> }.into_any()
            } else {
                view! {
                    <ul class="mt-2 divide-y divide-slate-100 rounded-xl border border-slate-200 bg-white">
                        {list.invitations.into_iter().map(|i| view! {
                            <li class="flex flex-wrap items-center justify-between gap-2 px-4 py-3 text-sm">
                                <span class="font-medium">{i.email}</span>
                                <span class="text-slate-500">{format!("{} · expires {}", i.role.label(), i.expires_at.format("%-d %b %Y"))}</span>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn MemberRow(
    member: StaffRow,
    /// Whether the table has the access column.
    column: bool,
    /// Whether this row's access may be changed (never one's own).
    manage: bool,
    set_active: ServerAction<SetStaffActive>,
) -> impl IntoView {
    let StaffRow { user, name, email, role, active, .. } = member;
    view! {
        <tr>
            <td><div class="font-medium">{name}</div><div class="text-xs text-slate-500">{email}</div></td>
            <td>{role.label()}</td>
            <td>
                {if active {
                    view! { <Badge tone=BadgeTone::Positive text="Active" /> }
                } else {
                    view! { <Badge tone=BadgeTone::Neutral text="Deactivated" /> }
                }}
            </td>
            {(column && !manage).then(|| view! { <td></td> })}
            {manage.then(|| view! {
                <td class="text-right">
                    <ActionForm action=set_active>
                        <input type="hidden" name="user" value=user.to_string() />
                        <input type="hidden" name="active" value=(!active).to_string() />
                        <button type="submit" class="btn btn-secondary btn-sm">{if active { "Deactivate" } else { "Reactivate" }}</button>
                    </ActionForm>
                </td>
            })}
        </tr>
    }
}
