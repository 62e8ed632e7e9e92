//! What each widget of the dashboard shows. Every figure links to the list behind it where
//! there is one.

use commerce::Money;
use commerce::dashboard::{Figures, Point, Ranked, Share, WidgetKind, change};
use leptos::prelude::*;
use rust_decimal::Decimal;

use crate::components::{Bar, BarChart, ShareBar};

/// The body of one widget.
#[component]
pub fn WidgetBody(kind: WidgetKind, figures: Figures) -> impl IntoView {
    let f = figures;
    let money = move |amount: Decimal| Money::new(amount, f.currency).to_string();
    let (now, before) = (f.now.clone(), f.before.clone());
    let orders = f.orders_link("");
    match kind {
        WidgetKind::Revenue => view! {
            <Headline value=money(now.net) link=orders.clone() testid="revenue" />
            <Change now=now.net before=before.net />
            <p class="text-xs text-slate-500">
                {format!("{} gross, {} cancelled ({} order{})", money(now.gross), money(now.cancelled), now.cancelled_orders, plural(now.cancelled_orders))}
            </p>
        }
        .into_any(),
        WidgetKind::Orders => view! {
            <Headline value=now.orders.to_string() link=orders.clone() testid="orders" />
            <Change now=Decimal::from(now.orders) before=Decimal::from(before.orders) />
            <p class="text-xs text-slate-500">
                <a class="underline" href=f.orders_link("status=cancelled")>{format!("{} cancelled", now.cancelled_orders)}</a>
                {format!(" · {} unit{} sold", now.units, plural(now.units))}
            </p>
        }
        .into_any(),
        WidgetKind::AverageOrder => view! {
            <Headline value=money(now.average_order) link=orders.clone() testid="average-order" />
            <Change now=now.average_order before=before.average_order />
            <p class="text-xs text-slate-500">"Revenue per order not cancelled."</p>
        }
        .into_any(),
        WidgetKind::Vat => view! {
            <Headline value=money(now.vat) link=orders.clone() testid="vat" />
            <Change now=now.vat before=before.vat />
            <p class="text-xs text-slate-500">{format!("Revenue without VAT: {}", money(now.net_of_vat))}</p>
        }
        .into_any(),
        WidgetKind::RevenueChart => revenue_chart(&f).into_any(),
        WidgetKind::Channels => {
            let link = {
                let f = f.clone();
                move |s: &Share| Some(format!("/admin/orders?from={}&until={}&channel={}", f.period.from, f.period.until, s.key))
            };
            view! { <Shares shares=f.channels.clone() currency=f.currency link noun="order" empty="No sales in this period." /> }.into_any()
        }
        WidgetKind::Shops => {
            let link = {
                let f = f.clone();
                move |s: &Share| {
                    (s.key != uuid::Uuid::nil().to_string())
                        .then(|| format!("/admin?span=custom&from={}&until={}&shop={}", f.period.from, f.period.until, s.key))
                }
            };
            view! { <Shares shares=f.shops.clone() currency=f.currency link noun="order" empty="No sales in this period." /> }.into_any()
        }
        WidgetKind::Payments => view! {
            <Shares shares=f.payments.clone() currency=f.currency link=|_: &Share| None noun="payment" empty="No money taken in this period." />
        }
        .into_any(),
        WidgetKind::Hours => hours_chart(&f).into_any(),
        WidgetKind::TopProducts => view! {
            <RankedTable items=f.products.clone() currency=f.currency link=|r: &Ranked| r.id.map(|id| format!("/admin/products/{id}")) heading="Product" />
        }
        .into_any(),
        WidgetKind::TopCategories => view! {
            <RankedTable items=f.categories.clone() currency=f.currency link=|r: &Ranked| r.id.map(|id| format!("/admin/products?category={id}")) heading="Category" />
        }
        .into_any(),
        WidgetKind::Customers => {
            let c = f.customers.clone();
            view! {
                <Headline value=c.active.to_string() link="/admin/customers".to_owned() testid="active-customers" />
                <Change now=Decimal::from(c.active) before=Decimal::from(c.active_before) />
                <p class="text-xs text-slate-500">{format!("with an order; {} new (before: {})", c.new, c.new_before)}</p>
            }
            .into_any()
        }
        WidgetKind::OpenOrders => open_orders(&f).into_any(),
        WidgetKind::Stock => stock(&f).into_any(),
        WidgetKind::Tills => tills(&f).into_any(),
    }
}

