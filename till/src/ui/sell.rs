//! Ringing a sale: find products by name, SKU or barcode (a scanner types the code and Enter),
//! or by the quick tiles; change quantities, prices and discounts (a manager allows the last
//! two); attach or create a customer; park the cart and resume it later.

use commerce::orders::{LineInput, Totals, price};
use commerce::pos::{CustomerDoc, Document, TillCustomer, TillProduct, TillVariant};
use leptos::prelude::*;
use rust_decimal::Decimal;
use uuid::Uuid;

use super::{Approval, ApprovalPad, amount, approve::approver_signed_in, money};
use crate::state::{Cart, CartLine, Screen, Till};
use crate::web;

/// The cart's figures by the one pricing rule, under the business's VAT rule.
pub fn totals(till: Till, cart: &Cart) -> Option<Totals> {
    let (vat, currency) = till.data.with_untracked(|d| d.as_ref().map(|d| (d.business.vat, d.business.currency)))?;
    let lines: Vec<LineInput> = cart
        .lines
        .iter()
        .map(|l| LineInput {
            unit_price: l.unit_price,
            quantity: l.quantity,
            discount: l.discount,
            tax_class: l.tax_class,
        })
        .collect();
    price(&lines, Decimal::ZERO, vat, currency).ok()
}

/// Adds one of `variant` to the cart (another unit when it is there already).
pub fn add(till: Till, product: &TillProduct, variant: &TillVariant) {
    till.cart.update(|cart| {
        if let Some(line) = cart.lines.iter_mut().find(|l| l.variant == variant.id && l.unit_price == variant.price) {
            line.quantity = (line.quantity + 1).min(commerce::orders::pricing::MOST_UNITS);
        } else {
            let name = if variant.options.is_empty() {
                product.name.clone()
            } else {
                format!("{} — {}", product.name, variant.options)
            };
            cart.lines.push(CartLine {
                variant: variant.id,
                name,
                sku: variant.sku.clone(),
                quantity: 1,
                unit_price: variant.price,
                shelf_price: variant.price,
                discount: Decimal::ZERO,
                tax_class: product.tax_class,
                approved_by: None,
            });
        }
    });
    till.keep_cart();
}

/// What `typed` finds: the quick tiles when it is empty, else the first 30 variants whose
/// product's name, SKU or barcode holds it.
fn matching(till: Till, typed: &str) -> Vec<(TillProduct, TillVariant)> {
    let q = typed.trim().to_lowercase();
    till.data.with(|d| {
        let Some(d) = d.as_ref() else { return Vec::new() };
        if q.is_empty() {
            return d
                .favourites
                .iter()
                .filter_map(|id| d.products.iter().find(|p| p.id == *id))
                .flat_map(|p| p.variants.iter().map(move |v| (p.clone(), v.clone())))
                .take(12)
                .collect();
        }
        d.products
            .iter()
            .flat_map(|p| p.variants.iter().map(move |v| (p, v)))
            .filter(|(p, v)| {
                p.name.to_lowercase().contains(&q)
                    || v.sku.to_lowercase().contains(&q)
                    || v.barcode.as_deref().is_some_and(|b| b.contains(&q))
            })
            .take(30)
            .map(|(p, v)| (p.clone(), v.clone()))
            .collect()
    })
}

