//! A vendor's record and standing: the operator's list and review, the vendor's own details,
//! where its money goes.
//!
//! Two sides act on a vendor. The operator's staff (`ViewVendors`, `ManageVendors`) see every
//! vendor and move them by [`VendorStatus::can_move`]; a vendor's own staff (`UseVendorPortal`,
//! scoped to their vendor) see theirs alone, keep its details up to date and send an application
//! back after changes were asked for. Another vendor's id reads as not found. Every change is
//! one transaction with its audit row, its entry in the vendor's history and, when the vendor
//! should hear of it, a letter in the outbox.

use serde::{Deserialize, Serialize};
use serde_json::json;
use uuid::Uuid;

use super::bank::{self, Bank};
use super::{
    BankAccount, BankDetails, DocumentKind, Vendor, VendorDetails, VendorDocument, VendorEvent, VendorFilter,
    VendorStatus, VendorSummary,
};
use crate::audit::{self, Change};
use crate::base::page::{Page, read_cursor};
use crate::base::{Actor, Permission, TenantId, VendorId, phone};
use crate::idempotency::{self, Once};
use crate::secrets::Keyring;
use crate::{Clash, Error};

/// Which side of the marketplace an actor acts on for a vendor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// The operator's staff or API client.
    Operator,
    /// The vendor's own staff.
    Vendor,
}

/// The business and side `actor` acts on `vendor` from: the vendor's own staff for their vendor
/// (and its API clients) alone (another's reads as not found), the operator's with `ViewVendors` (or `ManageVendors`
/// when `manage`) for any.
pub fn side(actor: &Actor, vendor: VendorId, manage: bool) -> Result<(TenantId, Side), Error> {
    if actor.vendor().is_some() {
        let scope = actor.require(Permission::UseVendorPortal)?;
        if scope.vendor != Some(vendor) {
            return Err(Error::not_found("vendor"));
        }
        return Ok((scope.tenant, Side::Vendor));
    }
    let scope = actor.require(if manage { Permission::ManageVendors } else { Permission::ViewVendors })?;
    Ok((scope.tenant, Side::Operator))
}

/// The vendor a vendor's staff member works for.
pub fn own_vendor(actor: &Actor) -> Result<(TenantId, VendorId), Error> {
    let scope = actor.require(Permission::UseVendorPortal)?;
    let vendor = scope.vendor.ok_or_else(|| Error::Forbidden(Permission::UseVendorPortal.label().to_owned()))?;
    Ok((scope.tenant, vendor))
}

/// The name an actor's entries in a vendor's history carry, as the other side reads them.
pub fn who(actor: &Actor) -> String {
    match actor {
        Actor::Staff(member) => member.name.clone(),
        Actor::ApiClient { name, .. } => format!("{name} (integration)"),
        other => other.label(),
    }
}

