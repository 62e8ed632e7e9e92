use commerce::Currency;
use commerce::base::Permission;
use commerce::identity::{Location, TIME_ZONES, TenantSummary};
use leptos::prelude::*;

use super::AdminPage;
use crate::api::{AddLocation, SaveListing, SaveSettings, load_settings};
use crate::components::{
    Field, FieldError, FormAlert, Loaded, Needs, PageHeader, SubmissionKey, clear_after_success, failed, sent,
    successes, ticked,
};

/// `/admin/settings`: the business's name, currency, VAT and time zone, and its locations.
/// Those who may only look see the same page without the means to change it.
#[component]
pub fn SettingsPage() -> impl IntoView {
    // Loaded outside the gate, so that it is loaded once (see `Gate`).
    let save = ServerAction::<SaveSettings>::new();
    let add = ServerAction::<AddLocation>::new();
    let listing = ServerAction::<SaveListing>::new();
    let (saved, added, listed) = (successes(save), successes(add), successes(listing));
    let settings = Resource::new(move || (saved.get(), added.get(), listed.get()), |_| load_settings());
    view! {
        <AdminPage title="Settings" needs=Needs::Permission(Permission::ViewSettings) let:actor>
            <PageHeader title="Settings" subtitle="How the business trades: its name, currency, VAT and time zone, and where it keeps stock." />
            <SettingsPanel manage=actor.can(Permission::ManageSettings) save add listing settings />
        </AdminPage>
    }
}

#[component]
fn SettingsPanel(
    manage: bool,
    save: ServerAction<SaveSettings>,
    add: ServerAction<AddLocation>,
    listing: ServerAction<SaveListing>,
    settings: Resource<Result<(TenantSummary, Vec<Location>), crate::AppError>>,
) -> impl IntoView {
    view! {
        <Loaded resource=settings let:loaded>
            <div class="grid gap-6 lg:grid-cols-2">
                <div class="space-y-6">
                    <BusinessForm tenant=loaded.0.clone() manage save />
                    <Listing listed=loaded.0.listed manage listing />
                </div>
                <Locations locations=loaded.1 manage add />
            </div>
        </Loaded>
    }
}

#[component]
fn BusinessForm(tenant: TenantSummary, manage: bool, save: ServerAction<SaveSettings>) -> impl IntoView {
    let error = failed(save);
    let saved = move || matches!(save.value().get(), Some(Ok(())));
    // A form sent back refused keeps what was chosen in it.
    let current_zone = sent::<SaveSettings>("time_zone").unwrap_or_else(|| tenant.time_zone.clone());
    let currency = sent::<SaveSettings>("currency").unwrap_or_else(|| tenant.currency.code().to_owned());
    let includes_tax = ticked::<SaveSettings>("prices_include_tax", tenant.prices_include_tax);
    view! {
        <section class="card">
            <h2 class="font-semibold text-slate-900">"Business"</h2>
            <ActionForm action=save attr:class="mt-4 space-y-4">
                <SubmissionKey renew=save.version() />
                <fieldset disabled=!manage class="space-y-4">
                    <Field label="Name" name="name" value=tenant.name error />
                    <Field label="Tagline" name="tagline" value=tenant.tagline hint="One line that says what you sell." error />
                    <div class="grid gap-4 sm:grid-cols-2">
                        <div class="field">
                            <label class="label" for="currency">"Currency"</label>
                            <select class="input" id="currency" name="currency">
                                {[Currency::NGN, Currency::GHS, Currency::KES, Currency::ZAR, Currency::USD].into_iter().map(|c| {
                                    view! { <option value=c.code() selected=c.code() == currency>{format!("{} ({})", c.code(), c.symbol().trim())}</option> }
                                }).collect_view()}
                            </select>
                            <FieldError error field="currency" />
                        </div>
                        <Field label="VAT (%)" name="vat_rate" value=tenant.vat_rate.normalize().to_string() error />
                    </div>
                    <label class="flex items-center gap-2 text-sm">
                        <input type="checkbox" name="prices_include_tax" value="on" checked=includes_tax />
                        "Shelf prices include VAT"
                    </label>
                    <div class="field">
                        <label class="label" for="time_zone">"Time zone"</label>
                        <select class="input" id="time_zone" name="time_zone">
                            {TIME_ZONES.iter().map(|z| view! { <option value=*z selected=*z == current_zone>{z.replace('_', " ")}</option> }).collect_view()}
                        </select>
                        <FieldError error field="time_zone" />
                    </div>
                </fieldset>
                <FormAlert error beside=&["name", "tagline", "currency", "vat_rate", "time_zone"] />
                <Show when=saved><p class="notice" role="status">"Settings saved."</p></Show>
                {manage.then(|| view! { <button type="submit" class="btn btn-primary">"Save settings"</button> })}
            </ActionForm>
        </section>
    }
}

