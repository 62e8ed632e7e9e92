//! The vendor portal: a vendor's staff see their vendor's standing with the marketplace, keep its
//! details, bank account and documents up to date, and send an application back for review.

use commerce::base::Permission;
use commerce::identity::api_client::VENDOR_MODULES;
use commerce::identity::{VendorHome, VendorTeam};
use commerce::marketplace::{Vendor, VendorDetails, VendorStatus};
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::{
    CreateApiClient, Desk, InviteVendorStaff, RemoveVendorDocument, ReviewVendor, RevokeApiClient, SaveVendorDetails,
    SetVendorBank, load_api_clients, load_my_vendor, load_vendor_desk, load_vendor_home, load_vendor_team,
};
use crate::components::{
    Field, FormAlert, Gate, Loaded, NavLink, Needs, PageHeader, SubmissionKey, Workspace, business_time, failed,
    successes,
};
use crate::pages::admin::{ClientsPanel, LinkShownOnce};
use crate::pages::vendor_forms::{
    BankFields, VendorBadge, VendorDetailsFields, VendorDocuments, VendorHistory, remove_document_button,
};

/// The vendor portal's pages, as its side navigation lists them.
pub const VENDOR_NAV: &[NavLink] = &[
    NavLink { href: "/vendor", label: "Home", needs: Some(Permission::UseVendorPortal) },
    NavLink { href: "/vendor/orders", label: "Orders", needs: Some(Permission::UseVendorPortal) },
    NavLink { href: "/admin/products", label: "Products", needs: Some(Permission::ViewCatalog) },
    NavLink { href: "/admin/stock", label: "Stock", needs: Some(Permission::ViewInventory) },
    NavLink { href: "/vendor/payouts", label: "Payouts", needs: Some(Permission::UseVendorPortal) },
    NavLink { href: "/vendor/disputes", label: "Disputes", needs: Some(Permission::UseVendorPortal) },
    NavLink { href: "/vendor/reviews", label: "Reviews", needs: Some(Permission::UseVendorPortal) },
    NavLink { href: "/vendor/application", label: "Your business", needs: Some(Permission::UseVendorPortal) },
    NavLink { href: "/vendor/team", label: "Staff", needs: Some(Permission::UseVendorPortal) },
    NavLink { href: "/vendor/api-clients", label: "Integrations", needs: Some(Permission::UseVendorPortal) },
];

/// `/vendor`: the vendor portal's home for the signed-in vendor staff.
#[component]
pub fn VendorHomePage() -> impl IntoView {
    // Loaded outside the gate, so that it is loaded once (see `Gate`).
    let home = Resource::new(|| (), |()| load_vendor_home());
    let desk = Resource::new(|| (), |()| load_vendor_desk());
    view! {
        <Title text="Vendor portal" />
        <Gate needs=Needs::Permission(Permission::UseVendorPortal) let:actor>
            <Workspace surface="Vendor portal" nav=VENDOR_NAV actor>
                <Loaded resource=home let:home>
                    <VendorView home />
                </Loaded>
                <Loaded resource=desk let:desk>
                    <DeskView desk />
                </Loaded>
            </Workspace>
        </Gate>
    }
}

#[component]
fn VendorView(home: VendorHome) -> impl IntoView {
    let status = VendorStatus::from_code(&home.vendor_status).unwrap_or(VendorStatus::Suspended);
    let market = home.marketplace;
    let next = match status {
        VendorStatus::Applied => "Your application waits for the marketplace's review. Add your documents meanwhile.",
        VendorStatus::ChangesRequested => "The marketplace asks for changes: see what, make them, and send it back.",
        VendorStatus::Approved => "You sell on the marketplace.",
        VendorStatus::Rejected => "The marketplace could not accept your application.",
        VendorStatus::Suspended => "Your products are off the marketplace for now. Orders already placed go on.",
    };
    view! {
        <PageHeader title=home.vendor subtitle=format!("Selling on {}", market.name) />
        <section class="card max-w-2xl" data-testid="vendor-standing">
            <div class="flex items-center justify-between gap-3">
                <h2 class="font-semibold text-slate-900">{market.name.clone()}</h2>
                <VendorBadge status />
            </div>
            <p class="mt-2 text-sm text-slate-600">{next}</p>
            <p class="mt-3 text-xs text-slate-500">{format!("Prices in {} · VAT {}%", market.currency.code(), market.vat_rate.normalize())}</p>
            <div class="mt-4 flex flex-wrap gap-2">
                <a class="btn btn-primary" href="/vendor/application">"Your business"</a>
                <a class="btn btn-secondary" href=format!("/store/{}", market.slug) rel="external">"See the marketplace"</a>
            </div>
        </section>
    }
}

