use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::SignUp;
use crate::components::{Field, FieldError, FormAlert, failed};

/// `/signup`: a new business asks for its account; the owner gets a link by mail that opens it.
/// The answer is the same whether or not the address already has an account (`?sent=1`).
#[component]
pub fn SignUpPage() -> impl IntoView {
    let query = use_query_map();
    let sent = move || query.read().get("sent").is_some();
    let action = ServerAction::<SignUp>::new();
    let error = failed(action);
    // Sent back refused without the script, the form keeps how the business sells.
    let mode = crate::components::sent::<SignUp>("mode").unwrap_or_default();
    let (mvm, both) = (mode == "mvm", mode == "both");
    view! {
        <Title text="Open an account" />
        <main class="auth-page">
            <div class="auth-card max-w-lg">
                <a href="/" class="brand"><span class="brand-mark">"SC"</span><span>"SC-1"</span></a>
                <Show when=sent>
                    <h1 class="mt-6 text-2xl font-bold text-slate-900">"Check your email"</h1>
                    <p class="notice mt-4" role="status" data-testid="signup-sent">
                        "We have mailed a link to the address you gave. Follow it within 24 hours to open your business. "
                        "Nothing arrived? Look in your spam folder, or sign up again."
                    </p>
                    <p class="mt-6 text-sm"><a class="font-semibold text-brand-700" href="/admin/login">"Go to sign in"</a></p>
                </Show>
                <Show when=move || !sent()>
                <h1 class="mt-6 text-2xl font-bold text-slate-900">"Open an account for your business"</h1>
                <p class="mt-1 text-sm text-slate-600">"Naira and VAT at 7.5% are set up for you; change them later in settings."</p>
                <ActionForm action attr:class="mt-6 space-y-4">
                    <Field label="Business name" name="business_name" autocomplete="organization" error />
                    <Field label="Web address" name="slug" hint="Where shoppers find your online store on this site (/store/mama-put-foods): letters, digits and dashes. Leave it empty and we make one from your business name." error />
                    <div class="field">
                        <label class="label" for="mode">"How you sell"</label>
                        <select class="input" id="mode" name="mode">
                            <option value="svm">"My own products (online store)"</option>
                            <option value="mvm" selected=mvm>"Other vendors' products (marketplace)"</option>
                            <option value="both" selected=both>"Both"</option>
                        </select>
                        <FieldError error field="mode" />
                    </div>
                    <Field label="Your name" name="owner_name" autocomplete="name" error />
                    <Field label="Your email" name="email" kind="email" autocomplete="email" error />
                    <Field label="Password" name="password" kind="password" autocomplete="new-password" hint="At least 10 characters, not a common password." error />
                    <FormAlert error beside=&["business_name", "slug", "mode", "owner_name", "email", "password"] />
                    <button type="submit" class="btn btn-primary w-full" disabled=move || action.pending().get()>
                        {move || if action.pending().get() { "Sending the link…" } else { "Open my account" }}
                    </button>
                </ActionForm>
                <p class="mt-6 text-sm text-slate-600">
                    "Already have an account? " <a class="font-semibold text-brand-700" href="/admin/login">"Sign in"</a>
                </p>
                </Show>
            </div>
        </main>
    }
}
