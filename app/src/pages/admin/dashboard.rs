//! `/admin`: the dashboard. The figures of a period beside the period before, as widgets each
//! person arranges (buttons that work without a script, and dragging once the page is live),
//! moving by themselves as sales are made anywhere in the business.

use commerce::base::Permission;
use commerce::dashboard::{Figures, Layout, Period, Size, Span, Widget, WidgetKind};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::AdminPage;
use super::dashboard_widgets::WidgetBody;
use crate::api::{ArrangeDashboard, DashboardView, load_dashboard, load_dashboard_layout, load_figures};
use crate::components::{ErrorPanel, Loading, Needs, PageHeader, follow_events, successes};

/// `/admin`: the business's dashboard.
#[component]
pub fn DashboardPage() -> impl IntoView {
    // Loaded outside the gate, so that it is loaded once (see `Gate`).
    let query = use_query_map();
    let param = move |name: &str| query.read().get(name).filter(|v| !v.is_empty());
    let figures = Resource::new(
        move || ((param("span"), param("from"), param("until")), (param("shop"), param("channel"))),
        |((span, from, until), (shop, channel))| load_dashboard(span, from, until, shop, channel),
    );
    let arrange = ServerAction::<ArrangeDashboard>::new();
    let arranged = successes(arrange);
    let layout = Resource::new(move || arranged.get(), |_| load_dashboard_layout());
    // The figures read again since the page loaded, as sales were heard of.
    let fresh = RwSignal::new(None::<Figures>);
    view! {
        <AdminPage title="Dashboard" needs=Needs::Permission(Permission::ViewDashboard) let:_actor>
            <LiveSales fresh />
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match (figures.await, layout.await) {
                        (Ok(view), Ok(layout)) => view! { <Dashboard view layout arrange fresh /> }.into_any(),
                        (Err(error), _) | (_, Err(error)) => view! { <ErrorPanel error /> }.into_any(),
                    }
                })}
            </Transition>
        </AdminPage>
    }
}

/// Reads the figures again whenever the server says the business's sales changed (at most once
/// a second), for the widgets to show without redrawing the page: an open menu stays open.
#[component]
fn LiveSales(fresh: RwSignal<Option<Figures>>) -> impl IntoView {
    let live = RwSignal::new(false);
    let query = use_query_map();
    follow_events("/admin/live/dashboard".to_owned(), "sales", move |_| {
        let param = |name: &str| query.read_untracked().get(name).filter(|v| !v.is_empty());
        let asked = (param("span"), param("from"), param("until"), param("shop"), param("channel"));
        leptos::task::spawn_local(async move {
            let (span, from, until, shop, channel) = asked;
            if let Ok(figures) = load_figures(span, from, until, shop, channel).await {
                fresh.set(Some(figures));
            }
        });
    });
    Effect::new(move |_| live.set(true));
    view! {
        <p class="dash-controls mb-2 flex items-center gap-2 text-xs text-slate-500" data-testid="live" data-live=move || live.get().to_string()>
            <Show when=move || live.get() fallback=|| "Figures as of loading this page.">
                <span class="live-dot" aria-hidden="true"></span>
                "Live: figures move as sales are made."
            </Show>
        </p>
    }
}

#[component]
fn Dashboard(
    view: DashboardView,
    layout: Layout,
    arrange: ServerAction<ArrangeDashboard>,
    fresh: RwSignal<Option<Figures>>,
) -> impl IntoView {
    let first = view.figures;
    let subtitle = format!("{}, compared with {}", first.period.label(), first.previous.label());
    let (period, shop, channel) = (first.period, first.shop, first.channel.clone());
    // The freshest figures of what this page shows (those of another period are not).
    let figures = Signal::derive({
        let first = first.clone();
        move || {
            fresh
                .get()
                .filter(|f| f.period == first.period && f.shop == first.shop && f.channel == first.channel)
                .unwrap_or_else(|| first.clone())
        }
    });
    let count = layout.widgets.len();
    let missing = layout.missing();
    let dragged = RwSignal::new(None::<WidgetKind>);
    let target = RwSignal::new(None::<usize>);
    view! {
        <PageHeader title=view.business subtitle />
        <PeriodPicker period shop channel shops=view.shops />
        {(count == 0).then(|| view! {
            <p class="card text-sm text-slate-600">"Your dashboard has no widgets. Add some below."</p>
        })}
        <div class="dash-grid" data-testid="widgets">
            {layout.widgets.into_iter().enumerate().map(|(place, widget)| view! {
                <WidgetCard widget place count figures arrange dragged target />
            }).collect_view()}
        </div>
        <AddWidgets missing own=layout.own arrange />
    }
}

