//! Disputes, one thread for the three who argue them: the shopper on their order's page, the
//! seller in the vendor portal (`/vendor/disputes`), the marketplace in the back office
//! (`/admin/vendors/disputes`), which decides. Messages with photos are plain
//! `multipart/form-data` forms to the server's routes, so they work without the page's script;
//! a refusal comes back in the address (`dispute_field`, `dispute_error`) and shows beside the
//! field.

use commerce::base::Permission;
use commerce::base::page::Page;
use commerce::marketplace::{Dispute, DisputeReason, DisputeSide, DisputeStatus, DisputeSummary};
use commerce::orders::{OrderPart, OrderStatus};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::{DecideDispute, EscalateDispute, EscalateMyDispute, WithdrawDispute, load_dispute, load_disputes};
use crate::components::{
    EmptyState, FormAlert, Gate, Loaded, Needs, PageHeader, SubmissionKey, Workspace, business_time, failed, successes,
};
use crate::pages::admin::AdminPage;
use crate::pages::vendor::VENDOR_NAV;

/// The refusal a dispute form came back with, if any: (field, message).
fn refusal() -> Option<(String, String)> {
    let query = use_query_map();
    query.with_untracked(|q| Some((q.get("dispute_field").unwrap_or_default(), q.get("dispute_error")?)))
}

/// What a dispute form's send said, from the address: "opened" or "sent".
fn sent_note() -> Option<&'static str> {
    let query = use_query_map();
    query.with_untracked(|q| match q.get("dispute").as_deref() {
        Some("opened") => {
            Some("Your dispute is open. The seller has 3 days to answer; the marketplace decides if they do not.")
        }
        Some("sent") => Some("Message sent."),
        _ => None,
    })
}

/// A refusal's message, shown beside `field`.
#[component]
fn ProblemAt(field: &'static str) -> impl IntoView {
    refusal()
        .filter(|(at, _)| at == field)
        .map(|(_, message)| view! { <p class="field-error" role="alert">{message}</p> })
}

fn status_badge(status: DisputeStatus) -> impl IntoView {
    let tone = match status {
        DisputeStatus::Open => "badge badge-warning",
        DisputeStatus::Escalated => "badge badge-danger",
        DisputeStatus::Refunded => "badge badge-success",
        DisputeStatus::Rejected | DisputeStatus::Withdrawn => "badge badge-neutral",
    };
    view! { <span class=tone data-testid="dispute-status" data-status=status.code()>{status.label()}</span> }
}

