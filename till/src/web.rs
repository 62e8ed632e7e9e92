//! What the till asks of the browser beyond the page: the clock, the network, Web Crypto's
//! PBKDF2 for PINs, and a lock that lets one tab sync at a time.

use chrono::{DateTime, Utc};
use js_sys::{Array, Object, Reflect, Uint8Array};
use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Request, RequestInit, Response};

/// Now, by the device's clock (the browser has no other).
pub fn now() -> DateTime<Utc> {
    #[expect(clippy::cast_possible_truncation, reason = "milliseconds since 1970 fit in 64 bits")]
    let millis = js_sys::Date::now() as i64;
    DateTime::from_timestamp_millis(millis).unwrap_or_default()
}

/// Whether the browser believes it is online.
pub fn online() -> bool {
    web_sys::window().is_none_or(|w| w.navigator().on_line())
}

/// What a call to the server came to.
#[derive(Clone, Debug)]
pub enum Failure {
    /// No answer: offline, or the server is down. Try again later.
    Unreachable,
    /// The server said no, with its status and the problem's detail.
    Refused(u16, String),
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Unreachable => write!(f, "The server cannot be reached; the till carries on without it."),
            Self::Refused(_, detail) => write!(f, "{detail}"),
        }
    }
}

/// Calls the API at `path` (`GET` without a body, `POST` with one), with the register's
/// credential when given, and reads the answer's JSON.
pub async fn call<T: DeserializeOwned>(
    path: &str,
    credential: Option<&str>,
    body: Option<&impl Serialize>,
) -> Result<T, Failure> {
    let init = RequestInit::new();
    let headers = web_sys::Headers::new().map_err(|_| Failure::Unreachable)?;
    let _ = headers.set("Accept", "application/json");
    if let Some(credential) = credential {
        let _ = headers.set("Authorization", &format!("Bearer {credential}"));
    }
    if let Some(body) = body {
        let text = serde_json::to_string(body).map_err(|e| Failure::Refused(0, e.to_string()))?;
        init.set_method("POST");
        let _ = headers.set("Content-Type", "application/json");
        init.set_body(&JsValue::from_str(&text));
    }
    init.set_headers(&headers);
    init.set_cache(web_sys::RequestCache::NoStore);
    let request = Request::new_with_str_and_init(path, &init).map_err(|_| Failure::Unreachable)?;
    let window = web_sys::window().ok_or(Failure::Unreachable)?;
    let answer = JsFuture::from(window.fetch_with_request(&request)).await.map_err(|_| Failure::Unreachable)?;
    let response: Response = answer.dyn_into().map_err(|_| Failure::Unreachable)?;
    let text = JsFuture::from(response.text().map_err(|_| Failure::Unreachable)?)
        .await
        .map_err(|_| Failure::Unreachable)?
        .as_string()
        .unwrap_or_default();
    if response.ok() {
        return serde_json::from_str(&text).map_err(|e| Failure::Refused(response.status(), e.to_string()));
    }
    // A gateway's error page or a dropped connection is no answer from the server itself.
    if matches!(response.status(), 502..=504) || text.is_empty() {
        return Err(Failure::Unreachable);
    }
    let detail = serde_json::from_str::<serde_json::Value>(&text)
        .ok()
        .and_then(|v| v["detail"].as_str().map(str::to_owned))
        .unwrap_or_else(|| format!("The server answered {}.", response.status()));
    Err(Failure::Refused(response.status(), detail))
}

/// PBKDF2-HMAC-SHA256 of `pin` with `salt`, 32 bytes, by Web Crypto (the browser's own, and
/// fast); the same derivation the server stored the PIN's check by.
pub async fn pbkdf2(pin: &str, salt: &[u8], iterations: u32) -> Result<Vec<u8>, JsValue> {
    let subtle = web_sys::window().ok_or("no window")?.crypto()?.subtle();
    let usages = Array::of1(&JsValue::from_str("deriveBits"));
    let raw = Uint8Array::from(pin.as_bytes());
    let key = JsFuture::from(subtle.import_key_with_str("raw", &raw, "PBKDF2", false, &usages)?).await?;
    let params =
        web_sys::Pbkdf2Params::new("PBKDF2", &JsValue::from_str("SHA-256"), iterations, &Uint8Array::from(salt));
    let bits = JsFuture::from(subtle.derive_bits_with_object(&params, &key.unchecked_into(), 256)?).await?;
    Ok(Uint8Array::new(&bits).to_vec())
}

/// Decodes base64 by the browser's `atob`.
pub fn from_base64(text: &str) -> Option<Vec<u8>> {
    let binary = web_sys::window()?.atob(text).ok()?;
    binary.chars().map(|c| u8::try_from(u32::from(c)).ok()).collect()
}

/// Runs `work` holding the browser's lock named `name` (Web Locks), so that two syncs never
/// run at once: when another holds it, `work` does not run (that one is syncing). Without Web
/// Locks it simply runs. Answers whether `work` ran.
pub async fn with_lock<F>(name: &str, work: F) -> bool
where
    F: std::future::Future<Output = ()> + 'static,
{
    let locks = web_sys::window()
        .map(|w| w.navigator())
        .and_then(|n| Reflect::get(&n, &JsValue::from_str("locks")).ok())
        .filter(|l| !l.is_undefined() && !l.is_null());
    let request = locks.as_ref().and_then(|l| Reflect::get(l, &JsValue::from_str("request")).ok());
    let (Some(locks), Some(request)) = (locks, request.and_then(|r| r.dyn_into::<js_sys::Function>().ok())) else {
        work.await;
        return true;
    };
    let mut work = Some(work);
    let callback = Closure::once_into_js(move |lock: JsValue| -> js_sys::Promise {
        let work = if lock.is_null() { None } else { work.take() };
        wasm_bindgen_futures::future_to_promise(async move {
            let ran = work.is_some();
            if let Some(work) = work {
                work.await;
            }
            Ok(JsValue::from_bool(ran))
        })
    });
    let options = Object::new();
    let _ = Reflect::set(&options, &JsValue::from_str("ifAvailable"), &JsValue::TRUE);
    match request.call3(&locks, &JsValue::from_str(name), &options, &callback) {
        Ok(promise) => {
            JsFuture::from(js_sys::Promise::from(promise)).await.ok().and_then(|v| v.as_bool()).unwrap_or(false)
        }
        Err(_) => false,
    }
}