/// The period (spans as links, or days typed in), the shop and the channel. A plain form: it
/// works without a script, and the address says what is shown, so it can be shared.
#[component]
fn PeriodPicker(
    period: Period,
    shop: Option<uuid::Uuid>,
    channel: Option<String>,
    shops: Vec<(uuid::Uuid, String)>,
) -> impl IntoView {
    let query = use_query_map().read_untracked().clone();
    let chosen = query.get("span").filter(|s| !s.is_empty()).unwrap_or_else(|| {
        if query.get("from").is_some() || query.get("until").is_some() { "custom".to_owned() } else { "7d".to_owned() }
    });
    let shop = shop.map(|s| s.to_string()).unwrap_or_default();
    let channel = channel.unwrap_or_default();
    let keep = {
        let (shop, channel) = (shop.clone(), channel.clone());
        move |span: &str| {
            let mut link = format!("/admin?span={span}");
            if !shop.is_empty() {
                link.push_str("&shop=");
                link.push_str(&shop);
            }
            if !channel.is_empty() {
                link.push_str("&channel=");
                link.push_str(&channel);
            }
            link
        }
    };
    view! {
        <nav class="dash-controls mb-3 flex flex-wrap gap-2" aria-label="Period">
            {Span::ALL.into_iter().filter(|s| *s != Span::Custom).map(|span| {
                let on = chosen == span.code();
                view! {
                    <a href=keep(span.code()) class=if on { "period-pill period-pill-on" } else { "period-pill" }
                       aria-current=on.then_some("page")>{span.label()}</a>
                }
            }).collect_view()}
        </nav>
        <form method="get" action="/admin" class="dash-controls card mb-4 grid gap-3 sm:grid-cols-2 lg:grid-cols-5 lg:items-end">
            <input type="hidden" name="span" value="custom" />
            <div>
                <label class="label" for="dash-from">"From"</label>
                <input class="input" id="dash-from" name="from" type="date" value=period.from.to_string() />
            </div>
            <div>
                <label class="label" for="dash-until">"Until"</label>
                <input class="input" id="dash-until" name="until" type="date" value=period.until.to_string() />
            </div>
            <div>
                <label class="label" for="dash-shop">"Shop"</label>
                <select class="input" id="dash-shop" name="shop">
                    <option value="">"All shops and deliveries"</option>
                    {shops.into_iter().map(|(id, name)| {
                        let id = id.to_string();
                        let on = id == shop;
                        view! { <option value=id selected=on>{name}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div>
                <label class="label" for="dash-channel">"Channel"</label>
                <select class="input" id="dash-channel" name="channel">
                    <option value="">"Every channel"</option>
                    {commerce::orders::CHANNELS.into_iter().map(|c| view! {
                        <option value=c selected=c == channel>{commerce::dashboard::channel_label(c)}</option>
                    }).collect_view()}
                </select>
            </div>
            <button type="submit" class="btn btn-primary">"Show"</button>
        </form>
    }
}

/// One widget with its arranging menu. Dragged onto another once the page is live; moved and
/// sized with the menu's buttons with or without a script.
#[component]
fn WidgetCard(
    widget: Widget,
    place: usize,
    count: usize,
    figures: Signal<Figures>,
    arrange: ServerAction<ArrangeDashboard>,
    dragged: RwSignal<Option<WidgetKind>>,
    target: RwSignal<Option<usize>>,
) -> impl IntoView {
    let kind = widget.kind;
    let size = match widget.size {
        Size::Small => "widget-small",
        Size::Medium => "widget-medium",
        Size::Large => "widget-large",
    };
    let class = move || {
        let mut class = format!("card widget {size}");
        if dragged.get() == Some(kind) {
            class.push_str(" widget-dragging");
        }
        if target.get() == Some(place) && dragged.get().is_some_and(|d| d != kind) {
            class.push_str(" widget-target");
        }
        class
    };
    let title_id = format!("widget-{}", kind.code());
    let labelled_by = title_id.clone();
    let drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        target.set(None);
        if let Some(moved) = dragged.get_untracked().filter(|d| *d != kind) {
            arrange.dispatch(ArrangeDashboard {
                change: "place".to_owned(),
                widget: moved.code().to_owned(),
                size: String::new(),
                place: place.to_string(),
            });
        }
        dragged.set(None);
    };
    view! {
        <section
            class=class
            aria-labelledby=labelled_by
            data-widget=kind.code()
            draggable="true"
            on:dragstart=move |_| dragged.set(Some(kind))
            on:dragend=move |_| { dragged.set(None); target.set(None); }
            on:dragover=move |ev: leptos::ev::DragEvent| { ev.prevent_default(); target.set(Some(place)); }
            on:drop=drop
        >
            <div class="widget-head">
                <h2 id=title_id class="widget-title">{kind.title()}</h2>
                <WidgetMenu widget place count arrange />
            </div>
            {move || view! { <WidgetBody kind figures=figures.get() /> }}
        </section>
    }
}

/// The buttons that move, size and remove a widget, each a form of its own. Moving earlier or
/// later names the place to move to, so a button pressed twice (or a form sent again) moves
/// the widget once.
#[component]
fn WidgetMenu(widget: Widget, place: usize, count: usize, arrange: ServerAction<ArrangeDashboard>) -> impl IntoView {
    let code = widget.kind.code();
    let title = widget.kind.title();
    let button = move |change: &'static str, size: &'static str, to: Option<usize>, label: String| {
        let (sent, to) = match to {
            Some(to) => ("place", to.to_string()),
            None => (change, String::new()),
        };
        view! {
            <ActionForm action=arrange>
                <input type="hidden" name="change" value=sent />
                <input type="hidden" name="widget" value=code />
                <input type="hidden" name="size" value=size />
                <input type="hidden" name="place" value=to />
                <button type="submit" data-change=change data-size=size>{label}</button>
            </ActionForm>
        }
    };
    view! {
        // Closed again once a change is sent, so a menu never hangs over the card it moved to.
        <details class="relative no-print" prop:open=move || { arrange.version().track(); false }>
            <summary class="btn btn-secondary btn-sm cursor-pointer list-none" aria-label=format!("Arrange {title}")>"Arrange"</summary>
            <div class="widget-menu">
                {(place > 0).then(|| button("up", "", Some(place - 1), format!("Move {title} earlier")))}
                {(place + 1 < count).then(|| button("down", "", Some(place + 1), format!("Move {title} later")))}
                {Size::ALL.into_iter().filter(|s| *s != widget.size).map(|s| button("resize", s.code(), None, s.label().to_owned())).collect_view()}
                {button("remove", "", None, format!("Remove {title}"))}
            </div>
        </details>
    }
}

/// Widgets not on the dashboard, to add; and the way back to the role's arrangement.
#[component]
fn AddWidgets(missing: Vec<WidgetKind>, own: bool, arrange: ServerAction<ArrangeDashboard>) -> impl IntoView {
    view! {
        <section class="dash-controls card mt-6 flex flex-wrap items-end gap-3" aria-labelledby="add-widget">
            <h2 id="add-widget" class="sr-only">"Add a widget"</h2>
            {(!missing.is_empty()).then(|| view! {
                <ActionForm action=arrange attr:class="flex flex-wrap items-end gap-2">
                    <input type="hidden" name="change" value="add" />
                    <div>
                        <label class="label" for="widget-to-add">"Add a widget"</label>
                        <select class="input" id="widget-to-add" name="widget">
                            {missing.into_iter().map(|k| view! { <option value=k.code()>{k.title()}</option> }).collect_view()}
                        </select>
                    </div>
                    <button type="submit" class="btn btn-secondary">"Add"</button>
                </ActionForm>
            })}
            {own.then(|| view! {
                <ActionForm action=arrange>
                    <input type="hidden" name="change" value="reset" />
                    <button type="submit" class="btn btn-secondary">"Back to the usual layout"</button>
                </ActionForm>
            })}
        </section>
    }
}
