//! A store's home and category pages, sent whole from memory to visitors without cookies.
//!
//! Such a visitor is sent what every other such visitor is sent: the page names nobody, holds
//! no cart, and is made from the store's kept parts (see [`app::api::StoreCache`]). Rendering
//! it is still most of the work of answering, so the first answer is kept whole and later ones
//! are copied from it, until a change of the business forgets it with the rest of its store.
//!
//! Only the nonce differs between answers: the page's few inline scripts carry the one its
//! security policy names, and a nonce is worth something only while nobody can know it
//! beforehand. A kept page is cut where its nonce stood, and each answer puts a new one there
//! and in its policy.
//!
//! A page is kept only when it came out whole and plain: a 200 that sets no cookie, for an
//! address that says nothing but what the shelf reads (`q`, `category`, `brand`, `min`, `max`,
//! `stock`, `sort`, `after`), so that addresses with made-up parameters cannot crowd out the
//! real ones.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::header::{AUTHORIZATION, CONTENT_LENGTH, CONTENT_SECURITY_POLICY, COOKIE, SET_COOKIE};
use axum::http::{HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use app::api::KeptPage;

use crate::AppState;

/// The parameters a store page's address may carry and still be kept.
const SHELF_PARAMETERS: [&str; 8] = ["q", "category", "brand", "min", "max", "stock", "sort", "after"];

/// Answers a visitor without cookies from the kept page, or keeps the page made for them.
pub async fn send_kept(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let Some(slug) = keepable(&request) else {
        return next.run(request).await;
    };
    let cache = &state.live.store_cache;
    let address = request.uri().path_and_query().map_or_else(|| request.uri().path(), |a| a.as_str()).to_owned();
    if let Some(page) = cache.page(&slug, &address) {
        return answer(&page);
    }
    let started = cache.start_page();
    let response = next.run(request).await;
    let Some(nonce) = nonce_of(&response).filter(|_| response.status() == StatusCode::OK) else {
        return response;
    };
    if response.headers().contains_key(SET_COOKIE) {
        return response;
    }
    let (parts, body) = response.into_parts();
    let text = match axum::body::to_bytes(body, usize::MAX).await {
        Ok(text) => text,
        Err(error) => {
            tracing::error!(%error, "a store page could not be read whole");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let mut headers = parts.headers.clone();
    headers.remove(CONTENT_SECURITY_POLICY);
    headers.remove(CONTENT_LENGTH);
    let page = KeptPage { headers, extensions: parts.extensions.clone(), pieces: cut(&text, nonce.as_bytes()) };
    cache.keep_page(&slug, &address, started, page);
    Response::from_parts(parts, Body::from(text))
}

/// The store's address name (`slug`), when this request is for a page that may be kept: a `GET`
/// of `/store/{slug}` or `/store/{slug}/c/{category}` with no cookie and no credentials, and
/// no parameter but the shelf's, each once.
fn keepable(request: &Request) -> Option<String> {
    if request.method() != Method::GET
        || request.headers().contains_key(COOKIE)
        || request.headers().contains_key(AUTHORIZATION)
    {
        return None;
    }
    let rest = request.uri().path().strip_prefix("/store/")?;
    let (slug, below) = rest.split_once('/').unwrap_or((rest, ""));
    let page = below.is_empty()
        || below.strip_prefix("c/").is_some_and(|category| !category.is_empty() && !category.contains('/'));
    if slug.is_empty() || !page {
        return None;
    }
    let mut seen = Vec::new();
    for pair in request.uri().query().unwrap_or_default().split('&').filter(|pair| !pair.is_empty()) {
        let name = pair.split_once('=').map_or(pair, |(name, _)| name);
        if !SHELF_PARAMETERS.contains(&name) || seen.contains(&name) {
            return None;
        }
        seen.push(name);
    }
    Some(slug.to_owned())
}

/// The nonce the response's security policy allows inline scripts by.
fn nonce_of(response: &Response) -> Option<String> {
    let policy = response.headers().get(CONTENT_SECURITY_POLICY)?.to_str().ok()?;
    let start = policy.find("'nonce-")? + "'nonce-".len();
    let nonce = &policy[start..start + policy[start..].find('\'')?];
    (!nonce.is_empty()).then(|| nonce.to_owned())
}

/// The page's text in the pieces between the places its nonce stands.
fn cut(text: &[u8], nonce: &[u8]) -> Vec<Vec<u8>> {
    let mut pieces = Vec::new();
    let mut from = 0;
    let mut at = 0;
    while at + nonce.len() <= text.len() {
        if text[at..].starts_with(nonce) {
            pieces.push(text[from..at].to_vec());
            at += nonce.len();
            from = at;
        } else {
            at += 1;
        }
    }
    pieces.push(text[from..].to_vec());
    pieces
}

/// A kept page, with a new nonce in its text and its security policy.
fn answer(page: &Arc<KeptPage>) -> Response {
    let nonce = leptos::nonce::Nonce::new().to_string();
    let length = page.pieces.iter().map(Vec::len).sum::<usize>() + nonce.len() * (page.pieces.len() - 1);
    let mut text = Vec::with_capacity(length);
    for (n, piece) in page.pieces.iter().enumerate() {
        if n > 0 {
            text.extend_from_slice(nonce.as_bytes());
        }
        text.extend_from_slice(piece);
    }
    let mut response = Response::new(Body::from(text));
    *response.headers_mut() = page.headers.clone();
    *response.extensions_mut() = page.extensions.clone();
    if let Ok(policy) = HeaderValue::from_str(&app::page_policy(&nonce)) {
        response.headers_mut().insert(CONTENT_SECURITY_POLICY, policy);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(address: &str) -> Request {
        Request::get(address).body(Body::empty()).unwrap()
    }

    #[test]
    fn only_a_store_pages_plain_address_is_kept() {
        assert_eq!(keepable(&request("/store/ojafresh")).as_deref(), Some("ojafresh"));
        assert_eq!(keepable(&request("/store/ojafresh/c/0193")).as_deref(), Some("ojafresh"));
        assert_eq!(keepable(&request("/store/ojafresh?q=rice&sort=price&after=x")).as_deref(), Some("ojafresh"));
        for address in [
            "/store/",
            "/store/ojafresh/cart",
            "/store/ojafresh/c/",
            "/store/ojafresh/c/a/b",
            "/store/ojafresh/p/0193",
            "/store/ojafresh?utm_source=whatsapp",
            "/store/ojafresh?q=rice&q=beans",
            "/admin",
        ] {
            assert_eq!(keepable(&request(address)), None, "{address}");
        }
        let with = |name, value: &'static str| {
            let mut request = request("/store/ojafresh");
            request.headers_mut().insert(name, HeaderValue::from_static(value));
            keepable(&request)
        };
        assert_eq!(with(COOKIE, "sc1_cart=abc"), None);
        assert_eq!(with(AUTHORIZATION, "Bearer x"), None);
        let mut post = request("/store/ojafresh");
        *post.method_mut() = Method::POST;
        assert_eq!(keepable(&post), None);
    }

    #[tokio::test]
    async fn a_page_is_cut_where_its_nonce_stands_and_sent_with_a_new_one() {
        assert_eq!(cut(b"a<s nonce=\"N1\">b</s><s nonce=\"N1\">", b"N1"), [&b"a<s nonce=\""[..], b"\">b</s><s nonce=\"", b"\">"]);
        assert_eq!(cut(b"no nonce here", b"N1"), [b"no nonce here"]);
        let page = Arc::new(KeptPage {
            headers: axum::http::HeaderMap::new(),
            extensions: axum::http::Extensions::new(),
            pieces: cut(b"<s nonce=\"N1\"></s>", b"N1"),
        });
        let sent = answer(&page);
        let nonce = nonce_of(&sent).unwrap();
        let (parts, body) = sent.into_parts();
        let text = axum::body::to_bytes(body, usize::MAX).await.unwrap();
        assert_eq!(&text[..], format!("<s nonce=\"{nonce}\"></s>").as_bytes());
        let sent = Response::from_parts(parts, Body::empty());
        let policy = sent.headers()[CONTENT_SECURITY_POLICY].to_str().unwrap().to_owned();
        assert_ne!(nonce, "N1");
        assert!(policy.contains(&format!("'nonce-{nonce}'")));
        assert_ne!(nonce_of(&answer(&page)), Some(nonce), "each answer has its own");
    }
}
