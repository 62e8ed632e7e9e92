//! Reading the figures: the rollups (and the deltas not yet folded into them) for what was sold,
//! the open orders, stock and tills as they stand. The parts are read at once, each on a
//! connection of its own, so a page waits for the slowest of them rather than for their sum.

use std::collections::HashMap;

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, Utc};
use rust_decimal::Decimal;
use sqlx::PgPool;
use uuid::Uuid;

use super::{
    CustomerFigures, Figures, Filter, OpenOrders, Period, Point, Ranked, Share, Span, StockFigures, TillFigures,
    Totals, channel_label, method_label,
};
use crate::base::{Actor, LocationId, Permission, TenantId, Zone};
use crate::db::tenant_tx;
use crate::{Currency, Error};

/// The nil id the rollups file delivered orders under (they were collected at no shop).
const NO_SHOP: Uuid = Uuid::nil();

/// Deltas folded per round trip of the worker.
pub const FOLD_BATCH: i32 = 20_000;

/// Folds what orders changed into the rollups, across every business: up to `batch` deltas,
/// oldest first. Answers how many; none when another instance is folding at that moment.
pub async fn fold(db: &PgPool, batch: i32) -> Result<i64, Error> {
    Ok(sqlx::query_scalar!(r#"SELECT fold_sales_deltas($1) AS "folded!""#, batch).fetch_one(db).await?)
}

/// The period asked for, on the business's calendar: a span by its code (`7d`), else the days
/// given (`from`, `until`, either left out meaning the last thirty days' end), else the last
/// thirty days.
pub async fn period(
    db: &PgPool,
    actor: &Actor,
    span: Option<&str>,
    from: Option<&str>,
    until: Option<&str>,
) -> Result<Period, Error> {
    let tenant = actor.require(Permission::ViewDashboard)?.tenant;
    let mut tx = tenant_tx(db, tenant).await?;
    let zone = sqlx::query_scalar!("SELECT time_zone FROM tenants WHERE id = $1", tenant.0)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| Error::not_found("business"))?;
    tx.commit().await?;
    let today = Zone(zone).local(Utc::now()).date_naive();
    let last30 = Span::Last30.period(today).ok_or(Error::Internal)?;
    match span.map(str::trim).filter(|s| !s.is_empty()) {
        None => Period::parse(from, until, last30),
        Some(code) => match Span::from_code(code) {
            Some(Span::Custom) => Period::parse(from, until, last30),
            Some(span) => span.period(today).ok_or(Error::Internal),
            None => Err(Error::invalid("span", "choose today, yesterday, 7d, 30d, month, 12m or custom")),
        },
    }
}

/// The figures of `period`, and of the period of the same length before it, for what `filter`
/// keeps of what the actor may see. Someone bound to some shops sees those shops' sales alone.
pub async fn read(db: &PgPool, actor: &Actor, period: Period, filter: &Filter) -> Result<Figures, Error> {
    read_from(db, actor, period, filter, Source::Rollups).await
}

/// Where the figures of what was sold are read from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Source {
    /// The rollups and their deltas: what the dashboard reads.
    Rollups,
    /// The orders themselves, counted at each reading: what the rollups must agree with.
    Orders,
}