/// A page of the marketplace's vendors, newest first, narrowed by `filter`: a vendor's staff
/// or API client reads its own vendor alone.
pub async fn list(
    db: &sqlx::PgPool,
    actor: &Actor,
    filter: &VendorFilter,
    after: Option<&str>,
    limit: i64,
) -> Result<Page<VendorSummary>, Error> {
    let (tenant, only) = match actor.vendor() {
        Some(_) => own_vendor(actor).map(|(tenant, vendor)| (tenant, Some(vendor)))?,
        None => (actor.require(Permission::ViewVendors)?.tenant, None),
    };
    let after: Option<Uuid> = read_cursor("cursor", after)?;
    let search = filter.search.as_deref().map(str::trim).filter(|s| !s.is_empty());
    if let Some(words) = search {
        Error::refuse_nul("search", words)?;
    }
    let pattern = search.map(|s| format!("%{}%", s.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")));
    let limit = limit.clamp(1, 200);
    let mut tx = crate::db::tenant_tx(db, tenant).await?;
    let rows = sqlx::query!(
        r#"SELECT v.id, v.name, v.slug, v.status, v.contact_name, v.email, v.phone, v.city, v.state, v.created_at,
                  v.status_at,
                  (SELECT count(*) FROM products p WHERE p.tenant_id = v.tenant_id AND p.vendor_id = v.id) AS "products!"
             FROM vendors v
            WHERE v.tenant_id = $1 AND ($2::text IS NULL OR v.status = $2)
              AND ($3::text IS NULL OR v.name ILIKE $3 OR v.contact_name ILIKE $3 OR v.email ILIKE $3
                   OR v.phone ILIKE $3)
              AND ($4::uuid IS NULL OR v.id < $4)
              AND ($6::uuid IS NULL OR v.id = $6)
            ORDER BY v.id DESC
            LIMIT $5"#,
        tenant.0,
        filter.status.map(VendorStatus::code),
        pattern,
        after,
        limit + 1,
        only.map(|v| v.0),
    )
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    let rows = rows
        .into_iter()
        .map(|r| VendorSummary {
            id: VendorId(r.id),
            name: r.name,
            slug: r.slug,
            status: status_of(&r.status),
            contact_name: r.contact_name,
            email: r.email,
            phone: r.phone,
            city: r.city,
            state: r.state,
            products: r.products,
            created_at: r.created_at,
            status_at: r.status_at,
        })
        .collect();
    Ok(Page::from_extra(rows, limit, |v: &VendorSummary| v.id.0))
}

/// The marketplace's vendors by name (those not refused), for choosing one in a form.
pub async fn choices(db: &sqlx::PgPool, actor: &Actor) -> Result<Vec<crate::identity::VendorChoice>, Error> {
    let tenant = actor.require(Permission::ViewVendors)?.tenant;
    crate::db::in_tenant_tx(db, tenant, async |tx| {
        Ok(sqlx::query!(
            "SELECT id, name FROM vendors WHERE tenant_id = $1 AND status <> 'rejected' ORDER BY name, id",
            tenant.0
        )
        .fetch_all(&mut *tx)
        .await?
        .into_iter()
        .map(|r| crate::identity::VendorChoice { id: VendorId(r.id), name: r.name })
        .collect())
    })
    .await
}

/// One vendor, whole, with what the actor may do with it now.
pub async fn get(db: &sqlx::PgPool, actor: &Actor, vendor: VendorId) -> Result<Vendor, Error> {
    let (tenant, side) = side(actor, vendor, false)?;
    let mut tx = crate::db::tenant_tx(db, tenant).await?;
    let found = read(&mut tx, tenant, vendor, side, actor.can(Permission::ManageVendors)).await?;
    tx.commit().await?;
    Ok(found)
}

/// The step that reads a vendor whole, in the caller's transaction.
pub async fn read(
    tx: &mut sqlx::PgConnection,
    tenant: TenantId,
    vendor: VendorId,
    side: Side,
    manages: bool,
) -> Result<Vendor, Error> {
    let r = sqlx::query!(
        r#"SELECT v.id, v.name, v.slug, v.status, v.contact_name, v.email, v.phone, v.address, v.city, v.state,
                  v.description, v.cac_number, v.bank_code, v.bank_account_last4, v.bank_account_name,
                  v.bank_account_sealed IS NOT NULL AS "has_bank!", v.moderated, v.status_reason, v.created_at,
                  v.status_at,
                  (SELECT count(*) FROM products p WHERE p.tenant_id = v.tenant_id AND p.vendor_id = v.id) AS "products!"
             FROM vendors v WHERE v.tenant_id = $1 AND v.id = $2"#,
        tenant.0,
        vendor.0
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| Error::not_found("vendor"))?;
    let status = status_of(&r.status);
    let documents = sqlx::query!(
        "SELECT id, kind, file_name, content_type, size_bytes, uploaded_by, uploaded_at FROM vendor_documents
          WHERE tenant_id = $1 AND vendor_id = $2 ORDER BY uploaded_at, id",
        tenant.0,
        vendor.0
    )
    .fetch_all(&mut *tx)
    .await?
    .into_iter()
    .map(|d| VendorDocument {
        id: d.id,
        kind: DocumentKind::from_code(&d.kind).unwrap_or(DocumentKind::Other),
        file_name: d.file_name,
        content_type: d.content_type,
        size_bytes: d.size_bytes,
        uploaded_by: d.uploaded_by,
        uploaded_at: d.uploaded_at,
    })
    .collect();
    let events = sqlx::query!(
        "SELECT at, who, by_operator, from_status, to_status, note FROM vendor_events
          WHERE tenant_id = $1 AND vendor_id = $2 ORDER BY at, id",
        tenant.0,
        vendor.0
    )
    .fetch_all(&mut *tx)
    .await?
    .into_iter()
    .map(|e| VendorEvent {
        at: e.at,
        who: e.who,
        by_operator: e.by_operator,
        from_status: e.from_status.as_deref().and_then(VendorStatus::from_code),
        to_status: e.to_status.as_deref().and_then(VendorStatus::from_code),
        note: e.note,
    })
    .collect();
    let moves = match side {
        Side::Operator if manages => VendorStatus::ALL.into_iter().filter(|to| status.can_move(*to, true)).collect(),
        Side::Operator => Vec::new(),
        Side::Vendor => VendorStatus::ALL.into_iter().filter(|to| status.can_move(*to, false)).collect(),
    };
    let bank_account = r.has_bank.then(|| BankAccount {
        bank_name: bank::bank(&r.bank_code).map_or_else(|| r.bank_code.clone(), |b| b.name.to_owned()),
        bank_code: r.bank_code,
        last4: r.bank_account_last4,
        account_name: r.bank_account_name,
    });
    Ok(Vendor {
        summary: VendorSummary {
            id: VendorId(r.id),
            name: r.name,
            slug: r.slug,
            status,
            contact_name: r.contact_name,
            email: r.email,
            phone: r.phone,
            city: r.city,
            state: r.state,
            products: r.products,
            created_at: r.created_at,
            status_at: r.status_at,
        },
        address: r.address,
        description: r.description,
        cac_number: r.cac_number,
        bank_account,
        moderated: r.moderated,
        status_reason: r.status_reason,
        moves,
        documents,
        events,
    })
}

/// What a change to a vendor may carry; each part left out stays as it is. Pages send one part
/// at a time; a REST `PUT` may send several, made together or not at all.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VendorChange {
    /// New details.
    pub details: Option<VendorDetails>,
    /// A new standing, with the reason the vendor will read (required to ask for changes,
    /// reject or suspend).
    pub status: Option<VendorStatus>,
    /// The reason or message that goes with the new standing.
    #[serde(default)]
    pub reason: String,
    /// Whether its new and changed products wait for approval (the operator's to set).
    pub moderated: Option<bool>,
}

/// The page of the approved vendor `slug` on the storefront of the actor's business (a
/// visitor's, a shopper's); not found for any vendor not approved.
pub async fn seller(db: &sqlx::PgPool, actor: &Actor, slug: &str) -> Result<super::SellerPage, Error> {
    let tenant = actor.tenant().ok_or_else(|| Error::not_found("seller"))?;
    if slug.contains('\0') || slug.len() > 80 {
        return Err(Error::not_found("seller"));
    }
    crate::db::in_tenant_tx(db, tenant, async |tx| {
        let r = sqlx::query!(
            r#"SELECT v.id, v.name, v.slug, v.description, v.city, v.state, v.created_at,
                      (SELECT count(*) FROM products p WHERE p.tenant_id = v.tenant_id AND p.vendor_id = v.id AND p.on_sale)
                          AS "products!"
                 FROM vendors v WHERE v.tenant_id = $1 AND v.slug = $2 AND v.status = 'approved'"#,
            tenant.0,
            slug
        )
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| Error::not_found("seller"))?;
        Ok(super::SellerPage {
            id: VendorId(r.id),
            name: r.name,
            slug: r.slug,
            description: r.description,
            city: r.city,
            state: r.state,
            since: r.created_at,
            products: r.products,
        })
    })
    .await
}

