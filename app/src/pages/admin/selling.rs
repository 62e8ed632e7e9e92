//! `/admin/selling`: how the business sells online: order numbers, the ways to pay and to
//! receive an order, the bank account for transfers, delivery zones and the Paystack key.

use commerce::base::Permission;
use commerce::orders::{DeliveryZone, STATES, SellingSettings};
use leptos::prelude::*;

use super::AdminPage;
use crate::api::{AddDeliveryZone, RemoveDeliveryZone, SaveSelling, SetPaystackKey, load_selling};
use crate::components::{
    EmptyState, Field, FieldError, FormAlert, Loaded, Needs, PageHeader, SubmissionKey, failed, successes, ticked,
};

/// `/admin/selling`: the storefront's checkout, as the business sets it.
#[component]
pub fn SellingPage() -> impl IntoView {
    let save = ServerAction::<SaveSelling>::new();
    let add = ServerAction::<AddDeliveryZone>::new();
    let remove = ServerAction::<RemoveDeliveryZone>::new();
    let key = ServerAction::<SetPaystackKey>::new();
    let changes = (successes(save), successes(add), successes(remove), successes(key));
    let settings =
        Resource::new(move || (changes.0.get(), changes.1.get(), changes.2.get(), changes.3.get()), |_| load_selling());
    view! {
        <AdminPage title="Selling online" needs=Needs::Permission(Permission::ViewSettings) let:actor>
            <PageHeader title="Selling online" subtitle="How shoppers pay and receive their orders from your store." />
            <Loaded resource=settings let:settings>
                <div class="grid gap-6 lg:grid-cols-2">
                    <CheckoutForm
                        settings=settings.clone()
                        manage=actor.can(Permission::ManageSettings)
                        owner=actor.can(Permission::ManagePaymentAccounts)
                        save
                    />
                    <div class="space-y-6">
                        <Zones zones=settings.zones.clone() manage=actor.can(Permission::ManageSettings) add remove />
                        <PaystackKey kept=settings.paystack manage=actor.can(Permission::ManagePaymentAccounts) key />
                    </div>
                </div>
            </Loaded>
        </AdminPage>
    }
}

#[component]
fn CheckoutForm(
    settings: SellingSettings,
    manage: bool,
    owner: bool,
    save: ServerAction<SaveSelling>,
) -> impl IntoView {
    let error = failed(save);
    let saved = move || matches!(save.value().get(), Some(Ok(())));
    let tick = |name: &str, now: bool| ticked::<SaveSelling>(name, now);
    view! {
        <section class="card">
            <h2 class="font-semibold text-slate-900">"Checkout"</h2>
            <ActionForm action=save attr:class="mt-4 space-y-4">
                <SubmissionKey renew=save.version() />
                <fieldset disabled=!manage class="space-y-4">
                    <Field label="Order numbers begin with" name="order_prefix" value=settings.order_prefix.clone() hint="Up to 8 letters, digits, # or -: # gives #1042." error />
                    <label class="flex items-center gap-2"><input type="checkbox" name="pay_on_delivery" value="on" checked=tick("pay_on_delivery", settings.pay_on_delivery) />"Shoppers may pay on delivery (cash or card at the door)"</label>
                    <label class="flex items-center gap-2"><input type="checkbox" name="pickup_in_shop" value="on" checked=tick("pickup_in_shop", settings.pickup_in_shop) />"Shoppers may pick up at a shop"</label>
                    <label class="flex items-center gap-2"><input type="checkbox" name="test_gateway" value="on" checked=tick("test_gateway", settings.test_gateway) />"Offer the test payment (no money moves: anyone can approve it, so turn it off before selling for real)"</label>
                    <h3 class="font-medium">"Bank transfer"</h3>
                    <p class="text-sm text-slate-600">"Offered when all three are set. Each order shows its own reference; you confirm the money arrived on the order's page."</p>
                    {if owner {
                        view! {
                            <Field label="Bank" name="bank_name" value=settings.bank.bank.clone() error />
                            <Field label="Account number (NUBAN)" name="bank_account_number" value=settings.bank.number.clone() error />
                            <Field label="Name on the account" name="bank_account_name" value=settings.bank.name.clone() error />
                        }.into_any()
                    } else {
                        let account = if settings.bank.number.is_empty() {
                            "No account is set.".to_owned()
                        } else {
                            format!("{} · {} · {}", settings.bank.bank, settings.bank.number, settings.bank.name)
                        };
                        view! {
                            <p class="text-sm">{account}</p>
                            <p class="text-xs text-slate-500">"Only the owner changes where the business's money is paid."</p>
                        }.into_any()
                    }}
                    <Field label="Hours to wait for a transfer" name="transfer_hours" kind="number" value=settings.transfer_hours.to_string() hint="Unpaid after this, the order is called off and its stock goes back." error />
                </fieldset>
                <FormAlert error beside=&["order_prefix", "bank_name", "bank_account_number", "bank_account_name", "transfer_hours"] />
                <Show when=saved><p class="notice" role="status">"Checkout saved."</p></Show>
                {manage.then(|| view! { <button type="submit" class="btn btn-primary" data-testid="save-selling">"Save checkout"</button> })}
            </ActionForm>
        </section>
    }
}

