use leptos::prelude::*;
use leptos_router::hooks::use_location;

/// One entry of a workspace's side navigation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NavLink {
    /// Where it leads.
    pub href: &'static str,
    /// What it says.
    pub label: &'static str,
}

/// The frame of the back office and the vendor portal: a top bar, a side navigation that folds
/// away behind a menu button on phones, and the page.
#[component]
pub fn Workspace(
    /// The surface's name in the top bar ("Back office", "Vendor portal").
    surface: &'static str,
    /// The pages this surface has, in order.
    nav: &'static [NavLink],
    children: Children,
) -> impl IntoView {
    let (menu_open, set_menu_open) = signal(false);
    let path = use_location().pathname;
    view! {
        <div class="workspace">
            <header class="topbar">
                <button
                    type="button"
                    class="menu-button"
                    aria-controls="side-nav"
                    aria-expanded=move || menu_open.get().to_string()
                    aria-label="Menu"
                    on:click=move |_| set_menu_open.update(|open| *open = !*open)
                >
                    <svg aria-hidden="true" viewBox="0 0 24 24" class="h-6 w-6" fill="none" stroke="currentColor" stroke-width="2">
                        <path d="M4 6h16M4 12h16M4 18h16" />
                    </svg>
                </button>
                <a href="/" class="brand">
                    <span class="brand-mark">"SC"</span>
                    <span>"SC-1"</span>
                </a>
                <span class="topbar-surface">{surface}</span>
            </header>
            <div class="workspace-body">
                <nav
                    id="side-nav"
                    aria-label=surface
                    class=move || if menu_open.get() { "side-nav side-nav-open" } else { "side-nav" }
                >
                    <ul>
                        {nav
                            .iter()
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