/// Adds a vendor on the operator's side (one who applied by phone or in person); it waits for
/// review like any application.
pub async fn create(
    db: &sqlx::PgPool,
    actor: &Actor,
    keyring: Option<&Keyring>,
    details: &VendorDetails,
    bank_details: Option<&BankDetails>,
    once: Option<&Once>,
) -> Result<Vendor, Error> {
    let tenant = actor.require(Permission::ManageVendors)?.tenant;
    let mut problems = Vec::new();
    let checked = check_details(details).map_err(|e| problems.extend(e.owned_problems())).ok();
    let account =
        bank_details.map(|b| check_bank(b, keyring)).transpose().map_err(|e| problems.extend(e.owned_problems())).ok();
    Error::invalid_all(problems)?;
    let (Some(checked), Some(account)) = (checked, account) else { return Err(Error::Internal) };
    idempotency::run(db, tenant, once, async |tx| {
        marketplace_only(tx, tenant).await?;
        let vendor = insert(tx, tenant, &checked, account.as_ref()).await?;
        event(tx, tenant, vendor, &who(actor), true, None, Some(VendorStatus::Applied), "Added by the marketplace.")
            .await?;
        audit::record(
            tx,
            tenant,
            actor,
            Change {
                entity: "vendor",
                entity_id: vendor.0.to_string(),
                action: "create",
                before: None,
                after: Some(details_json(&checked)),
            },
        )
        .await?;
        read(tx, tenant, vendor, Side::Operator, true).await
    })
    .await
}

