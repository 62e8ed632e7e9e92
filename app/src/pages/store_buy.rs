//! Buying on a storefront: a product's page, the cart, checkout, the test gateway, the order's
//! own page and tracking. Every form posts and redirects, so each step works before (or
//! without) any script; refusals are shown beside their field.

use commerce::catalog::ShopProduct;
use commerce::orders::{Cart, Fulfilment, GatewayAttempt, Order, OrderStatus, PaymentMethod, PaymentStatus};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_params_map;

use super::store::StoreHeader;
use crate::api::{
    AddToCart, AnswerTestPayment, BuyAgain, CheckoutPage, PayWithPaystack, PlaceOrder, SetCartQuantity, ShopOrder,
    TrackOrder, load_cart, load_checkout, load_shop_order, load_shop_product, load_storefront, load_test_payment,
    verify_paystack,
};
use crate::components::{AddressFields, EmptyState, Field, FieldError, FormAlert, Loaded, SubmissionKey, failed, sent};

/// The store the address names, and a page of it around `children`.
#[component]
fn StorePage(#[prop(into)] title: String, children: ChildrenFn) -> impl IntoView {
    let params = use_params_map();
    let store = Resource::new(move || params.read().get("slug").unwrap_or_default(), load_storefront);
    let title = StoredValue::new(title);
    view! {
        <Loaded resource=store let:store>
            <Title text=format!("{} · {}", title.get_value(), store.tenant.name) formatter=|text: String| text />
            <StoreHeader slug=store.tenant.slug.clone() name=store.tenant.name.clone() shopper=store.shopper.clone() />
            <main class="mx-auto max-w-5xl px-4 py-6 sm:px-6">{children()}</main>
        </Loaded>
    }
}

fn slug() -> String {
    use_params_map().read_untracked().get("slug").unwrap_or_default()
}

