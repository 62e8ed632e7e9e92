use commerce::base::Permission;
use commerce::identity::ShopChoice;
use leptos::ev;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::load_register_shops;
use crate::components::{Badge, BadgeTone, EmptyState, Gate, Loaded, Needs};

/// Where the till remembers which shop it stands in, across reloads and offline.
const SHOP_KEY: &str = "sc1.pos.shop";

/// `/pos`: the point of sale, for staff who may sell. Picks the shop the till stands in, shows
/// whether it is online, and installs the service worker that lets it work offline.
#[component]
pub fn PosHome() -> impl IntoView {
    // Loaded outside the gate, so that it is loaded once (see `Gate`).
    let shops = Resource::new(|| (), |()| load_register_shops());
    view! {
        <Title text="Point of sale" />
        <Gate needs=Needs::Permission(Permission::SellAtPos) let:_actor>
            <Till shops />
        </Gate>
    }
}

#[component]
fn Till(shops: Resource<Result<Vec<ShopChoice>, crate::AppError>>) -> impl IntoView {
    let online = connection_status();
    let (chosen, set_chosen) = signal(None::<String>);
    Effect::new(move |_| {
        set_chosen.set(local_storage().and_then(|s| s.get_item(SHOP_KEY).ok().flatten()));
        register_service_worker();
    });
    let choose = move |id: Option<String>| {
        if let Some(storage) = local_storage() {
            let _ = match &id {
                Some(id) => storage.set_item(SHOP_KEY, id),
                None => storage.remove_item(SHOP_KEY),
            };
        }
        set_chosen.set(id);
    };
    view! {
        <div class="pos">
            <header class="pos-bar">
                <a href="/" class="brand text-white">
                    <span class="brand-mark">"SC"</span>
                    <span>"POS"</span>
                </a>
                <span data-testid="connection" role="status">
                    <Badge
                        tone=Signal::derive(move || if online.get() { BadgeTone::Positive } else { BadgeTone::Warning })
                        text=Signal::derive(move || if online.get() { "Online" } else { "Offline — sales wait to sync" }.to_owned())
                    />
                </span>
            </header>
            <main class="pos-main">
                <Loaded resource=shops let:shops>
                    <TillPanel shops chosen choose />
                </Loaded>
            </main>
        </div>
    }
}

/// The chosen shop's till, or the list of shops to choose from.
#[component]
fn TillPanel(
    shops: Vec<ShopChoice>,
    chosen: ReadSignal<Option<String>>,
    choose: impl Fn(Option<String>) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    if shops.is_empty() {
        return view! { <EmptyState title="No shops yet" message="Add a shop in the back office's settings to open a till there." /> }.into_any();
    }
    let shops = StoredValue::new(shops);
    let current = move || {
        let id = chosen.get()?;
        shops.with_value(|all| all.iter().find(|s| s.location.id.0.to_string() == id).cloned())
    };
    view! {
        {move || match current() {
            Some(shop) => view! {
                <section class="pos-card" aria-labelledby="till-heading">
                    <p class="text-sm text-slate-400">{shop.tenant_name}</p>
                    <h1 id="till-heading" class="mt-1 text-2xl font-bold text-white">{format!("Till at {}", shop.location.name)}</h1>
                    <p class="mt-2 text-slate-300">{format!("{}, {}", shop.location.address, shop.location.city)}</p>
                    <button type="button" class="btn btn-secondary mt-6" on:click=move |_| choose(None)>"Change shop"</button>
                </section>
            }
                .into_any(),
            None => view! {
                <section class="pos-card" aria-labelledby="choose-heading">
                    <h1 id="choose-heading" class="text-xl font-bold text-white">"Which shop is this till in?"</h1>
                    <p class="mt-1 text-sm text-slate-400">"The till remembers your choice, also offline."</p>
                    <ul class="mt-4 grid gap-3 sm:grid-cols-2">
                        {shops
                            .get_value()
                            .into_iter()
                            .map(|shop| {
                                let id = shop.location.id.0.to_string();
                                view! {
                                    <li>
                                        <button type="button" class="pos-choice" on:click=move |_| choose(Some(id.clone()))>
                                            <span class="block font-semibold">{shop.location.name}</span>
                                            <span class="block text-sm text-slate-400">{shop.tenant_name}</span>
                                        </button>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                </section>
            }
                .into_any(),
        }}
    }
    .into_any()
}

/// Whether the browser is online, kept current by its `online` and `offline` events.
fn connection_status() -> ReadSignal<bool> {
    let (online, set_online) = signal(true);
    Effect::new(move |_| {
        set_online.set(window().navigator().on_line());
        let up = window_event_listener(ev::online, move |_| set_online.set(true));
        let down = window_event_listener(ev::offline, move |_| set_online.set(false));
        on_cleanup(move || {
            up.remove();
            down.remove();
        });
    });
    online
}

fn local_storage() -> Option<leptos::web_sys::Storage> {
    window().local_storage().ok().flatten()
}

/// Installs `/sw.js`, which keeps the till's shell available without a connection.
fn register_service_worker() {
    let _ = window().navigator().service_worker().register("/sw.js");
}