/// Changes a vendor: its details (either side), its standing (by the rule, each side its own
/// moves) and whether its products are moderated (the operator's). One transaction; refused
/// whole, naming each wrong field, when any part is wrong.
pub async fn change(
    db: &sqlx::PgPool,
    actor: &Actor,
    vendor: VendorId,
    change: &VendorChange,
    once: Option<&Once>,
) -> Result<Vendor, Error> {
    let operator_parts = change.moderated.is_some() || change.status.is_some_and(|s| s != VendorStatus::Applied);
    let (tenant, side) = side(actor, vendor, operator_parts || actor.vendor().is_none())?;
    if side == Side::Vendor && change.moderated.is_some() {
        return Err(Error::Forbidden("set how the marketplace moderates products".to_owned()));
    }
    if side == Side::Vendor && change.status.is_some_and(|s| s != VendorStatus::Applied) {
        return Err(Error::Forbidden("decide a vendor's standing: the marketplace does that".to_owned()));
    }
    let details = change.details.as_ref().map(check_details).transpose()?;
    let reason = change.reason.trim();
    Error::refuse_nul("reason", reason)?;
    if reason.chars().count() > 1000 {
        return Err(Error::invalid("reason", "at most 1,000 characters"));
    }
    idempotency::run(db, tenant, once, async |tx| {
        let before = read_for_update(tx, tenant, vendor).await?;
        let by_operator = side == Side::Operator;
        if let Some(details) = &details {
            update_details(tx, tenant, vendor, details).await?;
        }
        if let Some(moderated) = change.moderated {
            sqlx::query!(
                "UPDATE vendors SET moderated = $3 WHERE tenant_id = $1 AND id = $2",
                tenant.0,
                vendor.0,
                moderated
            )
            .execute(&mut *tx)
            .await?;
        }
        if let Some(to) = change.status.filter(|to| *to != before.status) {
            move_to(tx, tenant, actor, vendor, &before, to, reason, by_operator).await?;
        } else if change.status.is_none() && !reason.is_empty() {
            return Err(Error::invalid("reason", "a reason goes with a change of standing"));
        }
        let after = read(tx, tenant, vendor, side, actor.can(Permission::ManageVendors)).await?;
        audit::record(
            tx,
            tenant,
            actor,
            Change {
                entity: "vendor",
                entity_id: vendor.0.to_string(),
                action: "update",
                before: Some(
                    json!({"status": before.status.code(), "moderated": before.moderated, "name": before.name}),
                ),
                after: Some(json!({
                    "status": after.summary.status.code(), "moderated": after.moderated, "name": after.summary.name,
                    "reason": reason,
                })),
            },
        )
        .await?;
        Ok(after)
    })
    .await
}

/// Sets where a vendor's money is paid. The vendor's own owner may change it at any time; the
/// operator only sets it for a vendor that has none (a vendor added by the operator), never
/// changes one, so that nobody on the operator's side can send a vendor's money elsewhere.
/// The number is sealed with the keyring; only its last four digits are kept in the clear.
pub async fn set_bank_account(
    db: &sqlx::PgPool,
    actor: &Actor,
    keyring: Option<&Keyring>,
    vendor: VendorId,
    details: &BankDetails,
    once: Option<&Once>,
) -> Result<Vendor, Error> {
    let (tenant, side) = side(actor, vendor, true)?;
    let account = check_bank(details, keyring)?;
    idempotency::run(db, tenant, once, async |tx| {
        let before = read_for_update(tx, tenant, vendor).await?;
        match side {
            Side::Vendor if !owner_acts(tx, tenant, actor).await? => {
                return Err(Error::Forbidden("change the vendor's bank account: its owner does that".to_owned()));
            }
            Side::Operator if before.has_bank => {
                return Err(Error::conflict(
                    Clash::WrongState,
                    "The vendor has a bank account already; only the vendor's owner may change it.",
                ));
            }
            _ => {}
        }
        sqlx::query!(
            "UPDATE vendors SET bank_code = $3, bank_account_sealed = $4, bank_account_last4 = $5, bank_account_name = $6
              WHERE tenant_id = $1 AND id = $2",
            tenant.0,
            vendor.0,
            account.bank.code,
            account.sealed,
            account.last4,
            account.name,
        )
        .execute(&mut *tx)
        .await?;
        let note = format!("Bank account set: {} ····{} ({}).", account.bank.name, account.last4, account.name);
        event(tx, tenant, vendor, &who(actor), side == Side::Operator, None, None, &note).await?;
        audit::record(
            tx,
            tenant,
            actor,
            Change {
                entity: "vendor",
                entity_id: vendor.0.to_string(),
                action: "set bank account",
                before: before.has_bank.then(|| json!({"bank": before.bank_code, "last4": before.last4})),
                after: Some(json!({"bank": account.bank.code, "last4": account.last4, "name": account.name})),
            },
        )
        .await?;
        read(tx, tenant, vendor, side, actor.can(Permission::ManageVendors)).await
    })
    .await
}

