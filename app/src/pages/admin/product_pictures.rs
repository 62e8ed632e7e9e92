//! The product editor's pictures: the product's pictures in order, each with its description,
//! moved earlier or later (the first is the main one) or removed, and a form to upload more.
//! The upload is a `multipart/form-data` POST to `/admin/products/{id}/images`; its refusals
//! come back as problems and show beside the field they name.

use commerce::catalog::ProductImage;
use leptos::prelude::*;
use uuid::Uuid;

use crate::AppError;
use crate::api::{EditProductImage, RemoveProductImage};
use crate::components::{FieldError, FormAlert};

/// The pictures of product `product` (none yet for a product not saved).
#[component]
pub fn Pictures(product: Option<Uuid>, images: Vec<ProductImage>, manage: bool) -> impl IntoView {
    let images = RwSignal::new(images);
    let upload_error = RwSignal::new(None::<AppError>);
    let uploading = RwSignal::new(false);
    let edit = ServerAction::<EditProductImage>::new();
    let remove = ServerAction::<RemoveProductImage>::new();
    Effect::new(move || {
        if let Some(Ok(now)) = edit.value().get() {
            images.set(now);
        }
    });
    Effect::new(move || {
        if let Some(Ok(now)) = remove.value().get() {
            images.set(now);
        }
    });
    let list_error = Signal::derive(move || {
        edit.value().get().and_then(Result::err).or_else(|| remove.value().get().and_then(Result::err))
    });
    let upload_error_signal = Signal::derive(move || upload_error.get());
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let Some(product) = product {
            upload(&ev, product, images, uploading, upload_error);
        }
    };
    view! {
        <section class="card mt-6 space-y-4" aria-labelledby="pictures-heading">
            <div>
                <h2 id="pictures-heading" class="font-semibold text-slate-900">"Pictures"</h2>
                <p class="text-sm text-slate-500">
                    "JPEG, PNG or WebP, at least 100 pixels a side and at most 15 MB; up to 12. The first is the one lists and the shop show."
                </p>
            </div>
            <Show when=move || images.with(Vec::is_empty)>
                <p class="text-sm text-slate-500">"No pictures yet."</p>
            </Show>
            <ul class="grid grid-cols-2 gap-4 sm:grid-cols-3 lg:grid-cols-4" data-testid="pictures">
                <For each=move || images.get().into_iter().enumerate() key=|(i, image)| (image.id, *i, image.alt.clone()) let:item>
                    <Picture product index=item.0 image=item.1 count=Signal::derive(move || images.with(Vec::len)) manage edit remove />
                </For>
            </ul>
            <FormAlert error=list_error />
            {match (product, manage) {
                (None, true) => view! { <p class="text-sm text-slate-500">"Save the product first, then add its pictures."</p> }.into_any(),
                (Some(_), true) => view! {
                    <form class="grid gap-3 sm:grid-cols-[1fr_1fr_auto] sm:items-end" on:submit=on_submit data-testid="picture-upload">
                        <div class="field">
                            <label class="label" for="picture-file">"Picture"</label>
                            <input class="input" type="file" id="picture-file" name="file" accept="image/jpeg,image/png,image/webp" required />
                            <FieldError error=upload_error_signal field="file" />
                        </div>
                        <div class="field">
                            <label class="label" for="picture-alt">"What it shows"</label>
                            <input class="input" id="picture-alt" name="alt" maxlength="200" placeholder="Front of the 5 kg bag" />
                            <FieldError error=upload_error_signal field="alt" />
                        </div>
                        <button type="submit" class="btn btn-primary" disabled=move || uploading.get()>
                            {move || if uploading.get() { "Uploading…" } else { "Upload" }}
                        </button>
                    </form>
                    <FormAlert error=upload_error_signal beside=&["file", "alt"] />
                }.into_any(),
                (_, false) => ().into_any(),
            }}
        </section>
    }
}

