use leptos::prelude::*;
use leptos_meta::Title;

use crate::AppError;

/// Sets the HTTP status of the page being rendered on the server; does nothing in the browser.
pub(crate) fn set_status(status: u16) {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::from_u16(status).unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR));
    }
    #[cfg(not(feature = "ssr"))]
    let _ = status;
}

/// The page for an address that leads nowhere.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    set_status(404);
    view! {
        <Title text="Page not found" />
        <main class="status-page">
            <p class="status-code">"404"</p>
            <h1 class="status-title">"We couldn't find that page"</h1>
            <p class="status-message">"The address may be mistyped, or the page may have moved."</p>
            <a class="btn btn-primary mt-6" href="/">"Go to the start page"</a>
        </main>
    }
}

/// What to tell someone whose emailed link (sign-up, invitation, password reset) no longer finds
/// anything: the advice the domain gives in brackets (`reset link (it may have expired …)`).
fn link_advice(what: &str) -> Option<String> {
    let (thing, rest) = what.split_once(" (")?;
    let advice = rest.strip_suffix(')')?;
    if !(thing.contains("link") || advice.contains("link")) {
        return None;
    }
    let mut letters = advice.chars();
    let first = letters.next()?.to_uppercase();
    Some(format!("{first}{}.", letters.as_str()))
}

/// The page for a link that worked once and no longer does.
#[component]
fn LinkGonePage(advice: String) -> impl IntoView {
    view! {
        <Title text="This link no longer works" />
        <main class="status-page">
            <p class="status-code">"404"</p>
            <h1 class="status-title">"This link no longer works"</h1>
            <p class="status-message">{advice}</p>
            <a class="btn btn-primary mt-6" href="/">"Go to the start page"</a>
        </main>
    }
}

/// A readable explanation of an error, in place of the content that failed, with the matching status.
#[component]
pub fn ErrorPanel(error: AppError) -> impl IntoView {
    let status = error.status();
    set_status(status);
    if status == 404 {
        if let AppError::Domain(commerce::Error::NotFound(what)) = &error
            && let Some(advice) = link_advice(what)
        {
            return view! { <LinkGonePage advice /> }.into_any();
        }
        return view! { <NotFoundPage /> }.into_any();
    }
    let (title, message) = match &error {
        AppError::Domain(commerce::Error::Unavailable) | AppError::Transport(_) => (
            "We can't reach our records right now",
            "Nothing you entered has been lost. Please try again in a moment.".to_owned(),
        ),
        AppError::Domain(commerce::Error::Forbidden(_)) => ("You don't have access to this page", error.to_string()),
        AppError::Domain(
            commerce::Error::Invalid { .. } | commerce::Error::InvalidFields(_) | commerce::Error::Conflict { .. },
        )
        | AppError::BadRequest(_) => ("That didn't work", error.to_string()),
        AppError::Domain(_) => (
            "Something went wrong on our side",
            "We have logged the problem. Please try again; if it keeps happening, contact support.".to_owned(),
        ),
    };
    view! {
        <Title text=title />
        <main class="status-page" role="alert">
            <p class="status-code">{status}</p>
            <h1 class="status-title">{title}</h1>
            <p class="status-message">{message}</p>
            <a class="btn btn-primary mt-6" href="">"Try again"</a>
        </main>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::link_advice;

    #[test]
    fn a_spent_link_is_explained_with_the_advice_it_carries() {
        assert_eq!(
            link_advice("reset link (it may have expired or been used; ask for a new one)").as_deref(),
            Some("It may have expired or been used; ask for a new one.")
        );
        assert_eq!(
            link_advice("invitation (the link may have expired or been used)").as_deref(),
            Some("The link may have expired or been used.")
        );
        assert_eq!(link_advice("product"), None);
        assert_eq!(link_advice("store (closed)"), None);
    }
}
