//! A dispute's messages with photos over HTTP: opened and answered from plain
//! `multipart/form-data` forms (they work with the page's script or without it), answered with a
//! redirect back to the page (with the field and message of a refusal), and the photos given
//! out, never cached, to those who may see them.
//!
//! The shopper uses their order's page address (its key is their proof, as for the page
//! itself); a vendor's staff `/vendor/disputes/…`; the marketplace's staff
//! `/admin/vendors/disputes/…`.
//! Who may do what is decided by the domain, as everywhere else.

use axum::Extension;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use commerce::base::Actor;
use commerce::idempotency::Once;
use commerce::identity::session::Resolved;
use commerce::marketplace::disputes::{self, LARGEST_PHOTO, MOST_PHOTOS};
use commerce::marketplace::{DisputeInput, Photo};
use uuid::Uuid;

use crate::AppState;

/// The largest body a dispute's form may have: its photos and a little for the words.
pub const LARGEST_BODY: usize = MOST_PHOTOS * LARGEST_PHOTO + 64 * 1024;

/// A dispute form's fields, as sent.
#[derive(Default)]
struct Sent {
    fields: Vec<(String, String)>,
    photos: Vec<Photo>,
}

impl Sent {
    fn field(&self, name: &str) -> String {
        self.fields.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone()).unwrap_or_default()
    }

    /// The form's submission key, as a request made once: a second press of the same form
    /// answers as the first.
    fn once(&self, caller: &str, what: &str) -> Option<Once> {
        let key = self.field("submission");
        if key.is_empty() {
            return None;
        }
        let mut body: Vec<u8> = Vec::new();
        for (name, value) in &self.fields {
            body.extend_from_slice(name.as_bytes());
            body.push(0x1f);
            body.extend_from_slice(value.as_bytes());
            body.push(0x1e);
        }
        for photo in &self.photos {
            body.extend_from_slice(&photo.bytes.len().to_le_bytes());
        }
        Once::new(format!("form:{caller}"), &key, what, &body).ok()
    }
}

/// Reads a dispute form: its words, and the files of its `photos` field (each at most
/// [`LARGEST_PHOTO`] bytes, at most [`MOST_PHOTOS`] of them).
async fn read_form(mut form: Multipart) -> Result<Sent, commerce::Error> {
    let unreadable = || commerce::Error::invalid("photos", "the form could not be read; choose the photos again");
    let mut sent = Sent::default();
    while let Some(mut field) = form.next_field().await.map_err(|_| unreadable())? {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "photos" {
            let mut bytes = Vec::new();
            while let Some(chunk) = field.chunk().await.map_err(|_| unreadable())? {
                if bytes.len() + chunk.len() > LARGEST_PHOTO {
                    return Err(commerce::Error::invalid(
                        "photos",
                        format!("a photo is larger than {} MB", LARGEST_PHOTO / 1024 / 1024),
                    ));
                }
                bytes.extend_from_slice(&chunk);
            }
            if !bytes.is_empty() {
                if sent.photos.len() == MOST_PHOTOS {
                    return Err(commerce::Error::invalid("photos", format!("at most {MOST_PHOTOS} photos a message")));
                }
                sent.photos.push(Photo { bytes });
            }
        } else {
            let text = field.text().await.map_err(|_| unreadable())?;
            if text.len() > 16 * 1024 {
                return Err(commerce::Error::invalid(&name, "too long"));
            }
            sent.fields.push((name, text));
        }
    }
    Ok(sent)
}

/// Back to the page, with the refusal's field and message for the page to show beside it.
fn refused(back: &str, error: &commerce::Error) -> Response {
    crate::vendor_files::back_with_problem(back, error, "dispute", "message", "#disputes")
}

/// The storefront's shopper, or a visitor, of the business at `slug`.
async fn buyer(state: &AppState, session: Option<&Resolved>, slug: &str) -> Result<Actor, commerce::Error> {
    let tenant = commerce::identity::storefront_tenant(state.db.read(), slug).await?;
    if let Some(Resolved { actor: shopper @ Actor::Shopper { tenant: t, .. }, .. }) = session
        && *t == tenant
    {
        return Ok(shopper.clone());
    }
    Ok(Actor::Visitor { tenant, visit: Uuid::now_v7() })
}

fn uuid(text: &str) -> Option<Uuid> {
    Uuid::parse_str(text).ok()
}

