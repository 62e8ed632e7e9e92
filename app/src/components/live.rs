//! Following what the server announces: an `EventSource` on a Server-Sent Events address,
//! opened in the browser once the page is live and closed when the page goes away. It
//! reconnects by itself after the connection drops.

/// Calls `on_message` with the data of every `event` announced at `url` while the component
/// that called this is on the page. Does nothing on the server.
pub fn follow_events(url: String, event: &'static str, on_message: impl Fn(String) + 'static) {
    #[cfg(feature = "hydrate")]
    {
        use leptos::prelude::{Effect, on_cleanup};
        use send_wrapper::SendWrapper;
        use wasm_bindgen::JsCast;
        use wasm_bindgen::closure::Closure;

        let on_message = SendWrapper::new(std::rc::Rc::new(on_message));
        Effect::new(move |opened: Option<()>| {
            if opened.is_some() {
                return;
            }
            let Ok(source) = web_sys::EventSource::new(&url) else { return };
            let handler = std::rc::Rc::clone(&on_message);
            let listener = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
                handler(ev.data().as_string().unwrap_or_default());
            });
            let _ = source.add_event_listener_with_callback(event, listener.as_ref().unchecked_ref());
            let kept = SendWrapper::new((source, listener));
            on_cleanup(move || kept.0.close());
        });
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (url, event, on_message);
    }
}
