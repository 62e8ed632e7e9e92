use commerce::audit::AuditPage;
use commerce::identity::session::SessionView;
use leptos::prelude::*;
use uuid::Uuid;

use crate::AppError;

/// The signed-in person's live sessions.
#[server(prefix = "/rpc", endpoint = "load_sessions")]
pub async fn load_sessions() -> Result<Vec<SessionView>, AppError> {
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    let current = crate::session::session_id().unwrap_or_default();
    Ok(commerce::identity::account::sessions(db.primary(), &actor, current).await?)
}

/// Ends one of the signed-in person's sessions.
#[server(prefix = "/rpc", endpoint = "end_session")]
pub async fn end_session(session: Uuid) -> Result<(), AppError> {
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    Ok(commerce::identity::account::end_session(db.primary(), &actor, session).await?)
}

/// Changes the signed-in person's password; their other sessions end. The one-time key's
/// fingerprint leaves the passwords out: it is kept, and a password is kept only as its hash.
#[server(prefix = "/rpc", endpoint = "change_password")]
pub async fn change_password(
    current_password: String,
    new_password: String,
    #[server(default)] submission: String,
) -> Result<(), AppError> {
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    let once = super::submission(&actor, &submission, "change_password", &[])?;
    let current = crate::session::session_id().unwrap_or_default();
    let ip = crate::session::client().ip;
    Ok(commerce::identity::account::change_password(
        db.primary(),
        &actor,
        current,
        &current_password,
        &new_password,
        &ip,
        once.as_ref(),
    )
    .await?)
}

/// One page of the audit trail, filtered, and the cursor of the next; dates are `YYYY-MM-DD`,
/// days on the business's clock.
#[server(prefix = "/rpc", endpoint = "load_audit")]
pub async fn load_audit(
    person: Option<String>,
    entity: Option<String>,
    from: Option<String>,
    until: Option<String>,
    after: Option<String>,
) -> Result<(AuditPage, Option<String>), AppError> {
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    let filter = commerce::audit::AuditFilter {
        actor: parse_id(person.as_deref(), "person")?,
        entity: entity.filter(|e| !e.is_empty()),
        from: parse_day(from.as_deref(), "from", 0, &actor.zone())?,
        until: parse_day(until.as_deref(), "until", 1, &actor.zone())?,
        after: super::after(after.as_deref()),
        limit: None,
    };
    let page = commerce::audit::list(db.read(), &actor, &filter).await?;
    let next = page.next.as_ref().map(commerce::base::page::cursor_after);
    Ok((page, next))
}

/// The kinds of record the audit trail mentions.
#[server(prefix = "/rpc", endpoint = "load_audit_entities")]
pub async fn load_audit_entities() -> Result<Vec<String>, AppError> {
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    Ok(commerce::audit::entities(db.read(), &actor).await?)
}

#[cfg(feature = "ssr")]
fn parse_id(text: Option<&str>, field: &str) -> Result<Option<Uuid>, commerce::Error> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(None),
        Some(t) => t.parse().map(Some).map_err(|_| commerce::Error::invalid(field, "is not a valid id")),
    }
}

/// A `YYYY-MM-DD` day as the instant it starts in `zone`, `days_later` days on.
#[cfg(feature = "ssr")]
pub(super) fn parse_day(
    text: Option<&str>,
    field: &str,
    days_later: i64,
    zone: &commerce::base::Zone,
) -> Result<Option<chrono::DateTime<chrono::Utc>>, commerce::Error> {
    let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else { return Ok(None) };
    let day = chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| commerce::Error::invalid(field, "use a date such as 2026-11-25"))?;
    Ok(Some(zone.start_of(day + chrono::Duration::days(days_later))))
}
