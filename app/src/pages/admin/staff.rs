use commerce::base::{Permission, Role};
use commerce::identity::{Place, RoleChoice, StaffList, StaffRow, VendorChoice};
use leptos::prelude::*;

use super::AdminPage;
use crate::api::{
    BindStaffLocations, ChangeStaffRole, InviteStaff, ResendStaffInvitation, RevokeStaffInvitation, SetStaffActive,
    load_staff,
};
use crate::components::{
    Badge, BadgeTone, Field, FieldError, FormAlert, Loaded, Needs, PageHeader, SubmissionKey, business_time, failed,
    sent, successes, typed,
};

/// `/admin/staff`: who works here, open invitations, and (for the owner) inviting and
/// deactivating people.
#[component]
pub fn StaffPage() -> impl IntoView {
    // Loaded outside the gate, so that it is loaded once (see `Gate`).
    let invite = ServerAction::<InviteStaff>::new();
    let actions = MemberActions {
        set_active: ServerAction::new(),
        change_role: ServerAction::new(),
        bind: ServerAction::new(),
        resend: ServerAction::new(),
        revoke: ServerAction::new(),
    };
    let done = [
        successes(invite),
        successes(actions.set_active),
        successes(actions.change_role),
        successes(actions.bind),
        successes(actions.resend),
        successes(actions.revoke),
    ];
    let staff = Resource::new(move || done.map(|d| d.get()), |_| load_staff());
    view! {
        <AdminPage title="Staff" needs=Needs::Permission(Permission::ViewStaff) let:actor>
            <StaffPanel manage=actor.can(Permission::ManageStaff) me=actor_user(&actor) invite actions staff />
        </AdminPage>
    }
}

fn actor_user(actor: &commerce::base::Actor) -> Option<uuid::Uuid> {
    match actor {
        commerce::base::Actor::Staff(member) => Some(member.user),
        _ => None,
    }
}

#[component]
fn StaffPanel(
    manage: bool,
    me: Option<uuid::Uuid>,
    invite: ServerAction<InviteStaff>,
    actions: MemberActions,
    staff: Resource<Result<StaffList, crate::AppError>>,
) -> impl IntoView {
    view! {
        <PageHeader title="Staff" subtitle="The people who work in this business and what they may do." />
        <Loaded resource=staff let:list>
            {manage.then(|| view! { <InviteForm invite vendors=list.vendors.clone() /> })}
            <StaffTables list manage me actions />
        </Loaded>
    }
}

/// What the owner can do to a member's row, and to an open invitation.
#[derive(Clone, Copy)]
struct MemberActions {
    set_active: ServerAction<SetStaffActive>,
    change_role: ServerAction<ChangeStaffRole>,
    bind: ServerAction<BindStaffLocations>,
    resend: ServerAction<ResendStaffInvitation>,
    revoke: ServerAction<RevokeStaffInvitation>,
}

/// The roles a form offers: staff roles, then staff of each of the marketplace's vendors.
#[component]
fn RoleSelect(
    /// The select's id (its label points at it).
    id: String,
    vendors: Vec<VendorChoice>,
    /// The choice shown first.
    #[prop(optional)]
    selected: Option<RoleChoice>,
) -> impl IntoView {
    // The invitation form (no role shown first) sent back refused keeps the role chosen.
    let selected = selected.map(RoleChoice::code).or_else(|| sent::<InviteStaff>("role"));
    let option = move |choice: RoleChoice, label: String| {
        let code = choice.code();
        let chosen = selected.as_deref() == Some(code.as_str());
        view! { <option value=code selected=chosen>{label}</option> }
    };
    let staff_options = RoleChoice::STAFF
        .into_iter()
        .map(|role| option(RoleChoice { role, vendor: None }, role.label().to_owned()))
        .collect_view();
    let vendor_options = (!vendors.is_empty()).then(|| {
        let options = vendors
            .into_iter()
            .map(|v| option(RoleChoice { role: Role::Vendor, vendor: Some(v.id) }, format!("Staff of {}", v.name)))
            .collect_view();
        view! { <optgroup label="Vendor staff">{options}</optgroup> }
    });
    view! {
        <select class="input min-w-32" id=id name="role">
            {staff_options}
            {vendor_options}
        </select>
    }
}

#[component]
fn InviteForm(invite: ServerAction<InviteStaff>, vendors: Vec<VendorChoice>) -> impl IntoView {
    let error = failed(invite);
    view! {
        <section class="card mb-6">
            <h2 class="font-semibold text-slate-900">"Invite someone"</h2>
            <ActionForm action=invite attr:class="mt-4 grid gap-4 sm:grid-cols-[1fr_12rem_auto] sm:items-start">
                <SubmissionKey renew=invite.version() />
                <Field label="Email" name="email" kind="email" error />
                <div class="field">
                    <label class="label" for="role">"Role"</label>
                    <RoleSelect id="role".to_owned() vendors />
                    <FieldError error field="role" />
                </div>
                // Held while the invitation is made, so that a second press cannot replace the link shown.
                <button type="submit" class="btn btn-primary sm:mt-6" disabled=move || invite.pending().get()>"Send invitation"</button>
            </ActionForm>
            <FormAlert error beside=&["email", "role"] />
            <LinkShownOnce
                answer=invite.value().into()
                testid="invitation-link"
                message="Invitation made. Give them this link: it works for 7 days and is shown only now (it is also mailed to them when this server sends mail)."
            />
        </section>
    }
}