pub(super) async fn read_from(
    db: &PgPool,
    actor: &Actor,
    period: Period,
    filter: &Filter,
    source: Source,
) -> Result<Figures, Error> {
    let scope = actor.require(Permission::ViewDashboard)?;
    let tenant = scope.tenant;
    if let Some(channel) = &filter.channel
        && !crate::orders::CHANNELS.contains(&channel.as_str())
    {
        return Err(Error::invalid("channel", "choose store, pos, marketplace or draft"));
    }
    let business = business(db, tenant).await?;
    let shops = match (filter.shop, scope.shops.ids()) {
        (Some(shop), _) if !business.shops.iter().any(|(id, _)| *id == shop) => {
            return Err(Error::invalid("shop", "choose one of the business's shops"));
        }
        (Some(shop), _) => {
            scope.reach(LocationId(shop), Permission::ViewDashboard)?;
            Some(vec![shop])
        }
        (None, bound) => bound,
    };
    let ask = Ask {
        tenant,
        period,
        previous: period.previous(),
        channel: filter.channel.clone(),
        shop: filter.shop,
        shops,
        zone: business.zone.clone(),
    };
    let (sold, products, payments, customers, standing, stock) = tokio::try_join!(
        sold(db, &ask, source),
        products(db, &ask, source),
        payments(db, &ask, source),
        customers(db, &ask, source),
        standing(db, actor, &ask),
        stock(db, actor, &ask),
    )?;
    let (now, before, channels, shop_shares, days, days_before, hours) = sold;
    let shop_shares = shop_shares
        .into_iter()
        .map(|mut share| {
            share.label = match share.key.parse::<Uuid>() {
                Ok(id) if id == NO_SHOP => "Delivered".to_owned(),
                Ok(id) => business.shops.iter().find(|(s, _)| *s == id).map_or_else(String::new, |(_, n)| n.clone()),
                Err(_) => String::new(),
            };
            share
        })
        .collect();
    let (open, tills) = standing;
    Ok(Figures {
        period,
        previous: ask.previous,
        shop: filter.shop,
        channel: filter.channel.clone(),
        currency: business.currency,
        now,
        before,
        channels,
        shops: shop_shares,
        payments,
        days,
        days_before,
        hours,
        products: products.products,
        categories: products.categories,
        customers,
        open,
        stock,
        tills,
    })
}

/// What every part asks for.
pub(super) struct Ask {
    pub tenant: TenantId,
    pub period: Period,
    pub previous: Period,
    pub channel: Option<String>,
    /// The one shop asked for, if one was.
    pub shop: Option<Uuid>,
    /// The shops kept, or `None` for every sale (delivered ones included).
    pub shops: Option<Vec<Uuid>>,
    pub zone: Zone,
}

impl Ask {
    /// Midnight starting the period before, the period, and the day after the period, as the
    /// rollups' wall-clock hours read them.
    pub fn bounds(&self) -> (NaiveDateTime, NaiveDateTime, NaiveDateTime) {
        let midnight = |day: NaiveDate| day.and_time(chrono::NaiveTime::MIN);
        (midnight(self.previous.from), midnight(self.period.from), midnight(self.period.until + Duration::days(1)))
    }

    /// The stretches the rollups are read in, over the period before and the period (or the
    /// period alone): the whole months inside each from the monthly rows, the days at their
    /// ends from the daily ones. Three lists for `unnest`: the grain (`d` or `m`), the first
    /// day and the day after the last.
    pub fn segments(&self, with_previous: bool) -> Segments {
        let mut segments = Segments::default();
        if with_previous {
            segments.cover(self.previous.from, self.period.from);
        }
        segments.cover(self.period.from, self.period.until + Duration::days(1));
        segments
    }

    /// The same three as instants, for what is kept by the instant (customers, shifts).
    pub fn instants(&self) -> (chrono::DateTime<Utc>, chrono::DateTime<Utc>, chrono::DateTime<Utc>) {
        (
            self.zone.start_of(self.previous.from),
            self.zone.start_of(self.period.from),
            self.zone.start_of(self.period.until + Duration::days(1)),
        )
    }
}

/// Stretches of days, each read at one grain, as three lists for `unnest`.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct Segments {
    pub grains: Vec<String>,
    pub froms: Vec<NaiveDate>,
    pub untils: Vec<NaiveDate>,
}

impl Segments {
    /// Adds the days from `from` up to (not including) `until`: the months wholly inside as
    /// months, the rest as days.
    fn cover(&mut self, from: NaiveDate, until: NaiveDate) {
        let months_from = if from.day() == 1 { Some(from) } else { first_of_next_month(from) };
        let months_until = until.with_day(1);
        match (months_from, months_until) {
            (Some(a), Some(b)) if a < b => {
                self.push("d", from, a);
                self.push("m", a, b);
                self.push("d", b, until);
            }
            _ => self.push("d", from, until),
        }
    }

    fn push(&mut self, grain: &str, from: NaiveDate, until: NaiveDate) {
        if from < until {
            self.grains.push(grain.to_owned());
            self.froms.push(from);
            self.untils.push(until);
        }
    }

