//! A vendor's documents over HTTP: uploaded from a plain `multipart/form-data` form (it works
//! with the page's script or without it) and answered with a redirect back to the page, and
//! given out, to those who may see them, as attachments that are never cached.
//!
//! The vendor's own staff use `/vendor/documents…`; the operator's staff
//! `/admin/vendors/{id}/documents…`. Which vendor and whether they may is decided by the domain
//! from the signed-in person, as everywhere else.

use axum::Extension;
use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use commerce::base::VendorId;
use commerce::identity::session::Resolved;
use commerce::marketplace::documents::{self, LARGEST_DOCUMENT, Upload};
use uuid::Uuid;

use crate::AppState;

/// The largest body a document's form may have: the file and a little for the form around it.
pub const LARGEST_BODY: usize = LARGEST_DOCUMENT + 64 * 1024;

/// `POST /vendor/documents`: the vendor's own staff add a document to their vendor.
pub async fn upload_own(
    State(state): State<AppState>,
    session: Option<Extension<Resolved>>,
    form: Multipart,
) -> Response {
    let back = "/vendor/application";
    let Some(Extension(resolved)) = session else { return Redirect::to("/admin/login").into_response() };
    let vendor = match commerce::marketplace::vendor::own_vendor(&resolved.actor) {
        Ok((_, vendor)) => vendor,
        Err(error) => return refused(back, &error),
    };
    upload(&state, &resolved, vendor, form, back).await
}

/// `POST /admin/vendors/{id}/documents`: the operator's staff add a document for a vendor.
pub async fn upload_for(
    State(state): State<AppState>,
    session: Option<Extension<Resolved>>,
    Path(id): Path<String>,
    form: Multipart,
) -> Response {
    let Some(Extension(resolved)) = session else { return Redirect::to("/admin/login").into_response() };
    let Ok(id) = Uuid::parse_str(&id) else { return StatusCode::NOT_FOUND.into_response() };
    let back = format!("/admin/vendors/{id}");
    upload(&state, &resolved, VendorId(id), form, &back).await
}

/// `GET /vendor/documents/{id}`: one of the vendor's own documents.
pub async fn download_own(
    State(state): State<AppState>,
    session: Option<Extension<Resolved>>,
    Path(id): Path<String>,
) -> Response {
    let Some(Extension(resolved)) = session else { return StatusCode::UNAUTHORIZED.into_response() };
    let (Ok(document), Ok((_, vendor))) =
        (Uuid::parse_str(&id), commerce::marketplace::vendor::own_vendor(&resolved.actor))
    else {
        return StatusCode::NOT_FOUND.into_response();
    };
    download(&state, &resolved, vendor, document).await
}

/// `GET /admin/vendors/{vendor}/documents/{id}`: a vendor's document, for the operator's staff.
pub async fn download_for(
    State(state): State<AppState>,
    session: Option<Extension<Resolved>>,
    Path((vendor, id)): Path<(String, String)>,
) -> Response {
    let Some(Extension(resolved)) = session else { return StatusCode::UNAUTHORIZED.into_response() };
    let (Ok(vendor), Ok(document)) = (Uuid::parse_str(&vendor), Uuid::parse_str(&id)) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    download(&state, &resolved, VendorId(vendor), document).await
}

async fn upload(state: &AppState, resolved: &Resolved, vendor: VendorId, form: Multipart, back: &str) -> Response {
    let upload = match read_form(form).await {
        Ok(upload) => upload,
        Err(error) => return refused(back, &error),
    };
    match documents::upload(state.db.primary(), &*state.media, &resolved.actor, vendor, upload).await {
        Ok(document) => Redirect::to(&format!("{back}?uploaded={}", document.id)).into_response(),
        Err(error) => refused(back, &error),
    }
}

async fn download(state: &AppState, resolved: &Resolved, vendor: VendorId, document: Uuid) -> Response {
    let opened = documents::open(state.db.primary(), &*state.media, &resolved.actor, vendor, document).await;
    private_file(opened.map(|o| {
        let disposition = format!("attachment; filename=\"{}\"", plain_name(&o.file_name));
        (o.bytes, o.content_type, Some(disposition))
    }))
}

