//! A store's home and category pages, sent whole from memory to visitors without cookies.
//!
//! Such a visitor is sent what every other such visitor is sent: the page names nobody, holds
//! no cart, and is made from the store's kept parts (see [`app::api::StoreCache`]). Rendering
//! and compressing it are still most of the work of answering, so the first answer is kept
//! whole, compressed once for each way visitors ask for it, and later answers are copies of it
//! until a change of the business forgets it with the rest of its store.
//!
//! A storefront page is never hydrated, so the inline scripts Leptos writes for hydration (the
//! only ones it has) serve nothing. A kept page goes without them, and so without the nonce its
//! security policy named for them: a kept nonce would be known to everyone sent the page, and
//! one made afresh for each answer would make each answer's text, and its compression, its own.
//!
//! A page is kept only when it came out whole and plain: a 200 that sets no cookie, for an
//! address that says nothing but what the shelf reads (`q`, `category`, `brand`, `min`, `max`,
//! `stock`, `sort`, `after`), so that addresses with made-up parameters cannot crowd out the
//! real ones.

use std::io::Write as _;

use app::api::KeptPage;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::header::{
    ACCEPT_ENCODING, AUTHORIZATION, CONTENT_ENCODING, CONTENT_LENGTH, CONTENT_SECURITY_POLICY, COOKIE, SET_COOKIE, VARY,
};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use bytes::Bytes;

use crate::AppState;

/// The parameters a store page's address may carry and still be kept.
const SHELF_PARAMETERS: [&str; 8] = ["q", "category", "brand", "min", "max", "stock", "sort", "after"];