/// The store's address and another of the page's parameters, as a resource's source.
fn slug_and(name: &'static str) -> impl Fn() -> (String, String) + Clone + Send + Sync + 'static {
    let params = use_params_map();
    move || (params.read().get("slug").unwrap_or_default(), params.read().get(name).unwrap_or_default())
}

fn param(name: &str) -> String {
    use_params_map().read_untracked().get(name).unwrap_or_default()
}

/// `/store/{slug}/p/{id}`: a product, its variants and pictures, and adding it to the cart.
#[component]
pub fn StoreProductPage() -> impl IntoView {
    let product = Resource::new(slug_and("id"), |(slug, id)| load_shop_product(slug, id));
    let reviews = crate::pages::reviews::store_reviews(crate::pages::reviews::Subject::Product);
    view! {
        <StorePage title="Product">
            <Loaded resource=product let:product>
                <ProductView product />
                <crate::pages::reviews::StoreReviews reviews />
            </Loaded>
        </StorePage>
    }
}

#[component]
fn ProductView(product: ShopProduct) -> impl IntoView {
    let add = ServerAction::<AddToCart>::new();
    let error = failed(add);
    let slug = slug();
    let first =
        product.variants.iter().find(|v| v.available > 0).or(product.variants.first()).map(|v| v.id.0.to_string());
    let chosen = sent::<AddToCart>("variant").or(first).unwrap_or_default();
    let low = product.variants.iter().map(|v| v.price).min_by(|a, b| a.amount.cmp(&b.amount));
    let image = product.pictures.first().map(|p| p.url.clone());
    let in_stock = product.variants.iter().any(|v| v.available > 0);
    // What a link shared on WhatsApp shows: the picture, the name and the price.
    let json_ld = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "Product",
        "name": product.name,
        "brand": { "@type": "Brand", "name": product.brand },
        "description": product.description,
        "image": product.pictures.iter().map(|p| p.url.clone()).collect::<Vec<_>>(),
        "sku": product.variants.first().map(|v| v.sku.clone()),
        "offers": product.variants.iter().map(|v| serde_json::json!({
            "@type": "Offer",
            "price": commerce::base::money::exact(v.price.amount).to_string(),
            "priceCurrency": v.price.currency.code(),
            "availability": if v.available > 0 { "https://schema.org/InStock" } else { "https://schema.org/OutOfStock" },
        })).collect::<Vec<_>>(),
    })
    .to_string()
    .replace("</", "<\\/");
    view! {
        <Title text=product.name.clone() formatter=|text: String| text />
        <Meta property="og:title" content=product.name.clone() />
        <Meta property="og:type" content="product" />
        {image.map(|src| view! { <Meta property="og:image" content=src /> })}
        {low.map(|p| view! {
            <Meta property="product:price:amount" content=commerce::base::money::exact(p.amount).to_string() />
            <Meta property="product:price:currency" content=p.currency.code() />
        })}
        <script type="application/ld+json" inner_html=json_ld></script>
        <div class="grid gap-6 md:grid-cols-2">
            <div class="space-y-3">
                {product.pictures.first().cloned().map(|p| view! {
                    <img src=p.url alt=p.alt class="aspect-square w-full rounded-lg object-cover" />
                })}
                <div class="flex gap-2 overflow-x-auto">
                    {product.pictures.iter().skip(1).map(|p| view! {
                        <a href=p.url.clone()><img src=p.thumbnail_url.clone() alt=p.alt.clone() class="h-16 w-16 rounded object-cover" loading="lazy" /></a>
                    }).collect_view()}
                </div>
            </div>
            <section>
                <p class="text-sm text-slate-500">{product.brand.clone()}</p>
                <h1 class="text-2xl font-bold text-slate-900">{product.name.clone()}</h1>
                {product.seller.clone().map(|seller| view! {
                    <p class="mt-1 text-sm" data-testid="sold-by">"Sold by "
                        <a class="font-semibold text-brand-700" href=format!("/store/{}/sellers/{}", slug, seller.slug)>{seller.name}</a>
                    </p>
                })}
                <p class="mt-1 text-sm" data-testid="product-stock">{if in_stock { "In stock" } else { "Sold out" }}</p>
                <ActionForm action=add attr:class="mt-4 space-y-4">
                    <input type="hidden" name="slug" value=slug />
                    <fieldset class="space-y-2">
                        <legend class="label">{if product.options.is_empty() { "Price".to_owned() } else { product.options.join(" / ") }}</legend>
                        {product.variants.iter().map(|v| {
                            let id = v.id.0.to_string();
                            let shops = if v.at_shops.is_empty() {
                                String::new()
                            } else {
                                format!("Pick up at {}", v.at_shops.iter().map(|(_, name, n)| format!("{name} ({n})")).collect::<Vec<_>>().join(", "))
                            };
                            let stock = match v.available {
                                0 => "Sold out".to_owned(),
                                n @ 1..=5 => format!("Only {n} left"),
                                _ => "In stock".to_owned(),
                            };
                            view! {
                                <label class="flex items-start gap-3 rounded border border-slate-200 p-3">
                                    <input type="radio" name="variant" value=id.clone() checked=chosen == id disabled=v.available <= 0 data-sku=v.sku.clone() />
                                    <span class="flex-1">
                                        <span class="font-medium">{v.title.clone()}</span>
                                        " "
                                        <span class="font-semibold tabular-nums">{v.price.to_string()}</span>
                                        {v.compare_at.map(|c| view! { " " <s class="text-sm text-slate-500">{c.to_string()}</s> })}
                                        <span class="block text-xs text-slate-600">{stock}</span>
                                        <span class="block text-xs text-slate-500">{shops}</span>
                                    </span>
                                </label>
                            }
                        }).collect_view()}
                        <FieldError error field="variant" />
                    </fieldset>
                    <Field label="Quantity" name="quantity" kind="number" value="1" error />
                    <FormAlert error beside=&["variant", "quantity"] />
                    <button type="submit" class="btn btn-primary w-full" disabled=move || !in_stock || add.pending().get() data-testid="add-to-cart">
                        "Add to cart"
                    </button>
                </ActionForm>
                <p class="mt-6 whitespace-pre-line text-sm text-slate-700">{product.description.clone()}</p>
            </section>
        </div>
    }
}

