use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::LogIn;
use crate::components::{Field, FormAlert, failed};

/// `/admin/login` (and `/vendor/login`): staff, vendor staff and platform admins sign in here.
#[component]
pub fn LoginPage() -> impl IntoView {
    let action = ServerAction::<LogIn>::new();
    let error = failed(action);
    let query = use_query_map().read_untracked();
    let next = query.get("next").unwrap_or_default();
    let reset_done = query.get("reset").is_some_and(|r| r == "done");
    view! {
        <Title text="Sign in" />
        <main class="auth-page">
            <div class="auth-card">
                <a href="/" class="brand"><span class="brand-mark">"SC"</span><span>"SC-1"</span></a>
                <h1 class="mt-6 text-2xl font-bold text-slate-900">"Sign in"</h1>
                <p class="mt-1 text-sm text-slate-600">"For owners, managers, accountants, cashiers and vendor staff."</p>
                {reset_done.then(|| view! { <p class="notice mt-4" role="status">"Your password is changed. Sign in with the new one."</p> })}
                <ActionForm action attr:class="mt-6 space-y-4">
                    <input type="hidden" name="next" value=next />
                    <Field label="Email" name="email" kind="email" autocomplete="username" error />
                    <Field label="Password" name="password" kind="password" autocomplete="current-password" error />
                    <FormAlert error beside=&["email", "password"] />
                    <button type="submit" class="btn btn-primary w-full" disabled=move || action.pending().get()>
                        {move || if action.pending().get() { "Signing in…" } else { "Sign in" }}
                    </button>
                </ActionForm>
                <p class="mt-4 text-sm"><a class="font-semibold text-brand-700" href="/admin/forgot">"Forgot your password?"</a></p>
                <p class="mt-2 text-sm text-slate-600">
                    "New to SC-1? " <a class="font-semibold text-brand-700" href="/signup">"Open an account for your business"</a>
                </p>
            </div>
        </main>
    }
}
