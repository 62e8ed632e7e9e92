//! Paystack: its hosted checkout (card, bank transfer, USSD) for a business that keeps its
//! secret key here.
//!
//! A payment goes: [`begin`] asks Paystack to start a transaction for the order's pending
//! attempt (its reference is the attempt's) and answers where to send the shopper; Paystack
//! sends them back to the store, where [`verify_return`] asks Paystack how the transaction
//! ended; and Paystack also posts a webhook ([`webhook`]), signed with an HMAC-SHA512 of the
//! raw body under the secret key. The return and the webhook may come in either order, or
//! twice: both report through [`super::payment::settle_in`], which settles an attempt once and
//! flags an amount or currency that is not the order's.

use std::time::Duration;

use hmac::{Hmac, Mac};
use rust_decimal::Decimal;
use serde::Deserialize;
use sha2::Sha512;
use uuid::Uuid;

use super::payment::{self, Outcome, Report};
use super::work::Who;
use crate::base::{Actor, Permission, TenantId};
use crate::db::{in_tenant_tx, tenant_tx};
use crate::secrets::Keyring;
use crate::{Clash, Error};

/// Where Paystack's API is, and how long a call to it may take.
#[derive(Clone, Debug)]
pub struct Paystack {
    /// Its address, without a trailing slash (`https://api.paystack.co`; tests start their own).
    pub base_url: String,
}

impl Default for Paystack {
    fn default() -> Self {
        Self { base_url: "https://api.paystack.co".to_owned() }
    }
}

/// How long a call to Paystack may take before the shopper is told to try again.
const CALL_TIMEOUT: Duration = Duration::from_secs(20);

/// Keeps (or, with an empty key, forgets) the business's Paystack secret key, sealed with
/// `keyring`. Paystack is offered at checkout while a key is kept.
pub async fn set_secret(db: &sqlx::PgPool, actor: &Actor, keyring: Option<&Keyring>, key: &str) -> Result<(), Error> {
    let tenant = actor.require(Permission::ManagePaymentAccounts)?.tenant;
    let key = key.trim();
    let sealed = if key.is_empty() {
        None
    } else {
        let shape = (key.starts_with("sk_test_") || key.starts_with("sk_live_"))
            && key.len() <= 120
            && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !shape {
            return Err(Error::invalid("paystack_secret", "a Paystack secret key begins sk_live_ or sk_test_"));
        }
        let keyring = keyring.ok_or_else(|| {
            Error::invalid("paystack_secret", "this server cannot keep secrets yet: its SECRETS_KEYS is not set")
        })?;
        Some(keyring.encrypt(key.as_bytes())?)
    };
    in_tenant_tx(db, tenant, async |tx| {
        sqlx::query!("UPDATE tenants SET paystack_secret = $2 WHERE id = $1", tenant.0, sealed)
            .execute(&mut *tx)
            .await?;
        let change = crate::audit::Change {
            entity: "business",
            entity_id: tenant.0.to_string(),
            action: if sealed.is_some() { "paystack key kept" } else { "paystack key removed" },
            before: None,
            after: None,
        };
        crate::audit::record(tx, tenant, actor, change).await
    })
    .await
}