/// Orders waiting on someone, each opening its list.
fn open_orders(f: &Figures) -> impl IntoView {
    let money = |amount: Decimal| Money::new(amount, f.currency).to_string();
    match f.open.clone() {
            None => hidden("orders").into_any(),
            Some(o) => view! {
                <ul class="grid grid-cols-2 gap-3">
                    <Figure label="Awaiting payment" value=o.awaiting_payment.to_string() hint=money(o.awaiting_amount) link="/admin/orders?status=awaiting_payment" testid="awaiting-payment" />
                    <Figure label="Transfers to confirm" value=o.unconfirmed_transfers.to_string() hint=money(o.unconfirmed_amount) link="/admin/orders?status=awaiting_payment&paid=transfers" testid="unconfirmed-transfers" />
                    <Figure label="To fulfil" value=o.to_fulfil.to_string() hint="paid, not yet handed over or shipped".to_owned() link="/admin/orders?status=paid" testid="to-fulfil" />
                    <Figure label="Shipped" value=o.shipped.to_string() hint="on the way to the shopper".to_owned() link="/admin/orders?status=shipped" testid="shipped" />
                </ul>
            }
            .into_any(),
        }
}

/// Stock that needs a look, and its value.
fn stock(f: &Figures) -> impl IntoView {
    let money = |amount: Decimal| Money::new(amount, f.currency).to_string();
    match f.stock.clone() {
        None => hidden("stock").into_any(),
        Some(s) => {
            let value = s.value_at_cost.map_or_else(|| "\u{2014}".to_owned(), money);
            let costed = if s.without_cost > 0 {
                format!("{} item{} without a cost", s.without_cost, plural(s.without_cost))
            } else {
                "every item costed".to_owned()
            };
            view! {
                    <ul class="grid grid-cols-2 gap-3 sm:grid-cols-3">
                        <Figure label="Running low" value=s.low.to_string() hint="at or under the reorder point".to_owned() link="/admin/stock/alerts" testid="stock-low" />
                        <Figure label="Out of stock" value=s.out.to_string() hint="nothing left to sell".to_owned() link="/admin/stock/alerts" testid="stock-out" />
                        <Figure label="Oversold" value=s.oversold.to_string() hint="sold past what was there".to_owned() link="/admin/stock/alerts" testid="stock-oversold" />
                        <Figure label="On the way" value=s.in_transit.to_string() hint="transfers sent".to_owned() link="/admin/stock/transfers" testid="stock-in-transit" />
                        <Figure label="Counts under way" value=s.counts.to_string() hint="not yet approved".to_owned() link="/admin/stock/counts" testid="stock-counts" />
                        <Figure label="Value at cost" value hint=costed link="/admin/stock" testid="stock-value" />
                    </ul>
                }
                .into_any()
        }
    }
}

/// Open shifts, and the cash over or short at the closes of the period.
fn tills(f: &Figures) -> impl IntoView {
    let money = |amount: Decimal| Money::new(amount, f.currency).to_string();
    match f.tills.clone() {
        None => hidden("the tills").into_any(),
        Some(t) => {
            let over = if t.over_short.is_zero() {
                "Even".to_owned()
            } else if t.over_short > Decimal::ZERO {
                format!("{} over", money(t.over_short))
            } else {
                format!("{} short", money(-t.over_short))
            };
            view! {
                    <ul class="grid grid-cols-2 gap-3">
                        <Figure label="Open shifts" value=t.open_shifts.to_string() hint="now".to_owned() link="/admin/shifts" testid="open-shifts" />
                        <Figure label="Cash over or short" value=over hint=format!("at {} close{}, {} off", t.closed_shifts, plural(t.closed_shifts), t.off_closes) link="/admin/shifts" testid="over-short" />
                    </ul>
                }
                .into_any()
        }
    }
}

fn plural(n: i64) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn hidden(what: &str) -> impl IntoView {
    view! { <p class="text-sm text-slate-500">{format!("Your role does not show {what}.")}</p> }
}

/// The widget's main figure, opening the list behind it.
#[component]
fn Headline(#[prop(into)] value: String, link: String, testid: &'static str) -> impl IntoView {
    view! { <a class="figure-link figure-big" href=link data-testid=testid>{value}</a> }
}

/// One of several figures in a widget.
#[component]
fn Figure(
    label: &'static str,
    value: String,
    hint: String,
    #[prop(into)] link: String,
    testid: &'static str,
) -> impl IntoView {
    view! {
        <li class="min-w-0">
            <a class="figure-link p-1" href=link data-testid=testid>
                <span class="block text-xs text-slate-500">{label}</span>
                <span class="block text-xl font-semibold tabular-nums text-slate-900 [overflow-wrap:anywhere]">{value}</span>
                <span class="block text-xs text-slate-500">{hint}</span>
            </a>
        </li>
    }
}

/// How a figure moved from the period before: up in green, down in red.
#[component]
fn Change(now: Decimal, before: Decimal) -> impl IntoView {
    let Some(text) = change(now, before) else {
        return view! { <p class="text-xs text-slate-500">"Nothing in either period"</p> }.into_any();
    };
    let class = if now >= before { "text-xs change-up" } else { "text-xs change-down" };
    view! { <p class=class>{format!("{text} on the period before")}</p> }.into_any()
}