    /// The grains to read for `ask`: without a channel or shops to keep, the rows of all of
    /// them together (`D`, `M`), kept where a rollup has them.
    pub fn for_filter(&self, ask: &Ask) -> Vec<String> {
        if ask.channel.is_none() && ask.shops.is_none() {
            self.grains.iter().map(|g| g.to_uppercase()).collect()
        } else {
            self.grains.clone()
        }
    }

    /// The same stretches with days read by the hour: the grains of the hourly rollup.
    pub fn by_hour(&self) -> Vec<String> {
        self.grains.iter().map(|g| if g == "d" { "h".to_owned() } else { g.clone() }).collect()
    }
}

fn first_of_next_month(day: NaiveDate) -> Option<NaiveDate> {
    day.with_day(1)?.checked_add_months(chrono::Months::new(1))
}

/// The business's currency, zone and shops (id, name).
struct Business {
    currency: Currency,
    zone: Zone,
    shops: Vec<(Uuid, String)>,
}

async fn business(db: &PgPool, tenant: TenantId) -> Result<Business, Error> {
    let mut tx = tenant_tx(db, tenant).await?;
    let t = sqlx::query!("SELECT currency, time_zone FROM tenants WHERE id = $1", tenant.0)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| Error::not_found("business"))?;
    let shops = sqlx::query!(
        "SELECT id, name FROM locations WHERE tenant_id = $1 AND kind = 'shop' ORDER BY name, id",
        tenant.0
    )
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Business {
        currency: Currency::from_code(&t.currency).ok_or(Error::Internal)?,
        zone: Zone(t.time_zone),
        shops: shops.into_iter().map(|s| (s.id, s.name)).collect(),
    })
}

/// What `sold` reads: totals now and before, by channel, by shop, by day now and before, by hour.
type Sold = (Totals, Totals, Vec<Share>, Vec<Share>, Vec<Point>, Vec<Point>, Vec<Point>);

/// Sales summed over one grouping of a period: all of it (`set` 15), by channel (7), by shop
/// (11), by day (13) or by hour of the day (14), as `GROUPING(channel, shop_id, day, hod)` says.
pub(super) struct HourRow {
    pub now: bool,
    pub set: i32,
    pub channel: Option<String>,
    pub shop_id: Option<Uuid>,
    pub day: Option<NaiveDate>,
    pub hod: Option<i32>,
    pub orders: i64,
    pub units: i64,
    pub gross: Decimal,
    pub vat: Decimal,
    pub discount: Decimal,
    pub delivery: Decimal,
    pub cancelled: i64,
    pub cancelled_gross: Decimal,
    pub cancelled_vat: Decimal,
}