/// Starts the Paystack transaction for the order with this key's pending Paystack attempt:
/// where to send the shopper to pay. `return_to` is the store's page Paystack sends them back
/// to.
pub async fn begin(
    db: &sqlx::PgPool,
    actor: &Actor,
    keyring: Option<&Keyring>,
    paystack: &Paystack,
    view_key: Uuid,
    return_to: &str,
) -> Result<String, Error> {
    let tenant = actor.require(Permission::Buy)?.tenant;
    let mut tx = tenant_tx(db, tenant).await?;
    let attempt = sqlx::query!(
        "SELECT p.id, p.reference, p.amount, p.currency, p.status, o.contact_email, o.status AS order_status,
                t.paystack_secret
           FROM orders o
           JOIN payments p ON p.tenant_id = o.tenant_id AND p.order_id = o.id
           JOIN tenants t ON t.id = o.tenant_id
          WHERE o.tenant_id = $1 AND o.view_key = $2 AND p.method = 'paystack'
          ORDER BY p.created_at DESC, p.id DESC LIMIT 1",
        tenant.0,
        view_key
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| Error::not_found("payment"))?;
    if attempt.order_status != "awaiting_payment" || !matches!(attempt.status.as_str(), "pending" | "failed") {
        return Err(Error::conflict(Clash::WrongState, "This order is not waiting for a payment."));
    }
    // After a failed attempt the shopper tries again with a new one (Paystack never reuses a
    // reference).
    let (payment, reference) = if attempt.status == "failed" {
        let order = sqlx::query!(
            r#"SELECT id, number, (pay_by IS NULL OR pay_by > now()) AS "open!" FROM orders
                WHERE tenant_id = $1 AND view_key = $2 FOR UPDATE"#,
            tenant.0,
            view_key
        )
        .fetch_one(&mut *tx)
        .await?;
        if !order.open {
            return Err(Error::conflict(Clash::WrongState, "This order can no longer be paid; it was called off."));
        }
        let settings = super::selling::settings(&mut tx, tenant).await?;
        let id = payment::start(
            &mut tx,
            tenant,
            order.id,
            &settings,
            order.number,
            super::PaymentMethod::Paystack,
            attempt.amount,
        )
        .await?;
        let reference =
            sqlx::query_scalar!("SELECT reference FROM payments WHERE tenant_id = $1 AND id = $2", tenant.0, id)
                .fetch_one(&mut *tx)
                .await?;
        (id, reference)
    } else {
        (attempt.id, attempt.reference)
    };
    tx.commit().await?;
    let secret = secret_of(keyring, attempt.paystack_secret.as_deref())?;
    let kobo = minor_units(attempt.amount)?;
    let body = serde_json::json!({
        "email": attempt.contact_email.unwrap_or_default(),
        "amount": kobo.to_string(),
        "currency": attempt.currency,
        "reference": reference,
        "callback_url": return_to,
    });
    let answer = call(paystack, &secret, "POST", "/transaction/initialize", Some(body)).await?;
    let started: Started = serde_json::from_value(answer.clone()).map_err(|_| unreadable())?;
    if !started.status {
        tracing::warn!(message = started.message, "Paystack would not start a transaction");
        return Err(unavailable());
    }
    in_tenant_tx(db, tenant, async |tx| {
        sqlx::query!(
            "UPDATE payments SET answer = $3, updated_at = now() WHERE tenant_id = $1 AND id = $2 AND status = 'pending'",
            tenant.0,
            payment,
            answer
        )
        .execute(&mut *tx)
        .await?;
        Ok(())
    })
    .await?;
    Ok(started.data.authorization_url)
}

/// Asks Paystack how the transaction with this reference ended, when it sends the shopper
/// back to the page of the order with this key (the return address carries it: a reference
/// alone, which could be guessed, opens nothing), and settles the attempt by a finished
/// answer; a transaction still under way changes nothing.
pub async fn verify_return(
    db: &sqlx::PgPool,
    actor: &Actor,
    keyring: Option<&Keyring>,
    paystack: &Paystack,
    view_key: Uuid,
    reference: &str,
) -> Result<Outcome, Error> {
    let tenant = actor.require(Permission::Buy)?.tenant;
    Error::refuse_nul("reference", reference)?;
    let mut tx = tenant_tx(db, tenant).await?;
    let attempt = sqlx::query!(
        "SELECT p.id, t.paystack_secret
           FROM payments p
           JOIN orders o ON o.tenant_id = p.tenant_id AND o.id = p.order_id
           JOIN tenants t ON t.id = p.tenant_id
          WHERE p.tenant_id = $1 AND p.reference = $2 AND p.method = 'paystack' AND o.view_key = $3",
        tenant.0,
        reference,
        view_key
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| Error::not_found("payment"))?;
    tx.commit().await?;
    let secret = secret_of(keyring, attempt.paystack_secret.as_deref())?;
    // The reference is one of ours (it was found above): letters, digits and hyphens.
    let path = format!("/transaction/verify/{reference}");
    let answer = call(paystack, &secret, "GET", &path, None).await?;
    let Some(report) = report_of(&answer)? else { return Ok(Outcome::Waiting) };
    in_tenant_tx(db, tenant, async |tx| {
        payment::settle_in(tx, tenant, &gateway_actor(tenant), &Who::gateway("Paystack"), attempt.id, &report).await
    })
    .await
}

