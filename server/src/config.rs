//! Typed configuration, read once at start-up from flags and environment variables.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};
use commerce::db::DbSettings;

/// The command line.
#[derive(Debug, Parser)]
#[command(
    name = "server",
    version,
    about = "SC-1 Commerce Suite: back office, storefront, vendor portal, POS and REST API"
)]
pub struct Cli {
    #[command(flatten)]
    pub log: LogSettings,
    #[command(subcommand)]
    pub command: Command,
}

/// What the binary does.
#[derive(Debug, Subcommand)]
#[expect(clippy::large_enum_variant, reason = "parsed once at start-up; its size costs nothing")]
pub enum Command {
    /// Apply pending migrations, then serve pages, API and static files until stopped.
    Serve(ServeSettings),
    /// Apply pending database migrations and exit.
    Migrate(DatabaseSettings),
    /// Load the demo businesses (each part only once) and exit.
    Seed(SeedSettings),
}

/// How to log.
#[derive(Debug, Args)]
pub struct LogSettings {
    /// Which messages to keep, as a tracing filter (`info`, `warn,server=debug`).
    #[arg(long, env = "LOG_LEVEL", default_value = "info,sqlx::postgres::notice=warn", global = true)]
    pub log_level: String,
    /// Human-readable lines, or one JSON object per line for log collectors.
    #[arg(long, env = "LOG_FORMAT", value_enum, default_value_t = LogFormat::Text, global = true)]
    pub log_format: LogFormat,
}

/// The shape of log lines.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// One readable line per event.
    Text,
    /// One JSON object per event.
    Json,
}

/// Where the database is.
#[derive(Clone, Debug, Args)]
pub struct DatabaseSettings {
    /// The application's connection (a role that does not own the tables).
    #[arg(long, env = "DATABASE_URL", hide_env_values = true)]
    pub database_url: String,
    /// The role that owns the tables and runs migrations; defaults to `DATABASE_URL`.
    #[arg(long, env = "DATABASE_OWNER_URL", hide_env_values = true)]
    pub database_owner_url: Option<String>,
    /// A read replica for dashboards and reports.
    #[arg(long, env = "DATABASE_READ_URL", hide_env_values = true)]
    pub database_read_url: Option<String>,
    /// Connections per pool; defaults to four per processor core (at least 4, at most 32).
    #[arg(long, env = "DATABASE_MAX_CONNECTIONS")]
    pub database_max_connections: Option<u32>,
    /// Seconds a request waits for a connection before it reports the database unavailable.
    #[arg(long, env = "DATABASE_ACQUIRE_TIMEOUT", default_value_t = 3)]
    pub database_acquire_timeout: u64,
}

impl DatabaseSettings {
    /// The settings of the application's pools.
    pub fn pools(&self) -> DbSettings {
        let cores = std::thread::available_parallelism().map_or(2, |n| u32::try_from(n.get()).unwrap_or(2));
        DbSettings {
            url: self.database_url.clone(),
            read_url: self.database_read_url.clone(),
            max_connections: self.database_max_connections.unwrap_or((cores * 4).clamp(4, 32)),
            acquire_timeout: Duration::from_secs(self.database_acquire_timeout.max(1)),
        }
    }

    /// The connection that migrates and seeds.
    pub fn owner_url(&self) -> &str {
        self.database_owner_url.as_deref().unwrap_or(&self.database_url)
    }
}

/// Where uploaded files (product pictures) are kept.
#[derive(Clone, Debug, Args)]
pub struct MediaSettings {
    /// The folder kept files go in (made when the first is kept).
    #[arg(long, env = "MEDIA_DIR", default_value = ".data/media")]
    pub media_dir: PathBuf,
}

impl MediaSettings {
    /// The store these settings describe.
    pub fn store(&self) -> commerce::media::Media {
        std::sync::Arc::new(commerce::media::DiskStore::new(&self.media_dir))
    }
}

