use commerce::base::Actor;
use commerce::identity::Storefront;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::{
    ConfirmShopperEmail, ForgetAddress, LogInShopper, LogOutShopper, RegisterShopper, RequestShopperReset,
    ResendEmailCheck, ResetShopperPassword, current_actor, load_my_addresses, load_my_orders, load_shopper_account,
    load_storefront,
};
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
    let account = Resource::new(
        move || (logged_in.get(), registered.get(), params.read().get("slug").unwrap_or_default()),
        |(_, _, slug)| load_shopper_account(slug),
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
                    <AccountView store=store.clone() actor log_in register orders account />
                </Loaded>
            </main>
        </Loaded>
    }
}

/// The signed-in shopper's account, as loaded.
type ShopperAccountResource = Resource<Result<Option<commerce::identity::ShopperAccount>, crate::AppError>>;

#[component]
fn AccountView(
    store: Storefront,
    actor: Option<Actor>,
    log_in: ServerAction<LogInShopper>,
    register: ServerAction<RegisterShopper>,
    orders: Resource<Result<Vec<(commerce::orders::OrderSummary, uuid::Uuid)>, crate::AppError>>,
    account: ShopperAccountResource,
) -> impl IntoView {
    let slug = store.tenant.slug.clone();
    match actor {
        Some(Actor::Shopper { tenant, name, .. }) if tenant == store.tenant.id => {
            let log_out = ServerAction::<LogOutShopper>::new();
            let (orders_slug, check_slug, addresses_slug) = (slug.clone(), slug.clone(), slug.clone());
            view! {
                <section class="card max-w-lg">
                    <h1 class="text-xl font-bold text-slate-900">{format!("Welcome, {name}")}</h1>
                    <p class="mt-2 text-sm text-slate-600">"You are signed in to this store."</p>
                    <ActionForm action=log_out attr:class="mt-4">
                        <input type="hidden" name="slug" value=slug.clone() />
                        <button type="submit" class="btn btn-secondary">"Sign out"</button>
                    </ActionForm>
                </section>
                <EmailCheck slug=check_slug account />
                <MyOrders slug=orders_slug orders />
                <MyAddresses slug=addresses_slug />
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
    let reset = use_query_map().read_untracked().get("reset").is_some();
    let forgot = format!("/store/{slug}/forgot");
    view! {
        <section class="card">
            <h1 class="text-xl font-bold text-slate-900">"Sign in"</h1>
            {reset.then(|| view! {
                <p class="notice mt-3" role="status" data-testid="password-set">"Your new password is set. Sign in with it."</p>
            })}
            <ActionForm action attr:class="mt-4 space-y-4">
                <input type="hidden" name="slug" value=slug.clone() />
                <Field label="Email" name="email" id="login_email" kind="email" autocomplete="username" error />
                <Field label="Password" name="password" id="login_password" kind="password" autocomplete="current-password" error />
                <FormAlert error beside=&["email", "password"] />
                <button type="submit" class="btn btn-primary w-full" disabled=move || action.pending().get()>"Sign in"</button>
            </ActionForm>
            <p class="mt-4 text-sm"><a class="font-semibold text-brand-700" href=forgot>"Forgot your password?"</a></p>
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

/// Whether the shopper's email is confirmed: until it is, a word on why it matters and a button
/// that mails the link again.
#[component]
fn EmailCheck(slug: String, account: ShopperAccountResource) -> impl IntoView {
    let query = use_query_map();
    let said = move |name: &str| query.read_untracked().get(name).is_some();
    let (sent, confirmed) = (said("sent"), said("confirmed"));
    view! {
        <Loaded resource=account let:account>
            {account.map(|account| {
                let slug = slug.clone();
                if account.email_confirmed {
                    confirmed.then(|| view! {
                        <p class="notice mt-4 max-w-lg" role="status" data-testid="email-confirmed">
                            "Your email is confirmed. The orders you placed here as a guest with it are in your account."
                        </p>
                    }).into_any()
                } else {
                    let resend = ServerAction::<ResendEmailCheck>::new();
                    let error = failed(resend);
                    view! {
                        <section class="card mt-4 max-w-lg" data-testid="email-check">
                            <h2 class="font-semibold text-slate-900">"Confirm your email"</h2>
                            <p class="mt-1 text-sm text-slate-600">
                                {format!("We sent a link to {}. Open it, and the orders you placed here as a guest with this email join your account.", account.email)}
                            </p>
                            {sent.then(|| view! { <p class="mt-2 text-sm text-emerald-700" role="status">"A new link is on its way."</p> })}
                            <ActionForm action=resend attr:class="mt-3">
                                <input type="hidden" name="slug" value=slug.clone() />
                                <FormAlert error />
                                <button type="submit" class="btn btn-secondary btn-sm">"Send the link again"</button>
                            </ActionForm>
                        </section>
                    }.into_any()
                }
            })}
        </Loaded>
    }
}

/// The addresses the shopper's orders went to, each with a button to forget it.
#[component]
fn MyAddresses(slug: String) -> impl IntoView {
    let addresses = Resource::new(
        {
            let slug = slug.clone();
            move || slug.clone()
        },
        load_my_addresses,
    );
    let forget = ServerAction::<ForgetAddress>::new();
    let error = failed(forget);
    view! {
        <Loaded resource=addresses let:saved>
            {(!saved.is_empty()).then(|| {
                let slug = slug.clone();
                view! {
                    <section class="card mt-6" data-testid="my-addresses">
                        <h2 class="text-lg font-semibold text-slate-900">"Your addresses"</h2>
                        <p class="mt-1 text-sm text-slate-600">"Kept from your orders, and offered at checkout. We keep the last ten."</p>
                        <ul class="mt-3 divide-y divide-slate-100">
                            {saved.into_iter().map(|a| {
                                let slug = slug.clone();
                                view! {
                                    <li class="flex flex-wrap items-center justify-between gap-2 py-2">
                                        <span>{a.address.one_line()}</span>
                                        <ActionForm action=forget>
                                            <input type="hidden" name="slug" value=slug />
                                            <input type="hidden" name="id" value=a.id.to_string() />
                                            <button type="submit" class="btn btn-secondary btn-sm">"Forget"</button>
                                        </ActionForm>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                        <FormAlert error />
                    </section>
                }
            })}
        </Loaded>
    }
}

/// A storefront page of one card about the shopper's account (a link mailed to them, a
/// forgotten password): the store's header, then the card under its title and `body`, which is
/// given the store's slug.
#[component]
fn AccountCard<F, V>(title: &'static str, body: F) -> impl IntoView
where
    F: Fn(String) -> V + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let params = use_params_map();
    let store = Resource::new(move || params.read().get("slug").unwrap_or_default(), load_storefront);
    view! {
        <Loaded resource=store let:store>
            <Title text=format!("{title} · {}", store.tenant.name) formatter=|text: String| text />
            <crate::pages::store::StoreHeader slug=store.tenant.slug.clone() name=store.tenant.name.clone() shopper=store.shopper.clone() />
            <main class="mx-auto max-w-lg px-4 py-8 sm:px-6">
                <section class="card">
                    <h1 class="text-xl font-bold text-slate-900">{title}</h1>
                    {body(store.tenant.slug.clone())}
                </section>
            </main>
        </Loaded>
    }
}

/// `/store/{slug}/confirm/{token}`: the link mailed to a shopper; one press confirms the email
/// (a press, not the opening, so that a mail scanner following links confirms nothing).
#[component]
pub fn StoreConfirmEmailPage() -> impl IntoView {
    let token = use_params_map().read_untracked().get("token").unwrap_or_default();
    let confirm = ServerAction::<ConfirmShopperEmail>::new();
    let error = failed(confirm);
    view! {
        <AccountCard title="Confirm your email" body=move |slug| { let token = token.clone(); view! {
            <p class="mt-2 text-sm text-slate-600">
                "Confirm that this is your email, and the orders you placed at this store as a guest with it join your account."
            </p>
            <ActionForm action=confirm attr:class="mt-4">
                <input type="hidden" name="slug" value=slug />
                <input type="hidden" name="token" value=token />
                <FormAlert error />
                <button type="submit" class="btn btn-primary w-full" data-testid="confirm-email">"Confirm my email"</button>
            </ActionForm>
        } } />
    }
}

/// `/store/{slug}/forgot`: a shopper asks for a link to set a new password. The page answers
/// the same whether the email has an account here or not.
#[component]
pub fn StoreForgotPage() -> impl IntoView {
    let action = ServerAction::<RequestShopperReset>::new();
    let error = failed(action);
    let sent = use_query_map().read_untracked().get("sent").is_some();
    view! {
        <AccountCard title="Forgot your password?" body=move |slug| { let back = format!("/store/{slug}/account"); view! {
            {if sent {
                view! {
                    <p class="notice mt-4" role="status" data-testid="reset-sent">
                        "If that email has an account at this store, a link to set a new password is on its way to it. It works for an hour."
                    </p>
                }.into_any()
            } else {
                view! {
                    <p class="mt-2 text-sm text-slate-600">"We will email you a link to set a new one. It works for an hour."</p>
                    <ActionForm action attr:class="mt-4 space-y-4">
                        <input type="hidden" name="slug" value=slug.clone() />
                        <Field label="Email" name="email" kind="email" autocomplete="username" error />
                        <FormAlert error beside=&["email"] />
                        <button type="submit" class="btn btn-primary w-full">"Send the link"</button>
                    </ActionForm>
                }.into_any()
            }}
            <p class="mt-4 text-sm"><a class="font-semibold text-brand-700" href=back>"Back to sign in"</a></p>
        } } />
    }
}

/// `/store/{slug}/reset/{token}`: the link mailed to a shopper; they choose a new password.
#[component]
pub fn StoreResetPage() -> impl IntoView {
    let token = use_params_map().read_untracked().get("token").unwrap_or_default();
    let action = ServerAction::<ResetShopperPassword>::new();
    let error = failed(action);
    view! {
        <AccountCard title="Set a new password" body=move |slug| { let token = token.clone(); view! {
            <p class="mt-2 text-sm text-slate-600">"Every place you are signed in to this store is signed out once it is set."</p>
            <ActionForm action attr:class="mt-4 space-y-4">
                <input type="hidden" name="slug" value=slug />
                <input type="hidden" name="token" value=token />
                <Field label="New password" name="password" kind="password" autocomplete="new-password" hint="At least 10 characters, not a common password." error />
                <FormAlert error beside=&["password"] />
                <button type="submit" class="btn btn-primary w-full">"Set my password"</button>
            </ActionForm>
        } } />
    }
}
