//! The till: SC-1's point of sale, running in the browser. It is enrolled once as a register of
//! a shop, keeps what it sells and who may sell in the browser's storage, signs cashiers in by
//! PIN, rings sales, returns and shifts without a connection for as long as it must, and sends
//! every document it made to the server, which books each exactly once.
//!
//! It shares the domain's plain types and rules with the server (`commerce::pos`: the documents,
//! their checks, the pricing rule and receipt numbers), so that what the till checks and adds up
//! is what the server checks and books. Everything here is for the browser; built for any other
//! target the crate is empty.

#![cfg(target_arch = "wasm32")]
// Deeply nested screens have deeply nested view types; the default limit (128) is too low for them.
#![recursion_limit = "256"]

mod idb;
mod state;
mod sync;
mod ui;
mod web;

use wasm_bindgen::prelude::*;

/// Starts the till in the page's `#till` element (the page's whole body when there is none).
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
    // The service worker keeps the till's page and files, so that it opens without a connection.
    if let Some(window) = web_sys::window() {
        let _ = window.navigator().service_worker().register("/sw.js");
    }
    let place = leptos::prelude::document().get_element_by_id("till");
    match place.and_then(|p| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(p).ok()) {
        Some(place) => {
            place.set_inner_html("");
            leptos::mount::mount_to(place, ui::TillApp).forget();
        }
        None => leptos::mount::mount_to_body(ui::TillApp),
    }
    // The mark the other surfaces set once their script has taken over the page (tests wait
    // for it).
    if let Some(body) = leptos::prelude::document().body() {
        let _ = body.set_attribute("data-hydrated", "true");
    }
}
