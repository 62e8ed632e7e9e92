//! The till's screens: a header that says who is signed in, whether the till is online and how
//! much waits to sync, and one screen at a time below it.

mod approve;
mod camera;
mod enrol;
mod pay;
mod returns;
mod sell;
mod shift;
mod sign_in;

use commerce::{Currency, Money};
use leptos::ev;
use leptos::prelude::*;
use rust_decimal::Decimal;

use crate::state::{Screen, Till};

pub use approve::{Approval, ApprovalPad};

/// The whole till.
#[component]
pub fn TillApp() -> impl IntoView {
    let till = Till::new();
    provide_context(till);
    Effect::new(move |_| {
        leptos::task::spawn_local(async move {
            if let Err(error) = till.load().await {
                till.notice.set(Some(format!("The till cannot keep its data in this browser: {error}")));
            }
            till.sync_soon();
        });
        let up = window_event_listener(ev::online, move |_| {
            till.online.set(true);
            till.sync_soon();
        });
        let down = window_event_listener(ev::offline, move |_| till.online.set(false));
        // Every minute: what waits is sent, and what changed is fetched.
        let tick = set_interval_with_handle(move || till.sync_soon(), std::time::Duration::from_mins(1)).ok();
        on_cleanup(move || {
            up.remove();
            down.remove();
            if let Some(tick) = tick {
                tick.clear();
            }
        });
    });
    view! {
        <div class="pos till" data-testid="till">
            <Header />
            <Notice />
            <main class="till-main">
                {move || match till.screen.get() {
                    Screen::Starting => view! { <p class="p-6 text-slate-300">"Opening the till…"</p> }.into_any(),
                    Screen::Enrol => view! { <enrol::Enrol /> }.into_any(),
                    Screen::SignIn => view! { <sign_in::SignIn /> }.into_any(),
                    Screen::OpenShift => view! { <shift::OpenShift /> }.into_any(),
                    Screen::Sell => view! { <sell::Sell /> }.into_any(),
                    Screen::Pay => view! { <pay::Pay /> }.into_any(),
                    Screen::Receipt(id) => view! { <pay::ReceiptView id /> }.into_any(),
                    Screen::Return => view! { <returns::Return /> }.into_any(),
                    Screen::Cash => view! { <shift::CashInOut /> }.into_any(),
                    Screen::Close => view! { <shift::Close /> }.into_any(),
                    Screen::Refused => view! { <Refused /> }.into_any(),
                }}
            </main>
        </div>
    }
}

/// The till's bar: the register, the cashier, the connection and what waits to sync.
#[component]
fn Header() -> impl IntoView {
    let till = expect_context::<Till>();
    let register = move || till.data.with(|d| d.as_ref().map(|d| d.register.name.clone()).unwrap_or_default());
    let cashier = move || till.cashier.with(|c| c.as_ref().map(|c| c.name.clone()));
    let waiting = move || till.waiting.get();
    let refused = move || till.refused.with(Vec::len);
    let status = move || {
        if till.shut_out.get() {
            "This register was revoked or is unknown: documents are kept here".to_owned()
        } else if let Some((sent, total)) = till.progress.get() {
            format!("Syncing {sent} of {total}…")
        } else if till.online.get() {
            "Online".to_owned()
        } else {
            "Offline".to_owned()
        }
    };
    let lock = move |_| {
        till.cashier.set(None);
        leptos::task::spawn_local(async move {
            let _ = till.keep("session", &None::<uuid::Uuid>).await;
        });
        till.screen.set(Screen::SignIn);
    };
    view! {
        <header class="pos-bar h-auto min-h-14 flex-wrap gap-2 py-2">
            <div class="flex min-w-0 items-center gap-2">
                <span class="brand-mark">"SC"</span>
                <span class="truncate font-semibold">{register}</span>
                {move || cashier().map(|name| view! { <span class="truncate text-sm text-slate-400" data-testid="cashier">{name}</span> })}
            </div>
            <div class="flex items-center gap-2 text-sm">
                <span role="status" data-testid="connection" title="Offline, sales are kept here and sync when the connection returns" class=move || if till.online.get() && !till.shut_out.get() { "till-pill till-pill-on" } else { "till-pill till-pill-off" }>
                    {status}
                </span>
                <span class="till-pill" data-testid="waiting" title="Documents waiting to reach the server">
                    {move || format!("{} to sync", waiting())}
                </span>
                <Show when=move || { refused() > 0 }>
                    <button type="button" class="till-pill till-pill-off" on:click=move |_| till.screen.set(Screen::Refused)>
                        {move || format!("{} refused", refused())}
                    </button>
                </Show>
                <Show when=move || till.cashier.with(Option::is_some)>
                    <button type="button" class="btn btn-secondary btn-sm" on:click=lock data-testid="lock">"Switch"</button>
                </Show>
            </div>
        </header>
    }
}

