//! `/store/{slug}/sellers/{seller}`: a marketplace vendor's page on the store: who it is, where,
//! since when, and its products on sale, a page at a time.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::{load_seller, load_storefront};
use crate::components::{EmptyState, Loaded, business_time};
use crate::pages::store::{ItemCard, StoreHeader};

/// A vendor's page on the storefront.
#[component]
pub fn StoreSellerPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let store = Resource::new(move || params.read().get("slug").unwrap_or_default(), load_storefront);
    let seller = Resource::new(
        move || {
            (
                params.read().get("slug").unwrap_or_default(),
                params.read().get("seller").unwrap_or_default(),
                query.read().get("after"),
            )
        },
        |(slug, seller, after)| load_seller(slug, seller, after),
    );
    let reviews = crate::pages::reviews::store_reviews(crate::pages::reviews::Subject::Seller);
    view! {
        <Loaded resource=store let:store>
            <StoreHeader slug=store.tenant.slug.clone() name=store.tenant.name.clone() shopper=store.shopper.clone() />
            <main class="mx-auto max-w-6xl px-4 py-8 sm:px-6">
                <Loaded resource=seller let:found>
                    {
                        let (page, shelf, rating) = found;
                        let slug = store.tenant.slug.clone();
                        let here = format!("/store/{slug}/sellers/{}", page.slug);
                        let more = shelf.next.map(|next| crate::pages::next_page_link(&here, &next, &[]));
                        let place = [page.city.clone(), page.state.clone()].into_iter().filter(|p| !p.is_empty()).collect::<Vec<_>>().join(", ");
                        view! {
                            <Title text=format!("{} on {}", page.name, store.tenant.name) formatter=|text: String| text />
                            <section class="card" data-testid="seller">
                                <h1 class="text-2xl font-bold text-slate-900">{page.name.clone()}</h1>
                                <p class="mt-1 text-sm text-slate-600">
                                    {format!("{}{}Selling on {} since {} · {} products", place, if place.is_empty() { "" } else { " · " }, store.tenant.name, business_time(page.since), page.products)}
                                </p>
                                <p class="mt-2 text-sm" data-testid="seller-rating">
                                    <span class="text-amber-500" aria-hidden="true">{commerce::reviews::stars(rating.whole_stars())}</span>
                                    " " {rating.label()}
                                </p>
                                {(!page.description.is_empty()).then(|| view! { <p class="mt-3 whitespace-pre-line">{page.description.clone()}</p> })}
                            </section>
                            {if shelf.items.is_empty() {
                                view! { <EmptyState title="Nothing on sale" message="This seller has nothing on sale just now." /> }.into_any()
                            } else {
                                view! {
                                    <ul class="mt-6 grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-4">
                                        {shelf.items.into_iter().map(|item| view! { <ItemCard slug=slug.clone() item /> }).collect_view()}
                                    </ul>
                                    {more.map(|href| view! { <a class="btn btn-primary mt-6" href=href>"More products"</a> })}
                                }
                                .into_any()
                            }}
                        }
                    }
                </Loaded>
                <crate::pages::reviews::StoreReviews reviews />
            </main>
        </Loaded>
    }
}
