//! The pieces of a vendor's record that several surfaces show: the details and bank fields of
//! the storefront's application, the operator's vendor page and the vendor portal; a vendor's
//! standing as a badge; its documents; its history.

use commerce::marketplace::bank::BANKS;
use commerce::marketplace::{DocumentKind, VendorDetails, VendorDocument, VendorEvent, VendorStatus};
use commerce::orders::STATES;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::AppError;
use crate::components::{Badge, BadgeTone, Field, FieldError, LocalTime, typed};

/// A vendor's standing as a badge.
#[component]
pub fn VendorBadge(status: VendorStatus) -> impl IntoView {
    let tone = match status {
        VendorStatus::Approved => BadgeTone::Positive,
        VendorStatus::Applied | VendorStatus::ChangesRequested => BadgeTone::Warning,
        VendorStatus::Rejected | VendorStatus::Suspended => BadgeTone::Negative,
    };
    view! { <Badge tone text=status.label() /> }
}

/// The fields of a vendor's details, starting from `start` (or what was sent, when the form came
/// back refused), each with its problem beside it.
#[component]
pub fn VendorDetailsFields(#[prop(into)] error: Signal<Option<AppError>>, start: VendorDetails) -> impl IntoView {
    let refused = error.with_untracked(Option::is_some);
    let state = if refused { typed("state").unwrap_or(start.state.clone()) } else { start.state.clone() };
    let description =
        if refused { typed("description").unwrap_or(start.description.clone()) } else { start.description };
    view! {
        <Field label="Trading name" name="name" autocomplete="organization" hint="As shoppers will see it." value=start.name error />
        <Field label="Contact person" name="contact_name" autocomplete="name" value=start.contact_name error />
        <Field label="Email address" name="email" kind="email" autocomplete="email" value=start.email error />
        <Field label="Mobile number" name="phone" kind="tel" autocomplete="tel" hint="Such as 0803 123 4567." value=commerce::base::phone::for_display(&start.phone) error />
        <Field label="Shop address (optional)" name="address" autocomplete="street-address" value=start.address error />
        <Field label="Town (optional)" name="city" autocomplete="address-level2" value=start.city error />
        <div class="field">
            <label class="label" for="state">"State"</label>
            <select class="input" id="state" name="state" autocomplete="address-level1">
                <option value="" selected=state.is_empty()>"Choose a state"</option>
                {STATES.iter().map(|s| view! { <option value=*s selected=state == *s>{*s}</option> }).collect_view()}
            </select>
            <FieldError error field="state" />
        </div>
        <Field label="CAC registration number (optional)" name="cac_number" hint="RC for a company, BN for a business name: such as RC 1234567." value=start.cac_number error />
        <div class="field sm:col-span-2">
            <label class="label" for="description">"What you sell (optional)"</label>
            <textarea class="input" id="description" name="description" rows="3" maxlength="2000">{description}</textarea>
            <FieldError error field="description" />
        </div>
    }
}

/// The fields of a bank account: the bank from the list, the ten-digit number, the name on it.
#[component]
pub fn BankFields(#[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    let chosen =
        if error.with_untracked(Option::is_some) { typed("bank_code").unwrap_or_default() } else { String::new() };
    view! {
        <div class="field">
            <label class="label" for="bank_code">"Bank"</label>
            <select class="input" id="bank_code" name="bank_code">
                <option value="" selected=chosen.is_empty()>"Choose your bank"</option>
                {BANKS.iter().map(|b| view! { <option value=b.code selected=chosen == b.code>{b.name}</option> }).collect_view()}
            </select>
            <FieldError error field="bank_code" />
        </div>
        <Field label="Account number" name="account_number" hint="The 10-digit NUBAN." error />
        <Field label="Name on the account" name="account_name" error />
    }
}

