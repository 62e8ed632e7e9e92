//! Paying vendors by Paystack Transfers, from the marketplace's Paystack balance, with the
//! secret key the business keeps for its card payments.
//!
//! A payout goes: [`send`] marks it as sending (in a transaction of its own, so that a second
//! press finds it under way), makes the vendor's transfer recipient once (its sealed account
//! number opened for that call alone; the recipient's code is kept for the next payouts), then
//! asks for the transfer under the payout's own reference, which Paystack refuses to repeat.
//! Paystack answers later by the webhook ([`webhook`]): `transfer.success` pays it,
//! `transfer.failed` and `transfer.reversed` put its money back in the vendor's balance. Events
//! may come twice or late: each moves a payout only from where it may move from, so a replayed
//! event moves nothing.

use rust_decimal::Decimal;
use serde::Deserialize;
use uuid::Uuid;

use super::payouts::{audit_payout, read_in, settle_in};
use super::{Payout, PayoutStatus};
use crate::base::{Actor, Permission, TenantId};
use crate::db::{in_tenant_tx, tenant_tx};
use crate::orders::paystack::{self, Paystack};
use crate::secrets::Keyring;
use crate::{Clash, Error};

/// How long a payout sent with no answer waits before it may be sent again (Paystack refuses
/// the same reference twice, so sending again never pays twice).
const RESEND_AFTER_SECONDS: f64 = 120.0;

/// Sends a payout that was asked for by Paystack Transfers. Answers it as it then stands:
/// sending (Paystack's webhook settles it), or paid or failed when Paystack answered so at once.
/// A refusal from Paystack (its balance too low, an account it does not know) puts the payout
/// back as asked for and says why.
pub async fn send(
    db: &sqlx::PgPool,
    actor: &Actor,
    keyring: Option<&Keyring>,
    api: &Paystack,
    payout: Uuid,
) -> Result<Payout, Error> {
    let tenant = actor.require(Permission::ManageVendors)?.tenant;
    let start = in_tenant_tx(db, tenant, async |tx| begin(tx, tenant, actor, payout).await).await?;
    let secret = paystack::secret_of(keyring, start.secret.as_deref())?;
    let answered = transfer(api, keyring, &secret, &start).await;
    in_tenant_tx(db, tenant, async |tx| finish(tx, tenant, actor, &start, &answered).await).await?;
    match answered {
        Answer::Refused { message, .. } => {
            Err(Error::conflict(Clash::WrongState, format!("Paystack refused it: {message}")))
        }
        Answer::Unreachable(error) => Err(error),
        Answer::Started { .. } => {
            let mut tx = tenant_tx(db, tenant).await?;
            let now = read_in(&mut tx, tenant, payout).await?;
            tx.commit().await?;
            Ok(now)
        }
    }
}

/// What a payout's sending needs, read as it was marked sending.
struct Start {
    payout: Payout,
    secret: Option<String>,
    sealed_account: String,
    bank_code: String,
    account_name: String,
    recipient: String,
}

/// The step that marks a payout as sending, once: only one asked for, or one sent that
/// Paystack never answered, a while ago.
async fn begin(tx: &mut sqlx::PgConnection, tenant: TenantId, actor: &Actor, payout: Uuid) -> Result<Start, Error> {
    let before = read_in(tx, tenant, payout).await?;
    let row = sqlx::query!(
        r#"SELECT p.transfer_code, p.bank_code, p.account_name,
                  (p.sent_at IS NULL OR p.sent_at < now() - make_interval(secs => $3)) AS "quiet!",
                  v.bank_account_sealed, v.paystack_recipient, v.bank_code AS vendor_bank, t.paystack_secret
             FROM vendor_payouts p
             JOIN vendors v ON v.tenant_id = p.tenant_id AND v.id = p.vendor_id
             JOIN tenants t ON t.id = p.tenant_id
            WHERE p.tenant_id = $1 AND p.id = $2"#,
        tenant.0,
        payout,
        RESEND_AFTER_SECONDS
    )
    .fetch_one(&mut *tx)
    .await?;
    let may = match before.status {
        PayoutStatus::Requested => true,
        PayoutStatus::Sending => row.transfer_code.is_empty() && row.quiet,
        _ => false,
    };
    if !may {
        return Err(Error::conflict(
            Clash::WrongState,
            format!("This payout is {}; it cannot be sent now.", before.status.label().to_lowercase()),
        ));
    }
    let Some(sealed) = row.bank_account_sealed else {
        return Err(Error::conflict(Clash::WrongState, "The vendor has no bank account to send it to."));
    };
    // The account changed since the payout was made: its recipient is made again.
    let recipient = if row.vendor_bank == row.bank_code { row.paystack_recipient } else { String::new() };
    sqlx::query!(
        "UPDATE vendor_payouts SET status = 'sending', method = 'paystack', sent_at = now()
          WHERE tenant_id = $1 AND id = $2",
        tenant.0,
        payout
    )
    .execute(&mut *tx)
    .await?;
    let after = read_in(tx, tenant, payout).await?;
    audit_payout(tx, tenant, actor, &after, "send by paystack", Some(&before)).await?;
    Ok(Start {
        payout: after,
        secret: row.paystack_secret,
        sealed_account: sealed,
        bank_code: row.vendor_bank,
        account_name: row.account_name,
        recipient,
    })
}

