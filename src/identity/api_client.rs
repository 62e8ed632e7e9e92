//! API clients: integrations a business lets into its data through the REST API, with OAuth 2.0
//! client credentials. The secret is shown once and stored as a hash; tokens last an hour and
//! carry the scopes the client was given (or fewer, when it asks for fewer).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::base::{ApiModule, ApiScope};

/// How long an access token lasts.
pub const TOKEN_SECONDS: i64 = 3600;

/// What a marketplace vendor's integration may be given: its products, its stock and its side
/// of the marketplace (its orders and money).
pub const VENDOR_MODULES: [ApiModule; 3] = [ApiModule::Products, ApiModule::Inventory, ApiModule::Marketplace];

/// An API client as the back office lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiClientView {
    /// Its id.
    pub id: Uuid,
    /// Its public client id (`sc1_…`).
    pub client_id: String,
    /// What the business calls it.
    pub name: String,
    /// What its tokens may touch.
    pub scopes: Vec<ApiScope>,
    /// When it was made.
    pub created_at: DateTime<Utc>,
    /// When a token was last issued to it.
    pub last_used_at: Option<DateTime<Utc>>,
    /// When it was revoked, if it was.
    pub revoked_at: Option<DateTime<Utc>>,
    /// The marketplace vendor it belongs to, by name, if a vendor's owner made it.
    #[serde(default)]
    pub vendor: Option<String>,
}

/// A client just made: the only time its secret is seen.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewClient {
    /// The public client id.
    pub client_id: String,
    /// The secret; stored only as a hash.
    pub client_secret: String,
}

/// A token just issued.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuedToken {
    /// The Bearer token.
    pub access_token: String,
    /// Seconds until it expires.
    pub expires_in: i64,
    /// The scopes it carries, space-separated.
    pub scope: String,
}

#[cfg(feature = "server")]
pub use server::{TokenCache, create, issue_token, list, resolve_token, revoke};

#[cfg(feature = "server")]
mod server {
    use std::collections::HashMap;
    use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
    use std::sync::{Arc, Mutex, PoisonError};
    use std::time::{Duration, Instant};

    use chrono::{DateTime, Utc};
    use serde_json::json;
    use uuid::Uuid;

    use super::super::token;
    use super::{ApiClientView, IssuedToken, NewClient, TOKEN_SECONDS, VENDOR_MODULES};
    use crate::Error;
    use crate::audit::{self, Change};
    use crate::base::{Actor, ApiScope, Permission, Shops, TenantId, VendorId};
    use crate::db::tenant_tx;
    use crate::idempotency::{self, Once};
    use crate::throttle::{self, Limit};

    /// Token requests for one client from one address, and from one address for any clients,
    /// each minute. Never per client alone: whoever knows a client id (it is not secret) could
    /// then lock the integration out from anywhere.
    const TOKEN_LIMIT: Limit = Limit { limit: 30, window_seconds: 60 };

    fn parse_scopes(texts: &[String]) -> Vec<ApiScope> {
        texts.iter().filter_map(|t| ApiScope::parse(t)).collect()
    }

    /// Who manages which clients: the business's owner every client of the business (a
    /// vendor's among them, to revoke), a vendor's staff member the clients of their vendor.
    /// Only a vendor's owner makes and revokes those (checked where it is done, in the
    /// transaction).
    fn managing(actor: &Actor) -> Result<(TenantId, Option<VendorId>), Error> {
        if actor.vendor().is_some() {
            let scope = actor.require(Permission::UseVendorPortal)?;
            let Actor::Staff(_) = actor else {
                return Err(Error::Forbidden(Permission::ManageApiClients.label().into()));
            };
            return Ok((scope.tenant, scope.vendor));
        }
        Ok((actor.require(Permission::ManageApiClients)?.tenant, None))
    }

    /// Refuses a vendor's staff member who does not own their vendor.
    async fn vendor_owner_only(tx: &mut sqlx::PgConnection, tenant: TenantId, actor: &Actor) -> Result<(), Error> {
        if actor.vendor().is_some() && !super::super::staff::owns_vendor(tx, tenant, actor.id()).await? {
            return Err(Error::Forbidden("manage the vendor's integrations: its owner does that".into()));
        }
        Ok(())
    }