/// One dispute's thread: what it is about, where it stands, the messages with their photos,
/// and (while it is open) the form that adds to it; `actions` adds what this reader may do.
#[component]
fn Thread(
    dispute: Dispute,
    /// Where the reply form posts.
    reply_to: String,
    /// Where its photos are, by id.
    photos_at: String,
    /// Who reads it: their own messages are marked as theirs.
    reader: DisputeSide,
    children: Children,
) -> impl IntoView {
    let s = dispute.summary.clone();
    let open = s.status.is_open();
    let deadline = if s.answered || !open {
        String::new()
    } else {
        format!("The seller answers by {}.", business_time(s.answer_by))
    };
    view! {
        <article class="card space-y-3" data-testid="dispute" data-dispute=s.id.to_string()>
            <header class="flex flex-wrap items-start justify-between gap-2">
                <div>
                    <h3 class="font-semibold text-slate-900">{format!("{} · {}", s.part_number, s.reason.label())}</h3>
                    <p class="text-sm text-slate-600">{format!("{} · opened {} by {}", s.seller, business_time(s.opened_at), s.shopper)}</p>
                </div>
                {status_badge(s.status)}
            </header>
            <dl class="grid grid-cols-2 gap-2 text-sm sm:grid-cols-4">
                <div><dt class="text-slate-500">"Asked back"</dt><dd class="tabular-nums">{s.asked.to_string()}</dd></div>
                <div><dt class="text-slate-500">"Given back"</dt><dd class="tabular-nums" data-testid="dispute-refunded">{s.refunded.to_string()}</dd></div>
                <div><dt class="text-slate-500">"The part"</dt><dd class="tabular-nums">{dispute.part_total.to_string()}</dd></div>
                <div><dt class="text-slate-500">"Still to give back, at most"</dt><dd class="tabular-nums">{dispute.refundable.to_string()}</dd></div>
            </dl>
            {(!deadline.is_empty()).then(|| view! { <p class="text-sm text-slate-600">{deadline}</p> })}
            {(!dispute.escalated_why.is_empty()).then(|| view! { <p class="notice text-sm">{dispute.escalated_why.clone()}</p> })}
            <ol class="space-y-2" data-testid="dispute-messages">
                {dispute.messages.iter().map(|m| {
                    let mine = m.side == reader;
                    let who = match m.side {
                        DisputeSide::Shopper => format!("{} (shopper)", m.author),
                        DisputeSide::Vendor => format!("{} (seller)", m.author),
                        DisputeSide::Marketplace => format!("{} (marketplace)", m.author),
                        DisputeSide::System => "Marketplace".to_owned(),
                    };
                    let class = if mine { "rounded border border-brand-200 bg-brand-50 p-3" } else { "rounded border border-slate-200 p-3" };
                    let photos_at = photos_at.clone();
                    view! {
                        <li class=class data-side=m.side.code()>
                            <p class="text-xs text-slate-500">{format!("{who} · {}", business_time(m.at))}</p>
                            <p class="mt-1 whitespace-pre-line text-sm">{m.body.clone()}</p>
                            {(!m.photos.is_empty()).then(|| view! {
                                <div class="mt-2 flex flex-wrap gap-2">
                                    {m.photos.iter().map(|p| {
                                        let href = format!("{photos_at}/{p}");
                                        let src = href.clone();
                                        view! {
                                            <a href=href rel="external" target="_blank">
                                                <img src=src alt="A photo sent with this message" class="h-20 w-20 rounded object-cover" loading="lazy" />
                                            </a>
                                        }
                                    }).collect_view()}
                                </div>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ol>
            {open.then(|| view! { <MessageForm action=reply_to.clone() /> })}
            {children()}
        </article>
    }
}

/// A message with photos: a plain form to the server's route.
#[component]
fn MessageForm(action: String) -> impl IntoView {
    view! {
        <form method="post" action=action enctype="multipart/form-data" class="space-y-2" data-testid="dispute-reply">
            <SubmissionKey renew=Signal::derive(|| 0) />
            <div class="field">
                <label class="label" for="dispute_message">"Your message"</label>
                <textarea class="input" id="dispute_message" name="message" rows="3" maxlength="4000"></textarea>
                <ProblemAt field="message" />
            </div>
            <PhotoField />
            <button type="submit" class="btn btn-secondary">"Send"</button>
        </form>
    }
}

#[component]
fn PhotoField() -> impl IntoView {
    view! {
        <div class="field">
            <label class="label" for="dispute_photos">"Photos (optional: up to 4, JPEG, PNG or WebP, 5 MB each)"</label>
            <input class="input" id="dispute_photos" name="photos" type="file" accept="image/jpeg,image/png,image/webp" multiple />
            <ProblemAt field="photos" />
        </div>
    }
}

/// The disputes on the shopper's order page: each part's, and the form that opens one on a
/// part that was sent and has none open.
#[component]
pub fn ShopperDisputes(slug: String, key: uuid::Uuid, parts: Vec<OrderPart>, disputes: Vec<Dispute>) -> impl IntoView {
    let escalate = ServerAction::<EscalateMyDispute>::new();
    let withdraw = ServerAction::<WithdrawDispute>::new();
    let moved = (successes(escalate), successes(withdraw));
    let open_on: Vec<uuid::Uuid> = disputes.iter().filter(|d| d.summary.status.is_open()).map(|d| d.part).collect();
    let can_open: Vec<OrderPart> = parts
        .into_iter()
        .filter(|p| {
            p.paid && matches!(p.status, OrderStatus::Shipped | OrderStatus::Delivered | OrderStatus::Completed)
        })
        .filter(|p| !open_on.contains(&p.id))
        .collect();
    let base = format!("/store/{slug}/order/{key}/disputes");
    let (escalate_error, withdraw_error) = (failed(escalate), failed(withdraw));
    let error = Signal::derive(move || escalate_error.get().or_else(|| withdraw_error.get()));
    view! {
        <section class="mt-4 space-y-3" id="disputes" data-testid="shopper-disputes">
            {sent_note().map(|note| view! { <p class="notice" role="status">{note}</p> })}
            {move || (moved.0.get() + moved.1.get() > 0).then(|| view! { <p class="notice" role="status">"Done. Reload the page to see the thread as it stands."</p> })}
            <FormAlert error beside=&[] />
            {disputes.into_iter().map(|d| {
                let id = d.summary.id;
                let open = d.summary.status == DisputeStatus::Open;
                let live = d.summary.status.is_open();
                let slug = slug.clone();
                view! {
                    <Thread dispute=d reply_to=format!("{base}/{id}/messages") photos_at=format!("{base}/{id}/photos") reader=DisputeSide::Shopper>
                        {live.then(|| view! {
                            <div class="flex flex-wrap gap-2">
                                {open.then(|| { let slug = slug.clone(); view! {
                                    <ActionForm action=escalate>
                                        <SubmissionKey renew=escalate.version() />
                                        <input type="hidden" name="slug" value=slug.clone() />
                                        <input type="hidden" name="key" value=key.to_string() />
                                        <input type="hidden" name="id" value=id.to_string() />
                                        <button type="submit" class="btn btn-secondary btn-sm">"Ask the marketplace to decide"</button>
                                    </ActionForm>
                                }})}
                                <ActionForm action=withdraw>
                                    <SubmissionKey renew=withdraw.version() />
                                    <input type="hidden" name="slug" value=slug.clone() />
                                    <input type="hidden" name="key" value=key.to_string() />
                                    <input type="hidden" name="id" value=id.to_string() />
                                    <button type="submit" class="btn btn-secondary btn-sm">"Withdraw the dispute"</button>
                                </ActionForm>
                            </div>
                        })}
                    </Thread>
                }
            }).collect_view()}
            {(!can_open.is_empty()).then(|| view! { <OpenForm action=base.clone() parts=can_open /> })}
        </section>
    }
}

/// The form that opens a dispute on one of the order's parts.
#[component]
fn OpenForm(action: String, parts: Vec<OrderPart>) -> impl IntoView {
    let opened_at_start = refusal().is_some();
    view! {
        <details class="card" open=opened_at_start data-testid="open-dispute">
            <summary class="cursor-pointer font-semibold">"A problem with your order?"</summary>
            <form method="post" action=action enctype="multipart/form-data" class="mt-3 space-y-3">
                <SubmissionKey renew=Signal::derive(|| 0) />
                <div class="field">
                    <label class="label" for="dispute_part">"Which part"</label>
                    <select class="input" id="dispute_part" name="part">
                        {parts.iter().map(|p| view! { <option value=p.id.to_string()>{format!("{} · {} · {}", p.number, p.seller, p.total())}</option> }).collect_view()}
                    </select>
                    <ProblemAt field="part" />
                </div>
                <div class="field">
                    <label class="label" for="dispute_reason">"What is wrong"</label>
                    <select class="input" id="dispute_reason" name="reason">
                        {DisputeReason::ALL.into_iter().map(|r| view! { <option value=r.code()>{r.label()}</option> }).collect_view()}
                    </select>
                    <ProblemAt field="reason" />
                </div>
                <div class="field">
                    <label class="label" for="dispute_asked">"What you ask back, in naira (leave empty for all of the part)"</label>
                    <input class="input" id="dispute_asked" name="asked" inputmode="decimal" placeholder="12500" />
                    <ProblemAt field="asked" />
                </div>
                <div class="field">
                    <label class="label" for="dispute_open_message">"What happened"</label>
                    <textarea class="input" id="dispute_open_message" name="message" rows="4" maxlength="4000" required></textarea>
                    <ProblemAt field="message" />
                </div>
                <PhotoField />
                {refusal().filter(|(field, _)| !["part", "reason", "asked", "message", "photos"].contains(&field.as_str()))
                    .map(|(_, message)| view! { <p class="alert alert-error" role="alert">{message}</p> })}
                <button type="submit" class="btn btn-primary" data-testid="open-dispute-send">"Open a dispute"</button>
            </form>
        </details>
    }
}

/// The list both portals show.
#[component]
fn DisputeTable(page: Page<DisputeSummary>, base: &'static str) -> impl IntoView {
    if page.data.is_empty() {
        return view! { <EmptyState title="No disputes here" message="When a shopper reports a problem with an order, it appears here." /> }
            .into_any();
    }
    let more = page.next_cursor.map(|next| crate::pages::next_page_link(base, &next, &["show"]));
    view! {
        <div class="table-wrap card p-0">
            <table class="table" data-testid="disputes">
                <thead><tr><th>"Order"</th><th>"About"</th><th class="hidden sm:table-cell">"Seller"</th><th>"Status"</th><th class="hidden md:table-cell">"Answer by"</th><th class="text-right">"Asked back"</th></tr></thead>
                <tbody>
                    {page.data.into_iter().map(|d| view! {
                        <tr data-testid="dispute-row">
                            <td><a class="font-medium text-brand-700" href=format!("{base}/{}", d.id)>{d.part_number.clone()}</a>
                                <span class="block text-xs text-slate-500">{d.shopper.clone()}</span></td>
                            <td>{d.reason.label()}</td>
                            <td class="hidden sm:table-cell">{d.seller.clone()}</td>
                            <td>{status_badge(d.status)}</td>
                            <td class="hidden md:table-cell">{if d.answered { "Answered".to_owned() } else { business_time(d.answer_by) }}</td>
                            <td class="text-right tabular-nums">{d.asked.to_string()}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        {more.map(|href| view! { <a class="btn btn-secondary mt-4" href=href>"Older disputes"</a> })}
    }
    .into_any()
}

fn which_tabs(base: &'static str) -> impl IntoView {
    view! {
        <nav class="mb-4 flex flex-wrap gap-2" aria-label="Which disputes">
            <a class="btn btn-secondary btn-sm" href=base>"Open"</a>
            <a class="btn btn-secondary btn-sm" href=format!("{base}?show=all")>"All"</a>
        </nav>
    }
}

/// `/vendor/disputes`: the vendor's disputes, open ones first (or all).
#[component]
pub fn VendorDisputesPage() -> impl IntoView {
    let query = use_query_map();
    let disputes = Resource::new(
        move || (query.read().get("show").as_deref() == Some("all"), query.read().get("after")),
        |(all, after)| load_disputes(all, after),
    );
    view! {
        <Title text="Disputes" />
        <Gate needs=Needs::Permission(Permission::UseVendorPortal) let:actor>
            <Workspace surface="Vendor portal" nav=VENDOR_NAV actor>
                <PageHeader title="Disputes" subtitle="Shoppers' problems with your parts of their orders. Answer within 3 days, or the marketplace decides without you." />
                {which_tabs("/vendor/disputes")}
                <Loaded resource=disputes let:page>
                    <DisputeTable page base="/vendor/disputes" />
                </Loaded>
            </Workspace>
        </Gate>
    }
}

/// `/vendor/disputes/{id}`: one dispute's thread, for the seller to answer (with photos) or to
/// leave to the marketplace.
#[component]
pub fn VendorDisputePage() -> impl IntoView {
    let params = use_params_map();
    let escalate = ServerAction::<EscalateDispute>::new();
    let moved = successes(escalate);
    let dispute = Resource::new(
        move || (params.read().get("id").unwrap_or_default(), moved.get()),
        |(id, _)| async move { load_dispute(uuid::Uuid::parse_str(&id).unwrap_or_default()).await },
    );
    let error = failed(escalate);
    view! {
        <Title text="Dispute" />
        <Gate needs=Needs::Permission(Permission::UseVendorPortal) let:actor>
            <Workspace surface="Vendor portal" nav=VENDOR_NAV actor>
                <PageHeader title="Dispute" subtitle="Answer the shopper here; the marketplace reads the same thread.">
                    <a class="btn btn-secondary" href="/vendor/disputes">"Disputes"</a>
                </PageHeader>
                {sent_note().map(|note| view! { <p class="notice mb-4" role="status">{note}</p> })}
                <Loaded resource=dispute let:dispute>
                    {
                        let id = dispute.summary.id;
                        let open = dispute.summary.status == DisputeStatus::Open;
                        view! {
                            <Thread dispute reply_to=format!("/vendor/disputes/{id}/messages") photos_at=format!("/vendor/disputes/{id}/photos") reader=DisputeSide::Vendor>
                                {open.then(|| view! {
                                    <ActionForm action=escalate attr:class="flex flex-wrap items-end gap-2">
                                        <SubmissionKey renew=escalate.version() />
                                        <input type="hidden" name="id" value=id.to_string() />
                                        <input class="input max-w-sm" name="why" placeholder="Why (optional)" aria-label="Why the marketplace should decide" />
                                        <button type="submit" class="btn btn-secondary btn-sm">"Ask the marketplace to decide"</button>
                                    </ActionForm>
                                })}
                                <FormAlert error beside=&[] />
                            </Thread>
                        }
                    }
                </Loaded>
            </Workspace>
        </Gate>
    }
}

/// `/admin/vendors/disputes`: every dispute on the marketplace, open ones first (or all).
#[component]
pub fn DisputesPage() -> impl IntoView {
    let query = use_query_map();
    let disputes = Resource::new(
        move || (query.read().get("show").as_deref() == Some("all"), query.read().get("after")),
        |(all, after)| load_disputes(all, after),
    );
    view! {
        <AdminPage title="Disputes" needs=Needs::Permission(Permission::ViewOrders) let:_actor>
            <PageHeader title="Disputes" subtitle="Shoppers' problems with sellers' parts of their orders: read both sides, then decide.">
                <a class="btn btn-secondary" href="/admin/vendors">"Vendors"</a>
            </PageHeader>
            {which_tabs("/admin/vendors/disputes")}
            <Loaded resource=disputes let:page>
                <DisputeTable page base="/admin/vendors/disputes" />
            </Loaded>
        </AdminPage>
    }
}

/// `/admin/vendors/disputes/{id}`: one dispute's thread, and the marketplace's decision: money
/// given back (in full or part, through the seller's ledger) or none, with the reason both read.
#[component]
pub fn DisputePage() -> impl IntoView {
    let params = use_params_map();
    let decide = ServerAction::<DecideDispute>::new();
    let moved = successes(decide);
    let dispute = Resource::new(
        move || (params.read().get("id").unwrap_or_default(), moved.get()),
        |(id, _)| async move { load_dispute(uuid::Uuid::parse_str(&id).unwrap_or_default()).await },
    );
    let error = failed(decide);
    view! {
        <AdminPage title="Dispute" needs=Needs::Permission(Permission::ViewOrders) let:actor>
            <PageHeader title="Dispute" subtitle="The shopper, the seller and the marketplace, in one thread.">
                <a class="btn btn-secondary" href="/admin/vendors/disputes">"Disputes"</a>
            </PageHeader>
            {sent_note().map(|note| view! { <p class="notice mb-4" role="status">{note}</p> })}
            <Loaded resource=dispute let:dispute>
                {
                    let id = dispute.summary.id;
                    let decides = dispute.summary.status.is_open() && actor.can(Permission::ManageOrders);
                    let asked = dispute.summary.asked.amount.min(dispute.refundable.amount).to_string();
                    view! {
                        <Thread dispute reply_to=format!("/admin/vendors/disputes/{id}/messages") photos_at=format!("/admin/vendors/disputes/{id}/photos") reader=DisputeSide::Marketplace>
                            {decides.then(|| view! {
                                <ActionForm action=decide attr:class="space-y-3 border-t pt-3" attr:data-testid="decide-dispute">
                                    <SubmissionKey renew=decide.version() />
                                    <input type="hidden" name="id" value=id.to_string() />
                                    <fieldset class="flex flex-wrap gap-4">
                                        <legend class="label">"Decision"</legend>
                                        <label class="flex items-center gap-2"><input type="radio" name="decision" value="refund" checked=true />"Give money back"</label>
                                        <label class="flex items-center gap-2"><input type="radio" name="decision" value="reject" />"Give nothing back"</label>
                                    </fieldset>
                                    <div class="field">
                                        <label class="label" for="decide_amount">"How much, in naira (empty: what was asked)"</label>
                                        <input class="input" id="decide_amount" name="amount" inputmode="decimal" placeholder=asked />
                                        <crate::components::FieldError error field="amount" />
                                    </div>
                                    <div class="field">
                                        <label class="label" for="decide_why">"Why (the shopper and the seller read it)"</label>
                                        <textarea class="input" id="decide_why" name="why" rows="2" maxlength="4000"></textarea>
                                        <crate::components::FieldError error field="why" />
                                    </div>
                                    <FormAlert error beside=&["amount", "why"] />
                                    <button type="submit" class="btn btn-primary" disabled=move || decide.pending().get()>"Decide"</button>
                                </ActionForm>
                            })}
                        </Thread>
                    }
                }
            </Loaded>
        </AdminPage>
    }
}
