use commerce::base::Actor;
use commerce::identity::Storefront;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::{LogInShopper, LogOutShopper, RegisterShopper, current_actor, load_my_orders, load_storefront};
use crate::components::{Field, FormAlert, Loaded, failed, successes};

/// `/store/{slug}/account`: a shopper signs in, opens an account, or signs out.
#[component]
pub fn StoreAccountPage() -> impl IntoView {
    let params = use_params_map();
    let store = Resource::new(move || params.read().get("slug").unwrap_or_default(), load_storefront);
    let log_in = ServerAction::<LogInShopper>::new();
    let register = ServerAction::<RegisterShopper>::new();
    // Signing in or up answers with this same address, so who is signed in is asked again.
    let (logged_in, registered) = (successes(log_in), successes(register));
    let actor = Resource::new(move || (logged_in.get(), registered.get()), |_| current_actor());
    let orders = Resource::new(
        move || (logged_in.get(), registered.get(), params.read().get("slug").unwrap_or_default()),
        |(_, _, slug)| load_my_orders(slug),
    );
    view! {
        <Loaded resource=store let:store>
            <Title text=format!("Your account · {}", store.tenant.name) formatter=|text: String| text />
            <header class="store-header">
                <div class="mx-auto flex max-w-6xl items-center justify-between gap-4 px-4 py-3 sm:px-6">
                    <a href=format!("/store/{}", store.tenant.slug) class="text-lg font-bold text-slate-900">{store.tenant.name.clone()}</a>
                </div>
            </header>
            <main class="mx-auto max-w-4xl px-4 py-8 sm:px-6">
                <Loaded resource=actor let:actor>
                    <AccountView store=store.clone() actor log_in register orders />
                </Loaded>
            </main>
        </Loaded>
    }
}

#[component]
fn AccountView(
    store: Storefront,
    actor: Option<Actor>,
    log_in: ServerAction<LogInShopper>,
    register: ServerAction<RegisterShopper>,
    orders: Resource<Result<Vec<(commerce::orders::OrderSummary, uuid::Uuid)>, crate::AppError>>,
) -> impl IntoView {
    let slug = store.tenant.slug.clone();
    match actor {
        Some(Actor::Shopper { tenant, name, .. }) if tenant == store.tenant.id => {
            let log_out = ServerAction::<LogOutShopper>::new();
            let orders_slug = slug.clone();
            view! {
                <section class="card max-w-lg">
                    <h1 class="text-xl font-bold text-slate-900">{format!("Welcome, {name}")}</h1>
                    <p class="mt-2 text-sm text-slate-600">"You are signed in to this store."</p>
                    <ActionForm action=log_out attr:class="mt-4">
                        <input type="hidden" name="slug" value=slug.clone() />
                        <button type="submit" class="btn btn-secondary">"Sign out"</button>
                    </ActionForm>
                </section>
                <MyOrders slug=orders_slug orders />
            }
            .into_any()
        }
        _ => view! {
            <div class="grid gap-6 md:grid-cols-2">
                <SignInForm slug=slug.clone() action=log_in />
                <RegisterForm slug action=register />
            </div>
        }
        .into_any(),
    }
}

#[component]
fn SignInForm(slug: String, action: ServerAction<LogInShopper>) -> impl IntoView {
    let error = failed(action);
    view! {
        <section class="card">
            <h1 class="text-xl font-bold text-slate-900">"Sign in"</h1>
            <ActionForm action attr:class="mt-4 space-y-4">
                <input type="hidden" name="slug" value=slug />
                <Field label="Email" name="email" id="login_email" kind="email" autocomplete="username" error />
                <Field label="Password" name="password" id="login_password" kind="password" autocomplete="current-password" error />
                <FormAlert error beside=&["email", "password"] />
                <button type="submit" class="btn btn-primary w-full" disabled=move || action.pending().get()>"Sign in"</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn RegisterForm(slug: String, action: ServerAction<RegisterShopper>) -> impl IntoView {
    let error = failed(action);
    view! {
        <section class="card">
            <h2 class="text-xl font-bold text-slate-900">"New here? Open an account"</h2>
            <ActionForm action attr:class="mt-4 space-y-4">
                <input type="hidden" name="slug" value=slug />
                <Field label="Your name" name="name" id="register_name" autocomplete="name" error />
                <Field label="Email address" name="email" id="register_email" kind="email" autocomplete="email" error />
                <Field label="Phone (for deliveries)" name="phone" id="register_phone" kind="tel" autocomplete="tel" hint="A mobile number, such as 0803 123 4567." error />
                <Field label="Choose a password" name="password" id="register_password" kind="password" autocomplete="new-password" hint="At least 10 characters, not a common password." error />
                <FormAlert error beside=&["name", "email", "phone", "password"] />
                <button type="submit" class="btn btn-secondary w-full" disabled=move || action.pending().get()>"Open my account"</button>
            </ActionForm>
        </section>
    }
}

/// The signed-in shopper's orders, each linking to its page.
#[component]
fn MyOrders(
    slug: String,
    orders: Resource<Result<Vec<(commerce::orders::OrderSummary, uuid::Uuid)>, crate::AppError>>,
) -> impl IntoView {
    view! {
        <section class="card mt-6" data-testid="my-orders">
            <h2 class="text-lg font-semibold text-slate-900">"Your orders"</h2>
            <Loaded resource=orders let:orders>
                {if orders.is_empty() {
                    view! { <p class="mt-2 text-sm text-slate-600">"No orders yet."</p> }.into_any()
                } else {
                    view! {
                        <ul class="mt-2 space-y-1 text-sm">
                            {orders.into_iter().map(|(o, key)| view! {
                                <li><a class="text-brand-700" href=format!("/store/{slug}/order/{key}")>{o.number.clone()}</a>
                                    {format!(" · {} · {} · {}", crate::components::business_time(o.placed_at), o.status.label(), o.total)}</li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            </Loaded>
        </section>
    }
}
