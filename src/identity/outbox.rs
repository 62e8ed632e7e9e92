//! The notification outbox: the business's record of what it sent people (invitations), written
//! in the transaction that causes them, and listed in the back office. It never keeps a live
//! link: owners and managers read it. Letters that carry one go to their recipient alone,
//! through [`crate::mail`].

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[cfg(feature = "server")]
use crate::Error;
#[cfg(feature = "server")]
use crate::base::{Actor, Permission, TenantId};

/// A message as the outbox page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    /// Its id.
    pub id: Uuid,
    /// Who it is for.
    pub recipient: String,
    /// Its subject line.
    pub subject: String,
    /// Its text.
    pub body: String,
    /// When it was written.
    pub created_at: DateTime<Utc>,
    /// When a mail server took it, if one has.
    pub sent_at: Option<DateTime<Utc>>,
}

/// Records, inside the transaction that causes it, an email sent to its recipient another way
/// (an invitation's link goes to them alone): kept for the business to read, never sent again.
#[cfg(feature = "server")]
pub async fn queue(
    tx: &mut sqlx::PgConnection,
    tenant: TenantId,
    recipient: &str,
    subject: &str,
    body: &str,
) -> Result<(), Error> {
    write(tx, tenant, recipient, subject, body, false).await
}

/// Queues, inside the transaction that causes it, an email the worker delivers to its
/// recipient through the mail relay (an order's news), once.
#[cfg(feature = "server")]
pub async fn send_later(
    tx: &mut sqlx::PgConnection,
    tenant: TenantId,
    recipient: &str,
    subject: &str,
    body: &str,
) -> Result<(), Error> {
    write(tx, tenant, recipient, subject, body, true).await
}

#[cfg(feature = "server")]
async fn write(
    tx: &mut sqlx::PgConnection,
    tenant: TenantId,
    recipient: &str,
    subject: &str,
    body: &str,
    deliver: bool,
) -> Result<(), Error> {
    sqlx::query!(
        "INSERT INTO notifications (tenant_id, id, recipient, subject, body, deliver) VALUES ($1, $2, $3, $4, $5, $6)",
        tenant.0,
        Uuid::now_v7(),
        recipient,
        subject,
        body,
        deliver
    )
    .execute(tx)
    .await?;
    tracing::info!(to = recipient, subject, "message queued in the outbox");
    Ok(())
}

/// The business's most recent messages, newest first.
#[cfg(feature = "server")]
pub async fn recent(db: &sqlx::PgPool, actor: &Actor) -> Result<Vec<Message>, Error> {
    let tenant = actor.require(Permission::ViewOutbox)?.tenant;
    let mut tx = crate::db::tenant_tx(db, tenant).await?;
    let messages = sqlx::query_as!(
        Message,
        "SELECT id, recipient, subject, body, created_at, sent_at
           FROM notifications WHERE tenant_id = $1 ORDER BY created_at DESC, id DESC LIMIT 100",
        tenant.0
    )
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(messages)
}

/// Delivers messages waiting in every business's outbox through `mail`, up to `limit` at a
/// time (the worker's job), when it reaches people; a message that could not be sent is tried
/// again after five minutes. Answers how many were sent.
#[cfg(feature = "server")]
pub async fn deliver(db: &sqlx::PgPool, mail: &crate::mail::Mail, limit: i32) -> Result<usize, Error> {
    if !mail.delivers() {
        // Without a relay they stay on the sent-messages page, marked waiting.
        return Ok(0);
    }
    let due = sqlx::query!(
        r#"SELECT tenant_id AS "tenant_id!", id AS "id!", recipient AS "recipient!", subject AS "subject!", body AS "body!"
             FROM claim_unsent_notifications($1)"#,
        limit
    )
    .fetch_all(db)
    .await?;
    let mut sent = 0;
    for message in due {
        let letter = crate::mail::Letter { to: message.recipient, subject: message.subject, body: message.body };
        match mail.send(letter).await {
            Ok(()) => {
                sqlx::query!("SELECT mark_notification_sent($1, $2)", message.tenant_id, message.id)
                    .execute(db)
                    .await?;
                sent += 1;
            }
            Err(error) => tracing::warn!(%error, "a message of the outbox could not be sent; it is tried again later"),
        }
    }
    Ok(sent)
}
