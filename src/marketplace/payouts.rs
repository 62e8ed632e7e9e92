//! A vendor's money: its balance and ledger (written by the orders' parts, see
//! `orders::ledger`), its statement, and payouts.
//!
//! A payout takes its money out of the balance the moment it is made (a `payout` entry), so the
//! same money can never be asked for twice; it is then settled by hand with the bank's reference
//! or sent by Paystack Transfers (`transfers`). A payout called off, failed or reversed puts its
//! money back (a `payout_returned` entry). A vendor has at most one payout on the way at a time.
//!
//! The vendor's owner asks for a payout of what is available, at least the marketplace's
//! minimum; the operator's staff who manage vendors run payouts for every vendor due at once
//! (each gets one for all it has available), settle them and call them off. The vendor's staff
//! read their own balance, ledger, statement and payouts; another vendor's read as not found.

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde_json::json;
use uuid::Uuid;

use super::vendor::{Side, side, who};
use super::{Balance, Payout, PayoutStatus, VendorStatus};
use crate::audit::{self, Change};
use crate::base::money::exact;
use crate::base::page::Page;
use crate::base::{Actor, Permission, TenantId, VendorId};
use crate::db::tenant_tx;
use crate::idempotency::{self, Once};
use crate::orders::ledger::{self, Entry, EntryKind, Posting};
use crate::{Clash, Currency, Error, Money};

/// A vendor's balance, as [`Balance`] says.
pub async fn balance(db: &sqlx::PgPool, actor: &Actor, vendor: VendorId) -> Result<Balance, Error> {
    let (tenant, _) = side(actor, vendor, false)?;
    let mut tx = tenant_tx(db, tenant).await?;
    let balance = balance_in(&mut tx, tenant, vendor).await?;
    tx.commit().await?;
    Ok(balance)
}

/// The step that reads a vendor's balance, in the caller's transaction.
pub async fn balance_in(tx: &mut sqlx::PgConnection, tenant: TenantId, vendor: VendorId) -> Result<Balance, Error> {
    let currency = crate::identity::currency_in(&mut *tx, tenant).await?;
    let money = |amount: Decimal| Money::new(exact(amount), currency);
    let row = sqlx::query!(
        r#"SELECT coalesce(sum(l.amount), 0) AS "balance!",
                  coalesce(sum(l.amount) FILTER (WHERE l.available_at <= now() AND NOT EXISTS (
                      SELECT 1 FROM disputes d WHERE d.tenant_id = l.tenant_id AND d.part_id = l.part_id
                         AND d.status IN ('open', 'escalated'))), 0) AS "available!",
                  (SELECT min(n.available_at) FROM vendor_ledger n
                    WHERE n.tenant_id = $1 AND n.vendor_id = $2 AND n.available_at > now()) AS next_at,
                  (SELECT coalesce(sum(p.amount), 0) FROM vendor_payouts p
                    WHERE p.tenant_id = $1 AND p.vendor_id = $2 AND p.status IN ('requested', 'sending'))
                      AS "on_the_way!",
                  (SELECT payout_minimum FROM tenants WHERE id = $1) AS "minimum!",
                  (SELECT bank_account_sealed IS NOT NULL FROM vendors WHERE tenant_id = $1 AND id = $2) AS "has_bank!"
             FROM vendor_ledger l
            WHERE l.tenant_id = $1 AND l.vendor_id = $2"#,
        tenant.0,
        vendor.0
    )
    .fetch_one(&mut *tx)
    .await?;
    let next_release = match row.next_at {
        Some(at) => {
            let amount = sqlx::query_scalar!(
                r#"SELECT coalesce(sum(amount), 0) AS "n!" FROM vendor_ledger
                    WHERE tenant_id = $1 AND vendor_id = $2 AND available_at = $3"#,
                tenant.0,
                vendor.0,
                at
            )
            .fetch_one(&mut *tx)
            .await?;
            Some(money(amount))
        }
        None => None,
    };
    Ok(Balance {
        balance: money(row.balance),
        available: money(row.available),
        waiting: money(row.balance - row.available),
        next_release_at: row.next_at,
        next_release,
        on_the_way: money(row.on_the_way),
        minimum: money(row.minimum),
        has_bank: row.has_bank,
    })
}

