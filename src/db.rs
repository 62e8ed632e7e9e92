//! Connecting to Postgres: the pools, the migrations and the grants that keep the application's
//! role from owning what it reads.

use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{ConnectOptions, PgPool, Postgres, Transaction};

use crate::Error;
use crate::base::TenantId;

/// Begins a transaction in which row-level security shows and accepts only this tenant's rows.
/// Every operation on tenant-owned data runs in one.
///
/// `BEGIN` and the setting travel in one round trip (a formatted UUID cannot carry anything but
/// itself), which keeps a tenant-scoped read close to a plain one.
pub async fn tenant_tx(db: &PgPool, tenant: TenantId) -> Result<Transaction<'static, Postgres>, Error> {
    let begin = format!("BEGIN; SET LOCAL app.tenant_id = '{}'", tenant.0.hyphenated());
    Ok(db.begin_with(begin).await?)
}

/// Runs `work` in a transaction of `tenant`'s and commits it when the work succeeds (a failure
/// rolls it back): a command that is only its steps.
pub async fn in_tenant_tx<T>(
    db: &PgPool,
    tenant: TenantId,
    work: impl AsyncFnOnce(&mut sqlx::PgConnection) -> Result<T, Error>,
) -> Result<T, Error> {
    let mut tx = tenant_tx(db, tenant).await?;
    let result = work(&mut tx).await?;
    tx.commit().await?;
    Ok(result)
}

/// Begins a transaction that acts for one person across businesses (their sessions, their
/// reset links): row-level security shows and accepts only rows of that person
/// (`app.user_id`), and of no business.
pub async fn person_tx(db: &PgPool, user: uuid::Uuid) -> Result<Transaction<'static, Postgres>, Error> {
    let begin = format!("BEGIN; SET LOCAL app.user_id = '{}'", user.hyphenated());
    Ok(db.begin_with(begin).await?)
}

/// Refuses a database role that row-level security would not bind (a superuser, a role that
/// bypasses it, or the tables' owner): isolation between businesses would silently be off.
pub async fn ensure_bound_by_row_security(db: &PgPool) -> Result<(), String> {
    let role = sqlx::query!(
        r#"SELECT current_user AS "name!", r.rolsuper AS "superuser!", r.rolbypassrls AS "bypasses!",
                  (SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tableowner = current_user) AS "owned!"
             FROM pg_roles r WHERE r.rolname = current_user"#
    )
    .fetch_one(db)
    .await
    .map_err(|e| format!("cannot check the database role: {e}"))?;
    let why = if role.superuser {
        "is a superuser"
    } else if role.bypasses {
        "has BYPASSRLS"
    } else if role.owned > 0 {
        "owns the tables"
    } else {
        return Ok(());
    };
    Err(format!(
        "refusing to start: the database role `{}` in DATABASE_URL {why}, so row-level security would not keep \
         businesses apart. Connect DATABASE_URL as a role that does not own the tables (an ordinary role: \
         CREATE ROLE commerce_app LOGIN) and set DATABASE_OWNER_URL to the owner's connection, which runs the \
         migrations and grants the application's role what it needs.",
        role.name
    ))
}

/// Maps a unique or check violation named `constraint` to a field error; other errors pass.
pub fn field_error(error: sqlx::Error, constraint: &str, field: &str, message: &str) -> Error {
    field_errors(error, &[(constraint, field, message)])
}

/// Maps the violation of any of the named constraints (constraint, field, message) to a field
/// error; other errors pass.
pub fn field_errors(error: sqlx::Error, known: &[(&str, &str, &str)]) -> Error {
    if let sqlx::Error::Database(db) = &error
        && let Some((_, field, message)) = known.iter().find(|(name, _, _)| db.constraint() == Some(*name))
    {
        return Error::invalid(*field, *message);
    }
    Error::from(error)
}

/// Where the database is and how many connections to keep.
#[derive(Clone, Debug)]
pub struct DbSettings {
    /// The application's connection string.
    pub url: String,
    /// A read replica for dashboards and reports, when there is one.
    pub read_url: Option<String>,
    /// Connections per pool.
    pub max_connections: u32,
    /// How long a request waits for a connection before it is told the database is unavailable.
    pub acquire_timeout: Duration,
}

