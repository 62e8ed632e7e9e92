//! What every request passes through before a handler: who is asking (the session cookie), from
//! where (the client's address, through trusted proxies only), and, for requests that change
//! state, whether they come from this site at all.

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

/// Refuses a state-changing request that comes from another site.
///
/// Browsers say where a request comes from in `Sec-Fetch-Site`, `Origin` and `Referer`; a form
/// posted by another site carries this site's cookies but not this site's origin. The check
/// holds whether or not the request carries a cookie: a sign-in or sign-up posted by another
/// site would otherwise sign the browser in to an account of that site's choosing. Only the
/// REST API is exempt, since it is authenticated by Bearer tokens, never by cookies. A request
/// that names no origin at all (an old client or a tool) is no browser following another site's
/// form, and passes.
pub async fn same_origin(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let safe = matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE);
    if safe || is_api(request.uri().path()) || from_this_site(request.headers(), &state.site.public_url) {
        return next.run(request).await;
    }
    tracing::warn!(path = %request.uri().path(), "cross-site request refused");
    (StatusCode::FORBIDDEN, "This request came from another site and was refused.").into_response()
}

/// Whether the path is the REST API's (Bearer tokens only, so nothing there for another site to forge).
fn is_api(path: &str) -> bool {
    path == "/api/v1" || path.starts_with("/api/v1/")
}

/// Whether the browser says the request comes from a page of this site. This site is its public
/// address, or (for a server reached under several names) the public address's scheme with the
/// host the request was sent to; the scheme always counts, so an `https` page is another site to
/// an `http` one.
fn from_this_site(headers: &HeaderMap, public_url: &str) -> bool {
    let text = |name| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(site) = text(header::HeaderName::from_static("sec-fetch-site")) {
        return matches!(site, "same-origin" | "none");
    }
    let Some(ours) = WebOrigin::of_url(public_url) else {
        tracing::error!(public_url, "the public address is not an http(s) address; cross-site checks refuse");
        return false;
    };
    let as_addressed = text(header::HOST).and_then(|host| WebOrigin::new(&ours.scheme, host));
    let is_ours = |origin: &WebOrigin| *origin == ours || as_addressed.as_ref() == Some(origin);
    if let Some(origin) = text(header::ORIGIN) {
        // `null` (a sandboxed frame, a redirect from elsewhere) names no origin of ours.
        return WebOrigin::of_url(origin).is_some_and(|o| is_ours(&o));
    }
    match headers.get(header::REFERER) {
        // Neither header: an old client or a tool, not a browser following another site's form.
        None => true,
        Some(referer) => referer.to_str().ok().and_then(WebOrigin::of_url).is_some_and(|o| is_ours(&o)),
    }
}

/// The scheme and host (with a port other than the scheme's own) of a web address, lower-cased.
#[derive(Debug, PartialEq, Eq)]
struct WebOrigin {
    scheme: String,
    authority: String,
}

impl WebOrigin {
    /// The origin of an `http` or `https` address; `None` for anything else.
    fn of_url(url: &str) -> Option<Self> {
        let (scheme, rest) = url.split_once("://")?;
        let authority = rest.split(['/', '?', '#']).next()?;
        Self::new(scheme, authority)
    }

    /// The origin of this scheme and `host[:port]`; `None` unless the scheme is http(s) and the
    /// host is a plain one (no user, no spaces or control characters).
    fn new(scheme: &str, authority: &str) -> Option<Self> {
        let scheme = scheme.to_ascii_lowercase();
        let default_port = match scheme.as_str() {
            "http" => ":80",
            "https" => ":443",
            _ => return None,
        };
        let plain = |c: char| c.is_ascii_graphic() && !matches!(c, '@' | '\\' | '/' | '?' | '#');
        if authority.is_empty() || !authority.chars().all(plain) {
            return None;
        }
        let authority = authority.to_ascii_lowercase();
        let authority = authority.strip_suffix(default_port).unwrap_or(&authority).to_owned();
        Some(Self { scheme, authority })
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
        let site = "https://shop.ng";
        assert!(from_this_site(&headers(&[("sec-fetch-site", "same-origin")]), site));
        assert!(!from_this_site(&headers(&[("sec-fetch-site", "cross-site")]), site));
        assert!(!from_this_site(&headers(&[("sec-fetch-site", "same-site")]), site));
        assert!(from_this_site(&headers(&[("host", "shop.ng"), ("origin", "https://shop.ng")]), site));
        assert!(from_this_site(&headers(&[("host", "shop.ng"), ("origin", "HTTPS://Shop.NG:443")]), site));
        assert!(!from_this_site(&headers(&[("host", "shop.ng"), ("origin", "https://evil.example")]), site));
        assert!(!from_this_site(&headers(&[("host", "shop.ng"), ("origin", "null")]), site));
        assert!(!from_this_site(&headers(&[("host", "shop.ng"), ("origin", "https://shop.ng.evil.example")]), site));
        assert!(!from_this_site(&headers(&[("host", "shop.ng"), ("origin", "https://shop.ng@evil.example")]), site));
        assert!(!from_this_site(&headers(&[("host", "shop.ng"), ("referer", "https://evil.example/x")]), site));
        assert!(from_this_site(&headers(&[("host", "shop.ng"), ("referer", "https://shop.ng/admin")]), site));
        assert!(from_this_site(&headers(&[("host", "shop.ng")]), site));
    }

    #[test]
    fn the_scheme_is_part_of_the_site() {
        let site = "http://127.0.0.1:3000";
        let with = |origin| headers(&[("host", "127.0.0.1:3000"), ("origin", origin)]);
        assert!(from_this_site(&with("http://127.0.0.1:3000"), site));
        assert!(!from_this_site(&with("https://127.0.0.1:3000"), site));
        assert!(!from_this_site(&headers(&[("host", "127.0.0.1:3000"), ("referer", "https://127.0.0.1:3000/")]), site));
        // Reached under another name than the public one: the same scheme on the host asked for.
        assert!(from_this_site(&headers(&[("host", "localhost:3000"), ("origin", "http://localhost:3000")]), site));
        assert!(!from_this_site(&headers(&[("host", "localhost:3000"), ("origin", "https://localhost:3000")]), site));
    }

    #[test]
    fn behind_a_tls_proxy_the_public_address_is_the_site() {
        let site = "https://shop.example.ng";
        let proxied = |origin| headers(&[("host", "10.0.0.5:3000"), ("origin", origin)]);
        assert!(from_this_site(&proxied("https://shop.example.ng"), site));
        assert!(!from_this_site(&proxied("http://shop.example.ng"), site));
        assert!(from_this_site(&headers(&[("host", "shop.example.ng"), ("origin", "https://shop.example.ng")]), site));
    }

    #[test]
    fn cookies_are_read_by_name() {
        let h = headers(&[("cookie", "a=1; sc1_session=abc; b=2")]);
        assert_eq!(cookie(&h, "sc1_session"), Some("abc"));
        assert_eq!(cookie(&h, "c"), None);
    }
}