/// A page of a vendor's ledger, newest first, each entry with the balance after it, from the
/// key in `after` (the last entry's time and id).
pub async fn ledger(
    db: &sqlx::PgPool,
    actor: &Actor,
    vendor: VendorId,
    after: Option<(DateTime<Utc>, Uuid)>,
    limit: i64,
) -> Result<Page<Entry>, Error> {
    let (tenant, _) = side(actor, vendor, false)?;
    let limit = limit.clamp(1, 500);
    let (after_at, after_id) = after.unzip();
    let mut tx = tenant_tx(db, tenant).await?;
    let currency = crate::identity::currency_in(&mut tx, tenant).await?;
    let rows = entries(&mut tx, tenant, vendor, (None, None), (after_at, after_id), limit + 1).await?;
    tx.commit().await?;
    let rows = rows.into_iter().map(|r| r.entry(currency)).collect::<Result<Vec<_>, _>>()?;
    Ok(Page::from_extra(rows, limit, |e| (e.at, e.id)))
}

/// An entry as read, with the balance after it.
struct EntryRow {
    id: Uuid,
    kind: String,
    amount: Decimal,
    part: Option<String>,
    payout_id: Option<Uuid>,
    note: String,
    at: DateTime<Utc>,
    available_at: Option<DateTime<Utc>>,
    balance: Decimal,
}

impl EntryRow {
    fn entry(self, currency: Currency) -> Result<Entry, Error> {
        Ok(Entry {
            id: self.id,
            kind: EntryKind::from_code(&self.kind).ok_or(Error::Internal)?,
            amount: Money::new(exact(self.amount), currency),
            part: self.part,
            payout: self.payout_id,
            note: self.note,
            at: self.at,
            available_at: self.available_at,
            balance: Money::new(exact(self.balance), currency),
        })
    }
}

/// A vendor's entries, newest first, written within `between` (from, before) and before the key
/// `after`, each with the running balance over all its entries.
async fn entries(
    tx: &mut sqlx::PgConnection,
    tenant: TenantId,
    vendor: VendorId,
    between: (Option<DateTime<Utc>>, Option<DateTime<Utc>>),
    after: (Option<DateTime<Utc>>, Option<Uuid>),
    limit: i64,
) -> Result<Vec<EntryRow>, Error> {
    Ok(sqlx::query_as!(
        EntryRow,
        r#"SELECT e.id, e.kind, e.amount, e.part, e.payout_id, e.note, e.at, e.available_at, e.balance AS "balance!"
             FROM (SELECT l.id, l.kind, l.amount, l.payout_id, l.note, l.at, l.available_at,
                          CASE WHEN p.id IS NULL THEN NULL
                               ELSE o.prefix || o.number || '-' || p.position END AS part,
                          sum(l.amount) OVER (ORDER BY l.at, l.id) AS balance
                     FROM vendor_ledger l
                     LEFT JOIN order_parts p ON p.tenant_id = l.tenant_id AND p.id = l.part_id
                     LEFT JOIN orders o ON o.tenant_id = p.tenant_id AND o.id = p.order_id
                    WHERE l.tenant_id = $1 AND l.vendor_id = $2) e
            WHERE ($3::timestamptz IS NULL OR e.at >= $3)
              AND ($4::timestamptz IS NULL OR e.at < $4)
              AND ($5::timestamptz IS NULL OR (e.at, e.id) < ($5, $6))
            ORDER BY e.at DESC, e.id DESC
            LIMIT $7"#,
        tenant.0,
        vendor.0,
        between.0,
        between.1,
        after.0,
        after.1,
        limit
    )
    .fetch_all(&mut *tx)
    .await?)
}

/// The most entries a statement carries (a year of a busy vendor's, and more).
const MOST_STATEMENT_ROWS: i64 = 100_000;