/// What the cashier should read now, until they close it.
#[component]
fn Notice() -> impl IntoView {
    let till = expect_context::<Till>();
    view! {
        {move || till.notice.get().map(|text| view! {
            <div class="till-notice" role="alert">
                <span>{text}</span>
                <button type="button" class="underline" on:click=move |_| till.notice.set(None)>"Close"</button>
            </div>
        })}
    }
}

/// Documents the server refused: kept here and listed in the back office, for a manager.
#[component]
fn Refused() -> impl IntoView {
    let till = expect_context::<Till>();
    view! {
        <section class="pos-card" aria-labelledby="refused-heading">
            <h1 id="refused-heading" class="text-xl font-bold text-white">"Refused by the server"</h1>
            <p class="mt-1 text-sm text-slate-400">
                "These are kept on this till and listed in the back office, where a manager books them or sets them aside. The till sends them again every few minutes."
            </p>
            <ul class="mt-4 space-y-2">
                {move || till.refused.get().into_iter().map(|(doc, problem)| view! {
                    <li class="rounded-lg bg-slate-900 p-3">
                        <p class="font-semibold">{format!("{} {}", kind_label(doc.kind()), doc.receipt().unwrap_or_default())}</p>
                        <p class="text-sm text-amber-300">{problem}</p>
                    </li>
                }).collect_view()}
            </ul>
            <button type="button" class="btn btn-secondary mt-4" on:click=move |_| till.screen.set(till.home())>"Back"</button>
        </section>
    }
}

/// A document's kind, as a cashier says it.
pub fn kind_label(kind: &str) -> &'static str {
    match kind {
        "customer" => "Customer",
        "shift_open" => "Shift opened",
        "cash_movement" => "Cash in or out",
        "sale" => "Sale",
        "return" => "Return",
        _ => "Shift closed",
    }
}

/// An amount in the business's currency, as a receipt prints it.
pub fn money(till: Till, amount: Decimal) -> String {
    let currency = till.data.with_untracked(|d| d.as_ref().map_or(Currency::NGN, |d| d.business.currency));
    Money::new(amount, currency).rounded().to_string()
}

/// A moment on the business's clock (`5 Dec 2026, 13:36`), by the browser's own time zones.
pub fn local_time(till: Till, at: chrono::DateTime<chrono::Utc>) -> String {
    let zone = till.data.with_untracked(|d| d.as_ref().map(|d| d.business.time_zone.clone())).unwrap_or_default();
    #[expect(clippy::cast_precision_loss, reason = "milliseconds since 1970 are exact in a double")]
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(at.timestamp_millis() as f64));
    let options = js_sys::Object::new();
    let set = |k: &str, v: &str| {
        let _ = js_sys::Reflect::set(&options, &k.into(), &v.into());
    };
    set("dateStyle", "medium");
    set("timeStyle", "short");
    if !zone.is_empty() {
        set("timeZone", &zone);
    }
    date.to_locale_string("en-GB", &options).as_string().unwrap_or_else(|| at.format("%Y-%m-%d %H:%M UTC").to_string())
}

/// Reads a typed amount ("1,500", "1500.50"), or `None`.
pub fn amount(text: &str) -> Option<Decimal> {
    let cleaned: String = text.chars().filter(|c| !matches!(c, ',' | ' ' | '₦')).collect();
    cleaned.parse::<Decimal>().ok().filter(|d| *d >= Decimal::ZERO && d.scale() <= 2)
}