/// Whether the actor is a vendor's owner, signed in (a vendor's API client is not: what only
/// the owner does is done in person).
pub(super) async fn owner_acts(tx: &mut sqlx::PgConnection, tenant: TenantId, actor: &Actor) -> Result<bool, Error> {
    let Actor::Staff(member) = actor else { return Ok(false) };
    crate::identity::owns_vendor(tx, tenant, member.user).await
}

/// A vendor's details, checked and tidied.
pub struct Checked {
    pub(super) name: String,
    pub(super) contact_name: String,
    pub(super) email: String,
    pub(super) phone: String,
    pub(super) address: String,
    pub(super) city: String,
    pub(super) state: String,
    pub(super) description: String,
    pub(super) cac_number: String,
}

impl Checked {
    /// The email the vendor is written to at.
    pub fn email(&self) -> &str {
        &self.email
    }

    /// The trading name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The details as a form would send them, tidied.
    pub fn as_details(&self) -> VendorDetails {
        VendorDetails {
            name: self.name.clone(),
            contact_name: self.contact_name.clone(),
            email: self.email.clone(),
            phone: self.phone.clone(),
            address: self.address.clone(),
            city: self.city.clone(),
            state: self.state.clone(),
            description: self.description.clone(),
            cac_number: self.cac_number.clone(),
        }
    }
}

/// The details checked, or every field that is wrong.
pub fn check_details(d: &VendorDetails) -> Result<Checked, Error> {
    let mut problems: Vec<(String, String)> = Vec::new();
    let mut text = |field: &str, value: &str, most: usize, required: bool| {
        let value = value.split_whitespace().collect::<Vec<_>>().join(" ");
        if value.contains('\0') {
            problems.push((field.to_owned(), crate::base::error::NUL_MESSAGE.to_owned()));
        } else if required && value.is_empty() {
            problems.push((field.to_owned(), "required".to_owned()));
        } else if value.chars().count() > most {
            problems.push((field.to_owned(), format!("at most {most} characters")));
        }
        value
    };
    let name = text("name", &d.name, 120, true);
    let contact_name = text("contact_name", &d.contact_name, 120, true);
    let address = text("address", &d.address, 200, false);
    let city = text("city", &d.city, 80, false);
    let description = d.description.trim().to_owned();
    if description.contains('\0') || description.chars().count() > 2000 {
        problems.push(("description".to_owned(), "at most 2,000 characters, without NUL".to_owned()));
    }
    let email = d.email.trim().to_lowercase();
    if email.contains('\0') || !crate::identity::login::email_is_plausible(&email) || email.len() > 254 {
        problems.push(("email".to_owned(), "enter an email address such as sales@slotphones.ng".to_owned()));
    }
    let phone = phone::nigerian_mobile(&d.phone).unwrap_or_default();
    if phone.is_empty() {
        problems.push(("phone".to_owned(), phone::NOT_A_MOBILE.to_owned()));
    }
    let state = crate::orders::address::state(&d.state).unwrap_or_default().to_owned();
    if state.is_empty() {
        problems.push(("state".to_owned(), "choose one of Nigeria's states or the FCT".to_owned()));
    }
    let cac_number: String =
        d.cac_number.chars().filter(|c| !c.is_whitespace() && *c != '-').collect::<String>().to_uppercase();
    if !cac_number.is_empty() && !is_cac_number(&cac_number) {
        problems.push((
            "cac_number".to_owned(),
            "a CAC number is RC, BN or IT and its digits, such as RC 1234567 or BN 3456789; leave it empty if not registered yet"
                .to_owned(),
        ));
    }
    Error::invalid_all(problems)?;
    Ok(Checked { name, contact_name, email, phone, address, city, state, description, cac_number })
}

/// Whether `text` (spaces and dashes taken out, in capitals) is a CAC registration number.
fn is_cac_number(text: &str) -> bool {
    ["LLP", "RC", "BN", "IT", "LP"].iter().any(|prefix| {
        text.strip_prefix(prefix)
            .is_some_and(|digits| (1..=9).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit()))
    })
}