/// How letters reach people (reset links, invitations, sign-up links).
#[derive(Clone, Debug, Args)]
pub struct MailSettings {
    /// An SMTP relay that takes letters on to their recipients (`smtp://host:port`).
    #[arg(long, env = "SMTP_URL", hide_env_values = true)]
    pub smtp_url: Option<String>,
    /// The sender letters carry.
    #[arg(long, env = "MAIL_FROM", default_value = "SC-1 <no-reply@localhost>")]
    pub mail_from: String,
    /// Without a relay: a folder where each letter is written as a file, for the operator of a
    /// development or test install. With neither, letters go to the log.
    #[arg(long, env = "MAIL_DIR")]
    pub mail_dir: Option<PathBuf>,
}

impl MailSettings {
    /// The postman these settings describe.
    pub fn postman(&self) -> Result<commerce::mail::Mail, String> {
        Ok(match (&self.smtp_url, &self.mail_dir) {
            (Some(url), _) => {
                std::sync::Arc::new(commerce::mail::Smtp::new(url, &self.mail_from).map_err(|e| e.to_string())?)
            }
            (None, Some(dir)) => std::sync::Arc::new(commerce::mail::Folder::new(dir)),
            (None, None) => {
                tracing::warn!("no mail server (SMTP_URL) or MAIL_DIR: letters to people go to this log");
                std::sync::Arc::new(commerce::mail::Log)
            }
        })
    }
}

/// What `seed` needs.
#[derive(Clone, Debug, Args)]
pub struct SeedSettings {
    #[command(flatten)]
    pub database: DatabaseSettings,
    #[command(flatten)]
    pub media: MediaSettings,
    /// After the demo data, this many orders over the last two years across the demo
    /// businesses' shops and channels, for measuring (once per database).
    #[arg(long)]
    pub orders: Option<i64>,
}

/// How to serve.
#[derive(Clone, Debug, Args)]
pub struct ServeSettings {
    #[command(flatten)]
    pub database: DatabaseSettings,
    #[command(flatten)]
    pub media: MediaSettings,
    #[command(flatten)]
    pub mail: MailSettings,
    /// The address and port to listen on.
    #[arg(long, env = "BIND_ADDR", default_value = "127.0.0.1:3000")]
    pub bind: SocketAddr,
    /// The folder of the built site: `pkg/` (script, wasm, CSS), the service worker, icons.
    #[arg(long, env = "SITE_ROOT", default_value = "target/site")]
    pub site_root: PathBuf,
    /// The address people reach this server at; used in links sent by email, and to set the
    /// `Secure` flag on cookies when it is https. Defaults to http:// and the bind address.
    #[arg(long, env = "PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Proxies (comma-separated addresses) whose `X-Forwarded-For` names the real client.
    #[arg(long, env = "TRUSTED_PROXIES", value_delimiter = ',')]
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// The token a metrics scraper shows (`Authorization: Bearer …`) to read `/metrics` on the
    /// main address. Without it `/metrics` there answers 404: the figures are not for the public.
    #[arg(long, env = "METRICS_TOKEN", hide_env_values = true)]
    pub metrics_token: Option<String>,
    /// A second address that serves only `/metrics`, for the operator's network; never expose it.
    #[arg(long, env = "METRICS_ADDR")]
    pub metrics_addr: Option<SocketAddr>,
    /// Keys that seal stored secrets: `id:base64(32 bytes)`, comma-separated; the first seals new
    /// secrets, the others still open older ones (key rotation).
    #[arg(long, env = "SECRETS_KEYS", hide_env_values = true)]
    pub secrets_keys: Option<String>,
    /// Paystack's API, when not its own address (a test's stand-in).
    #[arg(long, env = "PAYSTACK_URL")]
    pub paystack_url: Option<String>,
    /// Seconds to let open requests finish after a stop signal.
    #[arg(long, env = "SHUTDOWN_GRACE", default_value_t = 10)]
    pub shutdown_grace: u64,
    /// Keep the storefront's pages between requests until the database says they changed (the
    /// default); `off` makes every page afresh.
    #[arg(long = "store-cache", env = "STORE_CACHE", default_value_t = true, action = clap::ArgAction::Set,
          value_parser = clap::builder::BoolishValueParser::new())]
    pub store_cache: bool,
    /// Run as a demonstration: the start page shows the demo accounts and their password. Never
    /// on a server that real businesses use.
    #[arg(long = "demo", env = "DEMO_MODE", value_parser = clap::builder::BoolishValueParser::new())]
    pub demo: bool,
}