async fn sold(db: &PgPool, ask: &Ask, source: Source) -> Result<Sold, Error> {
    let mut tx = tenant_tx(db, ask.tenant).await?;
    let rows = match source {
        Source::Rollups => super::rollups::sold(&mut tx, ask).await?,
        Source::Orders => super::counted::sold(&mut tx, ask).await?,
    };
    tx.commit().await?;
    let (mut now, mut before) = (Totals::default(), Totals::default());
    let mut channels: HashMap<String, Share> = HashMap::new();
    let mut shops: HashMap<Uuid, Share> = HashMap::new();
    let mut days: HashMap<NaiveDate, (Decimal, i64)> = HashMap::new();
    let mut hours = [(Decimal::ZERO, 0_i64); 24];
    for r in rows {
        let totals = Totals {
            orders: r.orders,
            gross: r.gross,
            cancelled_orders: r.cancelled,
            cancelled: r.cancelled_gross,
            net: r.gross - r.cancelled_gross,
            vat: r.vat - r.cancelled_vat,
            net_of_vat: r.gross - r.cancelled_gross - (r.vat - r.cancelled_vat),
            discount: r.discount,
            delivery: r.delivery,
            average_order: Decimal::ZERO,
            units: r.units,
        };
        let (amount, count) = (totals.net, totals.orders - totals.cancelled_orders);
        match (r.set, r.now) {
            (15, true) => now = totals,
            (15, false) => before = totals,
            (7, _) => {
                let key = r.channel.unwrap_or_default();
                let share = channels.entry(key.clone()).or_insert_with(|| blank(key.clone(), channel_label(&key)));
                count_into(share, r.now, amount, count);
            }
            (11, _) => {
                let key = r.shop_id.unwrap_or(NO_SHOP);
                let share = shops.entry(key).or_insert_with(|| blank(key.to_string(), ""));
                count_into(share, r.now, amount, count);
            }
            (13, _) => {
                if let Some(day) = r.day {
                    days.insert(day, (amount, count));
                }
            }
            (14, true) => {
                if let Some(slot) = r.hod.and_then(|h| usize::try_from(h).ok()).and_then(|h| hours.get_mut(h)) {
                    *slot = (amount, count);
                }
            }
            _ => {}
        }
    }
    for totals in [&mut now, &mut before] {
        let kept = totals.orders - totals.cancelled_orders;
        totals.average_order = if kept > 0 { (totals.net / Decimal::from(kept)).round_dp(2) } else { Decimal::ZERO };
    }
    let points = |period: Period| -> Vec<Point> {
        period
            .each_day()
            .map(|day| {
                let (amount, orders) = days.get(&day).copied().unwrap_or_default();
                Point { day, hour: 0, amount, orders }
            })
            .collect()
    };
    let hours = (0_u8..24)
        .zip(hours)
        .map(|(hour, (amount, orders))| Point { day: ask.period.from, hour, amount, orders })
        .collect();
    Ok((now, before, ranked(channels), ranked(shops), points(ask.period), points(ask.previous), hours))
}

fn blank(key: String, label: &str) -> Share {
    Share {
        key,
        label: label.to_owned(),
        amount: Decimal::ZERO,
        count: 0,
        amount_before: Decimal::ZERO,
        count_before: 0,
    }
}

fn count_into(share: &mut Share, now: bool, amount: Decimal, count: i64) {
    if now {
        share.amount += amount;
        share.count += count;
    } else {
        share.amount_before += amount;
        share.count_before += count;
    }
}

/// Shares largest first (by the period's amount, then the one before's), ties by key.
fn ranked<K>(shares: HashMap<K, Share>) -> Vec<Share> {
    let mut shares: Vec<Share> = shares.into_values().collect();
    shares.sort_by(|a, b| {
        b.amount.cmp(&a.amount).then(b.amount_before.cmp(&a.amount_before)).then_with(|| a.key.cmp(&b.key))
    });
    shares
}

/// What `products` reads: the best sellers of the period.
struct BestSellers {
    products: Vec<Ranked>,
    categories: Vec<Ranked>,
}

/// How many products and categories the dashboard ranks.
const TOP: usize = 10;

/// Units and revenue of one product in the period.
pub(super) struct ProductRow {
    pub product_id: Uuid,
    pub units: i64,
    pub revenue: Decimal,
}

