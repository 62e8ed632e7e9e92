use commerce::dashboard::{Figures, Layout};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::AppError;

/// What the dashboard shows for the period and filters chosen.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DashboardView {
    /// The business's name.
    pub business: String,
    /// The figures.
    pub figures: Figures,
    /// The business's shops the person may pick from (id, name).
    pub shops: Vec<(Uuid, String)>,
}

/// The dashboard's figures with the business's name and the shops to pick from: a span by its
/// code (`7d`), or the days from `from` to `until`, limited to a shop and a channel when given;
/// the last seven days when nothing is.
#[server(prefix = "/rpc", endpoint = "load_dashboard")]
pub async fn load_dashboard(
    span: Option<String>,
    from: Option<String>,
    until: Option<String>,
    shop: Option<String>,
    channel: Option<String>,
) -> Result<DashboardView, AppError> {
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    let figures = load_figures(span, from, until, shop, channel).await?;
    let home = commerce::identity::business_home(db.read(), &actor).await?;
    let scope = actor.require(commerce::base::Permission::ViewDashboard)?;
    let shops = home
        .locations
        .into_iter()
        .filter(|l| l.kind == commerce::identity::LocationKind::Shop && scope.shops.reach(l.id))
        .map(|l| (l.id.0, l.name))
        .collect();
    Ok(DashboardView { business: home.tenant.name, figures, shops })
}

/// The figures alone, as [`load_dashboard`] reads them: what an open dashboard reads again when
/// a sale is heard of, without the business's name and shops, which it has.
#[server(prefix = "/rpc", endpoint = "load_figures")]
pub async fn load_figures(
    span: Option<String>,
    from: Option<String>,
    until: Option<String>,
    shop: Option<String>,
    channel: Option<String>,
) -> Result<Figures, AppError> {
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    let db = db.read();
    let span = match (&span, &from, &until) {
        (None, None, None) => Some("7d".to_owned()),
        _ => span,
    };
    let period = commerce::dashboard::period(db, &actor, span.as_deref(), from.as_deref(), until.as_deref()).await?;
    let shop = match shop.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(text) => {
            Some(text.parse().map_err(|_| commerce::Error::invalid("shop", "choose one of the business's shops"))?)
        }
        None => None,
    };
    let channel = channel.filter(|c| !c.trim().is_empty());
    let filter = commerce::dashboard::Filter { shop, channel };
    Ok(commerce::dashboard::read(db, &actor, period, &filter).await?)
}

/// The signed-in person's dashboard layout.
#[server(prefix = "/rpc", endpoint = "load_dashboard_layout")]
pub async fn load_dashboard_layout() -> Result<Layout, AppError> {
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    Ok(commerce::dashboard::layout(db.primary(), &actor).await?)
}

/// Moves, adds, removes or resizes a widget of the signed-in person's dashboard.
#[server(prefix = "/rpc", endpoint = "arrange_dashboard")]
pub async fn arrange_dashboard(
    change: String,
    #[server(default)] widget: String,
    #[server(default)] size: String,
    #[server(default)] place: String,
) -> Result<Layout, AppError> {
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    let change = commerce::dashboard::Arrangement { change, widget, size, place }.parse()?;
    Ok(commerce::dashboard::arrange(db.primary(), &actor, change).await?)
}