/// What Paystack said to the transfer.
enum Answer {
    /// It took it: its transfer code, its state (`pending`, `success`, `failed`, …), and the
    /// recipient made for it (when one was).
    Started { code: String, state: String, new_recipient: Option<String> },
    /// It refused, saying why (the recipient made before it refused is kept all the same).
    Refused { message: String, new_recipient: Option<String> },
    /// It could not be reached or answered nothing readable.
    Unreachable(Error),
}

async fn transfer(api: &Paystack, keyring: Option<&Keyring>, secret: &str, start: &Start) -> Answer {
    let mut new_recipient = None;
    let recipient = if start.recipient.is_empty() {
        let Some(keyring) = keyring else { return Answer::Unreachable(Error::Internal) };
        let Ok(Ok(number)) = keyring.decrypt(&start.sealed_account).map(String::from_utf8) else {
            return Answer::Unreachable(Error::Internal);
        };
        let body = serde_json::json!({
            "type": "nuban", "name": start.account_name, "account_number": number,
            "bank_code": start.bank_code, "currency": start.payout.amount.currency.code(),
        });
        match paystack::call(api, secret, "POST", "/transferrecipient", Some(body)).await {
            Ok(answer) => match serde_json::from_value::<Answered<Recipient>>(answer) {
                Ok(Answered { status: true, data: Some(data), .. }) => {
                    new_recipient = Some(data.recipient_code.clone());
                    data.recipient_code
                }
                Ok(Answered { message, .. }) => return Answer::Refused { message, new_recipient: None },
                Err(_) => return Answer::Unreachable(unreadable()),
            },
            Err(error) => return Answer::Unreachable(error),
        }
    } else {
        start.recipient.clone()
    };
    let Ok(kobo) = paystack::minor_units(start.payout.amount.amount) else {
        return Answer::Unreachable(Error::Internal);
    };
    let body = serde_json::json!({
        "source": "balance", "amount": kobo, "recipient": recipient, "reference": start.payout.reference,
        "reason": format!("Payout {}", start.payout.reference), "currency": start.payout.amount.currency.code(),
    });
    match paystack::call(api, secret, "POST", "/transfer", Some(body)).await {
        Ok(answer) => match serde_json::from_value::<Answered<Transfer>>(answer) {
            Ok(Answered { status: true, data: Some(data), .. }) => {
                Answer::Started { code: data.transfer_code, state: data.status, new_recipient }
            }
            Ok(Answered { message, .. }) => Answer::Refused { message, new_recipient },
            Err(_) => Answer::Unreachable(unreadable()),
        },
        Err(error) => Answer::Unreachable(error),
    }
}

fn unreadable() -> Error {
    tracing::warn!("Paystack answered a transfer with something that could not be read");
    Error::conflict(Clash::WrongState, "Paystack could not be reached just now; try again in a moment.")
}

/// The step that records what Paystack answered: the recipient kept, the transfer's code, and
/// the payout paid or failed when Paystack said so at once; back to asked for when refused.
/// Unreachable leaves it sending (it may yet have gone; sending again is safe after a while).
async fn finish(
    tx: &mut sqlx::PgConnection,
    tenant: TenantId,
    actor: &Actor,
    start: &Start,
    answer: &Answer,
) -> Result<(), Error> {
    let payout = read_in(tx, tenant, start.payout.id).await?;
    if let Answer::Started { new_recipient: Some(recipient), .. }
    | Answer::Refused { new_recipient: Some(recipient), .. } = answer
    {
        sqlx::query!(
            "UPDATE vendors SET paystack_recipient = $3 WHERE tenant_id = $1 AND id = $2",
            tenant.0,
            payout.vendor.0,
            recipient
        )
        .execute(&mut *tx)
        .await?;
    }
    match answer {
        Answer::Started { code, state, .. } => {
            sqlx::query!(
                "UPDATE vendor_payouts SET transfer_code = $3 WHERE tenant_id = $1 AND id = $2",
                tenant.0,
                payout.id,
                code.chars().take(120).collect::<String>()
            )
            .execute(&mut *tx)
            .await?;
            let reported = Event { event: format!("transfer.{state}"), data: EventData::default() };
            apply(tx, tenant, &payout, &reported, "Paystack").await?;
        }
        Answer::Refused { message, .. } => {
            if payout.status == PayoutStatus::Sending {
                let reason: String = format!("Paystack refused it: {message}").chars().take(500).collect();
                sqlx::query!(
                    "UPDATE vendor_payouts SET status = 'requested', method = NULL, sent_at = NULL, reason = $3
                      WHERE tenant_id = $1 AND id = $2",
                    tenant.0,
                    payout.id,
                    reason
                )
                .execute(&mut *tx)
                .await?;
                let after = read_in(tx, tenant, payout.id).await?;
                audit_payout(tx, tenant, actor, &after, "refused by paystack", Some(&payout)).await?;
            }
        }
        Answer::Unreachable(_) => {}
    }
    Ok(())
}

