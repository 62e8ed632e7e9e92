//! Enrolling this device as a register: the code a manager was shown in the back office.

use commerce::pos::Enrolment;
use leptos::prelude::*;
use serde_json::json;

use crate::state::{Screen, Till};
use crate::web;

/// The code's form. Enrolling needs a connection once; the till works offline after that.
#[component]
pub fn Enrol() -> impl IntoView {
    let till = expect_context::<Till>();
    let code = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            let body = json!({ "code": code.get_untracked() });
            match web::call::<Enrolment>("/api/v1/pos/enrol", None, Some(&body)).await {
                Ok(enrolled) => {
                    let write = crate::idb::Write {
                        store: crate::idb::META,
                        key: "credential".to_owned(),
                        value: Some(enrolled.credential.clone()),
                    };
                    let stored = match crate::state::db() {
                        Ok(db) => db.write(&[write]).await.map_err(|e| e.0),
                        Err(e) => Err(e.0),
                    };
                    match stored {
                        Ok(()) => match till.refresh().await {
                            Ok(()) => till.screen.set(Screen::SignIn),
                            Err(failure) => error.set(Some(failure.to_string())),
                        },
                        Err(why) => error.set(Some(format!("The till could not keep its credential: {why}"))),
                    }
                }
                Err(failure) => error.set(Some(failure.to_string())),
            }
            busy.set(false);
        });
    };
    view! {
        <section class="pos-card mx-auto max-w-md" aria-labelledby="enrol-heading">
            <h1 id="enrol-heading" class="text-xl font-bold text-white">"Enrol this till"</h1>
            <p class="mt-1 text-sm text-slate-400">
                "A manager adds a register in the back office (Settings → Registers) and is shown a code. Type it here; this device then works as that register, also without a connection."
            </p>
            <form class="mt-4 space-y-3" on:submit=submit>
                <label class="block text-sm" for="enrol-code">"Code"</label>
                <input id="enrol-code" name="code" class="till-input uppercase tracking-widest" autocomplete="off"
                    placeholder="K7QX-2M9P" required maxlength="20"
                    prop:value=code on:input=move |ev| code.set(event_target_value(&ev)) />
                {move || error.get().map(|e| view! { <p class="text-sm text-amber-300" role="alert">{e}</p> })}
                <button type="submit" class="btn btn-primary w-full" disabled=move || busy.get()>
                    {move || if busy.get() { "Enrolling…" } else { "Enrol" }}
                </button>
            </form>
        </section>
    }
}