async fn products(db: &PgPool, ask: &Ask, source: Source) -> Result<BestSellers, Error> {
    let mut tx = tenant_tx(db, ask.tenant).await?;
    let rows = match source {
        Source::Rollups => super::rollups::products(&mut tx, ask).await?,
        Source::Orders => super::counted::products(&mut tx, ask).await?,
    };
    let sold: Vec<(Uuid, i64, Decimal)> = rows
        .into_iter()
        .filter(|r| r.units != 0 || !r.revenue.is_zero())
        .map(|r| (r.product_id, r.units, r.revenue))
        .collect();
    let ids: Vec<Uuid> = sold.iter().map(|(id, ..)| *id).collect();
    let names = sqlx::query!(
        r#"SELECT p.id, p.name, p.category_id, c.name AS "category?"
             FROM products p LEFT JOIN categories c ON c.tenant_id = p.tenant_id AND c.id = p.category_id
            WHERE p.tenant_id = $1 AND p.id = ANY($2)"#,
        ask.tenant.0,
        &ids
    )
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    let names: HashMap<Uuid, (String, Option<Uuid>, Option<String>)> =
        names.into_iter().map(|n| (n.id, (n.name, n.category_id, n.category))).collect();
    let mut categories: HashMap<Option<Uuid>, Ranked> = HashMap::new();
    let mut products: Vec<Ranked> = sold
        .into_iter()
        .map(|(id, units, revenue)| {
            let (name, category, category_name) = names.get(&id).cloned().unwrap_or_default();
            let entry = categories.entry(category).or_insert_with(|| Ranked {
                id: category,
                name: category_name.unwrap_or_else(|| "No category".to_owned()),
                units: 0,
                revenue: Decimal::ZERO,
            });
            entry.units += units;
            entry.revenue += revenue;
            Ranked { id: Some(id), name, units, revenue }
        })
        .collect();
    let top = |list: &mut Vec<Ranked>| {
        list.sort_by(|a, b| b.revenue.cmp(&a.revenue).then(b.units.cmp(&a.units)).then_with(|| a.name.cmp(&b.name)));
        list.truncate(TOP);
    };
    top(&mut products);
    let mut categories: Vec<Ranked> = categories.into_values().collect();
    top(&mut categories);
    Ok(BestSellers { products, categories })
}

/// Money taken by one method in a period.
pub(super) struct PaymentRow {
    pub now: bool,
    pub method: String,
    pub payments: i64,
    pub amount: Decimal,
}

async fn payments(db: &PgPool, ask: &Ask, source: Source) -> Result<Vec<Share>, Error> {
    let mut tx = tenant_tx(db, ask.tenant).await?;
    let rows = match source {
        Source::Rollups => super::rollups::payments(&mut tx, ask).await?,
        Source::Orders => super::counted::payments(&mut tx, ask).await?,
    };
    tx.commit().await?;
    let mut methods: HashMap<String, Share> = HashMap::new();
    for r in rows {
        // A bank transfer online and a transfer at the till are one method to the business.
        let key = if r.method == "bank_transfer" { "transfer".to_owned() } else { r.method };
        let share = methods.entry(key.clone()).or_insert_with(|| blank(key.clone(), method_label(&key)));
        count_into(share, r.now, r.amount, r.payments);
    }
    methods.retain(|_, s| s.count != 0 || s.count_before != 0);
    Ok(ranked(methods))
}

async fn customers(db: &PgPool, ask: &Ask, source: Source) -> Result<CustomerFigures, Error> {
    let mut tx = tenant_tx(db, ask.tenant).await?;
    let active = match source {
        Source::Rollups => super::rollups::active_customers(&mut tx, ask).await?,
        Source::Orders => super::counted::active_customers(&mut tx, ask).await?,
    };
    let (start, split, end) = ask.instants();
    let new = sqlx::query!(
        r#"SELECT count(*) FILTER (WHERE created_at >= $3) AS "now!", count(*) FILTER (WHERE created_at < $3) AS "before!"
             FROM customers WHERE tenant_id = $1 AND created_at >= $2 AND created_at < $4"#,
        ask.tenant.0,
        start,
        split,
        end
    )
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(CustomerFigures { active: active.0, active_before: active.1, new: new.now, new_before: new.before })
}