#[component]
fn StaffTables(list: StaffList, manage: bool, me: Option<uuid::Uuid>, actions: MemberActions) -> impl IntoView {
    let refusals = [
        failed(actions.change_role),
        failed(actions.set_active),
        failed(actions.bind),
        failed(actions.resend),
        failed(actions.revoke),
    ];
    let error = Signal::derive(move || refusals.iter().find_map(|refused| refused.get()));
    let vendors = list.vendors;
    let places = list.locations;
    view! {
        <FormAlert error />
        <section class="card p-0">
            <div class="table-wrap">
                <table class="table">
                    <thead><tr><th>"Name"</th><th>"Role"</th><th>"Works at"</th><th>"Status"</th>{manage.then(|| view! { <th class="text-right">"Access"</th> })}</tr></thead>
                    <tbody>
                        {list.members.into_iter().map(|m| {
                            let column = manage;
                            let manage = manage && Some(m.user) != me;
                            view! { <MemberRow member=m column manage actions vendors=vendors.clone() places=places.clone() /> }
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
                            <li class="flex flex-wrap items-center justify-between gap-2 px-4 py-3 text-sm" data-testid="invitation">
                                <span class="font-medium">{i.email.clone()}</span>
                                <span class="text-slate-500">{format!("{} · expires {}", role_text(i.role, i.vendor.as_deref()), business_time(i.expires_at))}</span>
                                {manage.then(|| view! { <InvitationActions id=i.id email=i.email actions /> })}
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <LinkShownOnce
                answer=actions.resend.value().into()
                testid="resent-link"
                message="Sent again with a new link, which works for 7 days; the old link no longer works. Give them this link: it is shown only now."
            />
        </section>
    }
}

/// An invitation's link, shown once it is made (it is never shown again), to copy. A second
/// press of the same form made nothing and has no link: that is said instead.
#[component]
pub(crate) fn LinkShownOnce(
    /// The answer of the form that makes the link: `Some(None)` for a second press.
    answer: Signal<Option<Result<Option<String>, crate::AppError>>>,
    testid: &'static str,
    message: &'static str,
) -> impl IntoView {
    let link = move || answer.get().and_then(Result::ok).flatten();
    let repeated = move || matches!(answer.get(), Some(Ok(None)));
    view! {
        <Show when=move || link().is_some()>
            <div class="notice mt-4" role="status">
                <p class="font-medium">{message}</p>
                <input class="input mt-2 font-mono text-xs" readonly data-testid=testid prop:value=move || link().unwrap_or_default() />
            </div>
        </Show>
        <Show when=repeated>
            <p class="notice mt-4" role="status" data-testid=format!("{testid}-repeated")>
                "That was a second press: the invitation went with the first, whose link was shown then and is not kept. To get a new link, send the invitation again."
            </p>
        </Show>
    }
}

/// Sending an open invitation again, or withdrawing it (after a second press that says what
/// happens, so a slip of the finger withdraws nothing).
#[component]
fn InvitationActions(id: uuid::Uuid, email: String, actions: MemberActions) -> impl IntoView {
    let resend_label = format!("Send the invitation to {email} again");
    let revoke_label = format!("Revoke the invitation to {email}");
    let revoke_question = format!("Revoke the invitation to {email}? Its link stops working at once.");
    view! {
        <div class="flex flex-wrap items-center gap-2">
            <ActionForm action=actions.resend>
                <SubmissionKey renew=actions.resend.version() />
                <input type="hidden" name="id" value=id.to_string() />
                <button type="submit" class="btn btn-secondary btn-sm" aria-label=resend_label disabled=move || actions.resend.pending().get()>"Send again"</button>
            </ActionForm>
            <details>
                <summary class="btn btn-secondary btn-sm cursor-pointer" aria-label=revoke_label>"Revoke"</summary>
                <ActionForm action=actions.revoke attr:class="mt-2 grid gap-2">
                    <SubmissionKey renew=actions.revoke.version() />
                    <input type="hidden" name="id" value=id.to_string() />
                    <p class="text-xs text-slate-600">{revoke_question}</p>
                    <button type="submit" class="btn btn-danger btn-sm justify-self-start">"Yes, revoke it"</button>
                </ActionForm>
            </details>
        </div>
    }
}

#[component]
fn MemberRow(
    member: StaffRow,
    /// Whether the table has the access column.
    column: bool,
    /// Whether this row's access may be changed (never one's own).
    manage: bool,
    actions: MemberActions,
    vendors: Vec<VendorChoice>,
    /// The business's locations, to bind a member to.
    places: Vec<Place>,
) -> impl IntoView {
    let StaffRow { user, name, email, role, vendor, locations, active, .. } = member;
    let name_again = name.clone();
    // Owners run every location; the others may be bound to some.
    let bindable = manage && role != Role::Owner;
    let places_cell = view! { <WorksAt user name=name.clone() bindable bound=locations places bind=actions.bind /> };
    let current = RoleChoice { role, vendor: vendor.as_ref().map(|v| v.id) };
    let vendor = vendor.map(|v| v.name);
    let select_id = format!("role-{user}");
    let select_label = format!("Role of {name}");
    let role_cell = if manage {
        view! {
            <ActionForm action=actions.change_role attr:class="flex items-center gap-2">
                <SubmissionKey renew=actions.change_role.version() />
                <input type="hidden" name="user" value=user.to_string() />
                <label class="sr-only" for=select_id.clone()>{select_label}</label>
                <RoleSelect id=select_id selected=current vendors />
                <button type="submit" class="btn btn-secondary btn-sm">"Change"</button>
            </ActionForm>
        }
        .into_any()
    } else {
        role_text(role, vendor.as_deref()).into_any()
    };
    view! {
        <tr>
            <td><div class="font-medium">{name}</div><div class="text-xs text-slate-500">{email}</div></td>
            <td>{role_cell}</td>
            <td>{places_cell}</td>
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
                    {if active {
                        // Deactivating signs them out at once: asked twice, saying so.
                        view! {
                            <details class="inline-block text-left">
                                <summary class="btn btn-secondary btn-sm cursor-pointer" aria-label=format!("Deactivate {name_again}")>"Deactivate"</summary>
                                <ActionForm action=actions.set_active attr:class="mt-2 grid w-56 gap-2">
                                    <SubmissionKey renew=actions.set_active.version() />
                                    <input type="hidden" name="user" value=user.to_string() />
                                    <input type="hidden" name="active" value="false" />
                                    <p class="text-xs text-slate-600">{format!("Deactivate {name_again}? They are signed out at once and cannot sign in until reactivated.")}</p>
                                    <button type="submit" class="btn btn-danger btn-sm justify-self-start">"Yes, deactivate"</button>
                                </ActionForm>
                            </details>
                        }.into_any()
                    } else {
                        view! {
                            <ActionForm action=actions.set_active>
                                <SubmissionKey renew=actions.set_active.version() />
                                <input type="hidden" name="user" value=user.to_string() />
                                <input type="hidden" name="active" value="true" />
                                <button type="submit" class="btn btn-secondary btn-sm">"Reactivate"</button>
                            </ActionForm>
                        }.into_any()
                    }}
                </td>
            })}
        </tr>
    }
}

