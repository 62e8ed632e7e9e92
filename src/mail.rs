//! Mail to one person: password-reset links, invitations, sign-up confirmations.
//!
//! A letter that carries a live link is handed to a [`Postman`] and never stored: not in a
//! business's outbox, not anywhere another person could read it. Three postmen are built in:
//! [`Smtp`] hands letters to a mail relay (`SMTP_URL`); [`Folder`] writes each letter as a file
//! for the operator of a development or test install (`MAIL_DIR`); with neither configured,
//! [`Log`] writes letters to the server's log, which only the operator reads.

use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::Arc;

use uuid::Uuid;

use crate::Error;

/// A letter to one person.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Letter {
    /// The recipient's address.
    pub to: String,
    /// The subject line.
    pub subject: String,
    /// The text.
    pub body: String,
}

/// What sending returns.
pub type Sending<'a> = Pin<Box<dyn Future<Output = Result<(), Error>> + Send + 'a>>;

/// Something that delivers letters.
pub trait Postman: Send + Sync {
    /// Delivers the letter, or says why it could not.
    fn send(&self, letter: Letter) -> Sending<'_>;
    /// Whether letters reach their recipients (not only the operator).
    fn delivers(&self) -> bool;
}

/// The postman the server was started with.
pub type Mail = Arc<dyn Postman>;

/// Sends a letter and logs, rather than returns, a failure: the operation that wrote it has
/// already committed, and the person is told only what they would be told had it arrived.
pub async fn post(mail: &Mail, letter: Letter) {
    let to = letter.to.clone();
    if let Err(error) = mail.send(letter).await {
        tracing::error!(%error, to, "a letter could not be sent");
    }
}

/// Letters written to the server's log: for a development install with no mail server.
#[derive(Clone, Copy, Debug, Default)]
pub struct Log;

impl Postman for Log {
    fn send(&self, letter: Letter) -> Sending<'_> {
        Box::pin(async move {
            tracing::warn!(
                to = letter.to,
                subject = letter.subject,
                "no mail server is configured (SMTP_URL); the letter follows for the operator:\n{}",
                letter.body
            );
            Ok(())
        })
    }

    fn delivers(&self) -> bool {
        false
    }
}

/// Letters written as files into a folder, one per letter, named so that they sort by time:
/// for development and tests, where the operator reads them.
#[derive(Clone, Debug)]
pub struct Folder(PathBuf);

impl Folder {
    /// Letters go into `dir` (made when the first arrives).
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self(dir.into())
    }
}

impl Folder {
    /// The letters in the folder, oldest first: what the operator (or a test) reads.
    pub fn letters(&self) -> Vec<Letter> {
        let Ok(entries) = std::fs::read_dir(&self.0) else { return Vec::new() };
        let mut names: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "txt"))
            .filter(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(|n| !n.starts_with('.')))
            .collect();
        names.sort();
        names
            .iter()
            .filter_map(|path| std::fs::read_to_string(path).ok())
            .filter_map(|text| read_letter(&text))
            .collect()
    }
}

/// A letter as [`Folder`] writes it.
fn read_letter(text: &str) -> Option<Letter> {
    let (head, body) = text.split_once("\n\n")?;
    let mut lines = head.lines();
    let to = lines.next()?.strip_prefix("To: ")?.to_owned();
    let subject = lines.next()?.strip_prefix("Subject: ")?.to_owned();
    Some(Letter { to, subject, body: body.to_owned() })
}

impl Postman for Folder {
    fn send(&self, letter: Letter) -> Sending<'_> {
        Box::pin(async move {
            let failed = |error: std::io::Error| {
                tracing::error!(%error, dir = %self.0.display(), "cannot write a letter");
                Error::Unavailable
            };
            tokio::fs::create_dir_all(&self.0).await.map_err(failed)?;
            let text = format!("To: {}\nSubject: {}\n\n{}", letter.to, letter.subject, letter.body);
            let name = format!("{}.txt", Uuid::now_v7().simple());
            let aside = self.0.join(format!(".{name}"));
            tokio::fs::write(&aside, text).await.map_err(failed)?;
            tokio::fs::rename(&aside, self.0.join(name)).await.map_err(failed)
        })
    }

    fn delivers(&self) -> bool {
        false
    }
}

/// Letters handed to an SMTP relay (`smtp://host:port`), which takes them on to their
/// recipients. The relay is on the same host or a trusted network; it handles encryption and
/// authentication onwards.
pub struct Smtp {
    transport: lettre::AsyncSmtpTransport<lettre::Tokio1Executor>,
    from: lettre::message::Mailbox,
}

impl Smtp {
    /// A postman for the relay at `url`, sending as `from` (`SC-1 <no-reply@shop.ng>`).
    pub fn new(url: &str, from: &str) -> Result<Self, Error> {
        let bad = |field: &str, message: &str| Error::invalid(field, message);
        let (host, port) = url
            .strip_prefix("smtp://")
            .map(|rest| rest.trim_end_matches('/'))
            .and_then(|rest| match rest.rsplit_once(':') {
                Some((host, port)) => port.parse::<u16>().ok().map(|port| (host, port)),
                None => Some((rest, 25)),
            })
            .filter(|(host, _)| !host.is_empty() && !host.contains(['/', '@', ' ']))
            .ok_or_else(|| bad("SMTP_URL", "use smtp://host:port"))?;
        // Plain SMTP to the relay: it is on this host or a trusted network, and encrypts onwards.
        let transport = lettre::AsyncSmtpTransport::<lettre::Tokio1Executor>::builder_dangerous(host)
            .port(port)
            .timeout(Some(std::time::Duration::from_secs(15)))
            .build();
        let from = from.parse().map_err(|_| bad("MAIL_FROM", "use an address such as SC-1 <no-reply@shop.ng>"))?;
        Ok(Self { transport, from })
    }
}

impl Postman for Smtp {
    fn send(&self, letter: Letter) -> Sending<'_> {
        use lettre::AsyncTransport;
        Box::pin(async move {
            let to = letter.to.parse().map_err(|_| Error::invalid("email", "is not an address mail can go to"))?;
            let message = lettre::Message::builder()
                .from(self.from.clone())
                .to(to)
                .subject(letter.subject)
                .header(lettre::message::header::ContentType::TEXT_PLAIN)
                .body(letter.body)
                .map_err(|error| {
                    tracing::error!(%error, "cannot write a letter");
                    Error::Internal
                })?;
            self.transport.send(message).await.map(|_| ()).map_err(|error| {
                tracing::error!(%error, "the mail relay did not take a letter");
                Error::Unavailable
            })
        })
    }

    fn delivers(&self) -> bool {
        true
    }
}
