//! Pictures over HTTP: served from the media store at `/media/{key}`, and received as
//! `multipart/form-data` (a `file` field and an optional `alt`) from the back office's product
//! editor and from the REST API.

use axum::Extension;
use axum::Json;
use axum::extract::multipart::MultipartError;
use axum::extract::{FromRequest, Multipart, Path, Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use commerce::catalog::ProductId;
use commerce::catalog::image::{self, Upload};
use commerce::identity::session::Resolved;
use commerce::media::picture::LARGEST_FILE;

use crate::AppState;
use crate::rest::{IdPath, Problem};

/// The largest request body an upload may have: the file and a little for the form around it.
pub const LARGEST_BODY: usize = LARGEST_FILE + 64 * 1024;

/// `GET /media/{key}`: a kept file. Keys are unique for ever (a changed picture is a new
/// key), so browsers may keep what they fetched. Private files (a vendor's documents) are
/// never served here: they go out through the pages that check who asks.
pub async fn serve(State(state): State<AppState>, Path(key): Path<String>) -> Response {
    if !commerce::media::is_key(&key) || key.starts_with(commerce::marketplace::documents::PRIVATE) {
        return StatusCode::NOT_FOUND.into_response();
    }
    match state.media.get(&key).await {
        Ok(Some(bytes)) => (
            [
                (header::CONTENT_TYPE, commerce::media::content_type(&key)),
                (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
                // A picture is never a page: nothing in it may run or load anything.
                (header::CONTENT_SECURITY_POLICY, "default-src 'none'; style-src 'unsafe-inline'; sandbox"),
            ],
            bytes,
        )
            .into_response(),
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// An uploaded picture, read from a `multipart/form-data` body: the `file` field (at most
/// [`LARGEST_FILE`] bytes) and an optional `alt`. Mistakes are problems naming the field.
pub struct PictureForm(pub Upload);

fn too_large() -> Response {
    Problem::from(commerce::Error::invalid(
        "file",
        format!("the file is larger than {} MB", LARGEST_FILE / 1024 / 1024),
    ))
    .into_response()
}

fn unreadable(error: &MultipartError) -> Response {
    if error.status() == StatusCode::PAYLOAD_TOO_LARGE {
        too_large()
    } else {
        Problem::bad_request(&format!("The form could not be read: {}", error.body_text())).into_response()
    }
}

impl<S: Send + Sync> FromRequest<S> for PictureForm {
    type Rejection = Response;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let mut form = Multipart::from_request(request, state).await.map_err(|_| {
            Problem::bad_request("Send the picture as multipart/form-data, in a field named file.").into_response()
        })?;
        let (mut bytes, mut alt) = (None, String::new());
        while let Some(mut field) = form.next_field().await.map_err(|e| unreadable(&e))? {
            match field.name().unwrap_or_default() {
                "file" => {
                    let mut file = Vec::new();
                    while let Some(chunk) = field.chunk().await.map_err(|e| unreadable(&e))? {
                        if file.len() + chunk.len() > LARGEST_FILE {
                            return Err(too_large());
                        }
                        file.extend_from_slice(&chunk);
                    }
                    bytes = Some(file);
                }
                "alt" => alt = field.text().await.map_err(|e| unreadable(&e))?,
                other => {
                    let message = format!("unknown field {other:?}: send file and alt");
                    return Err(Problem::from(commerce::Error::invalid(other, message)).into_response());
                }
            }
        }
        let bytes = bytes.ok_or_else(|| {
            Problem::from(commerce::Error::invalid("file", "choose a picture to upload")).into_response()
        })?;
        Ok(Self(Upload { bytes, alt }))
    }
}

/// `POST /admin/products/{id}/images`: the product editor's upload, for signed-in staff.
/// Answers the picture (201) or a problem the editor shows beside the file field.
pub async fn upload_from_editor(
    State(state): State<AppState>,
    session: Option<Extension<Resolved>>,
    IdPath(id): IdPath,
    PictureForm(upload): PictureForm,
) -> Response {
    let Some(Extension(resolved)) = session else {
        return Problem::from(commerce::Error::Unauthorized("Sign in to add pictures.".into())).into_response();
    };
    match image::add(state.db.primary(), &*state.media, &resolved.actor, ProductId(id), upload, None).await {
        Ok(picture) => (StatusCode::CREATED, Json(picture)).into_response(),
        Err(error) => Problem::from(error).into_response(),
    }
}
