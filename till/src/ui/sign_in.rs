//! Signing in with a PIN, checked on the device (the server gave the till each PIN's PBKDF2
//! check), so that a till with no connection still signs cashiers in. Wrong PINs hold the
//! cashier back for longer each time, also across reloads.

use std::collections::BTreeMap;

use commerce::pos::TillCashier;
use leptos::prelude::*;
use uuid::Uuid;

use crate::state::Till;
use crate::web;

/// Wrong tries allowed before the cashier is held back.
const FREE_TRIES: u32 = 5;

/// The cashiers' tiles, then the PIN pad of the one chosen.
#[component]
pub fn SignIn() -> impl IntoView {
    let till = expect_context::<Till>();
    let chosen = RwSignal::new(None::<TillCashier>);
    let cashiers = move || till.data.with(|d| d.as_ref().map(|d| d.cashiers.clone()).unwrap_or_default());
    let signed_in = move |cashier: TillCashier| {
        let id = cashier.id;
        till.cashier.set(Some(cashier));
        leptos::task::spawn_local(async move {
            let _ = till.keep("session", &Some(id)).await;
        });
        till.screen.set(till.home());
    };
    view! {
        <section class="pos-card mx-auto max-w-xl" aria-labelledby="sign-in-heading">
            <h1 id="sign-in-heading" class="text-xl font-bold text-white">"Who is selling?"</h1>
            {move || match chosen.get() {
                None => view! {
                    <ul class="mt-4 grid grid-cols-2 gap-3 sm:grid-cols-3">
                        {cashiers().into_iter().map(|c| {
                            let has_pin = c.pin.is_some();
                            let name = c.name.clone();
                            view! {
                                <li>
                                    <button type="button" class="pos-choice w-full" disabled=!has_pin
                                        on:click=move |_| chosen.set(Some(c.clone()))>
                                        <span class="block font-semibold">{name}</span>
                                        <span class="block text-xs text-slate-400">{if has_pin { "" } else { "No PIN yet: set one in the back office" }}</span>
                                    </button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any(),
                Some(cashier) => view! {
                    <PinPad cashier=cashier.clone() on_ok=Callback::new(move |()| signed_in(cashier.clone()))
                        on_cancel=Callback::new(move |()| chosen.set(None)) />
                }.into_any(),
            }}
        </section>
    }
}

/// Four to eight digits, typed or tapped, checked against `cashier`'s PIN.
#[component]
pub fn PinPad(cashier: TillCashier, on_ok: Callback<()>, on_cancel: Callback<()>) -> impl IntoView {
    let till = expect_context::<Till>();
    let pin = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let checking = RwSignal::new(false);
    let name = cashier.name.clone();
    let cashier = StoredValue::new(cashier);
    let check = move || {
        if checking.get_untracked() {
            return;
        }
        checking.set(true);
        let typed = pin.get_untracked();
        leptos::task::spawn_local(async move {
            match check_pin(till, &cashier.get_value(), &typed).await {
                Ok(()) => on_ok.run(()),
                Err(why) => {
                    error.set(Some(why));
                    pin.set(String::new());
                }
            }
            checking.set(false);
        });
    };
    let press = move |digit: char| {
        pin.update(|p| {
            if p.len() < 8 {
                p.push(digit);
            }
        });
    };
    view! {
        <form class="mt-4 space-y-3" on:submit=move |ev| { ev.prevent_default(); check(); }>
            <p class="text-slate-300">{format!("PIN for {name}")}</p>
            <input type="password" inputmode="numeric" autocomplete="off" class="till-input text-center text-2xl tracking-widest"
                aria-label="PIN" data-testid="pin" maxlength="8" autofocus
                prop:value=pin on:input=move |ev| pin.set(event_target_value(&ev).chars().filter(char::is_ascii_digit).take(8).collect()) />
            {move || error.get().map(|e| view! { <p class="text-sm text-amber-300" role="alert">{e}</p> })}
            <div class="grid grid-cols-3 gap-2">
                {['1', '2', '3', '4', '5', '6', '7', '8', '9'].into_iter().map(|d| view! {
                    <button type="button" class="till-key" on:click=move |_| press(d)>{d.to_string()}</button>
                }).collect_view()}
                <button type="button" class="till-key" on:click=move |_| pin.update(|p| { p.pop(); })>"⌫"</button>
                <button type="button" class="till-key" on:click=move |_| press('0')>"0"</button>
                <button type="submit" class="till-key till-key-go" disabled=move || checking.get()>"OK"</button>
            </div>
            <button type="button" class="btn btn-secondary w-full" on:click=move |_| on_cancel.run(())>"Back"</button>
        </form>
    }
}

/// Checks `typed` against the cashier's PIN, holding them back after [`FREE_TRIES`] wrong tries
/// (30 seconds, doubling with each further wrong try).
pub async fn check_pin(till: Till, cashier: &TillCashier, typed: &str) -> Result<(), String> {
    let mut held: BTreeMap<Uuid, (u32, f64)> = BTreeMap::new();
    if let Ok(db) = crate::state::db()
        && let Ok(Some(text)) = db.get(crate::idb::META, "held").await
    {
        held = serde_json::from_str(&text).unwrap_or_default();
    }
    let now = js_sys::Date::now();
    let (fails, until) = held.get(&cashier.id).copied().unwrap_or((0, 0.0));
    if until > now {
        return Err(format!("Too many wrong PINs: try again in {} seconds.", ((until - now) / 1000.0).ceil()));
    }
    let check = cashier.pin.as_ref().ok_or("This person has no PIN yet.")?;
    let salt = web::from_base64(&check.salt).ok_or("This person's PIN cannot be checked here.")?;
    let derived = web::pbkdf2(typed, &salt, check.iterations).await.map_err(|_| "This browser cannot check PINs.")?;
    let expected = web::from_base64(&check.hash).unwrap_or_default();
    let right =
        derived.len() == expected.len() && derived.iter().zip(&expected).fold(0u8, |a, (x, y)| a | (x ^ y)) == 0;
    if right {
        held.remove(&cashier.id);
    } else {
        let fails = fails + 1;
        let wait = if fails >= FREE_TRIES { 30_000.0 * f64::from(2u32.pow((fails - FREE_TRIES).min(6))) } else { 0.0 };
        held.insert(cashier.id, (fails, now + wait));
    }
    let _ = till.keep("held", &held).await;
    if right { Ok(()) } else { Err("That PIN is not right.".to_owned()) }
}