/// A vendor's statement as a CSV file, for the days `from` to `until` (inclusive, in the
/// business's time zone; all of time when not given): the opening balance, each entry oldest
/// first with the balance after it, and the closing balance.
pub async fn statement(
    db: &sqlx::PgPool,
    actor: &Actor,
    vendor: VendorId,
    from: Option<NaiveDate>,
    until: Option<NaiveDate>,
) -> Result<String, Error> {
    let (tenant, _) = side(actor, vendor, false)?;
    if let (Some(from), Some(until)) = (from, until)
        && from > until
    {
        return Err(Error::invalid("from", "the first day comes before the last"));
    }
    let mut tx = tenant_tx(db, tenant).await?;
    let zone = crate::base::Zone(
        sqlx::query_scalar!("SELECT time_zone FROM tenants WHERE id = $1", tenant.0).fetch_one(&mut *tx).await?,
    );
    let start = from.map(|day| zone.start_of(day));
    let end = until.and_then(|day| day.succ_opt()).map(|day| zone.start_of(day));
    let currency = crate::identity::currency_in(&mut tx, tenant).await?;
    let mut rows = entries(&mut tx, tenant, vendor, (start, end), (None, None), MOST_STATEMENT_ROWS + 1).await?;
    tx.commit().await?;
    if rows.len() > usize::try_from(MOST_STATEMENT_ROWS).unwrap_or(usize::MAX) {
        return Err(Error::invalid("from", "too many entries for one file: choose a shorter period"));
    }
    rows.reverse();
    let opening = rows.first().map_or(Decimal::ZERO, |r| r.balance - r.amount);
    let closing = rows.last().map_or(opening, |r| r.balance);
    let exact = |amount: Decimal| exact(amount).to_string();
    let mut out = csv::Writer::from_writer(Vec::new());
    let mut write = |cells: [String; 8]| {
        out.write_record(cells.iter().map(|c| crate::base::sheet::safe_cell(c))).map_err(|_| Error::Internal)
    };
    let blank = String::new;
    write(["date", "kind", "order", "note", "amount", "available_from", "balance", "currency"].map(str::to_owned))?;
    let code = || currency.code().to_owned();
    write([blank(), "Opening balance".into(), blank(), blank(), blank(), blank(), exact(opening), code()])?;
    for r in &rows {
        let kind = EntryKind::from_code(&r.kind).map_or(r.kind.clone(), |k| k.label().to_owned());
        write([
            zone.local(r.at).format("%Y-%m-%d %H:%M").to_string(),
            kind,
            r.part.clone().unwrap_or_default(),
            r.note.clone(),
            exact(r.amount),
            r.available_at.map_or_else(|| "waiting".into(), |at| zone.local(at).format("%Y-%m-%d").to_string()),
            exact(r.balance),
            code(),
        ])?;
    }
    write([blank(), "Closing balance".into(), blank(), blank(), blank(), blank(), exact(closing), code()])?;
    let bytes = out.into_inner().map_err(|_| Error::Internal)?;
    String::from_utf8(bytes).map_err(|_| Error::Internal)
}

/// A page of payouts, newest first: a vendor's staff their own; the operator's staff a vendor's
/// or (with none) every vendor's, only those still open when `open`.
pub async fn list(
    db: &sqlx::PgPool,
    actor: &Actor,
    vendor: Option<VendorId>,
    open: bool,
    after: Option<(DateTime<Utc>, Uuid)>,
    limit: i64,
) -> Result<Page<Payout>, Error> {
    let (tenant, vendor) = match vendor {
        Some(vendor) => (side(actor, vendor, false)?.0, Some(vendor)),
        None if actor.vendor().is_some() => {
            let (tenant, own) = super::vendor::own_vendor(actor)?;
            (tenant, Some(own))
        }
        None => (actor.require(Permission::ViewVendors)?.tenant, None),
    };
    let limit = limit.clamp(1, 200);
    let (after_at, after_id) = after.unzip();
    let mut tx = tenant_tx(db, tenant).await?;
    let rows = sqlx::query_as!(
        PayoutRow,
        r#"SELECT p.id, p.vendor_id, v.name AS vendor_name, p.amount, p.currency, p.status, p.reference, p.method,
                  p.bank_reference, p.bank_code, p.account_last4, p.account_name, p.reason, p.asked_by, p.created_at,
                  p.sent_at, p.settled_at
             FROM vendor_payouts p JOIN vendors v ON v.tenant_id = p.tenant_id AND v.id = p.vendor_id
            WHERE p.tenant_id = $1 AND ($2::uuid IS NULL OR p.vendor_id = $2)
              AND (NOT $3 OR p.status IN ('requested', 'sending'))
              AND ($4::timestamptz IS NULL OR (p.created_at, p.id) < ($4, $5))
            ORDER BY p.created_at DESC, p.id DESC
            LIMIT $6"#,
        tenant.0,
        vendor.map(|v| v.0),
        open,
        after_at,
        after_id,
        limit + 1
    )
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    let rows = rows.into_iter().map(PayoutRow::payout).collect::<Result<Vec<_>, _>>()?;
    Ok(Page::from_extra(rows, limit, |p| (p.created_at, p.id)))
}

