//! Reviews, where each of their people meets them: shoppers read a product's and a seller's on
//! the store and write theirs from their order's page; the seller answers and reports them in
//! its portal (`/vendor/reviews`); the business answers for its own goods and hides what is
//! abusive in the back office (`/admin/reviews`). Every form is an `ActionForm`, so each works
//! without the page's script.

use commerce::base::Permission;
use commerce::base::page::Page;
use commerce::reviews::{Rating, Review, ReviewFilter, Reviews, ToReview, stars};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::AppError;
use crate::api::{
    HideReview, ReplyReview, ReportReview, WriteReview, load_product_reviews, load_reviews, load_seller_reviews,
};
use crate::components::{
    EmptyState, FieldError, FormAlert, Gate, Loaded, Needs, PageHeader, Workspace, business_time, failed, sent,
    successes,
};
use crate::pages::admin::AdminPage;
use crate::pages::vendor::VENDOR_NAV;

/// A rating at a glance: its average in stars, its count, and how many gave each star.
#[component]
pub fn RatingSummary(rating: Rating) -> impl IntoView {
    let whole = rating.whole_stars();
    let count = rating.count.max(1).to_string();
    view! {
        <div class="flex flex-wrap items-start gap-6" data-testid="rating" data-count=rating.count
            data-average=rating.average.map(|a| a.to_string()).unwrap_or_default()>
            <div>
                <p class="text-3xl font-bold text-slate-900 tabular-nums">{rating.average.map_or_else(|| "–".to_owned(), |a| a.to_string())}</p>
                <p class="text-amber-500" aria-hidden="true">{stars(whole)}</p>
                <p class="text-sm text-slate-600">{rating.label()}</p>
            </div>
            {(rating.count > 0).then(|| view! {
                <ul class="min-w-48 flex-1 space-y-1 text-xs text-slate-600" aria-label="Reviews by stars">
                    {(1..=5).rev().map(|star| {
                        let n = rating.stars[star - 1];
                        view! {
                            <li class="flex items-center gap-2">
                                <span class="w-10 tabular-nums">{format!("{star} ★")}</span>
                                <progress class="stars-bar h-2 flex-1" max=count.clone() value=n aria-label=format!("{star} stars")></progress>
                                <span class="w-8 text-right tabular-nums">{n}</span>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            })}
        </div>
    }
}

/// One review as shoppers read it, with the seller's answer.
#[component]
fn ReviewCard(review: Review, #[prop(optional)] with_subject: bool) -> impl IntoView {
    let stamp = format!(
        "{} · {}{}",
        review.author,
        business_time(review.created_at),
        if review.edited { " · edited" } else { "" }
    );
    view! {
        <li class="border-t border-slate-100 py-3" data-testid="review">
            {with_subject.then(|| view! { <p class="text-xs font-semibold uppercase text-slate-500">{review.subject.clone()}</p> })}
            <p><span class="text-amber-500" role="img" aria-label=format!("{} out of 5 stars", review.rating)>{stars(review.rating)}</span>
                {(!review.title.is_empty()).then(|| view! { " " <strong>{review.title.clone()}</strong> })}</p>
            <p class="text-xs text-slate-500">{stamp} " · " <span class="text-emerald-700">"Verified purchase"</span></p>
            {(!review.body.is_empty()).then(|| view! { <p class="mt-1 whitespace-pre-line text-sm">{review.body.clone()}</p> })}
            {(!review.reply.is_empty()).then(|| view! {
                <div class="mt-2 rounded bg-slate-50 p-2 text-sm" data-testid="review-reply">
                    <p class="text-xs font-semibold text-slate-600">{format!("Answer from {}", review.seller)}</p>
                    <p class="whitespace-pre-line">{review.reply.clone()}</p>
                </div>
            })}
        </li>
    }
}

/// Whose reviews the store shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Subject {
    /// The product the address names (`id`).
    Product,
    /// The seller the address names (`seller`).
    Seller,
}

/// The reviews a store page shows, from its address: the rating, and a page of them from
/// `?reviews=`. Made by the page before anything that suspends (see `Gate`).
pub fn store_reviews(subject: Subject) -> Resource<Result<Reviews, AppError>> {
    let params = use_params_map();
    let query = use_query_map();
    Resource::new(
        move || {
            let params = params.read();
            let which = match subject {
                Subject::Product => "id",
                Subject::Seller => "seller",
            };
            (params.get("slug").unwrap_or_default(), params.get(which).unwrap_or_default(), query.read().get("reviews"))
        },
        move |(slug, id, after)| async move {
            match subject {
                Subject::Product => load_product_reviews(slug, id, after).await,
                Subject::Seller => load_seller_reviews(slug, id, after).await,
            }
        },
    )
}

/// The reviews section of a product's or a seller's page on the store: the rating, then a page
/// of reviews, newest first, with a link to older ones.
#[component]
pub fn StoreReviews(reviews: Resource<Result<Reviews, AppError>>) -> impl IntoView {
    view! {
        <section class="card mt-6" id="reviews" data-testid="store-reviews">
            <h2 class="mb-3 text-lg font-semibold text-slate-900">"Reviews"</h2>
            <Loaded resource=reviews let:found>
                <ReviewsBody found />
            </Loaded>
        </section>
    }
}

#[component]
fn ReviewsBody(found: Reviews) -> impl IntoView {
    let Reviews { rating, page } = found;
    let more = page.next_cursor.map(|next| format!("?reviews={next}#reviews"));
    view! {
        <RatingSummary rating />
        <p class="mt-3 text-xs text-slate-500">"Only shoppers who received their order review it: they write from their order's page."</p>
        {if page.data.is_empty() {
            view! { <p class="mt-3 text-sm text-slate-600">"Nobody has reviewed this yet."</p> }.into_any()
        } else {
            view! {
                <ul class="mt-3">{page.data.into_iter().map(|review| view! { <ReviewCard review /> }).collect_view()}</ul>
            }
            .into_any()
        }}
        {more.map(|href| view! { <a class="btn btn-secondary btn-sm mt-2" href=href>"Older reviews"</a> })}
    }
}

/// The order page's reviews: each product bought and each seller, with a form once it reached
/// the shopper (filled with what they wrote, to change it), or why it must wait.
#[component]
pub fn OrderReviews(slug: String, key: uuid::Uuid, items: Vec<ToReview>) -> impl IntoView {
    let reviewed = use_query_map().with_untracked(|q| q.get("reviewed").is_some());
    view! {
        <section class="card mt-4" id="reviews" data-testid="order-reviews">
            <h2 class="font-semibold">"Rate your order"</h2>
            <p class="text-sm text-slate-600">"Your review shows your first name and initial, and helps other shoppers choose."</p>
            {reviewed.then(|| view! { <p class="notice mt-2" role="status">"Thank you! Your review is posted."</p> })}
            <ul class="mt-3 space-y-3">
                {items.into_iter().map(|item| view! { <ReviewItem slug=slug.clone() key item /> }).collect_view()}
            </ul>
        </section>
    }
}

/// One thing of an order to review.
#[component]
fn ReviewItem(slug: String, key: uuid::Uuid, item: ToReview) -> impl IntoView {
    let write = ServerAction::<WriteReview>::new();
    let product = item.product.map(|p| p.0.to_string()).unwrap_or_default();
    let seller =
        if item.product.is_none() { item.vendor.map(|v| v.0.to_string()).unwrap_or_default() } else { String::new() };
    // Several of these forms share one server function: a refusal brought back in the address
    // (no script) belongs to the form whose product and seller it carries.
    let this_form = sent::<WriteReview>("product").as_deref() == Some(product.as_str())
        && sent::<WriteReview>("seller").unwrap_or_default() == seller;
    let refused = failed(write);
    let error =
        Signal::derive(move || if write.value().with(Option::is_some) || this_form { refused.get() } else { None });
    let label = if item.product.is_some() { item.name.clone() } else { format!("Seller: {}", item.name) };
    let mine = item.mine.clone();
    let typed =
        |field: &str, saved: String| if this_form { sent::<WriteReview>(field).unwrap_or(saved) } else { saved };
    let rating = typed("rating", mine.as_ref().map(|m| m.rating.to_string()).unwrap_or_default());
    let title = typed("title", mine.as_ref().map(|m| m.title.clone()).unwrap_or_default());
    let body = typed("body", mine.as_ref().map(|m| m.body.clone()).unwrap_or_default());
    if !item.ready {
        return view! {
            <li class="rounded border border-slate-200 p-3" data-testid="review-item" data-ready="false">
                <p class="font-medium">{label}</p>
                <p class="text-sm text-slate-600">"You can review it once it has reached you."</p>
            </li>
        }
        .into_any();
    }
    let id = format!("review-{}", if product.is_empty() { &seller } else { &product });
    let unwritten = mine.is_none();
    view! {
        <li class="rounded border border-slate-200 p-3" data-testid="review-item" data-ready="true">
            <details open=unwritten || this_form>
                <summary class="cursor-pointer font-medium">
                    {label}
                    {mine.as_ref().map(|m| view! { " " <span class="text-amber-500" data-testid="my-rating">{stars(m.rating)}</span> })}
                </summary>
                <ActionForm action=write attr:class="mt-3 space-y-3">
                    <input type="hidden" name="slug" value=slug />
                    <input type="hidden" name="key" value=key.to_string() />
                    <input type="hidden" name="product" value=product.clone() />
                    <input type="hidden" name="seller" value=seller.clone() />
                    <fieldset>
                        <legend class="label">"Your rating"</legend>
                        <div class="flex flex-wrap gap-3">
                            {(1..=5u8).rev().map(|n| view! {
                                <label class="flex items-center gap-1 text-sm">
                                    <input type="radio" name="rating" value=n.to_string() checked=rating == n.to_string() aria-label=format!("{n} stars") />
                                    <span class="text-amber-500" aria-hidden="true">{stars(n)}</span>
                                </label>
                            }).collect_view()}
                        </div>
                        <FieldError error field="rating" />
                    </fieldset>
                    <div class="field">
                        <label class="label" for=format!("{id}-title")>"Headline (optional)"</label>
                        <input class="input" id=format!("{id}-title") name="title" maxlength="120" value=title />
                        <FieldError error field="title" />
                    </div>
                    <div class="field">
                        <label class="label" for=format!("{id}-body")>"Your review (optional)"</label>
                        <textarea class="input" id=format!("{id}-body") name="body" rows="3" maxlength="2000">{body}</textarea>
                        <FieldError error field="body" />
                    </div>
                    <FormAlert error beside=&["rating", "title", "body"] />
                    <button type="submit" class="btn btn-primary btn-sm" disabled=move || write.pending().get()>
                        {if unwritten { "Post your review" } else { "Update your review" }}
                    </button>
                </ActionForm>
            </details>
            {mine.as_ref().filter(|m| m.hidden_at.is_some()).map(|m| view! {
                <p class="mt-2 text-sm text-red-700">{format!("Your review is hidden from the store: {}", m.hidden_why)}</p>
            })}
            {mine.as_ref().filter(|m| !m.reply.is_empty()).map(|m| view! {
                <p class="mt-2 rounded bg-slate-50 p-2 text-sm">{format!("Answer from {}: {}", m.seller, m.reply)}</p>
            })}
        </li>
    }
    .into_any()
}

/// The tabs of the staff's list.
fn filter_tabs(base: &'static str, now: ReviewFilter) -> impl IntoView {
    view! {
        <nav class="mb-4 flex flex-wrap gap-2" aria-label="Which reviews">
            {ReviewFilter::ALL.into_iter().map(|f| {
                let class = if f == now { "btn btn-primary btn-sm" } else { "btn btn-secondary btn-sm" };
                view! { <a class=class href=format!("{base}?show={}", f.code())>{f.label()}</a> }
            }).collect_view()}
        </nav>
    }
}

/// What the staff may do with the reviews on their list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Desk {
    /// A vendor's staff: answer and report its own.
    Vendor,
    /// The business's staff: answer for its own goods, hide and show any.
    Business,
}

/// The staff's list and its actions, made by the page before its gate (see `Gate`); the list
/// reads again after each change.
#[derive(Clone, Copy)]
struct StaffDesk {
    reply: ServerAction<ReplyReview>,
    report: ServerAction<ReportReview>,
    hide: ServerAction<HideReview>,
    reviews: Resource<Result<Page<Review>, AppError>>,
}

fn staff_desk() -> StaffDesk {
    let query = use_query_map();
    let reply = ServerAction::<ReplyReview>::new();
    let report = ServerAction::<ReportReview>::new();
    let hide = ServerAction::<HideReview>::new();
    let changed = (successes(reply), successes(report), successes(hide));
    let reviews = Resource::new(
        move || {
            let query = query.read();
            let filter = ReviewFilter::from_code(&query.get("show").unwrap_or_default());
            (filter, query.get("after"), changed.0.get() + changed.1.get() + changed.2.get())
        },
        |(filter, after, _)| load_reviews(filter.code().to_owned(), after),
    );
    StaffDesk { reply, report, hide, reviews }
}

/// The staff's list of reviews with what they may do to each.
#[component]
fn StaffReviews(state: StaffDesk, desk: Desk, base: &'static str) -> impl IntoView {
    let StaffDesk { reply, report, hide, reviews } = state;
    let (e1, e2, e3) = (failed(reply), failed(report), failed(hide));
    let error = Signal::derive(move || e1.get().or_else(|| e2.get()).or_else(|| e3.get()));
    let now = ReviewFilter::from_code(&use_query_map().read_untracked().get("show").unwrap_or_default());
    view! {
        {filter_tabs(base, now)}
        <FormAlert error beside=&[] />
        <Loaded resource=reviews let:page>
            <StaffList page desk base reply report hide />
        </Loaded>
    }
}

#[component]
fn StaffList(
    page: Page<Review>,
    desk: Desk,
    base: &'static str,
    reply: ServerAction<ReplyReview>,
    report: ServerAction<ReportReview>,
    hide: ServerAction<HideReview>,
) -> impl IntoView {
    if page.data.is_empty() {
        return view! { <EmptyState title="No reviews here" message="Shoppers' reviews show here once they write them." /> }
            .into_any();
    }
    let more = page.next_cursor.map(|next| crate::pages::next_page_link(base, &next, &["show"]));
    view! {
        <ul class="space-y-3">
            {page.data.into_iter().map(|r| {
                let id = r.id.to_string();
                let reply_field = format!("reply-{id}");
                let reply_id = id.clone();
                let answers = match desk {
                    Desk::Vendor => true,
                    Desk::Business => r.vendor.is_none(),
                };
                let hidden = r.hidden_at.is_some();
                view! {
                    <li class="card" data-testid="staff-review" data-hidden=hidden.to_string()>
                        <div class="flex flex-wrap items-center justify-between gap-2">
                            <p class="text-sm">
                                <span class="text-amber-500" aria-label=format!("{} out of 5 stars", r.rating)>{stars(r.rating)}</span>
                                " " <strong>{r.subject.clone()}</strong>
                                {(desk == Desk::Business).then(|| format!(" · sold by {}", r.seller))}
                            </p>
                            <p class="flex flex-wrap gap-1">
                                {hidden.then(|| view! { <span class="badge badge-negative">"Hidden"</span> })}
                                {(r.reported_at.is_some() && !hidden).then(|| view! { <span class="badge badge-warning">"Reported"</span> })}
                            </p>
                        </div>
                        <p class="text-xs text-slate-500">{format!("{} · order {} · {}", r.author, r.order_number, business_time(r.created_at))}</p>
                        {(!r.title.is_empty()).then(|| view! { <p class="mt-1 font-semibold">{r.title.clone()}</p> })}
                        {(!r.body.is_empty()).then(|| view! { <p class="mt-1 whitespace-pre-line text-sm">{r.body.clone()}</p> })}
                        {(!r.reported_why.is_empty()).then(|| view! { <p class="mt-2 text-sm text-amber-800">{format!("Reported by the seller: {}", r.reported_why)}</p> })}
                        {hidden.then(|| view! { <p class="mt-2 text-sm text-red-700">{format!("Hidden: {}", r.hidden_why)}</p> })}
                        {if answers {
                            view! {
                                <ActionForm action=reply attr:class="mt-3 space-y-2">
                                    <input type="hidden" name="id" value=reply_id />
                                    <label class="label" for=reply_field.clone()>"Your public answer"</label>
                                    <textarea class="input" id=reply_field name="reply" rows="2" maxlength="2000">{r.reply.clone()}</textarea>
                                    <button type="submit" class="btn btn-secondary btn-sm">{if r.reply.is_empty() { "Answer" } else { "Change the answer" }}</button>
                                </ActionForm>
                            }.into_any()
                        } else {
                            (!r.reply.is_empty()).then(|| view! { <p class="mt-2 rounded bg-slate-50 p-2 text-sm">{format!("Answer from {}: {}", r.seller, r.reply)}</p> }).into_any()
                        }}
                        {match desk {
                            Desk::Vendor => (!hidden).then(|| view! {
                                <ActionForm action=report attr:class="mt-2 flex flex-wrap items-end gap-2">
                                    <input type="hidden" name="id" value=id.clone() />
                                    <input class="input max-w-sm" name="why" placeholder="What is abusive about it" aria-label="Why you report it" />
                                    <button type="submit" class="btn btn-secondary btn-sm">"Report to the marketplace"</button>
                                </ActionForm>
                            }).into_any(),
                            Desk::Business => if hidden {
                                view! {
                                    <ActionForm action=hide attr:class="mt-2">
                                        <input type="hidden" name="id" value=id.clone() />
                                        <input type="hidden" name="show" value="1" />
                                        <button type="submit" class="btn btn-secondary btn-sm">"Show it again"</button>
                                    </ActionForm>
                                }.into_any()
                            } else {
                                view! {
                                    <ActionForm action=hide attr:class="mt-2 flex flex-wrap items-end gap-2">
                                        <input type="hidden" name="id" value=id.clone() />
                                        <input class="input max-w-sm" name="why" placeholder="Why it breaks the rules" aria-label="Why you hide it" />
                                        <button type="submit" class="btn btn-danger btn-sm">"Hide"</button>
                                    </ActionForm>
                                }.into_any()
                            },
                        }}
                    </li>
                }
            }).collect_view()}
        </ul>
        {more.map(|href| view! { <a class="btn btn-secondary mt-4" href=href>"Older reviews"</a> })}
    }
    .into_any()
}

/// `/vendor/reviews`: what shoppers say of the vendor and its products, to answer in public or
/// report to the marketplace.
#[component]
pub fn VendorReviewsPage() -> impl IntoView {
    let state = staff_desk();
    view! {
        <Title text="Reviews" />
        <Gate needs=Needs::Permission(Permission::UseVendorPortal) let:actor>
            <Workspace surface="Vendor portal" nav=VENDOR_NAV actor>
                <PageHeader title="Reviews" subtitle="What shoppers who received your goods say. Your answers show under their reviews on the store." />
                <StaffReviews state desk=Desk::Vendor base="/vendor/reviews" />
            </Workspace>
        </Gate>
    }
}

/// `/admin/reviews`: every review on the store; the business answers for its own goods and
/// hides what breaks its rules (it leaves the store and the rating).
#[component]
pub fn ReviewsPage() -> impl IntoView {
    let state = staff_desk();
    view! {
        <AdminPage title="Reviews" needs=Needs::Permission(Permission::ViewCatalog) let:_actor>
            <PageHeader title="Reviews" subtitle="What shoppers say of the products and the sellers. Hide what is abusive; sellers answer their own." />
            <StaffReviews state desk=Desk::Business base="/admin/reviews" />
        </AdminPage>
    }
}
