//! `/store/{slug}/sell`: "Sell with us", a seller's application to a marketplace, and the page of
//! the link mailed to confirm it. Both work as the server sends them, like every storefront page.

use commerce::identity::Storefront;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::{ApplyToSell, ConfirmVendorApplication, load_storefront, load_vendor_application};
use crate::components::{Field, FormAlert, Loaded, failed};
use crate::pages::vendor_forms::{BankFields, VendorDetailsFields};

/// `/store/{slug}/sell`: the application form, or, once sent, what happens next.
#[component]
pub fn StoreSellPage() -> impl IntoView {
    let params = use_params_map();
    let store = Resource::new(move || params.read().get("slug").unwrap_or_default(), load_storefront);
    let apply = ServerAction::<ApplyToSell>::new();
    let sent = use_query_map().read_untracked().get("sent").is_some();
    view! {
        <Loaded resource=store let:store>
            <Title text=format!("Sell on {}", store.tenant.name) formatter=|text: String| text />
            <crate::pages::store::StoreHeader slug=store.tenant.slug.clone() name=store.tenant.name.clone() shopper=store.shopper.clone() />
            <main class="mx-auto max-w-3xl px-4 py-8 sm:px-6">
                {if !store.tenant.mode.has_marketplace() {
                    view! {
                        <section class="card">
                            <h1 class="text-xl font-bold text-slate-900">{format!("{} sells its own products", store.tenant.name)}</h1>
                            <p class="mt-2 text-sm text-slate-600">"It does not take other sellers."</p>
                        </section>
                    }
                    .into_any()
                } else if sent {
                    view! { <Sent store /> }.into_any()
                } else {
                    view! { <ApplicationForm store apply /> }.into_any()
                }}
            </main>
        </Loaded>
    }
}

#[component]
fn Sent(store: Storefront) -> impl IntoView {
    view! {
        <section class="card" data-testid="application-sent">
            <h1 class="text-xl font-bold text-slate-900">"Check your email"</h1>
            <p class="mt-2 text-sm text-slate-600">
                {format!("We have emailed a link to the address you gave. Follow it within a day to send your application to {}: until then nothing is sent.", store.tenant.name)}
            </p>
            <p class="mt-4 text-sm"><a class="font-semibold text-brand-700" href=format!("/store/{}", store.tenant.slug)>"Back to the store"</a></p>
        </section>
    }
}

#[component]
fn ApplicationForm(store: Storefront, apply: ServerAction<ApplyToSell>) -> impl IntoView {
    let error = failed(apply);
    let market = store.tenant.name.clone();
    view! {
        <section class="card">
            <h1 class="text-xl font-bold text-slate-900">{format!("Sell on {market}")}</h1>
            <p class="mt-2 text-sm text-slate-600">
                {format!("Tell {market} about your business. It reviews every application, may ask for your documents, and writes to you when it decides. Once approved, you list your products, fulfil your orders and are paid to your bank account.")}
            </p>
            <ActionForm action=apply attr:class="mt-6 space-y-6">
                <input type="hidden" name="slug" value=store.tenant.slug.clone() />
                <fieldset class="grid gap-4 sm:grid-cols-2">
                    <legend class="mb-2 font-semibold text-slate-900">"Your business"</legend>
                    <VendorDetailsFields error start=commerce::marketplace::VendorDetails::default() />
                </fieldset>
                <fieldset class="grid gap-4 sm:grid-cols-3">
                    <legend class="mb-2 font-semibold text-slate-900">"Where we pay you"</legend>
                    <BankFields error />
                </fieldset>
                <fieldset class="grid gap-4 sm:grid-cols-2">
                    <legend class="mb-2 font-semibold text-slate-900">"Your sign-in"</legend>
                    <p class="text-sm text-slate-600 sm:col-span-2">"You sign in to the vendor portal with the email above and this password."</p>
                    <Field label="Choose a password" name="password" kind="password" autocomplete="new-password" hint="At least 10 characters, not a common password." error />
                </fieldset>
                <FormAlert error beside=&["name", "contact_name", "email", "phone", "address", "city", "state", "description", "cac_number", "bank_code", "account_number", "account_name", "password"] />
                <button type="submit" class="btn btn-primary w-full sm:w-auto" data-testid="apply-to-sell">"Send my application"</button>
            </ActionForm>
        </section>
    }
}

/// `/store/{slug}/sell/confirm/{token}`: the link mailed to an applicant; one press sends the
/// application (a press, not the opening, so that a mail scanner following links sends nothing).
#[component]
pub fn StoreSellConfirmPage() -> impl IntoView {
    let params = use_params_map();
    let read = move || (params.read().get("slug").unwrap_or_default(), params.read().get("token").unwrap_or_default());
    let store = Resource::new(move || params.read().get("slug").unwrap_or_default(), load_storefront);
    let pending = Resource::new(read, |(slug, token)| load_vendor_application(slug, token));
    let confirm = ServerAction::<ConfirmVendorApplication>::new();
    let error = failed(confirm);
    view! {
        <Loaded resource=store let:store>
            <Title text=format!("Confirm your application · {}", store.tenant.name) formatter=|text: String| text />
            <crate::pages::store::StoreHeader slug=store.tenant.slug.clone() name=store.tenant.name.clone() shopper=store.shopper.clone() />
            <main class="mx-auto max-w-lg px-4 py-8 sm:px-6">
                <Loaded resource=pending let:pending>
                    <section class="card">
                        <h1 class="text-xl font-bold text-slate-900">"Send your application"</h1>
                        <p class="mt-2 text-sm text-slate-600">
                            {format!("{} applies to sell on {}, signing in as {}.", pending.business_name, pending.marketplace, pending.email)}
                        </p>
                        <ActionForm action=confirm attr:class="mt-4">
                            <input type="hidden" name="slug" value=read().0 />
                            <input type="hidden" name="token" value=read().1 />
                            <FormAlert error />
                            <button type="submit" class="btn btn-primary w-full" data-testid="confirm-application">"Confirm and send"</button>
                        </ActionForm>
                    </section>
                </Loaded>
            </main>
        </Loaded>
    }
}