/// A payout as stored.
pub(super) struct PayoutRow {
    pub id: Uuid,
    pub vendor_id: Uuid,
    pub vendor_name: String,
    pub amount: Decimal,
    pub currency: String,
    pub status: String,
    pub reference: String,
    pub method: Option<String>,
    pub bank_reference: String,
    pub bank_code: String,
    pub account_last4: String,
    pub account_name: String,
    pub reason: String,
    pub asked_by: String,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    pub settled_at: Option<DateTime<Utc>>,
}

impl PayoutRow {
    pub(super) fn payout(self) -> Result<Payout, Error> {
        let currency = Currency::from_code(&self.currency).ok_or(Error::Internal)?;
        Ok(Payout {
            id: self.id,
            vendor: VendorId(self.vendor_id),
            vendor_name: self.vendor_name,
            amount: Money::new(exact(self.amount), currency),
            status: PayoutStatus::from_code(&self.status).ok_or(Error::Internal)?,
            reference: self.reference,
            method: self.method,
            bank_reference: self.bank_reference,
            bank: super::bank::bank(&self.bank_code).map_or(self.bank_code.clone(), |b| b.name.to_owned()),
            account_last4: self.account_last4,
            account_name: self.account_name,
            reason: self.reason,
            asked_by: self.asked_by,
            created_at: self.created_at,
            sent_at: self.sent_at,
            settled_at: self.settled_at,
        })
    }
}

/// The step that reads one payout, locked when `lock`.
pub(super) async fn read_in(tx: &mut sqlx::PgConnection, tenant: TenantId, payout: Uuid) -> Result<Payout, Error> {
    let row = sqlx::query_as!(
        PayoutRow,
        r#"SELECT p.id, p.vendor_id, v.name AS vendor_name, p.amount, p.currency, p.status, p.reference, p.method,
                  p.bank_reference, p.bank_code, p.account_last4, p.account_name, p.reason, p.asked_by, p.created_at,
                  p.sent_at, p.settled_at
             FROM vendor_payouts p JOIN vendors v ON v.tenant_id = p.tenant_id AND v.id = p.vendor_id
            WHERE p.tenant_id = $1 AND p.id = $2
              FOR UPDATE OF p"#,
        tenant.0,
        payout
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| Error::not_found("payout"))?;
    row.payout()
}

