use leptos::prelude::*;

/// The title of a page with a line that says what it is for.
#[component]
pub fn PageHeader(
    #[prop(into)] title: String,
    #[prop(into, optional)] subtitle: String,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    view! {
        <div class="page-header">
            <div>
                <h1 class="page-title">{title}</h1>
                {(!subtitle.is_empty()).then(|| view! { <p class="page-subtitle">{subtitle}</p> })}
            </div>
            {children.map(|c| view! { <div class="flex gap-2">{c()}</div> })}
        </div>
    }
}

/// One figure with its label, for dashboards.
#[component]
pub fn StatTile(
    #[prop(into)] label: String,
    #[prop(into)] value: String,
    #[prop(into, optional)] hint: String,
) -> impl IntoView {
    view! {
        <div class="card stat-tile">
            <p class="stat-label">{label}</p>
            <p class="stat-value">{value}</p>
            {(!hint.is_empty()).then(|| view! { <p class="stat-hint">{hint}</p> })}
        </div>
    }
}

/// What a list shows when it has nothing in it: what would be here, and what to do next.
#[component]
pub fn EmptyState(
    #[prop(into)] title: String,
    #[prop(into)] message: String,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    view! {
        <div class="empty-state">
            <svg aria-hidden="true" class="mx-auto h-10 w-10 text-slate-300" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="1.5">
                <path d="M3 7.5 12 3l9 4.5v9L12 21l-9-4.5v-9Z" />
                <path d="M3 7.5 12 12l9-4.5M12 12v9" />
            </svg>
            <p class="mt-3 font-semibold text-slate-800">{title}</p>
            <p class="mt-1 text-sm text-slate-500">{message}</p>
            {children.map(|c| view! { <div class="mt-4">{c()}</div> })}
        </div>
    }
}

/// The tone of a badge.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BadgeTone {
    /// Good news: active, in stock, online.
    Positive,
    /// Needs a look: low stock, waiting.
    Warning,
    /// Bad news: suspended, offline, failed.
    Negative,
    /// Plain information.
    Neutral,
}

impl BadgeTone {
    fn class(self) -> &'static str {
        match self {
            Self::Positive => "badge badge-positive",
            Self::Warning => "badge badge-warning",
            Self::Negative => "badge badge-negative",
            Self::Neutral => "badge badge-neutral",
        }
    }
}

/// A short status word in a coloured pill; both may change while the page is open.
#[component]
pub fn Badge(#[prop(into)] tone: Signal<BadgeTone>, #[prop(into)] text: Signal<String>) -> impl IntoView {
    view! { <span class=move || tone.get().class()>{text}</span> }
}

/// Shown while a part of the page loads.
#[component]
pub fn Loading() -> impl IntoView {
    view! {
        <div class="loading" role="status">
            <span class="spinner" aria-hidden="true"></span>
            <span>"Loading…"</span>
        </div>
    }
}

/// A moment on the business's clock ("4 Dec 2026 14:05"), its zone's name in the tooltip and the
/// exact instant in `datetime` for machines. The zone is the signed-in person's business's (the
/// gate provides it); UTC where none is known.
#[component]
pub fn LocalTime(at: chrono::DateTime<chrono::Utc>) -> impl IntoView {
    let zone = business_zone();
    let title = format!("{} ({})", zone.0, zone.abbreviation(at));
    view! { <time datetime=at.to_rfc3339() title=title>{zone.format(at)}</time> }
}

/// `at` on the business's clock as text ("4 Dec 2026 14:05"), for a sentence; see [`LocalTime`].
pub fn business_time(at: chrono::DateTime<chrono::Utc>) -> String {
    business_zone().format(at)
}

/// The signed-in person's business's time zone, as the gate provides it; UTC where none is.
fn business_zone() -> commerce::base::Zone {
    use_context::<commerce::base::Zone>().unwrap_or_else(|| commerce::base::Zone("UTC".to_owned()))
}
