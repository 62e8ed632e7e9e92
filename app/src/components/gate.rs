use commerce::base::{Actor, Permission};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_location;

use super::Loaded;
use super::status::set_status;
use crate::api::current_actor;

/// What a page asks of the person opening it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Needs {
    /// This permission in their business.
    Permission(Permission),
    /// To administer the platform.
    PlatformAdmin,
    /// Only to be signed in as staff or a platform admin.
    SignedIn,
}

/// Shows `children` to a signed-in person who may open the page; sends everyone else to sign in
/// (302 for a browser, 401 for any other client), and tells a person without the right that the
/// page is not theirs (403).
///
/// A page creates its resources before the gate, never inside `children`: on the server the
/// gate's `Suspense` runs its children several times while it looks for the resources they
/// read, and a resource created in them would be loaded (and sent to the browser) once per run.
#[component]
pub fn Gate<F, V>(needs: Needs, children: F) -> impl IntoView
where
    F: Fn(Actor) -> V + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let actor = Resource::new(|| (), |()| current_actor());
    view! {
        <Loaded resource=actor let:actor>
            {
                let children = children.clone();
                match actor {
                    None => view! { <SignInRequired /> }.into_any(),
                    Some(actor) if allowed(&actor, needs) => {
                        // Times on the page read on the business's clock (see `LocalTime`).
                        if let Actor::Staff(member) = &actor {
                            provide_context(member.zone.clone());
                        }
                        children(actor).into_any()
                    }
                    Some(actor) => view! { <NotYours actor /> }.into_any(),
                }
            }
        </Loaded>
    }
}

fn allowed(actor: &Actor, needs: Needs) -> bool {
    match needs {
        Needs::Permission(permission) => actor.can(permission),
        Needs::PlatformAdmin => actor.is_platform_admin(),
        Needs::SignedIn => matches!(actor, Actor::Staff(_) | Actor::PlatformAdmin { .. }),
    }
}

/// Sends a person who is not signed in to the sign-in page, then back here.
#[component]
fn SignInRequired() -> impl IntoView {
    let location = use_location();
    let here = location.pathname.get_untracked();
    let login = format!("/admin/login?next={}", percent_path(&here));
    // The page is refused whatever its resources answered; a browser (one that accepts HTML) is
    // then sent on to sign in, which replaces the 401 with a 302.
    set_status(401);
    #[cfg(feature = "ssr")]
    leptos_axum::redirect(&login);
    view! {
        <Title text="Sign in" />
        <main class="status-page">
            <h1 class="status-title">"Please sign in"</h1>
            <p class="status-message">"This page is for signed-in staff."</p>
            <a class="btn btn-primary mt-6" href=login>"Sign in"</a>
        </main>
    }
}

/// Tells a signed-in person that this page is not for their role, and where theirs is.
#[component]
fn NotYours(actor: Actor) -> impl IntoView {
    set_status(403);
    let (why, home) = match &actor {
        Actor::Staff(member) => (
            format!("Your role, {}, does not include this page.", member.role.label().to_lowercase()),
            member.role.home(),
        ),
        _ => ("Your account does not include this page.".to_owned(), "/"),
    };
    view! {
        <Title text="Not available" />
        <main class="status-page" role="alert">
            <p class="status-code">"403"</p>
            <h1 class="status-title">"This page isn't available to you"</h1>
            <p class="status-message">{format!("{why} Ask the business's owner if you need it.")}</p>
            <a class="btn btn-primary mt-6" href=home>"Go to your start page"</a>
        </main>
    }
}

/// A path made safe to put in a query string.
fn percent_path(path: &str) -> String {
    path.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' => char::from(b).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
