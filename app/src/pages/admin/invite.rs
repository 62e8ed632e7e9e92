use commerce::base::Actor;
use commerce::identity::InvitationPreview;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::{AcceptInvitation, current_actor, load_invitation};
use crate::components::{Field, FormAlert, Loaded, failed};

/// `/admin/invite/{token}`: someone invited to a business accepts and sets their password.
#[component]
pub fn InvitationPage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let invitation = Resource::new(token, load_invitation);
    let me = Resource::new(|| (), |()| current_actor());
    view! {
        <Title text="Join your team" />
        <main class="auth-page">
            <div class="auth-card">
                <Loaded resource=invitation let:invitation>
                    <Loaded resource=me let:me>
                        <AcceptForm
                            signed_in_as=match me { Some(Actor::Staff(member)) => Some(member.email), _ => None }
                            invitation=invitation.clone()
                            token=token()
                        />
                    </Loaded>
                </Loaded>
            </div>
        </main>
    }
}

/// Someone new chooses a name and a password; someone signed in as the invited address joins
/// with a click; anyone else is asked to sign in to the invited account first (no password is
/// ever checked here).
#[component]
fn AcceptForm(invitation: InvitationPreview, token: String, signed_in_as: Option<String>) -> impl IntoView {
    let action = ServerAction::<AcceptInvitation>::new();
    let error = failed(action);
    let role = invitation.role.label().to_lowercase();
    let is_invited = signed_in_as.is_some_and(|email| email.eq_ignore_ascii_case(&invitation.email));
    let sign_in = format!("/admin/login?next=/admin/invite/{token}");
    view! {
        <a href="/" class="brand"><span class="brand-mark">"SC"</span><span>"SC-1"</span></a>
        <h1 class="mt-6 text-2xl font-bold text-slate-900">{format!("Join {}", invitation.business)}</h1>
        <p class="mt-1 text-sm text-slate-600">{format!("You are invited as {role}, signing in as {}.", invitation.email)}</p>
        <ActionForm action attr:class="mt-6 space-y-4">
            <input type="hidden" name="token" value=token />
            {if is_invited {
                view! {
                    <input type="hidden" name="name" value="" />
                    <input type="hidden" name="password" value="" />
                }.into_any()
            } else {
                view! {
                    <Field label="Your name" name="name" autocomplete="name" error />
                    <Field label="Choose a password" name="password" kind="password" autocomplete="new-password" hint="At least 10 characters, not a common password." error />
                }.into_any()
            }}
            <FormAlert error beside=&["name", "password"] />
            <button type="submit" class="btn btn-primary w-full" disabled=move || action.pending().get()>"Join the team"</button>
        </ActionForm>
        <Show when=move || !is_invited>
            <p class="mt-6 text-sm text-slate-600">
                "Already use SC-1 with this address? "
                <a class="font-semibold text-brand-700" href=sign_in.clone()>"Sign in first"</a>
                ", then join with one click."
            </p>
        </Show>
    }
}