/// The vendor's owner asks for a payout of `amount` (empty: all that is available): at least
/// the marketplace's minimum, at most what is available, with a bank account and no other
/// payout on the way. Its money leaves the balance at once.
pub async fn request(
    db: &sqlx::PgPool,
    actor: &Actor,
    vendor: VendorId,
    amount: &str,
    once: Option<&Once>,
) -> Result<Payout, Error> {
    let (tenant, side) = side(actor, vendor, false)?;
    if side != Side::Vendor {
        return Err(Error::Forbidden("ask for a vendor's payout: its owner does that".to_owned()));
    }
    let typed = amount.trim().replace(',', "");
    let wanted = if typed.is_empty() {
        None
    } else {
        let value: Decimal = typed
            .trim_start_matches('₦')
            .parse()
            .map_err(|_| Error::invalid("amount", "an amount such as 25000, or empty for all that is available"))?;
        if value <= Decimal::ZERO || value.scale() > 2 || value >= Decimal::from(1_000_000_000_000_i64) {
            return Err(Error::invalid("amount", "an amount above zero, exact to the kobo"));
        }
        Some(value)
    };
    let asked_by = who(actor);
    idempotency::run(db, tenant, once, async |tx| {
        if !super::vendor::owner_acts(tx, tenant, actor).await? {
            return Err(Error::Forbidden("ask for a vendor's payout: its owner does that".to_owned()));
        }
        let payout = make_in(tx, tenant, vendor, wanted, &asked_by).await?;
        audit_payout(tx, tenant, actor, &payout, "request", None).await?;
        Ok(payout)
    })
    .await
}

/// The marketplace runs its payouts: every approved vendor with a bank account, nothing on the
/// way and at least the minimum available gets one for all it has available. Answers them.
pub async fn run(db: &sqlx::PgPool, actor: &Actor, once: Option<&Once>) -> Result<Vec<Payout>, Error> {
    let tenant = actor.require(Permission::ManageVendors)?.tenant;
    let asked_by = who(actor);
    idempotency::run(db, tenant, once, async |tx| run_in(tx, tenant, Some(actor), &asked_by).await).await
}

/// The step that runs the marketplace's payouts, in the caller's transaction (the worker's
/// scheduled run has no actor: its audit rows name the system).
pub async fn run_in(
    tx: &mut sqlx::PgConnection,
    tenant: TenantId,
    actor: Option<&Actor>,
    asked_by: &str,
) -> Result<Vec<Payout>, Error> {
    let due = sqlx::query_scalar!(
        r#"SELECT v.id FROM vendors v
            WHERE v.tenant_id = $1 AND v.status = 'approved' AND v.bank_account_sealed IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM vendor_payouts p
                               WHERE p.tenant_id = v.tenant_id AND p.vendor_id = v.id
                                 AND p.status IN ('requested', 'sending'))
              AND (SELECT coalesce(sum(l.amount), 0) FROM vendor_ledger l
                    WHERE l.tenant_id = v.tenant_id AND l.vendor_id = v.id AND l.available_at <= now()
                      AND NOT EXISTS (SELECT 1 FROM disputes d WHERE d.tenant_id = l.tenant_id AND d.part_id = l.part_id
                                         AND d.status IN ('open', 'escalated')))
                  >= greatest((SELECT payout_minimum FROM tenants WHERE id = $1), 0.01)
            ORDER BY v.name, v.id"#,
        tenant.0
    )
    .fetch_all(&mut *tx)
    .await?;
    let mut made = Vec::with_capacity(due.len());
    for vendor in due {
        let payout = make_in(tx, tenant, VendorId(vendor), None, asked_by).await?;
        if let Some(actor) = actor {
            audit_payout(tx, tenant, actor, &payout, "run", None).await?;
        }
        made.push(payout);
    }
    Ok(made)
}