/// One picture: its thumbnail and, for those who may change it, its description and moves.
#[component]
fn Picture(
    product: Option<Uuid>,
    index: usize,
    image: ProductImage,
    count: Signal<usize>,
    manage: bool,
    edit: ServerAction<EditProductImage>,
    remove: ServerAction<RemoveProductImage>,
) -> impl IntoView {
    let alt = RwSignal::new(image.alt.clone());
    let alt_id = format!("picture-{index}-alt");
    let id = image.id;
    let position = move |to: usize| {
        if let Some(product) = product {
            edit.dispatch(EditProductImage { product, image: id, alt: None, position: Some(to) });
        }
    };
    view! {
        <li class="space-y-2 rounded-lg border border-slate-200 p-2" data-testid="picture">
            <a href=image.url.clone() target="_blank" rel="noopener">
                <img class="aspect-square w-full rounded bg-slate-50 object-contain" src=image.thumbnail_url.clone()
                    alt=image.alt.clone() width="200" height="200" loading="lazy" />
            </a>
            <p class="text-xs text-slate-500">
                {if index == 0 { "Main picture · ".to_owned() } else { String::new() }}
                {format!("{} × {} px", image.width, image.height)}
            </p>
            {manage.then(|| view! {
                <label class="sr-only" for=alt_id.clone()>{format!("What picture {} shows", index + 1)}</label>
                <input class="input input-sm" id=alt_id placeholder="What it shows" maxlength="200"
                    value=alt.get_untracked() prop:value=move || alt.get() on:input=move |ev| alt.set(event_target_value(&ev))
                    on:change=move |_| {
                        if let Some(product) = product {
                            edit.dispatch(EditProductImage { product, image: id, alt: Some(alt.get_untracked()), position: None });
                        }
                    } />
                <div class="flex flex-wrap gap-1">
                    <button type="button" class="btn btn-secondary btn-sm" disabled={index == 0}
                        on:click=move |_| position(index.saturating_sub(1))>"Earlier"</button>
                    <button type="button" class="btn btn-secondary btn-sm" disabled={move || index + 1 >= count.get()}
                        on:click=move |_| position(index + 1)>"Later"</button>
                    <button type="button" class="btn btn-secondary btn-sm" on:click=move |_| {
                        if let Some(product) = product { remove.dispatch(RemoveProductImage { product, image: id }); }
                    }>"Remove"</button>
                </div>
            })}
        </li>
    }
}

/// Sends the form's file and description; the picture joins the list, or the refusal shows.
fn upload(
    ev: &leptos::ev::SubmitEvent,
    product: Uuid,
    images: RwSignal<Vec<ProductImage>>,
    uploading: RwSignal<bool>,
    error: RwSignal<Option<AppError>>,
) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let Some(form) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlFormElement>().ok()) else { return };
        let Ok(data) = web_sys::FormData::new_with_form(&form) else { return };
        error.set(None);
        uploading.set(true);
        leptos::task::spawn_local(async move {
            match send(&format!("/admin/products/{product}/images"), &data).await {
                Ok(image) => {
                    images.update(|all| all.push(image));
                    form.reset();
                }
                Err(e) => error.set(Some(e)),
            }
            uploading.set(false);
        });
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (ev, product, images, uploading, error);
    }
}

/// POSTs `data` to `url`; the picture made, or the problem the server answered as an error.
#[cfg(feature = "hydrate")]
async fn send(url: &str, data: &web_sys::FormData) -> Result<ProductImage, AppError> {
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
    let lost = |_| AppError::Transport("the upload did not reach the server".into());
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    init.set_body(data);
    init.set_credentials(web_sys::RequestCredentials::SameOrigin);
    let window = web_sys::window().ok_or_else(|| AppError::Transport("no window".into()))?;
    let answer: web_sys::Response =
        JsFuture::from(window.fetch_with_str_and_init(url, &init)).await.map_err(lost)?.dyn_into().map_err(lost)?;
    let text = JsFuture::from(answer.text().map_err(lost)?).await.map_err(lost)?.as_string().unwrap_or_default();
    if answer.status() == 201 {
        return serde_json::from_str(&text).map_err(|_| AppError::Transport("the answer could not be read".into()));
    }
    Err(problem_error(&text, answer.status()))
}

/// The error a problem+json body describes: the first field it names, or its detail.
#[cfg(any(feature = "hydrate", test))]
fn problem_error(body: &str, status: u16) -> AppError {
    #[derive(serde::Deserialize)]
    struct FieldProblem {
        field: String,
        message: String,
    }
    #[derive(serde::Deserialize)]
    struct Problem {
        #[serde(default)]
        detail: String,
        #[serde(default)]
        errors: Vec<FieldProblem>,
    }
    match serde_json::from_str::<Problem>(body) {
        Ok(Problem { errors, .. }) if !errors.is_empty() => {
            let first = errors.into_iter().next().map(|e| (e.field, e.message)).unwrap_or_default();
            AppError::Domain(commerce::Error::invalid(first.0, first.1))
        }
        Ok(Problem { detail, .. }) if !detail.is_empty() => AppError::BadRequest(detail),
        _ => AppError::BadRequest(format!("the upload was refused ({status})")),
    }
}

#[cfg(test)]
mod tests {
    use super::problem_error;
    use crate::AppError;

    #[test]
    fn a_problem_becomes_the_error_shown_beside_its_field() {
        let body = r#"{"type":"/problems/invalid-input","status":422,"detail":"file: too small","errors":[{"field":"file","message":"too small"}]}"#;
        assert_eq!(problem_error(body, 422), AppError::Domain(commerce::Error::invalid("file", "too small")));
        let body = r#"{"type":"/problems/not-found","status":404,"detail":"product was not found"}"#;
        assert_eq!(problem_error(body, 404), AppError::BadRequest("product was not found".into()));
        assert_eq!(problem_error("<html>", 502), AppError::BadRequest("the upload was refused (502)".into()));
    }
}
