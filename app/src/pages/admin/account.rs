use commerce::base::Actor;
use commerce::identity::session::SessionView;
use leptos::prelude::*;

use super::AdminPage;
use crate::api::{ChangePassword, EndSession, load_sessions};
use crate::components::{
    Field, FormAlert, Loaded, Needs, PageHeader, SubmissionKey, business_time, clear_after_success, failed, successes,
};

/// `/admin/account`: the signed-in person's password and sessions.
#[component]
pub fn AccountPage() -> impl IntoView {
    // Loaded outside the gate, so that it is loaded once (see `Gate`).
    let end = ServerAction::<EndSession>::new();
    let change = ServerAction::<ChangePassword>::new();
    // A new password ends the other sessions, so the list is read again after it too.
    let (ended, changed) = (successes(end), successes(change));
    let sessions = Resource::new(move || (ended.get(), changed.get()), |_| load_sessions());
    view! {
        <AdminPage title="Your account" needs=Needs::SignedIn let:actor>
            <PageHeader title="Your account" subtitle=describe(&actor) />
            <div class="grid gap-6 lg:grid-cols-2">
                <PasswordForm action=change />
                <Sessions end sessions />
            </div>
        </AdminPage>
    }
}

fn describe(actor: &Actor) -> String {
    match actor {
        Actor::Staff(m) => format!("{} · {} at {}", m.email, m.role.label(), m.tenant_name),
        other => other.label(),
    }
}

#[component]
fn PasswordForm(action: ServerAction<ChangePassword>) -> impl IntoView {
    let error = failed(action);
    let done = move || matches!(action.value().get(), Some(Ok(())));
    let form = NodeRef::<leptos::html::Form>::new();
    clear_after_success(form, action.value().into());
    view! {
        <section class="card">
            <h2 class="font-semibold text-slate-900">"Change your password"</h2>
            <ActionForm action node_ref=form attr:class="mt-4 space-y-4">
                <SubmissionKey renew=action.version() />
                <Field label="Current password" name="current_password" kind="password" autocomplete="current-password" error />
                <Field label="New password" name="new_password" kind="password" autocomplete="new-password" hint="At least 10 characters, not a common password." error />
                <FormAlert error beside=&["current_password", "new_password"] />
                <Show when=done>
                    <p class="notice" role="status">"Password changed. Your other sessions have been signed out."</p>
                </Show>
                <button type="submit" class="btn btn-primary">"Change password"</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn Sessions(
    end: ServerAction<EndSession>,
    sessions: Resource<Result<Vec<SessionView>, crate::AppError>>,
) -> impl IntoView {
    view! {
        <section class="card">
            <h2 class="font-semibold text-slate-900">"Where you are signed in"</h2>
            <Loaded resource=sessions let:sessions>
                <ul class="mt-3 divide-y divide-slate-100">
                    {sessions.into_iter().map(|s| view! { <SessionRow session=s end /> }).collect_view()}
                </ul>
            </Loaded>
        </section>
    }
}

#[component]
fn SessionRow(session: SessionView, end: ServerAction<EndSession>) -> impl IntoView {
    let browser = browser_name(&session.user_agent);
    view! {
        <li class="flex items-center justify-between gap-3 py-3 text-sm" data-testid="session">
            <div>
                <div class="font-medium">{browser} {session.current.then_some(" · this browser")}</div>
                <div class="text-xs text-slate-500">
                    {format!("{} · last used {}", session.ip, business_time(session.last_seen_at))}
                </div>
            </div>
            {(!session.current).then(|| view! {
                <ActionForm action=end>
                    <input type="hidden" name="session" value=session.id.to_string() />
                    <button type="submit" class="btn btn-secondary btn-sm">"Sign out"</button>
                </ActionForm>
            })}
        </li>
    }
}

/// A short name for a browser from its user agent.
fn browser_name(agent: &str) -> &'static str {
    let platform = if agent.contains("Android") {
        "Android"
    } else if agent.contains("iPhone") || agent.contains("iPad") {
        "iOS"
    } else if agent.contains("Windows") {
        "Windows"
    } else if agent.contains("Mac OS") {
        "macOS"
    } else if agent.contains("Linux") {
        "Linux"
    } else {
        ""
    };
    match (
        agent.contains("Edg/"),
        agent.contains("Chrome"),
        agent.contains("Firefox"),
        agent.contains("Safari"),
        platform,
    ) {
        (true, ..) => "Edge",
        (_, true, _, _, "Android") => "Chrome on Android",
        (_, true, ..) => "Chrome",
        (_, _, true, ..) => "Firefox",
        (_, _, _, true, "iOS") => "Safari on iOS",
        (_, _, _, true, _) => "Safari",
        _ => "A browser",
    }
}