/// Answers a visitor without cookies from the kept page, or keeps the page made for them.
pub async fn send_kept(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let Some(slug) = keepable(&request) else {
        return next.run(request).await;
    };
    let encoding = Encoding::asked(request.headers());
    let cache = &state.live.store_cache;
    let address = address(&request);
    if let Some(page) = cache.page(&slug, &address) {
        return answer(&page, encoding);
    }
    let started = cache.start_page();
    if !started.keeps() {
        return next.run(request).await;
    }
    let response = next.run(request).await;
    if response.status() != StatusCode::OK || response.headers().contains_key(SET_COOKIE) {
        return response;
    }
    let Some(nonce) = nonce_of(response.headers()) else {
        return response;
    };
    let (parts, body) = response.into_parts();
    let text = match axum::body::to_bytes(body, usize::MAX).await {
        Ok(text) => text,
        Err(error) => {
            tracing::error!(%error, "a store page could not be read whole");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let Some(plain) = without_inline_scripts(&text, &nonce) else {
        tracing::warn!("a store page carries its nonce outside the hydration scripts; it is not kept");
        return Response::from_parts(parts, Body::from(text));
    };
    let mut headers = parts.headers;
    headers.remove(CONTENT_LENGTH);
    if let Ok(policy) = HeaderValue::from_str(&app::page_policy(None)) {
        headers.insert(CONTENT_SECURITY_POLICY, policy);
    }
    let page = KeptPage {
        headers,
        extensions: parts.extensions,
        text: Bytes::from(plain),
        gzip: std::sync::OnceLock::new(),
        brotli: std::sync::OnceLock::new(),
    };
    let sent = answer(&page, encoding);
    cache.keep_page(&slug, &address, started, page);
    sent
}

/// The store's address name (`slug`), when this request is for a page that may be kept: a `GET`
/// of `/store/{slug}` or `/store/{slug}/c/{category}` with no cookie and no credentials, and
/// no parameter but the shelf's, each once.
///
/// The address must be plain as well: a store's name as stores are named (lower-case letters,
/// digits and hyphens) and a category's id. The router decodes what it reads, so an address
/// such as `/store/one/c/..\..\two` shows another store's page; it is made, not kept under the
/// first store.
fn keepable(request: &Request) -> Option<String> {
    if request.method() != Method::GET
        || request.headers().contains_key(COOKIE)
        || request.headers().contains_key(AUTHORIZATION)
    {
        return None;
    }
    let rest = request.uri().path().strip_prefix("/store/")?;
    let (slug, below) = rest.split_once('/').unwrap_or((rest, ""));
    let page =
        below.is_empty() || below.strip_prefix("c/").is_some_and(|category| uuid::Uuid::try_parse(category).is_ok());
    let named = (1..=40).contains(&slug.len())
        && slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !named || !page {
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

/// The page's address as it is kept: its path, and its parameters that say something (an empty
/// one narrows nothing), in one order, since the page reads them by name.
fn address(request: &Request) -> String {
    let mut pairs: Vec<&str> = request
        .uri()
        .query()
        .unwrap_or_default()
        .split('&')
        .filter(|pair| pair.split_once('=').is_some_and(|(_, value)| !value.is_empty()))
        .collect();
    pairs.sort_unstable();
    let path = request.uri().path();
    if pairs.is_empty() { path.to_owned() } else { format!("{path}?{}", pairs.join("&")) }
}

/// The nonce a security policy allows inline scripts by.
fn nonce_of(headers: &HeaderMap) -> Option<String> {
    let policy = headers.get(CONTENT_SECURITY_POLICY)?.to_str().ok()?;
    let start = policy.find("'nonce-")? + "'nonce-".len();
    let nonce = &policy[start..start + policy[start..].find('\'')?];
    (!nonce.is_empty()).then(|| nonce.to_owned())
}

/// Where `needle` first stands in `text`.
fn find(text: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(text, needle)
}

/// The page without its inline scripts (those carrying `nonce`); none when the nonce stands
/// anywhere else, so that nothing the page needs is taken out.
fn without_inline_scripts(text: &[u8], nonce: &str) -> Option<Vec<u8>> {
    let open = format!("<script nonce=\"{nonce}\">");
    let close = b"</script>";
    let mut plain = Vec::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = find(rest, open.as_bytes()) {
        plain.extend_from_slice(&rest[..at]);
        let script = &rest[at + open.len()..];
        rest = &script[find(script, close)? + close.len()..];
    }
    plain.extend_from_slice(rest);
    find(&plain, nonce.as_bytes()).is_none().then_some(plain)
}

/// How a visitor asked to be sent a page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Encoding {
    Identity,
    Gzip,
    Brotli,
}

impl Encoding {
    /// The best of those this site makes that the visitor accepts (`Accept-Encoding`; a
    /// quality of 0 refuses), Brotli first.
    fn asked(headers: &HeaderMap) -> Self {
        // Whether each was named, and accepted; `*` stands for those not named.
        let (mut gzip, mut brotli, mut any) = (None, None, None);
        for value in headers.get_all(ACCEPT_ENCODING).iter().filter_map(|v| v.to_str().ok()) {
            for item in value.split(',') {
                let mut parts = item.split(';');
                let name = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
                let accepted = parts
                    .find_map(|p| p.trim().strip_prefix("q="))
                    .is_none_or(|q| q.trim().parse::<f32>().is_ok_and(|q| q > 0.0));
                match name.as_str() {
                    "br" => brotli = Some(accepted),
                    "gzip" => gzip = Some(accepted),
                    "*" => any = Some(accepted),
                    _ => {}
                }
            }
        }
        if brotli.or(any).unwrap_or(false) {
            Self::Brotli
        } else if gzip.or(any).unwrap_or(false) {
            Self::Gzip
        } else {
            Self::Identity
        }
    }
}

/// A kept page as the visitor asked for it, compressed on the first asking and kept so.
fn answer(page: &KeptPage, encoding: Encoding) -> Response {
    let (text, name) = match encoding {
        Encoding::Identity => (page.text.clone(), None),
        Encoding::Gzip => (page.gzip.get_or_init(|| gzipped(&page.text)).clone(), Some("gzip")),
        Encoding::Brotli => (page.brotli.get_or_init(|| brotli(&page.text)).clone(), Some("br")),
    };
    let mut response = Response::new(Body::from(text));
    *response.headers_mut() = page.headers.clone();
    *response.extensions_mut() = page.extensions.clone();
    if let Some(name) = name {
        response.headers_mut().insert(CONTENT_ENCODING, HeaderValue::from_static(name));
    }
    // The same address is sent otherwise to a visitor with cookies (a shopper's own page).
    response.headers_mut().insert(VARY, HeaderValue::from_static("accept-encoding, cookie"));
    response
}

fn gzipped(text: &[u8]) -> Bytes {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    // Writing to memory cannot fail.
    let _ = encoder.write_all(text);
    Bytes::from(encoder.finish().unwrap_or_default())
}

fn brotli(text: &[u8]) -> Bytes {
    let mut out = Vec::new();
    {
        // Quality 5 of 11: smaller than gzip at its best, in about a millisecond for a page,
        // which a busy shop's visitors pay again after every sale.
        let mut encoder = brotli::CompressorWriter::new(&mut out, 4096, 5, 22);
        let _ = encoder.write_all(text);
    }
    Bytes::from(out)
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
        assert_eq!(
            keepable(&request("/store/ojafresh/c/0193a1b2-0000-7000-8000-000000000001")).as_deref(),
            Some("ojafresh")
        );
        assert_eq!(keepable(&request("/store/ojafresh?q=rice&sort=price&after=x")).as_deref(), Some("ojafresh"));
        for address in [
            "/store/",
            "/store/ojafresh/cart",
            "/store/ojafresh/c/",
            "/store/ojafresh/c/a/b",
            "/store/ojafresh/c/0193",
            "/store/one/c/..\\..\\two",
            "/store/one/c/%2e%2e%2ftwo",
            "/store/%6Fjafresh",
            "/store/OjaFresh",
            "/store/oja.fresh",
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

    #[test]
    fn equal_addresses_are_kept_as_one() {
        assert_eq!(address(&request("/store/oja?sort=price&q=rice")), "/store/oja?q=rice&sort=price");
        assert_eq!(address(&request("/store/oja?q=rice&sort=price")), "/store/oja?q=rice&sort=price");
        assert_eq!(address(&request("/store/oja?q=&brand=&stock=1")), "/store/oja?stock=1");
        assert_eq!(address(&request("/store/oja?q=")), "/store/oja");
        assert_eq!(address(&request("/store/oja")), "/store/oja");
    }

    #[test]
    fn a_kept_page_goes_without_its_inline_scripts_and_only_when_nothing_else_names_the_nonce() {
        let page = b"<head><script nonce=\"N1\">__A=[];</script><script src=\"/s.js\"></script></head>\
                     <body><p>Rice</p><script nonce=\"N1\">__B=[];</script></body>";
        assert_eq!(
            without_inline_scripts(page, "N1").as_deref(),
            Some(&b"<head><script src=\"/s.js\"></script></head><body><p>Rice</p></body>"[..])
        );
        assert_eq!(without_inline_scripts(b"<style nonce=\"N1\"></style>", "N1"), None, "a nonce elsewhere");
        assert_eq!(without_inline_scripts(b"<script nonce=\"N1\">__A=[];", "N1"), None, "a script never closed");
        assert_eq!(without_inline_scripts(b"plain", "N1").as_deref(), Some(&b"plain"[..]));
    }

    #[test]
    fn a_visitor_is_sent_the_best_encoding_they_accept() {
        let asked = |value: &'static str| {
            let mut headers = HeaderMap::new();
            headers.insert(ACCEPT_ENCODING, HeaderValue::from_static(value));
            Encoding::asked(&headers)
        };
        assert_eq!(Encoding::asked(&HeaderMap::new()), Encoding::Identity);
        assert_eq!(asked("gzip, deflate, br, zstd"), Encoding::Brotli);
        assert_eq!(asked("gzip"), Encoding::Gzip);
        assert_eq!(asked("br;q=0, gzip;q=0.5"), Encoding::Gzip);
        assert_eq!(asked("gzip;q=0"), Encoding::Identity);
        assert_eq!(asked("*"), Encoding::Brotli);
        assert_eq!(asked("br;q=0, *"), Encoding::Gzip);
        assert_eq!(asked("identity"), Encoding::Identity);
    }
}