/// A bank account checked and sealed.
pub struct SealedAccount {
    pub(super) bank: &'static Bank,
    pub(super) sealed: String,
    pub(super) last4: String,
    pub(super) name: String,
}

/// The account checked (the bank one of the list, the number a NUBAN at it, a name on it) and
/// its number sealed, or every field that is wrong.
pub fn check_bank(details: &BankDetails, keyring: Option<&Keyring>) -> Result<SealedAccount, Error> {
    let mut problems: Vec<(String, String)> = Vec::new();
    let chosen = bank::bank(details.bank_code.trim());
    let number = bank::plain_number(&details.account_number);
    match chosen {
        None => problems.push(("bank_code".to_owned(), "choose the bank from the list".to_owned())),
        Some(chosen) => {
            if let Some(problem) = bank::nuban_problem(chosen, &number) {
                problems.push(("account_number".to_owned(), problem.to_owned()));
            }
        }
    }
    if chosen.is_none() && (number.len() != 10 || !number.bytes().all(|b| b.is_ascii_digit())) {
        problems.push(("account_number".to_owned(), "an account number is 10 digits".to_owned()));
    }
    let name = details.account_name.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() || name.contains('\0') || name.chars().count() > 120 {
        problems.push(("account_name".to_owned(), "the name on the account, as the bank has it".to_owned()));
    }
    Error::invalid_all(problems)?;
    let bank = chosen.ok_or(Error::Internal)?;
    let keyring = keyring.ok_or_else(|| {
        Error::invalid("account_number", "this server cannot keep bank details yet: its SECRETS_KEYS is not set")
    })?;
    Ok(SealedAccount { bank, sealed: keyring.encrypt(number.as_bytes())?, last4: number[6..].to_owned(), name })
}

/// The step that refuses work on vendors in a business that runs no marketplace.
pub async fn marketplace_only(tx: &mut sqlx::PgConnection, tenant: TenantId) -> Result<(), Error> {
    let mode = sqlx::query_scalar!("SELECT mode FROM tenants WHERE id = $1", tenant.0).fetch_one(&mut *tx).await?;
    if mode == "svm" {
        return Err(Error::conflict(Clash::WrongState, "This business runs no marketplace, so it has no vendors."));
    }
    Ok(())
}

/// The step that writes a new vendor, waiting for review, under a web address of its own made
/// from its name.
pub async fn insert(
    tx: &mut sqlx::PgConnection,
    tenant: TenantId,
    d: &Checked,
    account: Option<&SealedAccount>,
) -> Result<VendorId, Error> {
    let vendor = VendorId(Uuid::now_v7());
    let slug = free_slug(tx, tenant, &d.name, vendor).await?;
    sqlx::query!(
        "INSERT INTO vendors (tenant_id, id, name, slug, status, contact_name, email, phone, address, city, state,
                              description, cac_number, bank_code, bank_account_sealed, bank_account_last4,
                              bank_account_name)
         VALUES ($1, $2, $3, $4, 'applied', $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
        tenant.0,
        vendor.0,
        d.name,
        slug,
        d.contact_name,
        d.email,
        d.phone,
        d.address,
        d.city,
        d.state,
        d.description,
        d.cac_number,
        account.map_or("", |a| a.bank.code),
        account.map(|a| a.sealed.as_str()),
        account.map_or("", |a| a.last4.as_str()),
        account.map_or("", |a| a.name.as_str()),
    )
    .execute(&mut *tx)
    .await
    .map_err(|e| crate::db::field_error(e, "vendors_name_unique", "name", "another vendor trades under this name"))?;
    Ok(vendor)
}