/// `/store/{slug}/cart`: what is in the cart, quantities to change, and the way to checkout.
#[component]
pub fn StoreCartPage() -> impl IntoView {
    let set = ServerAction::<SetCartQuantity>::new();
    let changed = crate::components::successes(set);
    let cart = Resource::new(move || (changed.get(), slug()), |(_, slug)| load_cart(slug));
    view! {
        <StorePage title="Your cart">
            <h1 class="text-2xl font-bold text-slate-900">"Your cart"</h1>
            <BoughtAgainNotice />
            <Loaded resource=cart let:cart>
                <CartView cart set />
            </Loaded>
        </StorePage>
    }
}

/// What buying an order again put in the cart, as the address says: how many lines went in
/// (`again`) and how many could not in full (`short`). Only counts: a link to the page cannot
/// make it say anything else.
#[component]
fn BoughtAgainNotice() -> impl IntoView {
    let query = leptos_router::hooks::use_query_map();
    let count = |name: &str| query.with_untracked(|q| q.get(name).and_then(|n| n.parse::<usize>().ok()));
    let (again, short) = (count("again"), count("short").unwrap_or(0));
    let items = |n: usize| if n == 1 { "1 item".to_owned() } else { format!("{n} items") };
    again.map(|added| {
        view! {
            <div class="notice mt-4" role="status" data-testid="bought-again">
                <p>{format!("{} from your order {} in your cart.", items(added), if added == 1 { "is" } else { "are" })}</p>
                {(short > 0).then(|| view! {
                    <p class="mt-1">{format!(
                        "{} could not go in full: sold out, no longer sold, or fewer left than you ordered.",
                        items(short)
                    )}</p>
                })}
            </div>
        }
    })
}

#[component]
fn CartView(cart: Cart, set: ServerAction<SetCartQuantity>) -> impl IntoView {
    let slug = slug();
    let error = failed(set);
    if cart.lines.is_empty() {
        return view! {
            <EmptyState title="Your cart is empty" message="Find something you like in the shop." />
            <a class="btn btn-primary mt-4" href=format!("/store/{slug}")>"Go shopping"</a>
        }
        .into_any();
    }
    let ready = cart.ready();
    view! {
        <ul class="mt-4 space-y-3">
            {cart.lines.into_iter().map(|line| view! { <CartLineRow line slug=slug.clone() set /> }).collect_view()}
        </ul>
        <FormAlert error />
        <div class="mt-6 flex flex-wrap items-center justify-between gap-3">
            <p class="text-lg">"Subtotal: " <strong class="tabular-nums" data-testid="cart-subtotal">{cart.subtotal.to_string()}</strong></p>
            {if ready {
                view! { <a class="btn btn-primary" href=format!("/store/{slug}/checkout") data-testid="to-checkout">"Check out"</a> }.into_any()
            } else {
                view! { <p class="text-sm text-red-700">"Mend the lines marked above to check out."</p> }.into_any()
            }}
        </div>
    }
    .into_any()
}

/// A line of the cart, with its quantity to change and a button to take it out.
#[component]
fn CartLineRow(line: commerce::orders::CartLine, slug: String, set: ServerAction<SetCartQuantity>) -> impl IntoView {
    let variant = line.variant.0.to_string();
    let input_id = format!("q-{variant}");
    let amount = format!("{} × {} = {}", line.unit_price, line.quantity, line.amount());
    let (slug_again, variant_again) = (slug.clone(), variant.clone());
    view! {
        <li class="card flex flex-wrap items-center gap-3" data-testid="cart-line">
            {line.thumbnail_url.map(|src| view! { <img src=src alt="" class="h-14 w-14 rounded object-cover" /> })}
            <div class="min-w-0 flex-1">
                <a class="font-medium text-slate-900" href=format!("/store/{slug}/p/{}", line.product.0)>{line.name}</a>
                <p class="text-sm tabular-nums text-slate-600">{amount}</p>
                {line.problem.map(|p| view! { <p class="text-sm font-medium text-red-700" data-testid="line-problem">{p}</p> })}
            </div>
            <ActionForm action=set attr:class="flex items-end gap-2">
                <input type="hidden" name="slug" value=slug.clone() />
                <input type="hidden" name="variant" value=variant.clone() />
                <label class="sr-only" for=input_id.clone()>"Quantity"</label>
                <input class="input w-20" id=input_id.clone() name="quantity" type="number" min="0" value=line.quantity />
                <button type="submit" class="btn btn-secondary btn-sm">"Update"</button>
            </ActionForm>
            <ActionForm action=set>
                <input type="hidden" name="slug" value=slug_again.clone() />
                <input type="hidden" name="variant" value=variant_again.clone() />
                <input type="hidden" name="quantity" value="0" />
                <button type="submit" class="btn btn-secondary btn-sm">"Remove"</button>
            </ActionForm>
        </li>
    }
}

