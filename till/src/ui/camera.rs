//! Scanning with the device's camera, where the browser offers `BarcodeDetector` (Android's
//! Chrome does): the back camera's picture is read a few times a second until a code is seen.
//! Browsers without it show no camera button; a scanner that types like a keyboard works
//! everywhere.

use js_sys::{Array, Function, Object, Promise, Reflect};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

/// Whether this browser can read barcodes from a picture.
pub fn available() -> bool {
    web_sys::window().is_some_and(|w| Reflect::has(&w, &JsValue::from_str("BarcodeDetector")).unwrap_or(false))
}

/// The camera's picture while it looks for a code; `found` gets the first code seen, then the
/// camera stops. `open` false stops it too.
#[component]
pub fn CameraScan(open: RwSignal<bool>, found: Callback<String>) -> impl IntoView {
    let video = NodeRef::<leptos::html::Video>::new();
    let error = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        let Some(element) = video.get() else { return };
        let element: web_sys::HtmlVideoElement = element;
        leptos::task::spawn_local(async move {
            match look(&element, open).await {
                Ok(Some(code)) => {
                    open.set(false);
                    found.run(code);
                }
                Ok(None) => {}
                Err(why) => error.set(Some(why)),
            }
            stop(&element);
        });
    });
    view! {
        <div class="till-overlay" role="dialog" aria-modal="true" aria-label="Scan with the camera">
            <div class="pos-card w-full max-w-md">
                <video node_ref=video class="w-full rounded-lg" autoplay=true playsinline=true muted=true></video>
                {move || error.get().map(|e| view! { <p class="mt-2 text-sm text-amber-300" role="alert">{e}</p> })}
                <button type="button" class="btn btn-secondary mt-3 w-full" on:click=move |_| open.set(false)>"Close"</button>
            </div>
        </div>
    }
}

/// Starts the back camera in `video` and reads codes from it until one is seen or the scanner
/// is closed.
async fn look(video: &web_sys::HtmlVideoElement, open: RwSignal<bool>) -> Result<Option<String>, String> {
    let cannot = |_| "The camera cannot be used here (allow it in the browser's settings).".to_owned();
    let window = web_sys::window().ok_or("no window")?;
    let devices = Reflect::get(&window.navigator(), &"mediaDevices".into()).map_err(cannot)?;
    let constraints = Object::new();
    let facing = Object::new();
    Reflect::set(&facing, &"facingMode".into(), &"environment".into()).map_err(cannot)?;
    Reflect::set(&constraints, &"video".into(), &facing).map_err(cannot)?;
    let get_user_media: Function =
        Reflect::get(&devices, &"getUserMedia".into()).map_err(cannot)?.dyn_into().map_err(cannot)?;
    let stream = JsFuture::from(Promise::from(get_user_media.call1(&devices, &constraints).map_err(cannot)?))
        .await
        .map_err(cannot)?;
    Reflect::set(video, &"srcObject".into(), &stream).map_err(cannot)?;
    let _ = video.play();
    let detector_class: Function =
        Reflect::get(&window, &"BarcodeDetector".into()).map_err(cannot)?.dyn_into().map_err(cannot)?;
    let detector = Reflect::construct(&detector_class, &Array::new()).map_err(cannot)?;
    let detect: Function = Reflect::get(&detector, &"detect".into()).map_err(cannot)?.dyn_into().map_err(cannot)?;
    while open.get_untracked() {
        if let Ok(promise) = detect.call1(&detector, video) {
            let seen = JsFuture::from(Promise::from(promise)).await.unwrap_or(JsValue::UNDEFINED);
            let first = Array::from(&seen).get(0);
            if let Some(code) = Reflect::get(&first, &"rawValue".into()).ok().and_then(|v| v.as_string()) {
                return Ok(Some(code));
            }
        }
        sleep(250).await;
    }
    Ok(None)
}

/// Stops the camera's tracks.
fn stop(video: &web_sys::HtmlVideoElement) {
    let Ok(stream) = Reflect::get(video, &"srcObject".into()) else { return };
    let Ok(tracks) = Reflect::get(&stream, &"getTracks".into()).and_then(JsCast::dyn_into::<Function>) else { return };
    if let Ok(list) = tracks.call0(&stream) {
        for track in Array::from(&list).iter() {
            if let Ok(stop) = Reflect::get(&track, &"stop".into()).and_then(JsCast::dyn_into::<Function>) {
                let _ = stop.call0(&track);
            }
        }
    }
}

async fn sleep(millis: i32) {
    let promise = Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, millis);
        }
    });
    let _ = JsFuture::from(promise).await;
}