/// Open orders and tills as they stand, for whoever may see them.
async fn standing(db: &PgPool, actor: &Actor, ask: &Ask) -> Result<(Option<OpenOrders>, Option<TillFigures>), Error> {
    let mut tx = tenant_tx(db, ask.tenant).await?;
    let tenant = ask.tenant.0;
    let open = if actor.can(Permission::ViewOrders) {
        let r = sqlx::query!(
            r#"SELECT count(*) FILTER (WHERE status = 'awaiting_payment') AS "awaiting!",
                      coalesce(sum(total) FILTER (WHERE status = 'awaiting_payment'), 0) AS "awaiting_amount!",
                      count(*) FILTER (WHERE status = 'awaiting_payment' AND payment_method = 'bank_transfer')
                        AS "transfers!",
                      coalesce(sum(total) FILTER (WHERE status = 'awaiting_payment'
                                                    AND payment_method = 'bank_transfer'), 0) AS "transfers_amount!",
                      count(*) FILTER (WHERE status IN ('paid', 'processing', 'ready_for_pickup')) AS "to_fulfil!",
                      count(*) FILTER (WHERE status = 'shipped') AS "shipped!"
                 FROM orders
                WHERE tenant_id = $1
                  AND status IN ('awaiting_payment', 'paid', 'processing', 'ready_for_pickup', 'shipped')
                  AND ($2::text IS NULL OR channel = $2)
                  AND ($3::uuid[] IS NULL OR sales_shop(pickup_location_id) = ANY($3))"#,
            tenant,
            ask.channel.as_deref(),
            ask.shops.as_deref(),
        )
        .fetch_one(&mut *tx)
        .await?;
        Some(OpenOrders {
            awaiting_payment: r.awaiting,
            awaiting_amount: r.awaiting_amount,
            unconfirmed_transfers: r.transfers,
            unconfirmed_amount: r.transfers_amount,
            to_fulfil: r.to_fulfil,
            shipped: r.shipped,
        })
    } else {
        None
    };
    let tills = if actor.can(Permission::ViewOrders) && ask.channel.as_deref().is_none_or(|c| c == "pos") {
        let (_, split, end) = ask.instants();
        let r = sqlx::query!(
            r#"SELECT count(*) FILTER (WHERE s.closed_at IS NULL) AS "open!",
                      count(*) FILTER (WHERE s.closed_at IS NOT NULL) AS "closed!",
                      coalesce(sum(d.diff), 0) AS "over_short!",
                      count(*) FILTER (WHERE d.diff <> 0) AS "off!"
                 FROM till_shifts s
                 LEFT JOIN LATERAL (
                      SELECT coalesce((s.counted ->> 'cash')::numeric, 0) - s.opening_float - s.cash_moved AS diff
                       WHERE s.closed_at IS NOT NULL
                 ) d ON true
                WHERE s.tenant_id = $1 AND (s.closed_at IS NULL OR (s.closed_at >= $2 AND s.closed_at < $3))
                  AND ($4::uuid[] IS NULL OR s.location_id = ANY($4))"#,
            tenant,
            split,
            end,
            ask.shops.as_deref(),
        )
        .fetch_one(&mut *tx)
        .await?;
        Some(TillFigures { open_shifts: r.open, closed_shifts: r.closed, over_short: r.over_short, off_closes: r.off })
    } else {
        None
    };
    tx.commit().await?;
    Ok((open, tills))
}

/// Stock as it stands, at the shop chosen or wherever the actor's work reaches, for whoever may
/// see stock: what needs a look (as the stock pages count it), what was oversold, and what the
/// stock on hand cost.
async fn stock(db: &PgPool, actor: &Actor, ask: &Ask) -> Result<Option<StockFigures>, Error> {
    if !actor.can(Permission::ViewInventory) {
        return Ok(None);
    }
    let needs = crate::inventory::levels::summary_at(db, actor, ask.shop.map(LocationId)).await?;
    let mut tx = tenant_tx(db, ask.tenant).await?;
    let r = sqlx::query!(
        r#"SELECT count(*) FILTER (WHERE s.on_hand < 0) AS "oversold!",
                  coalesce(sum(s.on_hand * v.cost) FILTER (WHERE s.on_hand > 0 AND v.cost IS NOT NULL), 0) AS "value!",
                  count(DISTINCT s.variant_id) FILTER (WHERE s.on_hand > 0 AND v.cost IS NULL) AS "without_cost!"
             FROM stock_levels s
             JOIN variants v ON v.tenant_id = s.tenant_id AND v.id = s.variant_id
            WHERE s.tenant_id = $1 AND s.on_hand <> 0 AND ($2::uuid[] IS NULL OR s.location_id = ANY($2))"#,
        ask.tenant.0,
        ask.shops.as_deref(),
    )
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Some(StockFigures {
        low: needs.low,
        out: needs.out,
        oversold: r.oversold,
        value_at_cost: actor.can(Permission::ViewCosts).then_some(r.value),
        without_cost: r.without_cost,
        in_transit: needs.in_transit,
        counts: needs.counts,
    }))
}