/// `/store/{slug}/checkout`: contact, delivery or pickup, and payment, in one form.
#[component]
pub fn StoreCheckoutPage() -> impl IntoView {
    let page = Resource::new(slug, load_checkout);
    view! {
        <StorePage title="Checkout">
            <h1 class="text-2xl font-bold text-slate-900">"Checkout"</h1>
            <Loaded resource=page let:page>
                <CheckoutForm page />
            </Loaded>
        </StorePage>
    }
}

#[component]
fn CheckoutForm(page: CheckoutPage) -> impl IntoView {
    let place = ServerAction::<PlaceOrder>::new();
    let error = failed(place);
    let slug = slug();
    let CheckoutPage { cart, options, saved } = page;
    if cart.lines.is_empty() {
        return view! {
            <EmptyState title="Your cart is empty" message="Add something to your cart to check out." />
            <a class="btn btn-primary mt-4" href=format!("/store/{slug}")>"Go shopping"</a>
        }
        .into_any();
    }
    let chosen_way = sent::<PlaceOrder>("fulfilment")
        .unwrap_or_else(|| if options.zones.is_empty() { "pickup".to_owned() } else { "delivery".to_owned() });
    let chosen_payment = sent::<PlaceOrder>("payment").unwrap_or_default();
    // The address to start from: the one of the shopper's book they picked (`?address=`), else
    // the one they used last.
    let picked = leptos_router::hooks::use_query_map().read_untracked().get("address");
    let start = saved.iter().find(|a| Some(a.id.to_string()) == picked).or(saved.first()).cloned();
    let chosen_shop = sent::<PlaceOrder>("pickup_location").unwrap_or_default();
    let zones_note = options
        .zones
        .iter()
        .map(|z| {
            let free = z.free_above.map(|f| format!(", free from {f}")).unwrap_or_default();
            format!("{}: {}{free}", z.name, z.rate)
        })
        .collect::<Vec<_>>()
        .join(" · ");
    let tax = if options.vat.prices_include_tax { "Prices include VAT." } else { "VAT is added to these prices." };
    view! {
        <div class="mt-4 grid gap-6 md:grid-cols-[1fr_18rem]">
            <ActionForm action=place attr:class="space-y-6">
                <SubmissionKey renew=place.version() />
                <input type="hidden" name="slug" value=slug />
                <fieldset class="card space-y-4">
                    <legend class="text-lg font-semibold">"Contact"</legend>
                    <Field label="Your name" name="name" autocomplete="name" error />
                    <Field label="Mobile number" name="phone" kind="tel" autocomplete="tel" hint="For the rider's call, such as 0803 123 4567." error />
                    <Field label="Email (optional)" name="email" kind="email" autocomplete="email" hint="For the receipt and updates." error />
                </fieldset>
                <fieldset class="card space-y-4">
                    <legend class="text-lg font-semibold">"Delivery or pickup"</legend>
                    {(!options.zones.is_empty()).then(|| view! {
                        <label class="flex items-center gap-2"><input type="radio" name="fulfilment" value="delivery" checked=chosen_way == "delivery" />"Deliver to me"</label>
                    })}
                    {(!options.shops.is_empty()).then(|| view! {
                        <label class="flex items-center gap-2"><input type="radio" name="fulfilment" value="pickup" checked=chosen_way == "pickup" />"I will pick it up at a shop"</label>
                    })}
                    <FieldError error field="fulfilment" />
                    {(!options.zones.is_empty()).then(|| view! {
                        <div class="space-y-3">
                            <p class="text-sm text-slate-600">{format!("Delivery: {zones_note}.")}</p>
                            {(!saved.is_empty()).then(|| view! { <SavedAddresses saved=saved.clone() chosen=start.clone() /> })}
                            <AddressFields error start=start.clone().map(|a| a.address).unwrap_or_default() />
                        </div>
                    })}
                    {(!options.shops.is_empty()).then(|| view! {
                        <div class="field">
                            <label class="label" for="pickup_location">"Shop to pick up from"</label>
                            <select class="input" id="pickup_location" name="pickup_location">
                                <option value="">"Choose a shop"</option>
                                {options.shops.iter().map(|s| {
                                    let id = s.id.0.to_string();
                                    view! { <option value=id.clone() selected=chosen_shop == id>{format!("{} — {}", s.name, s.address)}</option> }
                                }).collect_view()}
                            </select>
                            <FieldError error field="pickup_location" />
                        </div>
                    })}
                </fieldset>
                <fieldset class="card space-y-3">
                    <legend class="text-lg font-semibold">"Payment"</legend>
                    {options.methods.iter().map(|m| view! {
                        <label class="flex items-center gap-2">
                            <input type="radio" name="payment" value=m.code() checked=chosen_payment == m.code() />
                            {m.label()}
                        </label>
                    }).collect_view()}
                    {options.bank.clone().map(|b| view! {
                        <p class="text-sm text-slate-600">{format!(
                            "By transfer: we show you {}'s account at {} after you place the order; we hold your items for {} hours.",
                            b.name, b.bank, options.transfer_hours
                        )}</p>
                    })}
                    <FieldError error field="payment" />
                </fieldset>
                <fieldset class="card space-y-3">
                    <legend class="text-lg font-semibold">"Anything else?"</legend>
                    <Field label="Note for the shop (optional)" name="note" error />
                    <label class="flex items-center gap-2 text-sm"><input type="checkbox" name="consent" value="yes" />"Tell me about offers by SMS or email"</label>
                </fieldset>
                <FormAlert error beside=&["name", "phone", "email", "fulfilment", "address.line", "address.city", "address.lga", "address.state", "pickup_location", "payment", "note"] />
                <button type="submit" class="btn btn-primary w-full" disabled=move || place.pending().get() data-testid="place-order">"Place order"</button>
            </ActionForm>
            <aside class="card h-fit space-y-2">
                <h2 class="font-semibold">"Your order"</h2>
                <ul class="space-y-1 text-sm">
                    {cart.lines.iter().map(|l| view! { <li class="flex justify-between gap-2"><span>{format!("{} × {}", l.quantity, l.name)}</span><span class="tabular-nums">{l.amount().to_string()}</span></li> }).collect_view()}
                </ul>
                <p class="flex justify-between border-t pt-2 font-semibold"><span>"Subtotal"</span><span class="tabular-nums">{cart.subtotal.to_string()}</span></p>
                <p class="text-xs text-slate-500">{format!("{tax} Delivery is added by where it goes.")}</p>
            </aside>
        </div>
    }
    .into_any()
}