/// A vendor's documents, each to download from `base` (`…/documents/{id}`), and the form that
/// adds one (posted as a file, with or without the page's script).
#[component]
pub fn VendorDocuments(
    documents: Vec<VendorDocument>,
    /// Where the documents are read and added: `/vendor/documents` or `/admin/vendors/{id}/documents`.
    base: String,
    /// Whether the actor may add documents here.
    can_add: bool,
    /// The remove button of each document, when the actor may remove them.
    remove: Option<Callback<uuid::Uuid, AnyView>>,
) -> impl IntoView {
    let query = use_query_map();
    let problem = query.with_untracked(|q| q.get("document_error"));
    let uploaded = query.with_untracked(|q| q.get("uploaded").is_some());
    let list = if documents.is_empty() {
        view! { <p class="mt-2 text-sm text-slate-600">"No documents yet."</p> }.into_any()
    } else {
        view! {
            <ul class="mt-2 divide-y divide-slate-100" data-testid="vendor-documents">
                {documents.into_iter().map(|d| view! {
                    <li class="flex flex-wrap items-center justify-between gap-2 py-2">
                        <span>
                            <a class="font-medium text-brand-700" href=format!("{base}/{}", d.id) rel="external" download>{d.file_name.clone()}</a>
                            <span class="block text-xs text-slate-500">{d.kind.label()}" · "{format!("{} KB", (d.size_bytes + 1023) / 1024)}" · "{d.uploaded_by.clone()}" · "<LocalTime at=d.uploaded_at /></span>
                        </span>
                        {remove.map(|remove| remove.run(d.id))}
                    </li>
                }).collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <section class="card space-y-2">
            <h2 class="font-semibold text-slate-900">"Documents"</h2>
            <p class="text-sm text-slate-600">"The CAC certificate, the owner's identity, proof of address: seen only by the marketplace and the vendor."</p>
            {uploaded.then(|| view! { <p class="notice" role="status">"Document added."</p> })}
            {list}
            {can_add.then(|| view! {
                <form method="post" action=base.clone() enctype="multipart/form-data" class="mt-3 grid gap-3 sm:grid-cols-[1fr_1fr_auto] sm:items-end">
                    <div class="field">
                        <label class="label" for="document_kind">"What it is"</label>
                        <select class="input" id="document_kind" name="kind">
                            {DocumentKind::ALL.into_iter().map(|k| view! { <option value=k.code()>{k.label()}</option> }).collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label class="label" for="document_file">"File (PDF, JPEG or PNG, up to 10 MB)"</label>
                        <input class="input" id="document_file" name="file" type="file" accept="application/pdf,image/jpeg,image/png" required />
                    </div>
                    <button type="submit" class="btn btn-secondary">"Upload"</button>
                    {problem.clone().map(|message| view! { <p class="field-error sm:col-span-3" role="alert">{message}</p> })}
                </form>
            })}
        </section>
    }
}

/// The button that removes one of a vendor's documents, for [`VendorDocuments`]' `remove`.
pub fn remove_document_button(
    action: ServerAction<crate::api::RemoveVendorDocument>,
    vendor: uuid::Uuid,
) -> Callback<uuid::Uuid, AnyView> {
    Callback::new(move |document: uuid::Uuid| {
        view! {
            <ActionForm action>
                <input type="hidden" name="vendor" value=vendor.to_string() />
                <input type="hidden" name="document" value=document.to_string() />
                <button type="submit" class="btn btn-secondary btn-sm">"Remove"</button>
            </ActionForm>
        }
        .into_any()
    })
}

/// A vendor's history and the review's conversation, oldest first.
#[component]
pub fn VendorHistory(events: Vec<VendorEvent>) -> impl IntoView {
    view! {
        <section class="card">
            <h2 class="font-semibold text-slate-900">"History"</h2>
            <ol class="mt-2 space-y-3" data-testid="vendor-history">
                {events.into_iter().map(|e| {
                    let moved = e.to_status.map(|to| format!("{} → {}", e.from_status.map_or("—", VendorStatus::label), to.label()));
                    view! {
                        <li class="text-sm">
                            <p class="text-xs text-slate-500"><LocalTime at=e.at />" · "{e.who}{if e.by_operator { " (marketplace)" } else { " (vendor)" }}</p>
                            {moved.map(|m| view! { <p class="font-medium">{m}</p> })}
                            {(!e.note.is_empty()).then(|| view! { <p class="whitespace-pre-line">{e.note}</p> })}
                        </li>
                    }
                }).collect_view()}
            </ol>
        </section>
    }
}