    /// The business's API clients (a vendor's staff: their vendor's), newest first.
    pub async fn list(db: &sqlx::PgPool, actor: &Actor) -> Result<Vec<ApiClientView>, Error> {
        let (tenant, vendor) = managing(actor)?;
        let mut tx = tenant_tx(db, tenant).await?;
        let rows = sqlx::query!(
            "SELECT c.id, c.client_id, c.name, c.scopes, c.created_at, c.last_used_at, c.revoked_at,
                    v.name AS \"vendor?\"
               FROM api_clients c LEFT JOIN vendors v ON v.tenant_id = c.tenant_id AND v.id = c.vendor_id
              WHERE c.tenant_id = $1 AND ($2::uuid IS NULL OR c.vendor_id = $2)
              ORDER BY c.created_at DESC, c.id DESC",
            tenant.0,
            vendor.map(|v| v.0),
        )
        .fetch_all(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(rows
            .into_iter()
            .map(|r| ApiClientView {
                id: r.id,
                client_id: r.client_id,
                name: r.name,
                scopes: parse_scopes(&r.scopes),
                created_at: r.created_at,
                last_used_at: r.last_used_at,
                revoked_at: r.revoked_at,
                vendor: r.vendor,
            })
            .collect())
    }

    /// Makes an API client with these scopes; answers its id and secret, shown this once. With
    /// `once`, a second request with the same key makes no other client and answers `None`: the
    /// secret is kept only as a hash, and was shown to the first request. Made by a vendor's
    /// owner, the client is the vendor's, with scopes of its products, stock and marketplace
    /// side alone.
    pub async fn create(
        db: &sqlx::PgPool,
        actor: &Actor,
        name: &str,
        scopes: &[String],
        once: Option<&Once>,
    ) -> Result<Option<NewClient>, Error> {
        let (tenant, vendor) = managing(actor)?;
        let Actor::Staff(member) = actor else {
            return Err(Error::Forbidden(Permission::ManageApiClients.label().into()));
        };
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 120 {
            return Err(Error::invalid("name", "give the client a name of at most 120 characters"));
        }
        let mut parsed = Vec::new();
        for text in scopes {
            let scope =
                ApiScope::parse(text).ok_or_else(|| Error::invalid("scopes", format!("unknown scope {text}")))?;
            if vendor.is_some() && !VENDOR_MODULES.contains(&scope.module) {
                return Err(Error::invalid(
                    "scopes",
                    format!("{text}: a vendor's integration may reach its products, stock and marketplace alone"),
                ));
            }
            if !parsed.contains(&scope) {
                parsed.push(scope);
            }
        }
        if parsed.is_empty() {
            return Err(Error::invalid("scopes", "choose at least one scope"));
        }
        let secret = token::new_secret()?;
        let client_id = format!("sc1_{}", &token::new_secret()?.text[..24]);
        let id = Uuid::now_v7();
        let scope_texts: Vec<String> = parsed.iter().map(ToString::to_string).collect();
        let mut made = false;
        idempotency::run(db, tenant, once, async |tx| {
            vendor_owner_only(tx, tenant, actor).await?;
            sqlx::query!(
                "INSERT INTO api_clients (tenant_id, id, client_id, name, secret_hash, scopes, created_by, vendor_id)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                tenant.0,
                id,
                client_id,
                name,
                hex(&secret.hash),
                &scope_texts,
                member.user,
                vendor.map(|v| v.0),
            )
            .execute(&mut *tx)
            .await?;
            let change = Change {
                entity: "api client",
                entity_id: id.to_string(),
                action: "created",
                before: None,
                after: Some(json!({
                    "name": name, "client_id": client_id, "scopes": scope_texts, "vendor": vendor.map(|v| v.0),
                })),
            };
            audit::record(tx, tenant, actor, change).await?;
            made = true;
            Ok(id)
        })
        .await?;
        Ok(made.then_some(NewClient { client_id, client_secret: secret.text }))
    }

    /// Revokes a client: its tokens stop working at once. With `once`, a second request with the
    /// same key answers the first rather than finding the client gone. A vendor's owner revokes
    /// their vendor's clients alone; another's read as not found.
    pub async fn revoke(db: &sqlx::PgPool, actor: &Actor, id: Uuid, once: Option<&Once>) -> Result<(), Error> {
        let (tenant, vendor) = managing(actor)?;
        idempotency::run(db, tenant, once, async |tx| {
            vendor_owner_only(tx, tenant, actor).await?;
            let revoked = sqlx::query!(
                "UPDATE api_clients SET revoked_at = now()
                  WHERE tenant_id = $1 AND id = $2 AND revoked_at IS NULL AND ($3::uuid IS NULL OR vendor_id = $3)",
                tenant.0,
                id,
                vendor.map(|v| v.0),
            )
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if revoked == 0 {
                return Err(Error::not_found("API client"));
            }
            sqlx::query!("DELETE FROM api_tokens WHERE tenant_id = $1 AND client_id = $2", tenant.0, id)
                .execute(&mut *tx)
                .await?;
            let change = Change {
                entity: "api client",
                entity_id: id.to_string(),
                action: "revoked",
                before: None,
                after: None,
            };
            audit::record(tx, tenant, actor, change).await
        })
        .await
    }

    /// The OAuth 2.0 client-credentials grant: a token for a client that proves its secret.
    /// `requested` narrows the scopes (space-separated); asking for more than granted is refused.
    pub async fn issue_token(
        db: &sqlx::PgPool,
        client_id: &str,
        client_secret: &str,
        requested: Option<&str>,
        ip: &str,
    ) -> Result<IssuedToken, Error> {
        throttle::hit(
            db,
            &[
                (format!("token:client:{client_id}:address:{ip}"), TOKEN_LIMIT),
                (format!("token:address:{ip}"), TOKEN_LIMIT),
            ],
        )
        .await?;
        let refused = || Error::Unauthorized("The client id or secret is not right, or the client was revoked.".into());
        let client = sqlx::query!(
            r#"SELECT tenant_id AS "tenant_id!", id AS "id!", secret_hash AS "secret_hash!", scopes AS "scopes!", revoked_at,
                      tenant_status AS "tenant_status!"
                 FROM api_client_by_client_id($1)"#,
            client_id
        )
        .fetch_optional(db)
        .await?
        .ok_or_else(refused)?;
        let presented = hex(&token::hash(client_secret));
        if client.revoked_at.is_some() || !constant_time_eq(presented.as_bytes(), client.secret_hash.as_bytes()) {
            return Err(refused());
        }
        if client.tenant_status != "active" {
            return Err(Error::Forbidden("use the API while the business is suspended".into()));
        }
        let granted = parse_scopes(&client.scopes);
        let scopes = match requested.map(str::trim).filter(|r| !r.is_empty()) {
            None => granted,
            Some(text) => {
                let mut wanted = Vec::new();
                for part in text.split_whitespace() {
                    let scope = ApiScope::parse(part)
                        .ok_or_else(|| Error::invalid("scope", format!("unknown scope {part}")))?;
                    if !granted.iter().any(|g| g.covers(scope)) {
                        return Err(Error::invalid("scope", format!("this client was not given {part}")));
                    }
                    wanted.push(scope);
                }
                wanted
            }
        };
        let texts: Vec<String> = scopes.iter().map(ToString::to_string).collect();
        let secret = token::new_secret()?;
        let mut tx = tenant_tx(db, TenantId(client.tenant_id)).await?;
        sqlx::query!(
            "INSERT INTO api_tokens (token_hash, tenant_id, client_id, scopes, expires_at)
             VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5))",
            secret.hash,
            client.tenant_id,
            client.id,
            &texts,
            f64::from(u16::try_from(TOKEN_SECONDS).unwrap_or(3600)),
        )
        .execute(&mut *tx)
        .await?;
        sqlx::query!(
            "UPDATE api_clients SET last_used_at = now() WHERE tenant_id = $1 AND id = $2",
            client.tenant_id,
            client.id
        )
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(IssuedToken { access_token: secret.text, expires_in: TOKEN_SECONDS, scope: texts.join(" ") })
    }

    /// The API client a Bearer token belongs to, if the token is live.
    pub async fn resolve_token(db: &sqlx::PgPool, bearer: &str) -> Result<Option<Actor>, Error> {
        Ok(look_up(db, &token::hash(bearer)).await?.map(|(actor, _)| actor))
    }

    /// The actor a token's hash stands for, and when the token expires.
    async fn look_up(db: &sqlx::PgPool, hash: &[u8]) -> Result<Option<(Actor, DateTime<Utc>)>, Error> {
        let row = sqlx::query!(
            r#"SELECT tenant_id AS "tenant_id!", client_id AS "client_id!", client_name AS "client_name!",
                      scopes AS "scopes!", expires_at AS "expires_at!", vendor_id, places
                 FROM api_token_by_hash($1)"#,
            hash
        )
        .fetch_optional(db)
        .await?;
        Ok(row.map(|r| {
            let actor = Actor::ApiClient {
                tenant: TenantId(r.tenant_id),
                client: r.client_id,
                name: r.client_name,
                scopes: parse_scopes(&r.scopes),
                vendor: r.vendor_id.map(VendorId),
                shops: match r.vendor_id {
                    Some(_) => Shops::of_member(crate::base::Role::Vendor, r.places),
                    None => Shops::All,
                },
            };
            (actor, r.expires_at)
        }))
    }

    /// Resolved tokens kept in memory for a minute, so that an API request usually learns who is
    /// asking without a round trip to the database.
    ///
    /// A kept answer must never outlive the token: it is dropped at the token's end, and every
    /// instance forgets everything it kept when the database announces removed tokens (a
    /// revocation removes them in its transaction; `api_tokens` is notified when it commits).
    /// The cache is used only while [`TokenCache::follow`] is hearing those announcements: while
    /// it is not (never started, or the connection dropped) every request asks the database. A
    /// look-up that was under way when an announcement came does not keep its answer, since it
    /// may have read the token before the revocation committed.
    #[derive(Clone, Default)]
    pub struct TokenCache(Arc<Kept>);

    #[derive(Default)]
    struct Kept {
        entries: Mutex<HashMap<Vec<u8>, (Actor, Instant)>>,
        /// Moved on by every announcement, and whenever hearing them starts or stops.
        generation: AtomicU64,
        hearing: AtomicBool,
    }

    /// How long an answer is kept at most.
    const KEEP: Duration = Duration::from_mins(1);
    /// How many answers are kept at most; past that, new ones are not kept.
    const MOST_KEPT: usize = 10_000;

    impl TokenCache {
        /// [`resolve_token`], answered from memory when it can be.
        pub async fn resolve(&self, db: &sqlx::PgPool, bearer: &str) -> Result<Option<Actor>, Error> {
            let hash = token::hash(bearer);
            let generation = self.0.generation.load(Ordering::Acquire);
            let hearing = self.0.hearing.load(Ordering::Acquire);
            if hearing && let Some(actor) = self.kept(&hash) {
                return Ok(Some(actor));
            }
            let Some((actor, expires_at)) = look_up(db, &hash).await? else { return Ok(None) };
            if hearing {
                self.keep(hash, &actor, expires_at, generation);
            }
            Ok(Some(actor))
        }

        /// Whether answers are being kept (announcements are being heard).
        pub fn is_hearing(&self) -> bool {
            self.0.hearing.load(Ordering::Acquire)
        }

        /// Listens for announcements of removed tokens until the process ends, reconnecting
        /// after an outage; answers are kept only while it hears them.
        pub async fn follow(self, db: sqlx::PgPool) {
            loop {
                match sqlx::postgres::PgListener::connect_with(&db).await {
                    Ok(mut listener) => match listener.listen("api_tokens").await {
                        Ok(()) => {
                            self.forget(Some(true));
                            // `try_recv` answers none when the connection was lost: notices sent
                            // meanwhile are gone, so stop keeping answers until listening again.
                            while let Ok(Some(_)) = listener.try_recv().await {
                                self.forget(None);
                            }
                            self.forget(Some(false));
                            tracing::warn!("stopped hearing about removed API tokens; reconnecting");
                        }
                        Err(error) => tracing::warn!(%error, "cannot listen for removed API tokens"),
                    },
                    Err(error) => tracing::warn!(%error, "cannot connect to listen for removed API tokens"),
                }
                tokio::time::sleep(Duration::from_secs(2)).await;
            }
        }

        fn kept(&self, hash: &[u8]) -> Option<Actor> {
            let entries = self.0.entries.lock().unwrap_or_else(PoisonError::into_inner);
            entries.get(hash).filter(|(_, until)| *until > Instant::now()).map(|(actor, _)| actor.clone())
        }

        fn keep(&self, hash: Vec<u8>, actor: &Actor, expires_at: DateTime<Utc>, generation: u64) {
            let Ok(left) = (expires_at - Utc::now()).to_std() else { return };
            let until = Instant::now() + left.min(KEEP);
            let mut entries = self.0.entries.lock().unwrap_or_else(PoisonError::into_inner);
            // Under the lock, so an announcement cannot come between the check and the insert.
            if self.0.generation.load(Ordering::Acquire) != generation {
                return;
            }
            if entries.len() >= MOST_KEPT {
                let now = Instant::now();
                entries.retain(|_, (_, until)| *until > now);
                if entries.len() >= MOST_KEPT {
                    return;
                }
            }
            entries.insert(hash, (actor.clone(), until));
        }

        /// Forgets every kept answer, and sets whether answers may be kept from now on.
        fn forget(&self, hearing: Option<bool>) {
            let mut entries = self.0.entries.lock().unwrap_or_else(PoisonError::into_inner);
            self.0.generation.fetch_add(1, Ordering::AcqRel);
            if let Some(hearing) = hearing {
                self.0.hearing.store(hearing, Ordering::Release);
            }
            entries.clear();
        }
    }

    fn hex(bytes: &[u8]) -> String {
        use std::fmt::Write;
        bytes.iter().fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
    }

    /// Compares without stopping at the first difference, so timing tells nothing.
    fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
        a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
    }
}