/// The application's connection pools.
#[derive(Clone, Debug)]
pub struct Db {
    primary: PgPool,
    read: Option<PgPool>,
}

impl Db {
    /// Pools that connect on first use, so the server starts (and reports not ready) while the
    /// database is down, and recovers by itself when it returns.
    pub fn connect_lazy(settings: &DbSettings) -> Result<Self, Error> {
        let pool = |url: &str| -> Result<PgPool, Error> {
            let options: PgConnectOptions = url.parse().map_err(|error| {
                tracing::error!(%error, "unreadable database URL");
                Error::invalid("DATABASE_URL", "is not a valid postgres:// URL")
            })?;
            Ok(PgPoolOptions::new()
                .max_connections(settings.max_connections)
                .acquire_timeout(settings.acquire_timeout)
                .idle_timeout(Duration::from_mins(5))
                .connect_lazy_with(options.log_slow_statements(log::LevelFilter::Warn, Duration::from_millis(500))))
        };
        Ok(Self { primary: pool(&settings.url)?, read: settings.read_url.as_deref().map(pool).transpose()? })
    }

    /// Wraps one pool used for both reads and writes (tests, tools).
    pub fn from_pool(pool: PgPool) -> Self {
        Self { primary: pool, read: None }
    }

    /// The primary: every write, and reads that must see them.
    pub fn primary(&self) -> &PgPool {
        &self.primary
    }

    /// The replica when configured, else the primary: dashboards and reports.
    pub fn read(&self) -> &PgPool {
        self.read.as_ref().unwrap_or(&self.primary)
    }

    /// Answers whether the primary database responds, within the pool's acquire timeout.
    pub async fn ping(&self) -> Result<(), Error> {
        sqlx::query_scalar!("SELECT 1 AS \"one!\"").fetch_one(&self.primary).await?;
        Ok(())
    }

    /// Connection counts of the primary pool: (open, idle, maximum).
    pub fn pool_state(&self) -> (u32, u32, u32) {
        let idle = u32::try_from(self.primary.num_idle()).unwrap_or(u32::MAX);
        (self.primary.size(), idle, self.primary.options().get_max_connections())
    }
}

/// Applies pending migrations as the owner role and lets `app_role` (when it is another role)
/// read and write the tables without owning them, so row-level security binds it.
pub async fn migrate(owner_url: &str, app_role: Option<&str>) -> Result<(), Error> {
    let options: PgConnectOptions =
        owner_url.parse().map_err(|_| Error::invalid("DATABASE_OWNER_URL", "is not a valid postgres:// URL"))?;
    let pool =
        PgPoolOptions::new().max_connections(1).acquire_timeout(Duration::from_secs(10)).connect_with(options).await?;
    sqlx::migrate!("./migrations").run(&pool).await.map_err(|error| {
        tracing::error!(%error, "migration failed");
        Error::Internal
    })?;
    if let Some(role) = app_role {
        grant_to(&pool, role).await?;
    }
    pool.close().await;
    Ok(())
}

async fn grant_to(owner: &PgPool, role: &str) -> Result<(), Error> {
    let owner_role: String = sqlx::query_scalar!("SELECT current_user AS \"name!\"").fetch_one(owner).await?;
    if owner_role == role {
        return Ok(());
    }
    let role = format!("\"{}\"", role.replace('"', "\"\""));
    let mut tx = owner.begin().await?;
    for statement in [
        format!("GRANT USAGE ON SCHEMA public TO {role}"),
        format!("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}"),
        format!("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}"),
        format!("REVOKE ALL ON _sqlx_migrations FROM {role}"),
    ] {
        sqlx::raw_sql(&statement).execute(&mut *tx).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// A pool on the same database as `pool`, connected as `role` once that role has been granted
/// the application's rights: how tests act as the application's role, which row-level
/// security binds.
pub async fn pool_as_role(pool: &PgPool, role: &str) -> Result<PgPool, Error> {
    grant_to(pool, role).await?;
    let options = pool.connect_options().as_ref().clone().username(role);
    Ok(PgPoolOptions::new().max_connections(4).connect_with(options).await?)
}

/// The user name in a connection string, if it has one.
pub fn role_of(url: &str) -> Option<String> {
    let options: PgConnectOptions = url.parse().ok()?;
    Some(options.get_username().to_owned())
}