#[component]
fn Zones(
    zones: Vec<DeliveryZone>,
    manage: bool,
    add: ServerAction<AddDeliveryZone>,
    remove: ServerAction<RemoveDeliveryZone>,
) -> impl IntoView {
    let error = failed(add);
    let remove_error = failed(remove);
    view! {
        <section class="card">
            <h2 class="font-semibold text-slate-900">"Delivery zones"</h2>
            <p class="text-sm text-slate-600">"Each state you deliver to is in one zone; states in no zone are not delivered to."</p>
            {if zones.is_empty() {
                view! { <EmptyState title="No delivery yet" message="Add a zone to deliver; until then shoppers pick up at a shop." /> }.into_any()
            } else {
                view! {
                    <ul class="mt-3 space-y-2" data-testid="zones">
                        {zones.into_iter().map(|z| view! { <ZoneRow zone=z manage remove /> }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <FormAlert error=remove_error />
            {manage.then(|| view! {
                <ActionForm action=add attr:class="mt-4 space-y-3">
                    <SubmissionKey renew=add.version() />
                    <Field label="Zone name" name="name" id="zone_name" error />
                    <fieldset>
                        <legend class="label">"States"</legend>
                        <div class="grid max-h-48 grid-cols-2 gap-1 overflow-y-auto rounded border border-slate-200 p-2 sm:grid-cols-3">
                            {STATES.iter().enumerate().map(|(i, state)| {
                                let name = format!("states[{i}]");
                                let checked = ticked::<AddDeliveryZone>(&name, false);
                                view! {
                                    <label class="flex items-center gap-2 text-sm">
                                        <input type="checkbox" name=name value=*state checked=checked />
                                        {*state}
                                    </label>
                                }
                            }).collect_view()}
                        </div>
                        <FieldError error field="states" />
                    </fieldset>
                    <Field label="Delivery charge (₦)" name="rate" id="zone_rate" error />
                    <Field label="Free from (₦, optional)" name="free_above" id="zone_free" error />
                    <Field label="How long it takes (optional)" name="days" id="zone_days" hint="Such as 1–2 days." error />
                    <FormAlert error beside=&["name", "states", "rate", "free_above", "days"] />
                    <button type="submit" class="btn btn-secondary" data-testid="add-zone">"Add zone"</button>
                </ActionForm>
            })}
        </section>
    }
}

#[component]
fn ZoneRow(zone: DeliveryZone, manage: bool, remove: ServerAction<RemoveDeliveryZone>) -> impl IntoView {
    let free = zone.free_above.map(|f| format!(", free from {f}")).unwrap_or_default();
    let days = if zone.days.is_empty() { String::new() } else { format!(" · {}", zone.days) };
    let id = zone.id.to_string();
    view! {
        <li class="flex flex-wrap items-center justify-between gap-2 rounded border border-slate-200 p-3">
            <div>
                <p class="font-medium">{zone.name}</p>
                <p class="text-sm text-slate-600">{format!("{}: {}{free}{days}", zone.states.join(", "), zone.rate)}</p>
            </div>
            {manage.then(|| view! {
                <ActionForm action=remove>
                    <SubmissionKey renew=remove.version() />
                    <input type="hidden" name="id" value=id.clone() />
                    <button type="submit" class="btn btn-secondary btn-sm">"Remove"</button>
                </ActionForm>
            })}
        </li>
    }
}

#[component]
fn PaystackKey(kept: bool, manage: bool, key: ServerAction<SetPaystackKey>) -> impl IntoView {
    let error = failed(key);
    view! {
        <section class="card">
            <h2 class="font-semibold text-slate-900">"Paystack"</h2>
            <p class="text-sm text-slate-600" data-testid="paystack-state">{if kept {
                "Your secret key is kept, sealed: shoppers can pay by card, transfer or USSD through Paystack."
            } else {
                "Keep your Paystack secret key here to take card, transfer and USSD payments."
            }}</p>
            <p class="text-xs text-slate-500">"Set Paystack's webhook to this site's /api/v1/payments/webhooks/paystack."</p>
            {manage.then(|| view! {
                <ActionForm action=key attr:class="mt-3 space-y-3">
                    <Field label="Secret key" name="paystack_secret" kind="password" autocomplete="off" hint="Begins sk_live_ or sk_test_. Leave empty and save to remove it." error />
                    <FormAlert error beside=&["paystack_secret"] />
                    <button type="submit" class="btn btn-secondary">"Save key"</button>
                </ActionForm>
            })}
        </section>
    }
}