/// Runs the payouts of every marketplace whose payout day it is (on its own clock) and whose
/// payouts have not run today: the worker's job. Several instances may run it at once; each
/// marketplace's run happens once a day. Answers how many payouts were made.
pub async fn run_scheduled(db: &sqlx::PgPool) -> Result<usize, Error> {
    let due = sqlx::query_scalar!(r#"SELECT tenant_id AS "tenant_id!" FROM payout_runs_due()"#).fetch_all(db).await?;
    let mut made = 0;
    for tenant in due.into_iter().map(TenantId) {
        made += crate::db::in_tenant_tx(db, tenant, async |tx| {
            let still = sqlx::query_scalar!(
                r#"SELECT (payouts_run_on IS DISTINCT FROM (now() AT TIME ZONE time_zone)::date) AS "due!"
                     FROM tenants WHERE id = $1 FOR UPDATE SKIP LOCKED"#,
                tenant.0
            )
            .fetch_optional(&mut *tx)
            .await?;
            if still != Some(true) {
                return Ok(0);
            }
            let robot = Actor::system(tenant, "Scheduled payouts");
            let payouts = run_in(tx, tenant, Some(&robot), "Scheduled payouts").await?;
            sqlx::query!(
                "UPDATE tenants SET payouts_run_on = (now() AT TIME ZONE time_zone)::date WHERE id = $1",
                tenant.0
            )
            .execute(&mut *tx)
            .await?;
            Ok(payouts.len())
        })
        .await?;
    }
    Ok(made)
}

/// The step that makes a payout of `wanted` (all that is available when none), under the
/// vendor's lock, by the rules of [`request`].
async fn make_in(
    tx: &mut sqlx::PgConnection,
    tenant: TenantId,
    vendor: VendorId,
    wanted: Option<Decimal>,
    asked_by: &str,
) -> Result<Payout, Error> {
    let v = sqlx::query!(
        "SELECT status, bank_code, bank_account_last4, bank_account_name, bank_account_sealed IS NOT NULL AS \"has_bank!\"
           FROM vendors WHERE tenant_id = $1 AND id = $2 FOR UPDATE",
        tenant.0,
        vendor.0
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| Error::not_found("vendor"))?;
    if VendorStatus::from_code(&v.status) != Some(VendorStatus::Approved) {
        return Err(Error::conflict(Clash::WrongState, "Only an approved vendor is paid out."));
    }
    if !v.has_bank {
        return Err(Error::conflict(Clash::WrongState, "Add the bank account to be paid at first."));
    }
    let balance = balance_in(tx, tenant, vendor).await?;
    if !balance.on_the_way.amount.is_zero() {
        return Err(Error::conflict(
            Clash::WrongState,
            format!("A payout of {} is already on its way; wait for it to be settled.", balance.on_the_way),
        ));
    }
    let amount = wanted.unwrap_or(balance.available.amount);
    if amount > balance.available.amount {
        return Err(Error::invalid("amount", format!("at most {}, what is available now", balance.available)));
    }
    if amount < balance.minimum.amount || amount <= Decimal::ZERO {
        return Err(Error::invalid("amount", format!("at least {}, the marketplace's least payout", balance.minimum)));
    }
    let id = Uuid::now_v7();
    let reference = format!("po-{}", id.simple());
    sqlx::query!(
        "INSERT INTO vendor_payouts (tenant_id, id, vendor_id, amount, currency, status, reference, bank_code,
                                     account_last4, account_name, asked_by)
         VALUES ($1, $2, $3, $4, $5, 'requested', $6, $7, $8, $9, $10)",
        tenant.0,
        id,
        vendor.0,
        amount,
        balance.minimum.currency.code(),
        reference,
        v.bank_code,
        v.bank_account_last4,
        v.bank_account_name,
        asked_by
    )
    .execute(&mut *tx)
    .await?;
    let posting = Posting {
        vendor,
        kind: EntryKind::Payout,
        amount: -amount,
        part: None,
        payout: Some(id),
        note: &format!("Payout to ····{}", v.bank_account_last4),
        who: asked_by,
        available_at: Some(Utc::now()),
    };
    ledger::post(tx, tenant, &posting).await?;
    read_in(tx, tenant, id).await
}

/// The operator settles a payout by hand: paid into the vendor's bank, under the bank's
/// reference.
pub async fn mark_paid(
    db: &sqlx::PgPool,
    actor: &Actor,
    payout: Uuid,
    bank_reference: &str,
    once: Option<&Once>,
) -> Result<Payout, Error> {
    let tenant = actor.require(Permission::ManageVendors)?.tenant;
    let reference = bank_reference.trim().to_owned();
    if reference.is_empty() {
        return Err(Error::invalid("bank_reference", "the bank's reference for the transfer"));
    }
    if reference.chars().count() > 120 {
        return Err(Error::invalid("bank_reference", "at most 120 characters"));
    }
    Error::refuse_nul("bank_reference", &reference)?;
    idempotency::run(db, tenant, once, async |tx| {
        let before = read_in(tx, tenant, payout).await?;
        if before.status != PayoutStatus::Requested {
            return Err(Error::conflict(
                Clash::WrongState,
                format!(
                    "This payout is {}; only one asked for is settled by hand.",
                    before.status.label().to_lowercase()
                ),
            ));
        }
        sqlx::query!(
            "UPDATE vendor_payouts SET status = 'paid', method = 'manual', bank_reference = $3, settled_at = now()
              WHERE tenant_id = $1 AND id = $2",
            tenant.0,
            payout,
            reference
        )
        .execute(&mut *tx)
        .await?;
        let after = read_in(tx, tenant, payout).await?;
        audit_payout(tx, tenant, actor, &after, "paid by hand", Some(&before)).await?;
        tell_vendor(tx, tenant, &after).await?;
        Ok(after)
    })
    .await
}