/// A private file (a vendor's document, a dispute's photo) for one who may see it: never kept
/// by a cache, never run as a page, with its type and (for a download) its name; or the
/// refusal's status.
pub fn private_file(found: Result<(Vec<u8>, String, Option<String>), commerce::Error>) -> Response {
    match found {
        Ok((bytes, content_type, disposition)) => {
            let mut response = bytes.into_response();
            let headers = response.headers_mut();
            for (name, value) in [
                (header::CONTENT_TYPE, Some(content_type.as_str())),
                (header::CACHE_CONTROL, Some("private, no-store")),
                (header::CONTENT_SECURITY_POLICY, Some("default-src 'none'; sandbox")),
                (header::X_CONTENT_TYPE_OPTIONS, Some("nosniff")),
                (header::CONTENT_DISPOSITION, disposition.as_deref()),
            ] {
                if let Some(Ok(value)) = value.map(HeaderValue::from_str) {
                    headers.insert(name, value);
                }
            }
            response
        }
        Err(commerce::Error::Forbidden(_)) => StatusCode::FORBIDDEN.into_response(),
        Err(commerce::Error::NotFound(_)) => StatusCode::NOT_FOUND.into_response(),
        Err(_) => StatusCode::SERVICE_UNAVAILABLE.into_response(),
    }
}

/// Reads the form's `kind` and `file` fields; the file at most [`LARGEST_DOCUMENT`] bytes.
async fn read_form(mut form: Multipart) -> Result<Upload, commerce::Error> {
    let unreadable = || commerce::Error::invalid("file", "the form could not be read; choose the file again");
    let too_large =
        || commerce::Error::invalid("file", format!("the file is larger than {} MB", LARGEST_DOCUMENT / 1024 / 1024));
    let (mut kind, mut file_name, mut bytes) = (String::new(), String::new(), Vec::new());
    while let Some(mut field) = form
        .next_field()
        .await
        .map_err(|e| if e.status() == StatusCode::PAYLOAD_TOO_LARGE { too_large() } else { unreadable() })?
    {
        match field.name().unwrap_or_default() {
            "kind" => kind = field.text().await.map_err(|_| unreadable())?,
            "file" => {
                file_name = field.file_name().unwrap_or_default().to_owned();
                while let Some(chunk) = field.chunk().await.map_err(|_| unreadable())? {
                    if bytes.len() + chunk.len() > LARGEST_DOCUMENT {
                        return Err(too_large());
                    }
                    bytes.extend_from_slice(&chunk);
                }
            }
            _ => {}
        }
    }
    Ok(Upload { kind, file_name, bytes })
}

/// Back to the form's page with what was wrong, for it to show beside the field.
fn refused(back: &str, error: &commerce::Error) -> Response {
    back_with_problem(back, error, "document", "file", "")
}

/// Back to the page a plain form was sent from, with the refusal's field (`default_field` for a
/// refusal of no one field) and message in the address as `<what>_field` and `<what>_error`,
/// for the page to show beside the field; `anchor` ("#…", or empty) is where the page opens.
pub fn back_with_problem(
    back: &str,
    error: &commerce::Error,
    what: &str,
    default_field: &str,
    anchor: &str,
) -> Response {
    let (field, message) = match error.field_problems().first() {
        Some((field, message)) => ((*field).to_owned(), (*message).to_owned()),
        None => (default_field.to_owned(), error.to_string()),
    };
    let query = form_urlencoded::Serializer::new(String::new())
        .append_pair(&format!("{what}_field"), &field)
        .append_pair(&format!("{what}_error"), &message)
        .finish();
    Redirect::to(&format!("{back}?{query}{anchor}")).into_response()
}

/// A file name safe in a header: printable ASCII without quotes or backslashes.
fn plain_name(name: &str) -> String {
    let plain: String =
        name.chars().map(|c| if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' { c } else { '_' }).collect();
    if plain.trim().is_empty() { "document".to_owned() } else { plain }
}
