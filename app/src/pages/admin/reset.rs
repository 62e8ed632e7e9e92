use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::{RequestPasswordReset, ResetPassword};
use crate::components::{Field, FormAlert, failed};

/// `/admin/forgot`: ask for a reset link.
#[component]
pub fn ForgotPage() -> impl IntoView {
    let action = ServerAction::<RequestPasswordReset>::new();
    let error = failed(action);
    let sent = move || matches!(action.value().get(), Some(Ok(())));
    view! {
        <Title text="Forgot your password" />
        <main class="auth-page">
            <div class="auth-card">
                <a href="/" class="brand"><span class="brand-mark">"SC"</span><span>"SC-1"</span></a>
                <h1 class="mt-6 text-2xl font-bold text-slate-900">"Forgot your password?"</h1>
                <p class="mt-1 text-sm text-slate-600">"We will send a link to set a new one. It works for an hour."</p>
                <Show
                    when=sent
                    fallback=move || view! {
                        <ActionForm action attr:class="mt-6 space-y-4">
                            <Field label="Email" name="email" kind="email" autocomplete="username" error />
                            <FormAlert error beside=&["email"] />
                            <button type="submit" class="btn btn-primary w-full" disabled=move || action.pending().get()>"Send the link"</button>
                        </ActionForm>
                    }
                >
                    <p class="notice mt-6" role="status">"If that email has an account, a link is on its way to it."</p>
                </Show>
                <p class="mt-6 text-sm"><a class="font-semibold text-brand-700" href="/admin/login">"Back to sign in"</a></p>
            </div>
        </main>
    }
}

/// `/admin/reset/{token}`: set a new password with a reset link.
#[component]
pub fn ResetPage() -> impl IntoView {
    let action = ServerAction::<ResetPassword>::new();
    let error = failed(action);
    let token = use_params_map().read_untracked().get("token").unwrap_or_default();
    view! {
        <Title text="Set a new password" />
        <main class="auth-page">
            <div class="auth-card">
                <a href="/" class="brand"><span class="brand-mark">"SC"</span><span>"SC-1"</span></a>
                <h1 class="mt-6 text-2xl font-bold text-slate-900">"Set a new password"</h1>
                <ActionForm action attr:class="mt-6 space-y-4">
                    <input type="hidden" name="token" value=token />
                    <Field label="New password" name="password" kind="password" autocomplete="new-password" hint="At least 10 characters, not a common password." error />
                    <FormAlert error beside=&["password"] />
                    <button type="submit" class="btn btn-primary w-full" disabled=move || action.pending().get()>"Save and sign in"</button>
                </ActionForm>
            </div>
        </main>
    }
}