/// The step that writes one entry of a vendor's history.
#[expect(clippy::too_many_arguments, reason = "what the entry says")]
pub async fn event(
    tx: &mut sqlx::PgConnection,
    tenant: TenantId,
    vendor: VendorId,
    who: &str,
    by_operator: bool,
    from: Option<VendorStatus>,
    to: Option<VendorStatus>,
    note: &str,
) -> Result<(), Error> {
    sqlx::query!(
        "INSERT INTO vendor_events (tenant_id, id, vendor_id, who, by_operator, from_status, to_status, note)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        tenant.0,
        Uuid::now_v7(),
        vendor.0,
        who,
        by_operator,
        from.map(VendorStatus::code),
        to.map(VendorStatus::code),
        note,
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// A vendor's row as a change starts from, locked.
struct Before {
    name: String,
    email: String,
    status: VendorStatus,
    moderated: bool,
    has_bank: bool,
    bank_code: String,
    last4: String,
}

async fn read_for_update(tx: &mut sqlx::PgConnection, tenant: TenantId, vendor: VendorId) -> Result<Before, Error> {
    let r = sqlx::query!(
        r#"SELECT name, email, status, moderated, bank_account_sealed IS NOT NULL AS "has_bank!", bank_code,
                  bank_account_last4
             FROM vendors WHERE tenant_id = $1 AND id = $2 FOR UPDATE"#,
        tenant.0,
        vendor.0
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| Error::not_found("vendor"))?;
    Ok(Before {
        name: r.name,
        email: r.email,
        status: status_of(&r.status),
        moderated: r.moderated,
        has_bank: r.has_bank,
        bank_code: r.bank_code,
        last4: r.bank_account_last4,
    })
}

async fn update_details(
    tx: &mut sqlx::PgConnection,
    tenant: TenantId,
    vendor: VendorId,
    d: &Checked,
) -> Result<(), Error> {
    sqlx::query!(
        "UPDATE vendors SET name = $3, contact_name = $4, email = $5, phone = $6, address = $7, city = $8, state = $9,
                            description = $10, cac_number = $11
          WHERE tenant_id = $1 AND id = $2",
        tenant.0,
        vendor.0,
        d.name,
        d.contact_name,
        d.email,
        d.phone,
        d.address,
        d.city,
        d.state,
        d.description,
        d.cac_number,
    )
    .execute(&mut *tx)
    .await
    .map_err(|e| crate::db::field_error(e, "vendors_name_unique", "name", "another vendor trades under this name"))?;
    Ok(())
}

/// The step that moves a vendor to `to`, by the rule, with its history entry and a letter to the
/// vendor saying what happened and what to do.
#[expect(clippy::too_many_arguments, reason = "the move and who makes it")]
async fn move_to(
    tx: &mut sqlx::PgConnection,
    tenant: TenantId,
    actor: &Actor,
    vendor: VendorId,
    before: &Before,
    to: VendorStatus,
    reason: &str,
    by_operator: bool,
) -> Result<(), Error> {
    let from = before.status;
    if !from.can_move(to, by_operator) {
        return Err(Error::conflict(
            Clash::WrongState,
            format!("A vendor standing as “{}” cannot be moved to “{}”.", from.label(), to.label()),
        ));
    }
    if to.needs_reason() && reason.is_empty() {
        return Err(Error::invalid("reason", "say why: the vendor reads it"));
    }
    if to == VendorStatus::Approved && !before.has_bank {
        return Err(Error::conflict(
            Clash::WrongState,
            "The vendor has no bank account yet: it is paid there, so it needs one before it sells.",
        ));
    }
    sqlx::query!(
        "UPDATE vendors SET status = $3, status_reason = $4, status_at = now() WHERE tenant_id = $1 AND id = $2",
        tenant.0,
        vendor.0,
        to.code(),
        if to.needs_reason() { reason } else { "" },
    )
    .execute(&mut *tx)
    .await?;
    event(tx, tenant, vendor, &who(actor), by_operator, Some(from), Some(to), reason).await?;
    if by_operator && !before.email.is_empty() {
        let market =
            sqlx::query_scalar!("SELECT name FROM tenants WHERE id = $1", tenant.0).fetch_one(&mut *tx).await?;
        let (subject, body) = letter(&market, &before.name, from, to, reason);
        crate::identity::outbox::send_later(tx, tenant, &before.email, &subject, &body).await?;
    }
    Ok(())
}

/// What the vendor is told of a move the operator made.
fn letter(market: &str, vendor: &str, from: VendorStatus, to: VendorStatus, reason: &str) -> (String, String) {
    let why = if reason.is_empty() { String::new() } else { format!("\n\n{market} says: {reason}") };
    match (from, to) {
        (_, VendorStatus::ChangesRequested) => (
            format!("{market} asks for changes to your application"),
            format!(
                "{market} has looked at {vendor}'s application and asks for some changes.{why}\n\n\
                 Sign in to the vendor portal, make them, and send the application back for review."
            ),
        ),
        (VendorStatus::Suspended, VendorStatus::Approved) => (
            format!("{vendor} sells on {market} again"),
            format!("{vendor} is reinstated: its products are back on {market}.{why}"),
        ),
        (_, VendorStatus::Approved) => (
            format!("Welcome to {market}"),
            format!(
                "{vendor} is approved to sell on {market}. Sign in to the vendor portal to list your products.{why}"
            ),
        ),
        (_, VendorStatus::Rejected) => {
            (format!("Your application to {market}"), format!("{market} could not accept {vendor}'s application.{why}"))
        }
        (_, VendorStatus::Suspended) => (
            format!("{vendor} is suspended on {market}"),
            format!(
                "{vendor}'s products are off {market} for now. Orders already placed go on: fulfil them as usual.{why}"
            ),
        ),
        (_, VendorStatus::Applied) => (format!("{vendor}'s application"), format!("It is waiting for review.{why}")),
    }
}

/// The first of `name`'s web address, `…-2` to `…-9`, and one ending in part of the vendor's
/// id, that no vendor of the business has.
async fn free_slug(
    tx: &mut sqlx::PgConnection,
    tenant: TenantId,
    name: &str,
    vendor: VendorId,
) -> Result<String, Error> {
    let mut stem = crate::identity::web_address_from(name);
    stem.truncate(40);
    let stem =
        if stem.trim_end_matches('-').len() < 2 { "seller".to_owned() } else { stem.trim_end_matches('-').to_owned() };
    let mut tries: Vec<String> = std::iter::once(stem.clone()).chain((2..=9).map(|n| format!("{stem}-{n}"))).collect();
    tries.push(format!("{stem}-{}", &vendor.0.simple().to_string()[24..]));
    let taken: Vec<String> =
        sqlx::query_scalar!("SELECT slug FROM vendors WHERE tenant_id = $1 AND slug = ANY($2)", tenant.0, &tries)
            .fetch_all(&mut *tx)
            .await?;
    tries.into_iter().find(|t| !taken.contains(t)).ok_or(Error::Internal)
}

fn details_json(d: &Checked) -> serde_json::Value {
    json!({
        "name": d.name, "contact_name": d.contact_name, "email": d.email, "phone": d.phone, "city": d.city,
        "state": d.state, "cac_number": d.cac_number,
    })
}

/// A stored standing; one the schema does not allow cannot be read.
fn status_of(code: &str) -> VendorStatus {
    VendorStatus::from_code(code).unwrap_or(VendorStatus::Suspended)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn details() -> VendorDetails {
        VendorDetails {
            name: "  Slot   Phones Hub ".into(),
            contact_name: "Bola Adeyemi".into(),
            email: "Sales@SlotPhones.ng".into(),
            phone: "0803 123 4567".into(),
            state: "lagos".into(),
            cac_number: "rc 123-4567".into(),
            ..VendorDetails::default()
        }
    }

    #[test]
    fn details_are_tidied_into_one_form() {
        let checked = check_details(&details()).expect("accepted");
        assert_eq!(checked.name, "Slot Phones Hub");
        assert_eq!(checked.email, "sales@slotphones.ng");
        assert_eq!(checked.phone, "+2348031234567");
        assert_eq!(checked.state, "Lagos");
        assert_eq!(checked.cac_number, "RC1234567");
    }

    #[test]
    fn every_wrong_detail_is_named_at_once() {
        let wrong = VendorDetails {
            name: String::new(),
            contact_name: "Bola\0".into(),
            email: "not-an-email".into(),
            phone: "12345".into(),
            state: "Wakanda".into(),
            cac_number: "ABC123".into(),
            ..VendorDetails::default()
        };
        let error = check_details(&wrong).err().expect("refused");
        let mut fields: Vec<&str> = error.field_problems().into_iter().map(|(f, _)| f).collect();
        fields.sort_unstable();
        assert_eq!(fields, ["cac_number", "contact_name", "email", "name", "phone", "state"]);
    }

    #[test]
    fn a_bank_account_is_checked_before_it_is_sealed() {
        let keyring = Keyring::parse("k1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=").expect("key");
        let good = BankDetails {
            bank_code: "011".into(),
            account_number: "0000 014 579".into(),
            account_name: " Slot  Phones ".into(),
        };
        let sealed = check_bank(&good, Some(&keyring)).expect("accepted");
        assert_eq!((sealed.last4.as_str(), sealed.name.as_str()), ("4579", "Slot Phones"));
        assert!(!sealed.sealed.contains("0000014579"));
        assert_eq!(keyring.decrypt(&sealed.sealed).expect("opens"), b"0000014579");
        let wrong = BankDetails { account_number: "0000014578".into(), ..good.clone() };
        let fields: Vec<String> = check_bank(&wrong, Some(&keyring))
            .err()
            .expect("refused")
            .field_problems()
            .into_iter()
            .map(|(f, _)| f.to_owned())
            .collect();
        assert_eq!(fields, ["account_number"]);
        assert!(check_bank(&good, None).is_err(), "nothing is kept in the clear without a keyring");
    }
}