/// `POST /store/{slug}/order/{key}/disputes`: the shopper opens a dispute on a part.
pub async fn open(
    State(state): State<AppState>,
    session: Option<Extension<Resolved>>,
    Path((slug, key)): Path<(String, String)>,
    form: Multipart,
) -> Response {
    let Some(key) = uuid(&key) else { return StatusCode::NOT_FOUND.into_response() };
    let back = format!("/store/{slug}/order/{key}");
    let opened = async {
        let actor = buyer(&state, session.as_deref(), &slug).await?;
        let sent = read_form(form).await?;
        let input = DisputeInput {
            part: uuid(&sent.field("part"))
                .ok_or_else(|| commerce::Error::invalid("part", "choose a part of this order"))?,
            reason: sent.field("reason"),
            asked: sent.field("asked"),
            message: sent.field("message"),
        };
        let once = sent.once(&key.to_string(), "open dispute");
        disputes::open(state.db.primary(), &*state.media, &actor, key, &input, sent.photos, once.as_ref()).await
    }
    .await;
    match opened {
        Ok(_) => Redirect::to(&format!("{back}?dispute=opened#disputes")).into_response(),
        Err(error) => refused(&back, &error),
    }
}

/// `POST /store/{slug}/order/{key}/disputes/{id}/messages`: the shopper adds to their dispute.
pub async fn shopper_reply(
    State(state): State<AppState>,
    session: Option<Extension<Resolved>>,
    Path((slug, key, id)): Path<(String, String, String)>,
    form: Multipart,
) -> Response {
    let (Some(key), Some(id)) = (uuid(&key), uuid(&id)) else { return StatusCode::NOT_FOUND.into_response() };
    let back = format!("/store/{slug}/order/{key}");
    let replied = async {
        let actor = buyer(&state, session.as_deref(), &slug).await?;
        reply(&state, &actor, Some(key), id, form, &key.to_string()).await
    }
    .await;
    answer(&back, replied)
}

/// `POST /vendor/disputes/{id}/messages` and `POST /admin/vendors/disputes/{id}/messages`: the seller's
/// or the marketplace's staff add to a dispute.
pub async fn staff_reply(
    State(state): State<AppState>,
    session: Option<Extension<Resolved>>,
    Path(id): Path<String>,
    form: Multipart,
) -> Response {
    let Some(Extension(resolved)) = session else { return Redirect::to("/admin/login").into_response() };
    let Some(id) = uuid(&id) else { return StatusCode::NOT_FOUND.into_response() };
    let back = if resolved.actor.vendor().is_some() {
        format!("/vendor/disputes/{id}")
    } else {
        format!("/admin/vendors/disputes/{id}")
    };
    let caller = resolved.actor.id().to_string();
    answer(&back, reply(&state, &resolved.actor, None, id, form, &caller).await)
}

async fn reply(
    state: &AppState,
    actor: &Actor,
    key: Option<Uuid>,
    id: Uuid,
    form: Multipart,
    caller: &str,
) -> Result<(), commerce::Error> {
    let sent = read_form(form).await?;
    let once = sent.once(caller, &format!("reply to dispute {id}"));
    let body = sent.field("message");
    disputes::reply(state.db.primary(), &*state.media, actor, key, id, &body, sent.photos, once.as_ref()).await
}

fn answer(back: &str, done: Result<(), commerce::Error>) -> Response {
    match done {
        Ok(()) => Redirect::to(&format!("{back}?dispute=sent#disputes")).into_response(),
        Err(error) => refused(back, &error),
    }
}

/// `GET /store/{slug}/order/{key}/disputes/{id}/photos/{photo}`: a photo, for the shopper.
pub async fn shopper_photo(
    State(state): State<AppState>,
    session: Option<Extension<Resolved>>,
    Path((slug, key, id, photo)): Path<(String, String, String, String)>,
) -> Response {
    let (Some(key), Some(id), Some(photo)) = (uuid(&key), uuid(&id), uuid(&photo)) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let Ok(actor) = buyer(&state, session.as_deref(), &slug).await else {
        return StatusCode::NOT_FOUND.into_response();
    };
    give(disputes::photo(state.db.primary(), &*state.media, &actor, Some(key), id, photo).await)
}

/// `GET /vendor/disputes/{id}/photos/{photo}` and `GET /admin/vendors/disputes/{id}/photos/{photo}`:
/// a photo, for the seller's or the marketplace's staff.
pub async fn staff_photo(
    State(state): State<AppState>,
    session: Option<Extension<Resolved>>,
    Path((id, photo)): Path<(String, String)>,
) -> Response {
    let Some(Extension(resolved)) = session else { return StatusCode::UNAUTHORIZED.into_response() };
    let (Some(id), Some(photo)) = (uuid(&id), uuid(&photo)) else { return StatusCode::NOT_FOUND.into_response() };
    give(disputes::photo(state.db.primary(), &*state.media, &resolved.actor, None, id, photo).await)
}

fn give(found: Result<(Vec<u8>, String), commerce::Error>) -> Response {
    crate::vendor_files::private_file(found.map(|(bytes, content_type)| (bytes, content_type, None)))
}