/// `/store/{slug}/order/{key}`: the order as its shopper sees it: what to do next (pay by
/// transfer), where it is, and what it holds.
#[component]
pub fn StoreOrderPage() -> impl IntoView {
    // A review written comes back here with its id in the address (`reviewed`): the order is
    // read again to show it.
    let query = leptos_router::hooks::use_query_map();
    let order = Resource::new(
        move || (slug(), param("key"), query.read().get("reviewed")),
        |(slug, key, _)| load_shop_order(slug, key),
    );
    view! {
        <StorePage title="Your order">
            <Loaded resource=order let:order>
                <OrderView order />
            </Loaded>
        </StorePage>
    }
}

/// `/store/{slug}/paystack?key=…&reference=…`: where Paystack sends the shopper back; the payment is
/// checked with Paystack and the order shown as it now stands.
#[component]
pub fn StorePaystackReturnPage() -> impl IntoView {
    let query = leptos_router::hooks::use_query_map();
    let order = Resource::new(
        move || {
            let query = query.read();
            (slug(), query.get("key").unwrap_or_default(), query.get("reference").unwrap_or_default())
        },
        |(slug, key, reference)| verify_paystack(slug, key, reference),
    );
    view! {
        <StorePage title="Your order">
            <Loaded resource=order let:order>
                <OrderView order />
            </Loaded>
        </StorePage>
    }
}

