use commerce::base::{Actor, Permission};
use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::api::LogOut;

/// One entry of a workspace's side navigation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NavLink {
    /// Where it leads.
    pub href: &'static str,
    /// What it says.
    pub label: &'static str,
    /// What the page needs; the link shows only to those who have it (`None`: platform admins).
    pub needs: Option<Permission>,
}

impl NavLink {
    fn visible_to(&self, actor: &Actor) -> bool {
        match self.needs {
            Some(permission) => actor.can(permission),
            None => actor.is_platform_admin(),
        }
    }
}

/// The frame of the back office, the vendor portal and the platform pages: a top bar with the
/// person and a way out, a side navigation (only what they may open) that folds away behind a
/// menu button on phones, and the page.
#[component]
pub fn Workspace(
    /// The surface's name in the top bar ("Back office", "Vendor portal").
    surface: &'static str,
    /// The pages this surface has, in order.
    nav: &'static [NavLink],
    /// Who is signed in.
    actor: Actor,
    children: Children,
) -> impl IntoView {
    let (menu_open, set_menu_open) = signal(false);
    let location = use_location();
    let path = location.pathname;
    // Opened from its link before the script ran: it stays open now that the script decides.
    Effect::new(move || {
        if location.hash.get_untracked() == "#side-nav" {
            set_menu_open.set(true);
        }
    });
    let links: Vec<NavLink> = nav.iter().copied().filter(|l| l.visible_to(&actor)).collect();
    let (who, business) = match &actor {
        Actor::Staff(member) => (member.name.clone(), member.tenant_name.clone()),
        Actor::PlatformAdmin { name, .. } => (name.clone(), "Platform".to_owned()),
        Actor::Shopper { name, .. } | Actor::ApiClient { name, .. } => (name.clone(), String::new()),
        Actor::Visitor { .. } => ("Visitor".to_owned(), String::new()),
    };
    let log_out = ServerAction::<LogOut>::new();
    view! {
        <div class="workspace">
            <header class="topbar">
                // A link to the navigation, so that it opens before the script has loaded too
                // (the stylesheet shows a navigation that is the address's target); once the
                // script runs, it opens and closes in place.
                <a
                    href="#side-nav"
                    role="button"
                    class="menu-button"
                    aria-controls="side-nav"
                    aria-expanded=move || menu_open.get().to_string()
                    aria-label="Menu"
                    on:click=move |ev| {
                        ev.prevent_default();
                        set_menu_open.update(|open| *open = !*open);
                    }
                >
                    <svg aria-hidden="true" viewBox="0 0 24 24" class="h-6 w-6" fill="none" stroke="currentColor" stroke-width="2">
                        <path d="M4 6h16M4 12h16M4 18h16" />
                    </svg>
                </a>
                <a href="/" class="brand">
                    <span class="brand-mark">"SC"</span>
                    <span class="hidden sm:inline">"SC-1"</span>
                </a>
                <span class="topbar-surface">{surface}</span>
                <div class="ml-auto flex items-center gap-3">
                    <div class="hidden text-right text-sm leading-tight sm:block">
                        <a href="/admin/account" class="font-medium text-slate-900 hover:underline" data-testid="signed-in-as">{who}</a>
                        <div class="text-xs text-slate-500">{business}</div>
                    </div>
                    <ActionForm action=log_out>
                        <button type="submit" class="btn btn-secondary btn-sm">"Sign out"</button>
                    </ActionForm>
                </div>
            </header>
            <div class="workspace-body">
                <nav
                    id="side-nav"
                    aria-label=surface
                    class=move || if menu_open.get() { "side-nav side-nav-open" } else { "side-nav" }
                >
                    <ul>
                        {links
                            .into_iter()
                            .map(|link| {
                                let href = link.href;
                                view! {
                                    <li>
                                        <a
                                            href=href
                                            class="side-nav-link"
                                            aria-current=move || (path.get() == href).then_some("page")
                                            on:click=move |_| set_menu_open.set(false)
                                        >
                                            {link.label}
                                        </a>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                </nav>
                <main class="workspace-main">{children()}</main>
            </div>
        </div>
    }
}