/// Where a member works: every location, or those named; for the owner, a form to choose.
#[component]
fn WorksAt(
    user: uuid::Uuid,
    name: String,
    bindable: bool,
    bound: Vec<Place>,
    places: Vec<Place>,
    bind: ServerAction<BindStaffLocations>,
) -> impl IntoView {
    let summary = if bound.is_empty() {
        "Every location".to_owned()
    } else {
        bound.iter().map(|p| p.name.as_str()).collect::<Vec<_>>().join(", ")
    };
    if !bindable {
        return view! { <span class="inline-block min-w-36 text-sm">{summary}</span> }.into_any();
    }
    // This member's form sent back refused keeps the boxes as they were ticked.
    let sent_back = sent::<BindStaffLocations>("user").as_deref() == Some(user.to_string().as_str());
    let boxes = places
        .into_iter()
        .enumerate()
        .map(|(i, place)| {
            let saved = bound.iter().any(|b| b.id == place.id);
            let checked = if sent_back { typed(&format!("locations[{i}]")).is_some() } else { saved };
            view! {
                <label class="flex items-center gap-2 text-sm">
                    <input type="checkbox" name=format!("locations[{i}]") value=place.id.0.to_string() checked=checked />
                    {place.name}
                </label>
            }
        })
        .collect_view();
    view! {
        <details class="min-w-36">
            <summary class="cursor-pointer text-sm" aria-label=format!("Where {name} works: {summary}")>{summary.clone()}</summary>
            <ActionForm action=bind attr:class="mt-2 grid gap-1">
                <SubmissionKey renew=bind.version() />
                <input type="hidden" name="user" value=user.to_string() />
                <p class="text-xs text-slate-500">"Tick none for every location."</p>
                {boxes}
                <button type="submit" class="btn btn-secondary btn-sm mt-1 justify-self-start">"Save"</button>
            </ActionForm>
        </details>
    }
    .into_any()
}

/// A role as the staff page prints it: "Cashier", or "Staff of Lagos Gadgets".
fn role_text(role: Role, vendor: Option<&str>) -> String {
    match vendor {
        Some(vendor) => format!("Staff of {vendor}"),
        None => role.label().to_owned(),
    }
}