/// The vendor's orders at a glance and its money, each a link to where it is worked.
#[component]
fn DeskView(desk: Desk) -> impl IntoView {
    let (orders, balance, rating) = (desk.orders, desk.balance, desk.rating);
    let tile = |label: &'static str, value: String, href: &'static str, testid: &'static str| {
        view! {
            <a class="card block hover:border-brand-300" href=href data-testid=testid>
                <p class="text-sm text-slate-500">{label}</p>
                <p class="text-lg font-semibold tabular-nums sm:text-2xl">{value}</p>
            </a>
        }
    };
    view! {
        <section class="mt-4 grid grid-cols-2 gap-3 lg:grid-cols-3" data-testid="vendor-desk">
            {tile("To prepare", orders.to_prepare.to_string(), "/vendor/orders", "desk-to-prepare")}
            {tile("Being prepared", orders.preparing.to_string(), "/vendor/orders?status=processing", "desk-preparing")}
            {tile("On the way", orders.on_the_way.to_string(), "/vendor/orders?status=shipped", "desk-on-the-way")}
            {tile("Sales, last 30 days", format!("{} ({})", orders.sales_30_days, orders.orders_30_days), "/vendor/orders", "desk-sales")}
            {tile("Balance", balance.balance.to_string(), "/vendor/payouts", "desk-balance")}
            {tile("Available to pay out", balance.available.to_string(), "/vendor/payouts", "desk-available")}
            {tile("Rating", rating.label(), "/vendor/reviews", "desk-rating")}
        </section>
    }
}

/// `/vendor/api-clients`: the vendor's own integrations (a shop system that keeps its products
/// and stock, an accounting tool that reads its payouts). Its owner makes and revokes them; each
/// reaches this vendor alone.
#[component]
pub fn VendorApiClientsPage() -> impl IntoView {
    // Loaded outside the gate, so that it is loaded once (see `Gate`).
    let create = ServerAction::<CreateApiClient>::new();
    let revoke = ServerAction::<RevokeApiClient>::new();
    let (created, revoked) = (successes(create), successes(revoke));
    let clients = Resource::new(move || (created.get(), revoked.get()), |_| load_api_clients());
    view! {
        <Title text="Integrations" />
        <Gate needs=Needs::Permission(Permission::UseVendorPortal) let:actor>
            <Workspace surface="Vendor portal" nav=VENDOR_NAV actor>
                <PageHeader title="Integrations" subtitle="Let your own systems keep your products and stock, and read your orders and payouts, through the REST API. They reach your business alone." />
                <ClientsPanel create revoke clients modules=&VENDOR_MODULES />
            </Workspace>
        </Gate>
    }
}

/// `/vendor/team`: the vendor's own staff and open invitations; its owner invites more.
#[component]
pub fn VendorTeamPage() -> impl IntoView {
    let invite = ServerAction::<InviteVendorStaff>::new();
    let invited = successes(invite);
    let team = Resource::new(move || invited.get(), |_| load_vendor_team());
    view! {
        <Title text="Staff" />
        <Gate needs=Needs::Permission(Permission::UseVendorPortal) let:actor>
            <Workspace surface="Vendor portal" nav=VENDOR_NAV actor>
                <PageHeader title="Staff" subtitle="The people who work for your business in this portal." />
                <Loaded resource=team let:team>
                    <Team team invite />
                </Loaded>
            </Workspace>
        </Gate>
    }
}