/// Moves a payout by a transfer event, from where it may move alone: success pays one sending;
/// failure ends one sending, reversal one sending or paid, both with its money back. Anything
/// else (a replay, an event after the end) changes nothing.
async fn apply(
    tx: &mut sqlx::PgConnection,
    tenant: TenantId,
    payout: &Payout,
    event: &Event,
    by: &str,
) -> Result<bool, Error> {
    let reason = event.data.reason.clone().unwrap_or_default();
    let reason: String = reason.chars().take(400).collect();
    let to = match (event.event.as_str(), payout.status) {
        ("transfer.success", PayoutStatus::Sending) => PayoutStatus::Paid,
        ("transfer.failed", PayoutStatus::Sending) => PayoutStatus::Failed,
        ("transfer.reversed", PayoutStatus::Sending | PayoutStatus::Paid) => PayoutStatus::Reversed,
        _ => return Ok(false),
    };
    let after = settle_in(tx, tenant, payout, to, &reason, by).await?;
    audit_payout(tx, tenant, &paystack::gateway_actor(tenant), &after, "paystack event", Some(payout)).await?;
    Ok(true)
}

/// Paystack's transfer events, from its webhook: `body` as it came and its
/// `x-paystack-signature`. A signature that is not the HMAC-SHA512 of the body under the
/// business's key, or a reference that names no payout, is `Unauthorized` and changes nothing.
pub async fn webhook(db: &sqlx::PgPool, keyring: Option<&Keyring>, body: &[u8], signature: &str) -> Result<(), Error> {
    let bad_signature = || Error::Unauthorized("The signature does not match.".into());
    let event: Event = serde_json::from_slice(body).map_err(|_| bad_signature())?;
    let reference = event.data.reference.clone().unwrap_or_default();
    let found = sqlx::query!(
        r#"SELECT tenant_id AS "tenant_id!", payout_id AS "payout_id!", sealed_secret FROM payout_by_reference($1)"#,
        reference
    )
    .fetch_all(db)
    .await?;
    let [found] = found.as_slice() else { return Err(bad_signature()) };
    let secret = paystack::secret_of(keyring, found.sealed_secret.as_deref()).map_err(|_| bad_signature())?;
    if !paystack::signed(&secret, body, signature) {
        return Err(bad_signature());
    }
    let tenant = TenantId(found.tenant_id);
    in_tenant_tx(db, tenant, async |tx| {
        let payout = read_in(tx, tenant, found.payout_id).await?;
        // An event for another amount is not this payout's: kept out, and said so in the log.
        if let Some(kobo) = event.data.amount
            && Decimal::from(kobo) != payout.amount.amount * Decimal::ONE_HUNDRED
        {
            tracing::warn!(payout = %payout.id, "a transfer event names another amount; left alone");
            return Ok(false);
        }
        apply(tx, tenant, &payout, &event, "Paystack").await
    })
    .await?;
    Ok(())
}

/// Whether a Paystack event is about transfers (the webhook's one address carries every kind).
pub fn is_transfer_event(body: &[u8]) -> bool {
    serde_json::from_slice::<Event>(body).is_ok_and(|e| e.event.starts_with("transfer."))
}

#[derive(Deserialize)]
struct Answered<T> {
    status: bool,
    #[serde(default)]
    message: String,
    data: Option<T>,
}

#[derive(Deserialize)]
struct Recipient {
    recipient_code: String,
}

#[derive(Deserialize)]
struct Transfer {
    transfer_code: String,
    status: String,
}

#[derive(Deserialize)]
struct Event {
    event: String,
    #[serde(default)]
    data: EventData,
}

#[derive(Default, Deserialize)]
struct EventData {
    reference: Option<String>,
    amount: Option<i64>,
    reason: Option<String>,
}