/// The selling screen.
#[component]
pub fn Sell() -> impl IntoView {
    let till = expect_context::<Till>();
    let query = RwSignal::new(String::new());
    let asking = RwSignal::new(None::<Approval>);
    let picking_customer = RwSignal::new(false);
    let message = RwSignal::new(None::<String>);
    let camera = RwSignal::new(false);
    let found = move || matching(till, &query.get());
    // A scanner types the code and Enter: an exact barcode or SKU is added at once.
    let enter = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let typed = query.get_untracked();
        if let Some((product, variant)) = till.by_code(&typed) {
            add(till, &product, &variant);
            query.set(String::new());
            message.set(None);
        } else if let [(product, variant)] = found().as_slice() {
            add(till, product, variant);
            query.set(String::new());
        } else {
            message.set(Some(format!("No product has the code {typed:?}.")));
        }
    };
    let cart = move || till.cart.get();
    let figures = move || totals(till, &till.cart.get());
    let park = move |_| {
        let cart = till.cart.get_untracked();
        if cart.lines.is_empty() {
            return;
        }
        till.parked.update(|p| p.push(cart));
        till.cart.set(Cart::default());
        till.keep_cart();
        let parked = till.parked.get_untracked();
        leptos::task::spawn_local(async move {
            let _ = till.keep("parked", &parked).await;
        });
    };
    view! {
        <div class="till-sell">
            <section class="till-pane" aria-label="Products">
                <form class="flex gap-2" on:submit=enter>
                    <input class="till-input" type="search" placeholder="Scan, or type a name, SKU or barcode" aria-label="Find a product"
                        data-testid="scan" autofocus autocomplete="off"
                        prop:value=query on:input=move |ev| query.set(event_target_value(&ev)) />
                    {super::camera::available().then(|| view! {
                        <button type="button" class="btn btn-secondary" on:click=move |_| camera.set(true)>"Camera"</button>
                    })}
                </form>
                <Show when=move || camera.get()>
                    <super::camera::CameraScan open=camera found=Callback::new(move |code: String| {
                        match till.by_code(&code) {
                            Some((product, variant)) => add(till, &product, &variant),
                            None => message.set(Some(format!("No product has the code {code:?}."))),
                        }
                    }) />
                </Show>
                {move || message.get().map(|m| view! { <p class="mt-1 text-sm text-amber-300" role="alert">{m}</p> })}
                <ul class="till-tiles mt-3">
                    {move || found().into_iter().map(|(product, variant)| {
                        let label = if variant.options.is_empty() { product.name.clone() } else { format!("{} — {}", product.name, variant.options) };
                        let shown = money(till, variant.price);
                        let (p, v) = (product.clone(), variant.clone());
                        view! {
                            <li>
                                <button type="button" class="till-tile" on:click=move |_| { add(till, &p, &v); query.set(String::new()); }>
                                    <span class="block font-semibold">{label}</span>
                                    <span class="block text-sm text-slate-300">{shown}</span>
                                </button>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </section>
            <section class="till-pane" aria-label="Cart">
                <CustomerLine picking=picking_customer />
                <ul class="divide-y divide-slate-700" data-testid="cart">
                    {move || cart().lines.into_iter().enumerate().map(|(i, line)| view! { <Line i line asking /> }).collect_view()}
                </ul>
                {move || cart().lines.is_empty().then(|| view! { <p class="py-6 text-center text-slate-400">"Scan or tap a product to start a sale."</p> })}
                <div class="mt-3 border-t border-slate-700 pt-3 text-sm">
                    {move || figures().map(|t| view! {
                        <p class="flex justify-between"><span>"VAT in it"</span><span>{money(till, t.vat)}</span></p>
                        <p class="flex justify-between text-xl font-bold text-white"><span>"Total"</span><span data-testid="total">{money(till, t.total)}</span></p>
                    })}
                </div>
                <div class="mt-3 grid grid-cols-2 gap-2">
                    <button type="button" class="btn btn-primary col-span-2 text-lg" data-testid="pay"
                        disabled=move || cart().lines.is_empty() on:click=move |_| till.screen.set(Screen::Pay)>"Pay"</button>
                    <button type="button" class="btn btn-secondary" on:click=park disabled=move || cart().lines.is_empty()>"Park"</button>
                    <button type="button" class="btn btn-secondary" on:click=move |_| { till.cart.set(Cart::default()); till.keep_cart(); }
                        disabled=move || cart().lines.is_empty()>"Clear"</button>
                </div>
                <Parked />
                <TillNav />
            </section>
            <ApprovalPad asking />
            <Show when=move || picking_customer.get()>
                <CustomerPicker picking=picking_customer />
            </Show>
        </div>
    }
}

/// The till's other work: returns, cash, the shift's report, the last receipt again.
#[component]
fn TillNav() -> impl IntoView {
    let till = expect_context::<Till>();
    view! {
        <nav class="mt-4 grid grid-cols-2 gap-2 text-sm sm:grid-cols-4" aria-label="Till">
            <button type="button" class="btn btn-secondary" on:click=move |_| till.screen.set(Screen::Return)>"Return"</button>
            <button type="button" class="btn btn-secondary" on:click=move |_| till.screen.set(Screen::Cash)>"Cash in/out"</button>
            <button type="button" class="btn btn-secondary" on:click=move |_| till.screen.set(Screen::Close)>"Report · close"</button>
            <button type="button" class="btn btn-secondary" disabled=move || till.last_receipt.with(Option::is_none)
                on:click=move |_| if let Some(id) = till.last_receipt.get_untracked() { till.screen.set(Screen::Receipt(id)) }>"Last receipt"</button>
        </nav>
    }
}

/// A line of the cart: its quantity, price and discount.
#[component]
fn Line(i: usize, line: CartLine, asking: RwSignal<Option<Approval>>) -> impl IntoView {
    let till = expect_context::<Till>();
    let editing = RwSignal::new(false);
    let new_price = RwSignal::new(line.unit_price.normalize().to_string());
    let off = RwSignal::new(line.discount.normalize().to_string());
    let set_quantity = move |q: i32| {
        till.cart.update(|c| {
            if q <= 0 {
                c.lines.remove(i);
            } else if let Some(l) = c.lines.get_mut(i) {
                l.quantity = q.min(commerce::orders::pricing::MOST_UNITS);
            }
        });
        till.keep_cart();
    };
    let quantity = line.quantity;
    let gross = line.unit_price * Decimal::from(line.quantity) - line.discount;
    let changed = line.unit_price != line.shelf_price || line.discount > Decimal::ZERO;
    let apply = move |_| {
        let (Some(price), Some(discount)) = (amount(&new_price.get_untracked()), amount(&off.get_untracked())) else {
            till.notice.set(Some("Type the price and the discount as amounts.".to_owned()));
            return;
        };
        let name = till.cart.with_untracked(|c| c.lines.get(i).map(|l| l.name.clone())).unwrap_or_default();
        let set = Callback::new(move |manager: Uuid| {
            till.cart.update(|c| {
                if let Some(l) = c.lines.get_mut(i) {
                    l.unit_price = price;
                    l.discount = discount.min(price * Decimal::from(l.quantity));
                    l.approved_by = (l.unit_price != l.shelf_price || l.discount > Decimal::ZERO).then_some(manager);
                }
            });
            till.keep_cart();
            editing.set(false);
        });
        match approver_signed_in(till) {
            Some(me) => set.run(me),
            None => asking.set(Some(Approval {
                what: format!("{name}: {} each, {} off", money(till, price), money(till, discount)),
                then: set,
            })),
        }
    };
    view! {
        <li class="py-2">
            <div class="flex items-center gap-2">
                <div class="min-w-0 flex-1">
                    <p class="truncate font-semibold">{line.name.clone()}</p>
                    <p class="text-xs text-slate-400">
                        {format!("{} × {}", quantity, money(till, line.unit_price))}
                        {changed.then_some(" · manager's price")}
                    </p>
                </div>
                <button type="button" class="till-qty" aria-label="One fewer" on:click=move |_| set_quantity(quantity - 1)>"−"</button>
                <span class="w-8 text-center" data-testid="quantity">{quantity}</span>
                <button type="button" class="till-qty" aria-label="One more" on:click=move |_| set_quantity(quantity + 1)>"+"</button>
                <span class="w-24 text-right">{money(till, gross)}</span>
                <button type="button" class="till-qty" aria-label="Price or discount" on:click=move |_| editing.update(|e| *e = !*e)>"₦"</button>
            </div>
            <Show when=move || editing.get()>
                <div class="mt-2 flex flex-wrap items-end gap-2">
                    <label class="text-xs">"Unit price"
                        <input class="till-input" inputmode="decimal" prop:value=new_price on:input=move |ev| new_price.set(event_target_value(&ev)) />
                    </label>
                    <label class="text-xs">"Discount on the line"
                        <input class="till-input" inputmode="decimal" prop:value=off on:input=move |ev| off.set(event_target_value(&ev)) />
                    </label>
                    <button type="button" class="btn btn-primary btn-sm" on:click=apply>"Apply"</button>
                </div>
            </Show>
        </li>
    }
}

/// The customer attached to the sale, or a button to attach one.
#[component]
fn CustomerLine(picking: RwSignal<bool>) -> impl IntoView {
    let till = expect_context::<Till>();
    view! {
        <div class="mb-2 flex items-center justify-between text-sm">
            {move || match till.cart.with(|c| c.customer.clone()) {
                Some(c) => view! {
                    <span data-testid="customer">{format!("{} · {}", c.name, c.phone.clone().unwrap_or_default())}</span>
                    <button type="button" class="underline" on:click=move |_| { till.cart.update(|c| c.customer = None); till.keep_cart(); }>"Remove"</button>
                }.into_any(),
                None => view! {
                    <span class="text-slate-400">"Walk-in customer"</span>
                    <button type="button" class="underline" on:click=move |_| picking.set(true)>"Add customer"</button>
                }.into_any(),
            }}
        </div>
    }
}

/// Finds a customer by name or number, or creates one (kept and synced like a sale).
#[component]
fn CustomerPicker(picking: RwSignal<bool>) -> impl IntoView {
    let till = expect_context::<Till>();
    let q = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let phone = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let matches = move || {
        let q = q.get().trim().to_lowercase();
        if q.len() < 2 {
            return Vec::new();
        }
        let digits: String = q.chars().filter(char::is_ascii_digit).collect();
        till.data.with(|d| {
            d.as_ref()
                .map(|d| {
                    d.customers
                        .iter()
                        .filter(|c| {
                            c.name.to_lowercase().contains(&q)
                                || (digits.len() >= 4
                                    && c.phone.as_deref().is_some_and(|p| p.contains(digits.trim_start_matches('0'))))
                        })
                        .take(8)
                        .cloned()
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    };
    let attach = move |customer: TillCustomer| {
        till.cart.update(|c| c.customer = Some(customer));
        till.keep_cart();
        picking.set(false);
    };
    let busy = RwSignal::new(false);
    let create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(cashier) = till.cashier.get_untracked() else { return };
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        let doc = CustomerDoc {
            id: Uuid::now_v7(),
            made_at: web::now(),
            cashier: cashier.id,
            name: name.get_untracked().trim().to_owned(),
            phone: phone.get_untracked(),
            email: None,
        };
        leptos::task::spawn_local(async move {
            match till.record(Document::Customer(doc.clone())).await {
                Ok(_) => {
                    let phone = commerce::base::phone::nigerian_mobile(&doc.phone);
                    let customer = TillCustomer { id: doc.id, name: doc.name, phone, email: None, gone: false };
                    till.data.update(|d| {
                        if let Some(d) = d {
                            d.customers.push(customer.clone());
                        }
                    });
                    attach(customer);
                }
                Err(why) => error.set(Some(why)),
            }
            busy.set(false);
        });
    };
    view! {
        <div class="till-overlay" role="dialog" aria-modal="true" aria-labelledby="customer-heading">
            <div class="pos-card w-full max-w-md">
                <h2 id="customer-heading" class="text-lg font-bold text-white">"Customer"</h2>
                <input class="till-input mt-2" type="search" placeholder="Name or phone number" aria-label="Find a customer"
                    prop:value=q on:input=move |ev| q.set(event_target_value(&ev)) />
                <ul class="mt-2 space-y-1">
                    {move || matches().into_iter().map(|c| {
                        let label = format!("{} · {}", c.name, c.phone.clone().unwrap_or_default());
                        view! { <li><button type="button" class="pos-choice w-full text-left" on:click=move |_| attach(c.clone())>{label}</button></li> }
                    }).collect_view()}
                </ul>
                <form class="mt-4 space-y-2" on:submit=create>
                    <h3 class="font-semibold">"New customer"</h3>
                    <input class="till-input" placeholder="Name" aria-label="Name" required maxlength="120"
                        prop:value=name on:input=move |ev| name.set(event_target_value(&ev)) />
                    <input class="till-input" placeholder="Mobile number (0803 123 4567)" aria-label="Mobile number" required inputmode="tel"
                        prop:value=phone on:input=move |ev| phone.set(event_target_value(&ev)) />
                    {move || error.get().map(|e| view! { <p class="text-sm text-amber-300" role="alert">{e}</p> })}
                    <div class="flex gap-2">
                        <button type="submit" class="btn btn-primary flex-1" disabled=move || busy.get()>"Add"</button>
                        <button type="button" class="btn btn-secondary" on:click=move |_| picking.set(false)>"Cancel"</button>
                    </div>
                </form>
            </div>
        </div>
    }
}

/// Carts put aside, to resume.
#[component]
fn Parked() -> impl IntoView {
    let till = expect_context::<Till>();
    let resume = move |i: usize| {
        let mut parked = till.parked.get_untracked();
        if i >= parked.len() {
            return;
        }
        let cart = parked.remove(i);
        let current = till.cart.get_untracked();
        if !current.lines.is_empty() {
            parked.push(current);
        }
        till.cart.set(cart);
        till.parked.set(parked.clone());
        till.keep_cart();
        leptos::task::spawn_local(async move {
            let _ = till.keep("parked", &parked).await;
        });
    };
    view! {
        <Show when=move || till.parked.with(|p| !p.is_empty())>
            <div class="mt-3">
                <p class="text-sm text-slate-400">"Parked"</p>
                <ul class="mt-1 flex flex-wrap gap-2">
                    {move || till.parked.get().into_iter().enumerate().map(|(i, cart)| {
                        let units: i32 = cart.lines.iter().map(|l| l.quantity).sum();
                        let total = totals(till, &cart).map(|t| money(till, t.total)).unwrap_or_default();
                        view! { <li><button type="button" class="till-pill" on:click=move |_| resume(i)>{format!("{units} items · {total}")}</button></li> }
                    }).collect_view()}
                </ul>
            </div>
        </Show>
    }
}