#[component]
fn Team(team: VendorTeam, invite: ServerAction<InviteVendorStaff>) -> impl IntoView {
    let error = failed(invite);
    view! {
        <div class="grid gap-4 lg:grid-cols-[1fr_22rem]">
            <section class="card min-w-0 p-0">
                <div class="table-wrap">
                    <table class="table" data-testid="vendor-team">
                        <thead><tr><th>"Name"</th><th>"Email"</th><th>"Role"</th><th class="hidden sm:table-cell">"Joined"</th></tr></thead>
                        <tbody>
                            {team.members.into_iter().map(|m| view! {
                                <tr>
                                    <td class="font-medium">{m.name}{(!m.active).then_some(" (cannot sign in)")}</td>
                                    <td>{m.email}</td>
                                    <td>{if m.owner { "Owner" } else { "Staff" }}</td>
                                    <td class="hidden sm:table-cell">{business_time(m.joined_at)}</td>
                                </tr>
                            }).collect_view()}
                            {team.invitations.into_iter().map(|i| view! {
                                <tr>
                                    <td class="text-slate-500">"Invited"</td>
                                    <td>{i.email}</td>
                                    <td>"Staff"</td>
                                    <td class="hidden sm:table-cell">{format!("until {}", business_time(i.expires_at))}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            </section>
            {if team.may_invite {
                view! {
                    <section class="card">
                        <h2 class="font-semibold text-slate-900">"Invite someone"</h2>
                        <ActionForm action=invite attr:class="mt-3 space-y-3">
                            <SubmissionKey renew=invite.version() />
                            <Field label="Email" name="email" kind="email" error />
                            <FormAlert error beside=&["email"] />
                            // Held while the invitation is made, so that a second press cannot replace the link shown.
                            <button type="submit" class="btn btn-primary" disabled=move || invite.pending().get()>"Send invitation"</button>
                        </ActionForm>
                        <LinkShownOnce answer=invite.value().into() testid="invitation-link" message="Invitation sent. This link is also in their email; it is shown here this once." />
                    </section>
                }
                .into_any()
            } else {
                view! { <p class="card text-sm text-slate-600">"Your business's owner invites its staff."</p> }.into_any()
            }}
        </div>
    }
}

/// The forms of the business page, whose successes reload it.
#[derive(Clone, Copy)]
struct Actions {
    review: ServerAction<ReviewVendor>,
    details: ServerAction<SaveVendorDetails>,
    bank: ServerAction<SetVendorBank>,
    remove: ServerAction<RemoveVendorDocument>,
}

/// `/vendor/application`: the vendor's own record: its standing and what the marketplace said,
/// its details, bank account and documents, its history; and, after changes were asked for,
/// sending it back for review.
#[component]
pub fn VendorBusinessPage() -> impl IntoView {
    let actions = Actions {
        review: ServerAction::new(),
        details: ServerAction::new(),
        bank: ServerAction::new(),
        remove: ServerAction::new(),
    };
    let changed =
        (successes(actions.review), successes(actions.details), successes(actions.bank), successes(actions.remove));
    let vendor = Resource::new(
        move || changed.0.get() + changed.1.get() + changed.2.get() + changed.3.get(),
        |_| load_my_vendor(),
    );
    view! {
        <Title text="Your business" />
        <Gate needs=Needs::Permission(Permission::UseVendorPortal) let:actor>
            <Workspace surface="Vendor portal" nav=VENDOR_NAV actor>
                <Loaded resource=vendor let:vendor>
                    <Business vendor actions />
                </Loaded>
            </Workspace>
        </Gate>
    }
}

#[component]
fn Business(vendor: Vendor, actions: Actions) -> impl IntoView {
    let status = vendor.summary.status;
    let open = matches!(status, VendorStatus::Applied | VendorStatus::ChangesRequested);
    let id = vendor.summary.id.0;
    let remove = open.then(|| remove_document_button(actions.remove, id));
    view! {
        <PageHeader title=vendor.summary.name.clone() subtitle="Your business as the marketplace knows it.">
            <VendorBadge status />
        </PageHeader>
        <div class="grid gap-4 lg:grid-cols-[1fr_22rem]">
            <div class="min-w-0 space-y-4">
                <Standing vendor=vendor.clone() actions />
                <DetailsForm vendor=vendor.clone() actions />
                <VendorDocuments documents=vendor.documents.clone() base="/vendor/documents".to_owned() can_add=status != VendorStatus::Rejected remove />
            </div>
            <aside class="min-w-0 space-y-4">
                <BankForm vendor=vendor.clone() actions />
                <VendorHistory events=vendor.events />
            </aside>
        </div>
    }
}

#[component]
fn Standing(vendor: Vendor, actions: Actions) -> impl IntoView {
    let error = failed(actions.review);
    let status = vendor.summary.status;
    let said = (!vendor.status_reason.is_empty()).then(|| vendor.status_reason.clone());
    let send_back = vendor.moves.contains(&VendorStatus::Applied);
    view! {
        <section class="card space-y-3" data-testid="vendor-standing">
            <h2 class="font-semibold text-slate-900">"Standing"</h2>
            <p><VendorBadge status /></p>
            {said.map(|said| view! {
                <div class="notice">
                    <p class="text-sm font-medium">"The marketplace says:"</p>
                    <p class="text-sm whitespace-pre-line">{said}</p>
                </div>
            })}
            {send_back.then(|| view! {
                <ActionForm action=actions.review attr:class="space-y-3">
                    <SubmissionKey renew=actions.review.version() />
                    <input type="hidden" name="id" value=vendor.summary.id.0.to_string() />
                    <input type="hidden" name="to" value="applied" />
                    <div class="field">
                        <label class="label" for="reason">"What you changed (optional)"</label>
                        <textarea class="input" id="reason" name="reason" rows="2" maxlength="1000"></textarea>
                    </div>
                    <FormAlert error beside=&[] />
                    <button type="submit" class="btn btn-primary" data-testid="send-for-review">"Send back for review"</button>
                </ActionForm>
            })}
        </section>
    }
}

#[component]
fn DetailsForm(vendor: Vendor, actions: Actions) -> impl IntoView {
    let error = failed(actions.details);
    let summary = vendor.summary;
    let start = VendorDetails {
        name: summary.name,
        contact_name: summary.contact_name,
        email: summary.email,
        phone: summary.phone,
        address: vendor.address,
        city: summary.city,
        state: summary.state,
        description: vendor.description,
        cac_number: vendor.cac_number,
    };
    view! {
        <section class="card">
            <h2 class="font-semibold text-slate-900">"Details"</h2>
            <ActionForm action=actions.details attr:class="mt-3 grid gap-3 sm:grid-cols-2">
                <SubmissionKey renew=actions.details.version() />
                <input type="hidden" name="id" value=summary.id.0.to_string() />
                <VendorDetailsFields error start />
                <div class="sm:col-span-2">
                    <FormAlert error beside=&["name", "contact_name", "email", "phone", "address", "city", "state", "description", "cac_number"] />
                    <button type="submit" class="btn btn-primary mt-2">"Save details"</button>
                </div>
            </ActionForm>
        </section>
    }
}

#[component]
fn BankForm(vendor: Vendor, actions: Actions) -> impl IntoView {
    let error = failed(actions.bank);
    view! {
        <section class="card space-y-3">
            <h2 class="font-semibold text-slate-900">"Where you are paid"</h2>
            {vendor.bank_account.map(|account| view! {
                <p data-testid="vendor-bank">{account.bank_name}" ····"{account.last4}<span class="block text-sm text-slate-600">{account.account_name}</span></p>
            })}
            <details>
                <summary class="btn btn-secondary btn-sm cursor-pointer">"Change bank account"</summary>
                <ActionForm action=actions.bank attr:class="mt-3 space-y-3">
                    <SubmissionKey renew=actions.bank.version() />
                    <input type="hidden" name="id" value=vendor.summary.id.0.to_string() />
                    <p class="text-xs text-slate-500">"Only your business's owner may change it. The marketplace is told."</p>
                    <BankFields error />
                    <FormAlert error beside=&["bank_code", "account_number", "account_name"] />
                    <button type="submit" class="btn btn-primary btn-sm">"Save bank account"</button>
                </ActionForm>
            </details>
        </section>
    }
}