/// Parts of a whole, largest first, each with its bar and its change.
#[component]
fn Shares<L>(
    shares: Vec<Share>,
    currency: commerce::Currency,
    link: L,
    noun: &'static str,
    empty: &'static str,
) -> impl IntoView
where
    L: Fn(&Share) -> Option<String> + 'static,
{
    if shares.iter().all(|s| s.count == 0) {
        return view! { <p class="text-sm text-slate-500">{empty}</p> }.into_any();
    }
    let whole: Decimal = shares.iter().map(|s| s.amount.max(Decimal::ZERO)).sum();
    view! {
        <ul class="space-y-3">
            {shares.into_iter().filter(|s| s.count != 0).map(|s| {
                let href = link(&s);
                let amount = Money::new(s.amount, currency).to_string();
                let label = if s.label.is_empty() { s.key.clone() } else { s.label.clone() };
                let name = match href {
                    Some(href) => view! { <a class="font-medium underline-offset-2 hover:underline" href=href>{label.clone()}</a> }.into_any(),
                    None => view! { <span class="font-medium">{label.clone()}</span> }.into_any(),
                };
                let moved = change(s.amount, s.amount_before).unwrap_or_default();
                view! {
                    <li data-share=s.key.clone()>
                        <div class="flex justify-between gap-2 text-sm">
                            {name}
                            <span class="tabular-nums">{amount.clone()}</span>
                        </div>
                        <ShareBar value=s.amount of=whole label=format!("{label}: {amount}") />
                        <p class="text-xs text-slate-500">{format!("{} {noun}{} · {moved}", s.count, plural(s.count))}</p>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}

/// The best sellers, as a table.
#[component]
fn RankedTable<L>(items: Vec<Ranked>, currency: commerce::Currency, link: L, heading: &'static str) -> impl IntoView
where
    L: Fn(&Ranked) -> Option<String> + 'static,
{
    if items.is_empty() {
        return view! { <p class="text-sm text-slate-500">"Nothing sold in this period."</p> }.into_any();
    }
    view! {
        <div class="table-wrap">
            <table class="table">
                <thead><tr><th scope="col">{heading}</th><th scope="col" class="text-right">"Units"</th><th scope="col" class="text-right">"Revenue"</th></tr></thead>
                <tbody>
                    {items.into_iter().map(|r| {
                        let name = match link(&r) {
                            Some(href) => view! { <a class="hover:underline" href=href>{r.name.clone()}</a> }.into_any(),
                            None => view! { <span>{r.name.clone()}</span> }.into_any(),
                        };
                        view! {
                            <tr>
                                <td>{name}</td>
                                <td class="text-right tabular-nums">{r.units}</td>
                                <td class="text-right tabular-nums">{Money::new(r.revenue, currency).to_string()}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

/// Revenue day by day against the same day of the period before; a single day by its hours.
fn revenue_chart(f: &Figures) -> impl IntoView {
    let money = |amount: Decimal| Money::new(amount, f.currency).to_string();
    if f.period.days() == 1 {
        return hours_chart(f).into_any();
    }
    let bars: Vec<Bar> = f
        .days
        .iter()
        .zip(f.days_before.iter().map(Some).chain(std::iter::repeat(None)))
        .map(|(day, before): (&Point, Option<&Point>)| Bar {
            label: day.day.format("%-d %b").to_string(),
            value: day.amount,
            shown: money(day.amount),
            before: before.map(|b| (b.amount, money(b.amount))),
        })
        .collect();
    let best = f.days.iter().max_by_key(|d| d.amount);
    let description = match best {
        Some(best) if !best.amount.is_zero() => format!(
            "Revenue of each day from {} to {}, {} in all; the best day was {}, with {}. A dashed line shows the same days of the period before, {} in all.",
            f.period.from.format("%-d %b"),
            f.period.until.format("%-d %b %Y"),
            money(f.now.net),
            best.day.format("%-d %b"),
            money(best.amount),
            money(f.before.net)
        ),
        _ => format!("No revenue from {} to {}.", f.period.from.format("%-d %b"), f.period.until.format("%-d %b %Y")),
    };
    view! {
        <BarChart id="revenue-chart" title="Revenue by day" description bars value_heading="Revenue" before_heading="Period before" />
    }
    .into_any()
}

/// Revenue by hour of the day across the period.
fn hours_chart(f: &Figures) -> impl IntoView {
    let money = |amount: Decimal| Money::new(amount, f.currency).to_string();
    let bars: Vec<Bar> = f
        .hours
        .iter()
        .map(|h| Bar {
            label: format!("{:02}:00", h.hour),
            value: h.amount,
            shown: format!("{} ({} order{})", money(h.amount), h.orders, plural(h.orders)),
            before: None,
        })
        .collect();
    let busiest = f.hours.iter().max_by_key(|h| h.amount);
    let description = match busiest {
        Some(b) if !b.amount.is_zero() => format!(
            "Revenue by the hour of the day it was made, {} in all; the busiest hour was {:02}:00 to {:02}:00, with {}.",
            money(f.now.net),
            b.hour,
            (b.hour + 1) % 24,
            money(b.amount)
        ),
        _ => "No revenue in this period.".to_owned(),
    };
    view! {
        <BarChart id="hours-chart" title="Sales by hour of day" description bars value_heading="Revenue" />
    }
}