/// Whether the storefront appears on the platform's public start page; off until the owner
/// chooses it.
#[component]
fn Listing(listed: bool, manage: bool, listing: ServerAction<SaveListing>) -> impl IntoView {
    let error = failed(listing);
    let listed = ticked::<SaveListing>("listed", listed);
    let saved = move || matches!(listing.value().get(), Some(Ok(())));
    view! {
        <section class="card">
            <h2 class="font-semibold text-slate-900">"Start page"</h2>
            <ActionForm action=listing attr:class="mt-4 space-y-4">
                <SubmissionKey renew=listing.version() />
                <fieldset disabled=!manage>
                    <label class="flex items-center gap-2 text-sm">
                        <input type="checkbox" name="listed" value="on" checked=listed />
                        "List the storefront on the platform's start page"
                    </label>
                    <p class="mt-1 text-xs text-slate-500">"Shows its name, tagline and a link to it to every visitor."</p>
                </fieldset>
                <FormAlert error />
                <Show when=saved><p class="notice" role="status">"Listing saved."</p></Show>
                {manage.then(|| view! { <button type="submit" class="btn btn-secondary">"Save listing"</button> })}
            </ActionForm>
        </section>
    }
}

#[component]
fn Locations(locations: Vec<Location>, manage: bool, add: ServerAction<AddLocation>) -> impl IntoView {
    let error = failed(add);
    let add_form = NodeRef::<leptos::html::Form>::new();
    clear_after_success(add_form, add.value().into());
    let warehouse = sent::<AddLocation>("kind").as_deref() == Some("warehouse");
    view! {
        <section class="card">
            <h2 class="font-semibold text-slate-900">"Locations"</h2>
            <ul class="mt-3 divide-y divide-slate-100 text-sm">
                {locations.into_iter().map(|l| {
                    let place = format!("{} · {}", l.kind.label(), l.address_line());
                    view! {
                    <li class="flex justify-between gap-3 py-2">
                        <span class="font-medium">{l.name}</span>
                        <span class="text-slate-500">{place}</span>
                    </li>
                }}).collect_view()}
            </ul>
            {manage.then(|| view! {
                <h3 class="mt-6 text-sm font-semibold text-slate-900">"Add a location"</h3>
                <ActionForm action=add node_ref=add_form attr:class="mt-3 space-y-3">
                    <SubmissionKey renew=add.version() />
                    <div class="grid gap-3 sm:grid-cols-2">
                        <Field label="Location name" name="name" id="location_name" error />
                        <div class="field">
                            <label class="label" for="location_kind">"Kind"</label>
                            <select class="input" id="location_kind" name="kind">
                                <option value="shop">"Shop"</option>
                                <option value="warehouse" selected=warehouse>"Warehouse"</option>
                            </select>
                        </div>
                        <Field label="Address" name="address" id="location_address" error />
                        <Field label="City" name="city" id="location_city" error />
                        <Field label="State" name="state" id="location_state" error />
                        <Field label="Phone" name="phone" id="location_phone" kind="tel" error />
                    </div>
                    <FormAlert error beside=&["name", "address", "city", "state", "phone"] />
                    <button type="submit" class="btn btn-secondary">"Add location"</button>
                </ActionForm>
            })}
        </section>
    }
}