/// Calls a payout off before it is sent, with a reason: the operator any, the vendor's owner
/// its own. Its money comes back to the balance.
pub async fn cancel(
    db: &sqlx::PgPool,
    actor: &Actor,
    payout: Uuid,
    reason: &str,
    once: Option<&Once>,
) -> Result<Payout, Error> {
    let vendor_side = actor.vendor().is_some();
    let tenant = if vendor_side {
        super::vendor::own_vendor(actor)?.0
    } else {
        actor.require(Permission::ManageVendors)?.tenant
    };
    let reason = reason.trim().to_owned();
    if reason.chars().count() > 500 {
        return Err(Error::invalid("reason", "at most 500 characters"));
    }
    Error::refuse_nul("reason", &reason)?;
    idempotency::run(db, tenant, once, async |tx| {
        let before = read_in(tx, tenant, payout).await?;
        if vendor_side {
            let (_, own) = super::vendor::own_vendor(actor)?;
            if own != before.vendor {
                return Err(Error::not_found("payout"));
            }
            if !super::vendor::owner_acts(tx, tenant, actor).await? {
                return Err(Error::Forbidden("call off a vendor's payout: its owner does that".to_owned()));
            }
        }
        if before.status != PayoutStatus::Requested {
            return Err(Error::conflict(
                Clash::WrongState,
                format!(
                    "This payout is {}; only one not yet sent is called off.",
                    before.status.label().to_lowercase()
                ),
            ));
        }
        let after = settle_in(tx, tenant, &before, PayoutStatus::Cancelled, &reason, &who(actor)).await?;
        audit_payout(tx, tenant, actor, &after, "cancel", Some(&before)).await?;
        Ok(after)
    })
    .await
}

/// The step that ends an open payout as `to` (failed, reversed, called off: its money back; or
/// paid), once: a payout already ended changes nothing and answers as it is.
pub(super) async fn settle_in(
    tx: &mut sqlx::PgConnection,
    tenant: TenantId,
    payout: &Payout,
    to: PayoutStatus,
    reason: &str,
    by: &str,
) -> Result<Payout, Error> {
    let returned = matches!(to, PayoutStatus::Failed | PayoutStatus::Reversed | PayoutStatus::Cancelled);
    sqlx::query!(
        "UPDATE vendor_payouts SET status = $3, reason = $4, settled_at = now() WHERE tenant_id = $1 AND id = $2",
        tenant.0,
        payout.id,
        to.code(),
        reason
    )
    .execute(&mut *tx)
    .await?;
    if returned {
        let note = if reason.is_empty() {
            format!("Payout {}", to.label().to_lowercase())
        } else {
            format!("Payout {}: {reason}", to.label().to_lowercase())
        };
        let posting = Posting {
            vendor: payout.vendor,
            kind: EntryKind::PayoutReturned,
            amount: payout.amount.amount,
            part: None,
            payout: Some(payout.id),
            note: &note,
            who: by,
            available_at: Some(Utc::now()),
        };
        ledger::post(tx, tenant, &posting).await?;
    }
    let after = read_in(tx, tenant, payout.id).await?;
    tell_vendor(tx, tenant, &after).await?;
    Ok(after)
}

