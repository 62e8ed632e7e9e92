use commerce::identity::InvitationPreview;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::{AcceptInvitation, load_invitation};
use crate::components::{Field, FormAlert, Loaded};

/// `/admin/invite/{token}`: someone invited to a business accepts and sets their password.
#[component]
pub fn InvitationPage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let invitation = Resource::new(token, load_invitation);
    view! {
        <Title text="Join your team" />
        <main class="auth-page">
            <div class="auth-card">
                <Loaded resource=invitation let:invitation>
                    <AcceptForm invitation token=token() />
                </Loaded>
            </div>
        </main>
    }
}

#[component]
fn AcceptForm(invitation: InvitationPreview, token: String) -> impl IntoView {
    let action = ServerAction::<AcceptInvitation>::new();
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    let role = invitation.role.label().to_lowercase();
    view! {
        <a href="/" class="brand"><span class="brand-mark">"SC"</span><span>"SC-1"</span></a>
        <h1 class="mt-6 text-2xl font-bold text-slate-900">{format!("Join {}", invitation.business)}</h1>
        <p class="mt-1 text-sm text-slate-600">{format!("You are invited as {role}, signing in as {}.", invitation.email)}</p>
        <ActionForm action attr:class="mt-6 space-y-4">
            <input type="hidden" name="token" value=token />
            {if invitation.has_account {
                view! {
                    <input type="hidden" name="name" value="" />
                    <Field label="Your existing password" name="password" kind="password" autocomplete="current-password" error />
                }.into_any()
            } else {
                view! {
                    <Field label="Your name" name="name" autocomplete="name" error />
                    <Field label="Choose a password" name="password" kind="password" autocomplete="new-password" hint="At least 10 characters, not a common password." error />
                }.into_any()
            }}
            <FormAlert error />
            <button type="submit" class="btn btn-primary w-full">"Join the team"</button>
        </ActionForm>
    }
}
