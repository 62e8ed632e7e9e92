use leptos::prelude::*;
use leptos_meta::Title;

/// `/pos`: the till's shell. The till runs in the browser (the `till` crate's wasm, which the
/// page's shell starts): it needs no session, as the device enrols as a register of a shop and
/// syncs with its own credential, and it opens from the service worker's cache without a
/// connection. Its first screen, before the wasm has started, says what is happening.
#[component]
pub fn PosHome() -> impl IntoView {
    // Reached by the back office's own navigation (a sign-in that lands a cashier here), the
    // page is the back office's: loaded afresh, it is the till's.
    Effect::new(|_| {
        let _ = window().location().reload();
    });
    view! {
        <Title text="Till" />
        <div id="till" class="pos">
            <header class="pos-bar">
                <span class="brand text-white"><span class="brand-mark">"SC"</span><span>"Till"</span></span>
            </header>
            // Replaced by the till once its wasm starts; what stays says why it did not.
            <main class="pos-main">
                <p class="text-slate-300">"Starting the till…"</p>
                <p class="mt-2 text-sm text-slate-400">"The till runs in the browser: if this stays, switch JavaScript on to sell here."</p>
            </main>
        </div>
    }
}
