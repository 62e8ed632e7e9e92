//! Charts drawn on the server as SVG: each has a title and a description that say what it
//! shows, a table of its figures beside it for screen readers and anyone who prefers numbers,
//! a native tooltip on every bar (the SVG `<title>`), and, once the page is live, a readout of
//! the bar under the pointer or finger. Nothing is fetched to draw them, and they print.

use leptos::prelude::*;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

/// One bar: its label on the axis, its value, and the value it is compared with, if any.
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    /// What it stands for ("3 Dec", "14:00").
    pub label: String,
    /// Its height.
    pub value: Decimal,
    /// The value shown for it ("₦12,400.00").
    pub shown: String,
    /// The same slot of the period before, drawn as a line over the bars.
    pub before: Option<(Decimal, String)>,
}

/// The drawing's size in its own units; it scales to the width of its card.
const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 200.0;
/// Room left of the bars for the scale, and under them for the labels.
const LEFT: f64 = 4.0;
const BOTTOM: f64 = 22.0;
const TOP: f64 = 16.0;

/// A bar chart of `bars`, with `title` and `description` for those who cannot see it, and its
/// figures as a table under a disclosure (`value_heading` and `before_heading` name the table's
/// columns).
#[component]
pub fn BarChart(
    #[prop(into)] id: String,
    #[prop(into)] title: String,
    #[prop(into)] description: String,
    bars: Vec<Bar>,
    #[prop(into)] value_heading: String,
    #[prop(into, optional)] before_heading: String,
) -> impl IntoView {
    let top = bars
        .iter()
        .flat_map(|b| [Some(b.value), b.before.as_ref().map(|p| p.0)])
        .flatten()
        .max()
        .unwrap_or_default()
        .max(Decimal::ONE);
    let top_f = top.to_f64().unwrap_or(1.0);
    let n = bars.len().max(1);
    let slot = (WIDTH - LEFT) / units(n);
    let gap = if slot > 6.0 { slot * 0.2 } else { 0.0 };
    let height_of = |value: Decimal| (value.to_f64().unwrap_or(0.0) / top_f).max(0.0) * (HEIGHT - TOP - BOTTOM);
    let x_of = |i: usize| LEFT + slot * units(i);
    let hovered = RwSignal::new(None::<usize>);
    let compare: Vec<String> = bars
        .iter()
        .enumerate()
        .filter_map(|(i, b)| {
            b.before
                .as_ref()
                .map(|(v, _)| format!("{:.1},{:.1}", x_of(i) + slot / 2.0, HEIGHT - BOTTOM - height_of(*v)))
        })
        .collect();
    // Labels under the bars: every one when there are few, else about six spread evenly.
    let every = n.div_ceil(6).max(1);
    let labelled: Vec<(usize, String)> =
        bars.iter().enumerate().filter(|(i, _)| n <= 12 || i % every == 0).map(|(i, b)| (i, b.label.clone())).collect();
    let readout = {
        let bars = bars.clone();
        move || {
            hovered.get().and_then(|i| bars.get(i)).map(|b| match &b.before {
                Some((_, before)) => format!("{}: {} (before: {before})", b.label, b.shown),
                None => format!("{}: {}", b.label, b.shown),
            })
        }
    };
    let title_id = format!("{id}-title");
    let desc_id = format!("{id}-desc");
    let labelled_by = format!("{title_id} {desc_id}");
    let has_before = bars.iter().any(|b| b.before.is_some());
    view! {
        <figure class="chart">
            <p class="chart-readout" aria-hidden="true">{move || readout().unwrap_or_else(|| "\u{a0}".to_owned())}</p>
            <svg
                viewBox=format!("0 0 {WIDTH} {HEIGHT}")
                preserveAspectRatio="none"
                role="img"
                aria-labelledby=labelled_by
                class="chart-svg"
                on:mouseleave=move |_| hovered.set(None)
            >
                <title id=title_id>{title.clone()}</title>
                <desc id=desc_id>{description}</desc>
                <line x1=LEFT y1=HEIGHT - BOTTOM x2=WIDTH y2=HEIGHT - BOTTOM class="chart-axis" />
                <text x=LEFT y=TOP - 4.0 class="chart-scale">{compact(top)}</text>
                {bars.iter().enumerate().map(|(i, b)| {
                    let h = height_of(b.value);
                    let tip = match &b.before {
                        Some((_, before)) => format!("{}: {} (before: {before})", b.label, b.shown),
                        None => format!("{}: {}", b.label, b.shown),
                    };
                    view! {
                        <rect
                            x=format!("{:.2}", x_of(i) + gap / 2.0)
                            y=format!("{:.2}", HEIGHT - BOTTOM - h)
                            width=format!("{:.2}", (slot - gap).max(0.5))
                            height=format!("{:.2}", h.max(0.0))
                            class=move || if hovered.get() == Some(i) { "chart-bar chart-bar-on" } else { "chart-bar" }
                            on:mouseenter=move |_| hovered.set(Some(i))
                            on:touchstart=move |_| hovered.set(Some(i))
                        >
                            <title>{tip}</title>
                        </rect>
                    }
                }).collect_view()}
                {(!compare.is_empty()).then(|| view! {
                    <polyline points=compare.join(" ") class="chart-before" />
                })}
                {labelled.into_iter().map(|(i, label)| view! {
                    <text x=format!("{:.1}", x_of(i) + slot / 2.0) y=HEIGHT - 6.0 class="chart-label" text-anchor="middle">{label}</text>
                }).collect_view()}
            </svg>
            <ChartTable title bars value_heading before_heading has_before />
        </figure>
    }
}