#[component]
fn OrderView(order: ShopOrder) -> impl IntoView {
    let ShopOrder { order, bank, page_url, disputes, reviews } = order;
    let pay_now =
        order.status == OrderStatus::AwaitingPayment && order.method == PaymentMethod::Paystack && !order.paid;
    let key = order.view_key.to_string();
    let waiting_transfer = order.awaits_transfer();
    let status = order.status;
    let headline = match (status, order.method, order.paid) {
        (OrderStatus::AwaitingPayment, PaymentMethod::BankTransfer, false) => {
            "Thank you! Pay by transfer to complete your order"
        }
        (OrderStatus::AwaitingPayment, PaymentMethod::PayOnDelivery, _) => "Thank you! Your order is placed",
        (OrderStatus::AwaitingPayment, _, _) => "Your order is waiting for payment",
        (OrderStatus::Cancelled, _, _) => "This order was called off",
        _ => "Thank you! Your order is confirmed",
    };
    let bank = bank.map(|b| format!("{} — {} — {}", b.bank, b.number, b.name)).unwrap_or_default();
    let track_text = format!("My order {}: {}. {page_url}", order.number, status.label());
    let share = format!("https://wa.me/?text={}", crate::pages::urlencode(&track_text));
    view! {
        <section class="card" data-testid="order-page" data-status=status.code()>
            <p class="text-sm text-slate-500">{format!("Order {}", order.number)}</p>
            <h1 class="text-2xl font-bold text-slate-900" data-testid="order-headline">{headline}</h1>
            <p class="mt-2"><span class="badge badge-neutral" data-testid="order-status">{status.label()}</span>
                {order.paid.then(|| view! { " " <span class="badge badge-success">"Paid"</span> })}</p>
            {waiting_transfer.then(|| view! {
                <div class="mt-4 rounded border border-amber-300 bg-amber-50 p-4" data-testid="transfer-details">
                    <p>{format!("Transfer {} to:", order.total)}</p>
                    <p class="font-semibold">{bank}</p>
                    <p>"Reference: " <strong data-testid="transfer-reference">{order.payments.last().map(|p| p.reference.clone()).unwrap_or_default()}</strong></p>
                    {order.pay_by.map(|at| view! { <p class="text-sm">{format!("We hold your items until {}.", crate::components::business_time(at))}</p> })}
                </div>
            })}
            <p class="mt-3 text-sm">
                {match order.fulfilment {
                    Fulfilment::Pickup => format!("Pick up at {}", order.pickup.as_ref().map(|p| format!("{} — {}", p.name, p.address)).unwrap_or_default()),
                    Fulfilment::Delivery => format!("Delivery to {}", order.shipping_address.as_ref().map(commerce::orders::Address::one_line).unwrap_or_default()),
                }}
            </p>
            {pay_now.then(|| view! { <PaystackButton key=key.clone() /> })}
            <div class="mt-3 flex flex-wrap items-center gap-2">
                <a class="btn btn-secondary btn-sm" href=share target="_blank" rel="noopener">"Share on WhatsApp"</a>
                <BuyAgainButton key=key.clone() />
            </div>
        </section>
        <OrderLines order=order.clone() />
        {(!order.parts.is_empty()).then(|| view! {
            <section class="card mt-4" data-testid="shopper-parts">
                <h2 class="font-semibold">"Your order comes in parts, one from each seller"</h2>
                <ul class="mt-2 space-y-2 text-sm">
                    {order.parts.iter().map(|p| view! {
                        <li class="flex flex-wrap items-center justify-between gap-2" data-testid="shopper-part" data-status=p.status.code()>
                            <span>{format!("{} · {}", p.number, p.seller)}</span>
                            <span><span class="badge badge-neutral">{p.status.label()}</span>
                                <span class="ml-2 tabular-nums">{p.total().to_string()}</span></span>
                        </li>
                    }).collect_view()}
                </ul>
            </section>
        })}
        {(!order.parts.is_empty()).then(|| view! {
            <crate::pages::disputes::ShopperDisputes slug=slug() key=order.view_key parts=order.parts.clone() disputes />
        })}
        {(status != OrderStatus::Cancelled && !reviews.is_empty()).then(|| view! {
            <crate::pages::reviews::OrderReviews slug=slug() key=order.view_key items=reviews />
        })}
        <section class="card mt-4">
            <h2 class="font-semibold">"What happened"</h2>
            <ol class="mt-2 space-y-1 text-sm">
                {order.events.iter().map(|e| view! {
                    <li>{format!("{} — {}{}{}", crate::components::business_time(e.at), e.part.as_ref().map(|p| format!("{p}: ")).unwrap_or_default(), e.to.map(|s| format!("{}. ", s.label())).unwrap_or_default(), e.note)}</li>
                }).collect_view()}
            </ol>
        </section>
    }
}