/// The operator corrects a vendor's balance by `amount` (signed), with the reason the vendor
/// reads in its ledger; available at once.
pub async fn adjust(
    db: &sqlx::PgPool,
    actor: &Actor,
    vendor: VendorId,
    amount: &str,
    reason: &str,
    once: Option<&Once>,
) -> Result<Balance, Error> {
    let (tenant, side) = side(actor, vendor, true)?;
    if side != Side::Operator {
        return Err(Error::Forbidden("adjust a vendor's balance: the marketplace does that".to_owned()));
    }
    let mut problems = Vec::new();
    let value = amount.trim().replace(',', "").parse::<Decimal>().ok();
    let value = value.filter(|v| !v.is_zero() && v.scale() <= 2 && v.abs() < Decimal::from(1_000_000_000_000_i64));
    if value.is_none() {
        problems.push(("amount".to_owned(), "an amount exact to the kobo, negative to take money off".to_owned()));
    }
    let reason = reason.trim().to_owned();
    if reason.is_empty() || reason.chars().count() > 400 || reason.contains('\0') {
        problems.push(("reason".to_owned(), "why, in at most 400 characters: the vendor reads it".to_owned()));
    }
    Error::invalid_all(problems)?;
    let value = value.ok_or(Error::Internal)?;
    idempotency::run(db, tenant, once, async |tx| {
        sqlx::query!("SELECT id FROM vendors WHERE tenant_id = $1 AND id = $2 FOR UPDATE", tenant.0, vendor.0)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| Error::not_found("vendor"))?;
        let by = who(actor);
        let posting = Posting {
            vendor,
            kind: EntryKind::Adjustment,
            amount: value,
            part: None,
            payout: None,
            note: &reason,
            who: &by,
            available_at: Some(Utc::now()),
        };
        ledger::post(tx, tenant, &posting).await?;
        let change = Change {
            entity: "vendor",
            entity_id: vendor.0.to_string(),
            action: "adjust balance",
            before: None,
            after: Some(json!({ "amount": crate::base::money::exact(value), "reason": reason })),
        };
        audit::record(tx, tenant, actor, change).await?;
        balance_in(tx, tenant, vendor).await
    })
    .await
}

/// The audit row of a payout's change.
pub(super) async fn audit_payout(
    tx: &mut sqlx::PgConnection,
    tenant: TenantId,
    actor: &Actor,
    payout: &Payout,
    action: &'static str,
    before: Option<&Payout>,
) -> Result<(), Error> {
    let state = |p: &Payout| {
        json!({
            "vendor": p.vendor.0, "amount": crate::base::money::exact(p.amount.amount), "status": p.status.code(),
            "reference": p.reference, "bank_reference": p.bank_reference,
        })
    };
    let change = Change {
        entity: "vendor_payout",
        entity_id: payout.id.to_string(),
        action,
        before: before.map(state),
        after: Some(state(payout)),
    };
    audit::record(tx, tenant, actor, change).await
}

/// The step that tells the vendor's email of a payout paid, failed, reversed or called off.
async fn tell_vendor(tx: &mut sqlx::PgConnection, tenant: TenantId, payout: &Payout) -> Result<(), Error> {
    let what = match payout.status {
        PayoutStatus::Paid => "was paid into your bank account",
        PayoutStatus::Failed => "failed; its money is back in your balance",
        PayoutStatus::Reversed => "was reversed by the bank; its money is back in your balance",
        PayoutStatus::Cancelled => "was called off; its money is back in your balance",
        PayoutStatus::Requested | PayoutStatus::Sending => return Ok(()),
    };
    let email =
        sqlx::query_scalar!("SELECT email FROM vendors WHERE tenant_id = $1 AND id = $2", tenant.0, payout.vendor.0)
            .fetch_one(&mut *tx)
            .await?;
    if email.is_empty() {
        return Ok(());
    }
    let reason = if payout.reason.is_empty() { String::new() } else { format!("\n\nReason: {}", payout.reason) };
    let body = format!(
        "Your payout of {} to {} ····{} {what}.{reason}\n\nReference: {}",
        payout.amount, payout.bank, payout.account_last4, payout.reference
    );
    crate::identity::outbox::send_later(tx, tenant, &email, &format!("Your payout of {} {what}", payout.amount), &body)
        .await
}