/// Paystack's webhook: `body` as it came and its `x-paystack-signature`. A signature that is
/// not the HMAC-SHA512 of the body under the business's secret key is `Unauthorized`, and
/// nothing changes. A charge's success or failure settles its attempt (once, whatever else
/// arrived first); other events are acknowledged and left alone.
pub async fn webhook(db: &sqlx::PgPool, keyring: Option<&Keyring>, body: &[u8], signature: &str) -> Result<(), Error> {
    let bad_signature = || Error::Unauthorized("The signature does not match.".into());
    let event: Event = serde_json::from_slice(body).map_err(|_| bad_signature())?;
    let found = sqlx::query!(
        r#"SELECT tenant_id AS "tenant_id!", payment_id AS "payment_id!", sealed_secret
             FROM payment_by_reference($1)"#,
        event.data.reference
    )
    .fetch_all(db)
    .await?;
    // An unknown reference is answered as a bad signature: nobody learns which references exist.
    let [found] = found.as_slice() else { return Err(bad_signature()) };
    let secret = secret_of(keyring, found.sealed_secret.as_deref()).map_err(|_| bad_signature())?;
    if !signed(&secret, body, signature) {
        return Err(bad_signature());
    }
    let success = match event.event.as_str() {
        "charge.success" => true,
        "charge.failed" => false,
        _ => return Ok(()),
    };
    let tenant = TenantId(found.tenant_id);
    let answer: serde_json::Value = serde_json::from_slice(body).map_err(|_| bad_signature())?;
    let report = Report {
        success,
        amount: Decimal::from(event.data.amount) / Decimal::ONE_HUNDRED,
        currency: event.data.currency,
        answer,
    };
    in_tenant_tx(db, tenant, async |tx| {
        payment::settle_in(tx, tenant, &gateway_actor(tenant), &Who::gateway("Paystack"), found.payment_id, &report)
            .await
    })
    .await?;
    Ok(())
}

/// Whether `signature` (hex) is the HMAC-SHA512 of `body` under `secret`, compared in
/// constant time.
pub fn signed(secret: &str, body: &[u8], signature: &str) -> bool {
    let Ok(expected) = hex_bytes(signature.trim()) else { return false };
    let Ok(mut mac) = Hmac::<Sha512>::new_from_slice(secret.as_bytes()) else { return false };
    mac.update(body);
    mac.verify_slice(&expected).is_ok()
}

/// The signature Paystack puts on `body`: for tests that play Paystack.
pub fn sign(secret: &str, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha512>::new_from_slice(secret.as_bytes()).unwrap_or_else(|_| unreachable!("any key length"));
    mac.update(body);
    mac.finalize().into_bytes().iter().fold(String::with_capacity(128), |mut hex, b| {
        use std::fmt::Write;
        let _ = write!(hex, "{b:02x}");
        hex
    })
}

fn hex_bytes(text: &str) -> Result<Vec<u8>, ()> {
    if !text.len().is_multiple_of(2) || text.len() > 256 {
        return Err(());
    }
    (0..text.len()).step_by(2).map(|i| u8::from_str_radix(text.get(i..i + 2).ok_or(())?, 16).map_err(|_| ())).collect()
}

/// Who reports for Paystack in the records (the stock it sells, the audit trail).
pub fn gateway_actor(tenant: TenantId) -> Actor {
    Actor::system(tenant, "Paystack")
}

/// The business's secret key, opened.
pub fn secret_of(keyring: Option<&Keyring>, sealed: Option<&str>) -> Result<String, Error> {
    let (Some(keyring), Some(sealed)) = (keyring, sealed) else {
        return Err(Error::conflict(Clash::WrongState, "This store does not take Paystack payments."));
    };
    String::from_utf8(keyring.decrypt(sealed)?).map_err(|_| Error::Internal)
}