/// The shopper's saved addresses, each a link that starts the checkout from it (no script
/// needed); the one the form starts from is marked.
#[component]
fn SavedAddresses(
    saved: Vec<commerce::orders::address::SavedAddress>,
    chosen: Option<commerce::orders::address::SavedAddress>,
) -> impl IntoView {
    let slug = slug();
    view! {
        <div class="field" data-testid="saved-addresses">
            <p class="label">"Your addresses"</p>
            <ul class="space-y-1 text-sm">
                {saved.into_iter().map(|a| {
                    let here = chosen.as_ref().is_some_and(|c| c.id == a.id);
                    let text = a.address.one_line();
                    view! {
                        <li>
                            {if here {
                                view! { <span class="font-semibold" aria-current="true">{format!("✓ {text}")}</span> }.into_any()
                            } else {
                                view! { <a class="text-brand-700 hover:underline" href=format!("/store/{slug}/checkout?address={}", a.id)>{format!("Deliver to {text}")}</a> }.into_any()
                            }}
                        </li>
                    }
                }).collect_view()}
            </ul>
        </div>
    }
}

/// Puts the order's items in the cart again.
#[component]
fn BuyAgainButton(key: String) -> impl IntoView {
    let again = ServerAction::<BuyAgain>::new();
    let error = failed(again);
    view! {
        <ActionForm action=again>
            <input type="hidden" name="slug" value=slug() />
            <input type="hidden" name="key" value=key />
            <button type="submit" class="btn btn-secondary btn-sm" data-testid="buy-again">"Buy again"</button>
            <FormAlert error />
        </ActionForm>
    }
}

/// Sends the shopper (again) to Paystack to pay.
#[component]
fn PaystackButton(key: String) -> impl IntoView {
    let pay = ServerAction::<PayWithPaystack>::new();
    let error = failed(pay);
    view! {
        <ActionForm action=pay attr:class="mt-4">
            <input type="hidden" name="slug" value=slug() />
            <input type="hidden" name="key" value=key />
            <button type="submit" class="btn btn-primary" data-testid="pay-with-paystack">"Pay now with card, transfer or USSD"</button>
            <FormAlert error />
        </ActionForm>
    }
}

