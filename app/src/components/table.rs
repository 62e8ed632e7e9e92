use leptos::prelude::*;

/// A table in a card that scrolls sideways on narrow screens rather than squeezing its columns.
#[component]
pub fn DataTable(
    /// The column headings.
    head: Vec<&'static str>,
    /// The rows (`<tr>` elements).
    children: Children,
) -> impl IntoView {
    view! {
        <section class="card p-0">
            <div class="table-wrap">
                <table class="table">
                    <thead>
                        <tr>{head.into_iter().map(|h| view! { <th>{h}</th> }).collect_view()}</tr>
                    </thead>
                    <tbody>{children()}</tbody>
                </table>
            </div>
        </section>
    }
}

/// Tabs between the pages of one area (stock: levels, receipts, transfers, counts, alerts).
#[component]
pub fn SubNav(
    /// (address, label) of each page.
    links: &'static [(&'static str, &'static str)],
    /// The page being shown.
    current: &'static str,
) -> impl IntoView {
    view! {
        <nav class="subnav" aria-label="Pages of this area">
            {links
                .iter()
                .map(|(href, label)| {
                    let here = *href == current;
                    view! {
                        <a href=*href class=if here { "subnav-link subnav-current" } else { "subnav-link" } aria-current=here.then_some("page")>
                            {*label}
                        </a>
                    }
                })
                .collect_view()}
        </nav>
    }
}