/// An amount in kobo, as Paystack counts.
pub fn minor_units(amount: Decimal) -> Result<i64, Error> {
    let kobo = amount * Decimal::ONE_HUNDRED;
    if kobo.fract() != Decimal::ZERO {
        return Err(Error::Internal);
    }
    i64::try_from(kobo).map_err(|_| Error::Internal)
}

/// What Paystack says a verified transaction was: none while it is not finished (abandoned,
/// still under way), so that a shopper who comes back before paying can still pay.
fn report_of(answer: &serde_json::Value) -> Result<Option<Report>, Error> {
    let verified: Verified = serde_json::from_value(answer.clone()).map_err(|_| unreadable())?;
    let success = match (verified.status, verified.data.status.as_str()) {
        (true, "success") => true,
        (true, "failed" | "reversed") => false,
        _ => return Ok(None),
    };
    Ok(Some(Report {
        success,
        amount: Decimal::from(verified.data.amount) / Decimal::ONE_HUNDRED,
        currency: verified.data.currency,
        answer: answer.clone(),
    }))
}

/// One call to Paystack's API with the secret key, off the async threads (the client blocks).
pub async fn call(
    paystack: &Paystack,
    secret: &str,
    method: &'static str,
    path: &str,
    body: Option<serde_json::Value>,
) -> Result<serde_json::Value, Error> {
    let url = format!("{}{path}", paystack.base_url);
    let authorization = format!("Bearer {secret}");
    let answer = tokio::task::spawn_blocking(move || {
        let agent: ureq::Agent =
            ureq::Agent::config_builder().timeout_global(Some(CALL_TIMEOUT)).http_status_as_error(false).build().into();
        let response = match (method, body) {
            ("POST", Some(body)) => agent.post(&url).header("Authorization", &authorization).send_json(body),
            _ => agent.get(&url).header("Authorization", &authorization).call(),
        };
        let mut response = response.map_err(|error| {
            tracing::warn!(%error, "Paystack could not be reached");
            unavailable()
        })?;
        response.body_mut().read_json::<serde_json::Value>().map_err(|_| unreadable())
    })
    .await
    .map_err(|_| Error::Internal)??;
    Ok(answer)
}

fn unavailable() -> Error {
    Error::conflict(Clash::WrongState, "Paystack could not be reached just now; try again in a moment.")
}

fn unreadable() -> Error {
    tracing::warn!("Paystack answered something that could not be read");
    unavailable()
}

#[derive(Deserialize)]
struct Started {
    status: bool,
    #[serde(default)]
    message: String,
    data: StartedData,
}

#[derive(Deserialize)]
struct StartedData {
    authorization_url: String,
}

#[derive(Deserialize)]
struct Verified {
    status: bool,
    data: Charge,
}

#[derive(Deserialize)]
struct Charge {
    #[serde(default)]
    status: String,
    #[serde(default)]
    reference: String,
    amount: i64,
    currency: String,
}

#[derive(Deserialize)]
struct Event {
    event: String,
    data: Charge,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signature_is_the_hmac_of_the_exact_body() {
        let body = br#"{"event":"charge.success","data":{"reference":"OJA-1001-1","amount":650000,"currency":"NGN"}}"#;
        let signature = sign("sk_test_abc", body);
        assert_eq!(signature.len(), 128);
        assert!(signed("sk_test_abc", body, &signature));
        assert!(signed("sk_test_abc", body, &signature.to_uppercase()), "hex in either case");
        assert!(!signed("sk_test_abd", body, &signature), "another key");
        let mut changed = body.to_vec();
        changed[60] ^= 1;
        assert!(!signed("sk_test_abc", &changed, &signature), "a changed body");
        assert!(!signed("sk_test_abc", body, "not hex"));
        assert!(!signed("sk_test_abc", body, ""));
    }

    #[test]
    fn amounts_go_to_paystack_in_kobo() {
        assert_eq!(minor_units(Decimal::new(650_050, 2)).unwrap(), 650_050);
        assert!(minor_units(Decimal::new(1, 3)).is_err(), "never a fraction of a kobo");
    }
}