/// An order's lines and its figures.
#[component]
pub(crate) fn OrderLines(order: Order) -> impl IntoView {
    view! {
        <section class="card mt-4">
            <div class="table-wrap">
                <table class="table">
                    <thead><tr><th>"Item"</th><th class="text-right">"Qty"</th><th class="text-right">"Price"</th><th class="text-right">"Total"</th></tr></thead>
                    <tbody>
                        {order.lines.iter().map(|l| view! {
                            <tr><td>{l.name.clone()}<span class="block text-xs text-slate-500">{l.sku.clone()}</span>
                                {l.part.and_then(|p| order.parts.iter().find(|x| x.id == p)).map(|p| view! {
                                    <span class="block text-xs text-slate-500">{format!("Sold by {} · {}", p.seller, p.number)}</span>
                                })}</td>
                                <td class="text-right tabular-nums">{l.quantity}</td>
                                <td class="text-right tabular-nums">{l.unit_price.to_string()}</td>
                                <td class="text-right tabular-nums">{l.total.to_string()}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            <dl class="mt-3 grid grid-cols-2 gap-1 text-sm">
                <dt>"Subtotal"</dt><dd class="text-right tabular-nums">{order.subtotal.to_string()}</dd>
                <dt>"Delivery"</dt><dd class="text-right tabular-nums">{order.delivery.to_string()}</dd>
                <dt>{format!("VAT ({}%{})", order.vat_rate.normalize(), if order.prices_include_tax { ", included" } else { "" })}</dt>
                <dd class="text-right tabular-nums">{order.vat.to_string()}</dd>
                <dt class="font-semibold">"Total"</dt><dd class="text-right font-semibold tabular-nums" data-testid="order-total">{order.total.to_string()}</dd>
            </dl>
        </section>
    }
}

/// `/store/{slug}/pay/{key}`: the demonstration gateway, which approves or declines.
#[component]
pub fn StorePayPage() -> impl IntoView {
    let answer = ServerAction::<AnswerTestPayment>::new();
    // A decline answers with this same page: it is read again to show the decline.
    let answered = crate::components::successes(answer);
    let page = slug_and("key");
    let attempt = Resource::new(move || (answered.get(), page()), |(_, (slug, key))| load_test_payment(slug, key));
    view! {
        <StorePage title="Pay">
            <Loaded resource=attempt let:attempt>
                <PayView attempt answer />
            </Loaded>
        </StorePage>
    }
}

#[component]
fn PayView(attempt: GatewayAttempt, answer: ServerAction<AnswerTestPayment>) -> impl IntoView {
    let error = failed(answer);
    let (slug, key) = (slug(), param("key"));
    let declined = attempt.payment.status == PaymentStatus::Failed;
    let settled = matches!(attempt.payment.status, PaymentStatus::Succeeded | PaymentStatus::Flagged);
    view! {
        <section class="card mx-auto max-w-md text-center" data-testid="test-gateway">
            <p class="text-sm font-medium uppercase tracking-wide text-amber-700">"Test payment — no money moves"</p>
            <h1 class="mt-2 text-2xl font-bold">{format!("Pay {} for order {}", attempt.payment.amount, attempt.number)}</h1>
            {declined.then(|| view! { <p class="mt-2 text-red-700" data-testid="declined">"The payment was declined. Try again, or come back before the order is called off."</p> })}
            {if settled {
                view! { <a class="btn btn-primary mt-4" href=format!("/store/{slug}/order/{key}")>"See your order"</a> }.into_any()
            } else {
                view! {
                    <div class="mt-4 flex justify-center gap-3">
                        <GatewayButton action=answer slug=slug.clone() key=key.clone() answer="approve"
                            label=if declined { "Try again and approve" } else { "Approve" } />
                        <GatewayButton action=answer slug=slug.clone() key=key.clone() answer="decline" label="Decline" />
                    </div>
                }.into_any()
            }}
            <FormAlert error />
        </section>
    }
}

/// `/store/{slug}/track`: finding an order by its number and the phone or email it was placed with.
#[component]
pub fn StoreTrackPage() -> impl IntoView {
    let track = ServerAction::<TrackOrder>::new();
    let error = failed(track);
    view! {
        <StorePage title="Track an order">
            <section class="card mx-auto max-w-md">
                <h1 class="text-xl font-bold">"Track an order"</h1>
                <ActionForm action=track attr:class="mt-4 space-y-4">
                    <input type="hidden" name="slug" value=slug() />
                    <Field label="Order number" name="number" hint="On your confirmation, such as #1042." error />
                    <Field label="Phone number or email" name="contact" hint="The one you placed the order with." error />
                    <FormAlert error beside=&["number", "contact"] />
                    <button type="submit" class="btn btn-primary w-full">"Find my order"</button>
                </ActionForm>
            </section>
        </StorePage>
    }
}

/// One of the test gateway's answers, as a button.
#[component]
fn GatewayButton(
    action: ServerAction<AnswerTestPayment>,
    slug: String,
    key: String,
    answer: &'static str,
    label: &'static str,
) -> impl IntoView {
    let primary = answer == "approve";
    view! {
        <ActionForm action>
            <input type="hidden" name="slug" value=slug.clone() />
            <input type="hidden" name="key" value=key.clone() />
            <input type="hidden" name="answer" value=answer />
            <button type="submit" class=if primary { "btn btn-primary" } else { "btn btn-secondary" } data-testid=answer>{label}</button>
        </ActionForm>
    }
}
