use commerce::identity::PendingSignUp;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::{ConfirmSignUp, load_pending_sign_up};
use crate::components::{FormAlert, Loaded, failed};

/// `/signup/confirm/{token}`: the link mailed to a new owner. Opening the page changes nothing
/// (mail scanners follow links); the button opens the business and signs the owner in.
#[component]
pub fn SignUpConfirmPage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let pending = Resource::new(token, load_pending_sign_up);
    view! {
        <Title text="Open your business" />
        <main class="auth-page">
            <div class="auth-card">
                <Loaded resource=pending let:pending>
                    <ConfirmForm pending token=token() />
                </Loaded>
            </div>
        </main>
    }
}

#[component]
fn ConfirmForm(pending: PendingSignUp, token: String) -> impl IntoView {
    let action = ServerAction::<ConfirmSignUp>::new();
    let error = failed(action);
    view! {
        <a href="/" class="brand"><span class="brand-mark">"SC"</span><span>"SC-1"</span></a>
        <h1 class="mt-6 text-2xl font-bold text-slate-900">{format!("Open {}", pending.business_name)}</h1>
        <p class="mt-1 text-sm text-slate-600">
            {format!("Its store will be at /store/{}; you sign in as {}.", pending.slug, pending.email)}
        </p>
        <ActionForm action attr:class="mt-6 space-y-4">
            <input type="hidden" name="token" value=token />
            <FormAlert error />
            <button type="submit" class="btn btn-primary w-full" disabled=move || action.pending().get()>
                {move || if action.pending().get() { "Opening your business…" } else { "Open my business" }}
            </button>
        </ActionForm>
    }
}