/// A chart's figures as a table, under a disclosure.
#[component]
fn ChartTable(
    title: String,
    bars: Vec<Bar>,
    value_heading: String,
    before_heading: String,
    has_before: bool,
) -> impl IntoView {
    view! {
            <details class="chart-table">
            <summary>"Show as a table"</summary>
            <div class="table-wrap">
                <table class="table">
                    <caption class="sr-only">{title}</caption>
                    <thead>
                        <tr>
                            <th scope="col">""</th>
                            <th scope="col" class="text-right">{value_heading}</th>
                            {has_before.then(|| view! { <th scope="col" class="text-right">{before_heading.clone()}</th> })}
                        </tr>
                    </thead>
                    <tbody>
                        {bars.into_iter().map(|b| view! {
                            <tr>
                                <th scope="row" class="font-normal">{b.label}</th>
                                <td class="text-right tabular-nums">{b.shown}</td>
                                {has_before.then(|| view! { <td class="text-right tabular-nums">{b.before.map(|p| p.1).unwrap_or_default()}</td> })}
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </details>
    }
}

/// A count of slots as a drawing's length (counts of bars are small).
fn units(n: usize) -> f64 {
    f64::from(u32::try_from(n).unwrap_or(u32::MAX))
}

/// A share of a whole as a bar across its row, for lists of channels, shops and methods.
#[component]
pub fn ShareBar(value: Decimal, of: Decimal, #[prop(into)] label: String) -> impl IntoView {
    let part = if of > Decimal::ZERO { (value / of).to_f64().unwrap_or(0.0).clamp(0.0, 1.0) } else { 0.0 };
    view! {
        <svg viewBox="0 0 100 6" preserveAspectRatio="none" class="share-bar" role="img" aria-label=label>
            <rect x="0" y="0" width="100" height="6" class="share-track" />
            <rect x="0" y="0" width=format!("{:.2}", part * 100.0) height="6" class="share-fill" />
        </svg>
    }
}

/// An amount as a scale reads it: "950", "12.4k", "3.1M", "2.0B".
pub fn compact(amount: Decimal) -> String {
    let value = amount.to_f64().unwrap_or(0.0);
    let magnitude = value.abs();
    if magnitude >= 1e9 {
        format!("{:.1}B", value / 1e9)
    } else if magnitude >= 1e6 {
        format!("{:.1}M", value / 1e6)
    } else if magnitude >= 1e3 {
        format!("{:.1}k", value / 1e3)
    } else {
        format!("{value:.0}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scale_reads_short() {
        assert_eq!(compact(Decimal::from(950)), "950");
        assert_eq!(compact(Decimal::from(12_400)), "12.4k");
        assert_eq!(compact(Decimal::from(3_100_000)), "3.1M");
        assert_eq!(compact(Decimal::from(2_000_000_000_i64)), "2.0B");
    }
}
