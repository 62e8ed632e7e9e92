//! What every request passes through before a handler: who is asking (the session cookie), from
//! where (the client's address, through trusted proxies only), and, for requests that change
//! state with a cookie, whether they come from this site at all.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use commerce::identity::session::{self, ClientInfo};

use crate::AppState;

/// Addresses of the proxies whose `X-Forwarded-For` is believed.
#[derive(Clone, Debug, Default)]
pub struct TrustedProxies(pub Arc<Vec<IpAddr>>);

/// Paths served from files or by the process itself: no session is looked up for them.
fn is_static(path: &str) -> bool {
    path.starts_with("/pkg/")
        || path.starts_with("/icons/")
        || path.starts_with("/media/")
        || matches!(path, "/sw.js" | "/manifest.webmanifest" | "/favicon.ico" | "/healthz" | "/readyz" | "/metrics")
}

/// The value of a cookie in the request, if sent.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find_map(|(key, value)| (key == name).then_some(value))
}

/// The client's address: the peer's, or the last untrusted hop of `X-Forwarded-For` when the
/// peer is a trusted proxy.
fn client_ip(request: &Request, trusted: &TrustedProxies) -> String {
    let peer = request.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
    let Some(peer) = peer else { return "unknown".into() };
    if !trusted.0.contains(&peer) {
        return peer.to_string();
    }
    let forwarded = request
        .headers()
        .get("x-forwarded-for")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .split(',')
        .filter_map(|hop| hop.trim().parse::<IpAddr>().ok())
        .rev()
        .find(|hop| !trusted.0.contains(hop));
    forwarded.unwrap_or(peer).to_string()
}

/// Attaches the client's details and, when the cookie names a live session, who is acting.
pub async fn identify(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let path = request.uri().path();
    if is_static(path) {
        return next.run(request).await;
    }
    let client = ClientInfo {
        user_agent: request
            .headers()
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned(),
        ip: client_ip(&request, &state.trusted_proxies),
    };
    if let Some(value) = cookie(request.headers(), session::COOKIE).map(str::to_owned) {
        match session::resolve(state.db.primary(), &value).await {
            Ok(Some(resolved)) => {
                request.extensions_mut().insert(resolved);
            }
            Ok(None) => {}
            // A database outage: carry on signed out; the page itself will report the outage.
            Err(error) => tracing::warn!(%error, "session look-up failed"),
        }
    }
    request.extensions_mut().insert(client);
    next.run(request).await
}

/// Refuses a state-changing request that carries a cookie but comes from another site.
///
/// Browsers say where a request comes from in `Sec-Fetch-Site` and `Origin`; a form posted by
/// another site carries this site's cookies but not this site's origin. Requests without a
/// cookie (API clients with Bearer tokens) have nothing to forge and pass.
pub async fn same_origin(request: Request, next: Next) -> Response {
    let safe = matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE);
    if safe || request.headers().get(header::COOKIE).is_none() || from_this_site(request.headers()) {
        return next.run(request).await;
    }
    tracing::warn!(path = %request.uri().path(), "cross-site request refused");
    (StatusCode::FORBIDDEN, "This request came from another site and was refused.").into_response()
}

fn from_this_site(headers: &HeaderMap) -> bool {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return matches!(site, "same-origin" | "none");
    }
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    let origin = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok());
    match (origin, host) {
        (Some(origin), Some(host)) => {
            origin.strip_prefix("http://").or_else(|| origin.strip_prefix("https://")) == Some(host)
        }
        // Neither header: an old client or a tool, not a browser following another site's form.
        (None, _) => headers.get(header::REFERER).is_none_or(|referer| {
            let host = host.unwrap_or_default();
            referer
                .to_str()
                .ok()
                .and_then(|r| r.strip_prefix("http://").or_else(|| r.strip_prefix("https://")))
                .is_some_and(|rest| rest.split('/').next() == Some(host))
        }),
        (Some(_), None) => false,
    }
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (k, v) in pairs {
            map.insert(*k, HeaderValue::from_static(v));
        }
        map
    }

    #[test]
    fn same_site_requests_pass_and_others_do_not() {
        assert!(from_this_site(&headers(&[("sec-fetch-site", "same-origin")])));
        assert!(!from_this_site(&headers(&[("sec-fetch-site", "cross-site")])));
        assert!(!from_this_site(&headers(&[("sec-fetch-site", "same-site")])));
        assert!(from_this_site(&headers(&[("host", "shop.ng"), ("origin", "https://shop.ng")])));
        assert!(!from_this_site(&headers(&[("host", "shop.ng"), ("origin", "https://evil.example")])));
        assert!(!from_this_site(&headers(&[("host", "shop.ng"), ("referer", "https://evil.example/x")])));
        assert!(from_this_site(&headers(&[("host", "shop.ng")])));
    }

    #[test]
    fn cookies_are_read_by_name() {
        let h = headers(&[("cookie", "a=1; sc1_session=abc; b=2")]);
        assert_eq!(cookie(&h, "sc1_session"), Some("abc"));
        assert_eq!(cookie(&h, "c"), None);
    }
}

/// Makes sure a page carries the policy that names its inline scripts. The page sets it while
/// rendering; a page that arrives without it (seen once under load, cause not yet known) gets
/// it here from the nonce its scripts carry, rather than a policy that blocks them all.
pub async fn page_policy(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let headers = response.headers();
    let is_page =
        headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with("text/html"));
    let has_nonce = headers
        .get(header::CONTENT_SECURITY_POLICY)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("'nonce-"));
    if !is_page || has_nonce {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 16 * 1024 * 1024).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    if let Some(nonce) = script_nonce(&bytes) {
        tracing::warn!("a page came without its security policy; set from its scripts' nonce");
        if let Ok(value) = axum::http::HeaderValue::from_str(&app::page_policy(&nonce)) {
            parts.headers.insert(header::CONTENT_SECURITY_POLICY, value);
        }
    }
    Response::from_parts(parts, axum::body::Body::from(bytes))
}

/// The nonce of the first script that has one.
fn script_nonce(html: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(html).ok()?;
    let start = text.find("nonce=\"")? + "nonce=\"".len();
    let end = text[start..].find('"')?;
    let nonce = &text[start..start + end];
    nonce.chars().all(|c| c.is_ascii_alphanumeric() || "+/=-_".contains(c)).then(|| nonce.to_owned())
}

#[cfg(test)]
mod page_policy_tests {
    use super::script_nonce;

    #[test]
    fn the_nonce_is_read_from_the_first_script_that_has_one() {
        let html = br#"<html><head><script src="/pkg/sc1.js"></script><script nonce="Ab3+/x=">go()</script>"#;
        assert_eq!(script_nonce(html).as_deref(), Some("Ab3+/x="));
        assert_eq!(script_nonce(br#"<script nonce="x'; script-src *">"#), None, "nothing that could widen the policy");
        assert_eq!(script_nonce(b"<p>no scripts</p>"), None);
    }
}
