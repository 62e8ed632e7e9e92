//! Forms the browser posts itself, before the page's script has loaded or with it switched off.
//!
//! A server function answers such a post with a redirect back to the form's page, carrying a
//! refusal in the address (`__path`, `__err`), which the page shows beside the field it is about
//! (`components::failed`). This layer adds what was typed, so that the page can fill the form in
//! again (`components::typed`): each field as `__f.<name>`, never a password, a token or the
//! form's one-time key, and nothing when the fields would make an address too long to keep. It
//! also makes the redirect a 303, so that the browser fetches the page rather than posting again.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The most a plain form may send; a larger one is not a form typed by a person.
const LARGEST_FORM: usize = 256 * 1024;

/// The most that is kept of what was typed, encoded, so that the address stays one that every
/// browser and proxy carries.
const LONGEST_KEPT: usize = 6 * 1024;

/// See the module's notes.
pub async fn plain_form_posts(request: Request, next: Next) -> Response {
    if !is_plain_form_post(&request) {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, LARGEST_FORM).await else {
        return (StatusCode::PAYLOAD_TOO_LARGE, "This form sent more than a form can hold.").into_response();
    };
    let typed: Vec<(String, String)> = form_urlencoded::parse(&bytes)
        .filter(|(name, _)| kept(name))
        .map(|(name, value)| (format!("__f.{name}"), value.into_owned()))
        .collect();
    let mut response = next.run(Request::from_parts(parts, Body::from(bytes))).await;
    if !response.status().is_redirection() {
        return response;
    }
    let Some(location) = response.headers().get(header::LOCATION).and_then(|v| v.to_str().ok()).map(str::to_owned)
    else {
        return response;
    };
    let refused = location.contains("__err=");
    let again = rewrite(&location, if refused { &typed } else { &[] });
    if let Ok(value) = HeaderValue::from_str(&again) {
        response.headers_mut().insert(header::LOCATION, value);
        *response.status_mut() = StatusCode::SEE_OTHER;
    }
    response
}

/// A form the browser posts to a server function itself, asking for a page back.
fn is_plain_form_post(request: &Request) -> bool {
    let has = |name: header::HeaderName, text: &str| {
        request.headers().get(name).and_then(|v| v.to_str().ok()).is_some_and(|v| v.contains(text))
    };
    request.method() == Method::POST
        && request.uri().path().starts_with("/rpc/")
        && has(header::ACCEPT, "text/html")
        && has(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
}

/// Whether a field's value may travel in an address.
fn kept(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    !name.starts_with("__") && !["password", "token", "secret", "submission", "pin"].iter().any(|s| name.contains(s))
}

/// `location` without the fields an earlier refusal kept, with only the latest refusal (a form
/// refused twice comes back from an address that already carries the first), and with `typed`
/// added when they fit.
fn rewrite(location: &str, typed: &[(String, String)]) -> String {
    let (path, query) = location.split_once('?').unwrap_or((location, ""));
    let pairs: Vec<(String, String)> =
        form_urlencoded::parse(query.as_bytes()).map(|(n, v)| (n.into_owned(), v.into_owned())).collect();
    let latest = |name: &str| pairs.iter().rev().find(|(n, _)| n == name).map(|(_, v)| v.clone());
    let mut kept = form_urlencoded::Serializer::new(String::new());
    for (name, value) in pairs.iter().filter(|(n, _)| !n.starts_with("__f.") && n != "__path" && n != "__err") {
        kept.append_pair(name, value);
    }
    for name in ["__path", "__err"] {
        if let Some(value) = latest(name) {
            kept.append_pair(name, &value);
        }
    }
    let before = kept.finish();
    let mut with_typed = form_urlencoded::Serializer::new(before.clone());
    with_typed.extend_pairs(typed);
    let with_typed = with_typed.finish();
    let query = if with_typed.len() - before.len() <= LONGEST_KEPT { with_typed } else { before };
    if query.is_empty() { path.to_owned() } else { format!("{path}?{query}") }
}

#[cfg(test)]
mod tests {
    use super::{kept, rewrite};

    #[test]
    fn a_refused_form_comes_back_with_what_was_typed_but_never_a_password() {
        assert!(kept("email") && kept("lines") && !kept("password") && !kept("new_password") && !kept("submission"));
        let typed =
            [("__f.email".to_owned(), "ada@oja.ng".to_owned()), ("__f.lines".to_owned(), "PEAK 2 7,000".to_owned())];
        assert_eq!(
            rewrite("http://x/admin/login?__path=%2Frpc%2Flog_in&__err=e30&__f.email=old", &typed),
            "http://x/admin/login?__path=%2Frpc%2Flog_in&__err=e30&__f.email=ada%40oja.ng&__f.lines=PEAK+2+7%2C000"
        );
        assert_eq!(rewrite("http://x/admin/stock?q=1&__f.lines=old", &[]), "http://x/admin/stock?q=1");
        assert_eq!(
            rewrite(
                "http://x/admin/login?__path=%2Frpc%2Flog_in&__err=first&__f.email=a&__path=%2Frpc%2Flog_in&__err=second",
                &[]
            ),
            "http://x/admin/login?__path=%2Frpc%2Flog_in&__err=second",
            "a form refused twice shows the second refusal"
        );
        let long = [("__f.lines".to_owned(), "x".repeat(10_000))];
        assert_eq!(rewrite("http://x/a?__err=e30", &long), "http://x/a?__err=e30");
    }
}
