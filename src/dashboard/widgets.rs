//! The widgets a dashboard is made of, and how a person arranges them: which, in what order,
//! how wide. Each role starts from its own arrangement; a person's own is kept once they change it.

use serde::{Deserialize, Serialize};

use crate::Error;
use crate::base::Role;

/// A figure (or a few that belong together) shown as one card.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WidgetKind {
    /// Revenue, gross and net of cancellations.
    Revenue,
    /// Orders placed and cancelled.
    Orders,
    /// Revenue per order.
    AverageOrder,
    /// VAT in the revenue, and the revenue without it.
    Vat,
    /// Revenue day by day against the period before (a chart).
    RevenueChart,
    /// Revenue by channel.
    Channels,
    /// Revenue by shop.
    Shops,
    /// Money taken by payment method.
    Payments,
    /// Revenue by hour of the day (a chart).
    Hours,
    /// The best-selling products.
    TopProducts,
    /// The best-selling categories.
    TopCategories,
    /// Active and new customers.
    Customers,
    /// Orders awaiting payment, transfers to confirm, orders to fulfil.
    OpenOrders,
    /// Low, out and oversold stock, and its value at cost.
    Stock,
    /// Open till shifts and cash over or short.
    Tills,
}

impl WidgetKind {
    /// Every widget, in the order the "add a widget" list shows them.
    pub const ALL: [Self; 15] = [
        Self::Revenue,
        Self::Orders,
        Self::AverageOrder,
        Self::Vat,
        Self::RevenueChart,
        Self::Channels,
        Self::Shops,
        Self::Payments,
        Self::Hours,
        Self::TopProducts,
        Self::TopCategories,
        Self::Customers,
        Self::OpenOrders,
        Self::Stock,
        Self::Tills,
    ];

    /// As forms and the stored layout name it.
    pub fn code(self) -> &'static str {
        match self {
            Self::Revenue => "revenue",
            Self::Orders => "orders",
            Self::AverageOrder => "average_order",
            Self::Vat => "vat",
            Self::RevenueChart => "revenue_chart",
            Self::Channels => "channels",
            Self::Shops => "shops",
            Self::Payments => "payments",
            Self::Hours => "hours",
            Self::TopProducts => "top_products",
            Self::TopCategories => "top_categories",
            Self::Customers => "customers",
            Self::OpenOrders => "open_orders",
            Self::Stock => "stock",
            Self::Tills => "tills",
        }
    }

    /// Reads a code back.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    /// Its title on the card.
    pub fn title(self) -> &'static str {
        match self {
            Self::Revenue => "Revenue",
            Self::Orders => "Orders",
            Self::AverageOrder => "Average order",
            Self::Vat => "VAT",
            Self::RevenueChart => "Revenue by day",
            Self::Channels => "Sales by channel",
            Self::Shops => "Sales by shop",
            Self::Payments => "Payments by method",
            Self::Hours => "Sales by hour of day",
            Self::TopProducts => "Top products",
            Self::TopCategories => "Top categories",
            Self::Customers => "Customers",
            Self::OpenOrders => "Orders to see to",
            Self::Stock => "Stock",
            Self::Tills => "Tills",
        }
    }

    /// How wide it starts.
    pub fn natural_size(self) -> Size {
        match self {
            Self::Revenue | Self::Orders | Self::AverageOrder | Self::Vat | Self::Customers => Size::Small,
            Self::RevenueChart => Size::Large,
            _ => Size::Medium,
        }
    }
}

/// How much of the dashboard's width a widget takes: a quarter, a half or all of it (on a phone
/// every widget takes the whole width).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Size {
    /// A quarter.
    Small,
    /// A half.
    Medium,
    /// The whole width.
    Large,
}

impl Size {
    /// Every size, narrowest first.
    pub const ALL: [Self; 3] = [Self::Small, Self::Medium, Self::Large];

    /// As forms name it.
    pub fn code(self) -> &'static str {
        match self {
            Self::Small => "small",
            Self::Medium => "medium",
            Self::Large => "large",
        }
    }

    /// Reads a code back.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// As a person reads it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Small => "Narrow",
            Self::Medium => "Half width",
            Self::Large => "Full width",
        }
    }
}

/// One widget where it stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Widget {
    /// Which.
    pub kind: WidgetKind,
    /// How wide.
    pub size: Size,
}

/// A person's dashboard: widgets in order, and whether it is their own or their role's.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Layout {
    /// The widgets, first to last.
    pub widgets: Vec<Widget>,
    /// Whether the person arranged it (false: it is their role's starting arrangement).
    pub own: bool,
}

/// One change a person makes to their dashboard.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Move {
    /// Put a widget at the end.
    Add(WidgetKind),
    /// Take a widget away.
    Remove(WidgetKind),
    /// One place earlier.
    Up(WidgetKind),
    /// One place later.
    Down(WidgetKind),
    /// Put a widget at this place (dragged there), counting from 0.
    Place(WidgetKind, usize),
    /// Make it this wide.
    Resize(WidgetKind, Size),
    /// Back to the role's arrangement.
    Reset,
}

/// A move as forms send it: `change` (add, remove, up, down, place, resize, reset), `widget`,
/// and `size` or `place` where the change needs them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Arrangement {
    /// What to do.
    pub change: String,
    /// To which widget.
    pub widget: String,
    /// The new size, for a resize.
    pub size: String,
    /// The new place, for a drag.
    pub place: String,
}

impl Arrangement {
    /// The move it asks for, or what is wrong with it.
    pub fn parse(&self) -> Result<Move, Error> {
        if self.change == "reset" {
            return Ok(Move::Reset);
        }
        let kind = WidgetKind::from_code(&self.widget)
            .ok_or_else(|| Error::invalid("widget", "choose a widget from the list"))?;
        Ok(match self.change.as_str() {
            "add" => Move::Add(kind),
            "remove" => Move::Remove(kind),
            "up" => Move::Up(kind),
            "down" => Move::Down(kind),
            "place" => Move::Place(
                kind,
                self.place.trim().parse().map_err(|_| Error::invalid("place", "give the place as a number"))?,
            ),
            "resize" => Move::Resize(
                kind,
                Size::from_code(&self.size)
                    .ok_or_else(|| Error::invalid("size", "choose narrow, half or full width"))?,
            ),
            _ => return Err(Error::invalid("change", "choose add, remove, up, down, place, resize or reset")),
        })
    }
}

impl Layout {
    /// Where each role starts: what its people ask of the dashboard first.
    pub fn for_role(role: Role) -> Self {
        use WidgetKind as W;
        let kinds: &[WidgetKind] = match role {
            // Money first: revenue and its VAT, how it was paid, where it came from.
            Role::Accountant => &[
                W::Revenue,
                W::Vat,
                W::AverageOrder,
                W::Orders,
                W::RevenueChart,
                W::Payments,
                W::Channels,
                W::Shops,
                W::Tills,
                W::Stock,
                W::TopCategories,
            ],
            // The shops and their stock first, then what is waiting on the floor.
            Role::Manager => &[
                W::Revenue,
                W::Orders,
                W::Customers,
                W::AverageOrder,
                W::Shops,
                W::Stock,
                W::OpenOrders,
                W::Tills,
                W::RevenueChart,
                W::TopProducts,
                W::Hours,
                W::Channels,
            ],
            _ => &[
                W::Revenue,
                W::Orders,
                W::Customers,
                W::AverageOrder,
                W::RevenueChart,
                W::Channels,
                W::Shops,
                W::OpenOrders,
                W::Stock,
                W::TopProducts,
                W::Payments,
                W::Hours,
                W::Tills,
                W::TopCategories,
                W::Vat,
            ],
        };
        Self { widgets: kinds.iter().map(|&kind| Widget { kind, size: kind.natural_size() }).collect(), own: false }
    }

    /// The layout after a move; a move that changes nothing (adding one already there, moving
    /// the first up) leaves it as it was.
    #[must_use]
    pub fn apply(mut self, change: Move, role: Role) -> Self {
        let at = |widgets: &[Widget], kind: WidgetKind| widgets.iter().position(|w| w.kind == kind);
        match change {
            Move::Reset => return Self::for_role(role),
            Move::Add(kind) => {
                if at(&self.widgets, kind).is_none() {
                    self.widgets.push(Widget { kind, size: kind.natural_size() });
                }
            }
            Move::Remove(kind) => self.widgets.retain(|w| w.kind != kind),
            Move::Up(kind) => {
                if let Some(i) = at(&self.widgets, kind).filter(|&i| i > 0) {
                    self.widgets.swap(i, i - 1);
                }
            }
            Move::Down(kind) => {
                if let Some(i) = at(&self.widgets, kind).filter(|&i| i + 1 < self.widgets.len()) {
                    self.widgets.swap(i, i + 1);
                }
            }
            Move::Place(kind, to) => {
                if let Some(i) = at(&self.widgets, kind) {
                    let widget = self.widgets.remove(i);
                    let to = to.min(self.widgets.len());
                    self.widgets.insert(to, widget);
                }
            }
            Move::Resize(kind, size) => {
                if let Some(i) = at(&self.widgets, kind) {
                    self.widgets[i].size = size;
                }
            }
        }
        self.own = true;
        self
    }

    /// The widgets not on the dashboard, for the "add a widget" list.
    pub fn missing(&self) -> Vec<WidgetKind> {
        WidgetKind::ALL.into_iter().filter(|k| !self.widgets.iter().any(|w| w.kind == *k)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(layout: &Layout) -> Vec<WidgetKind> {
        layout.widgets.iter().map(|w| w.kind).collect()
    }

    #[test]
    fn each_role_starts_with_what_it_asks_first() {
        assert_eq!(&kinds(&Layout::for_role(Role::Accountant))[..2], [WidgetKind::Revenue, WidgetKind::Vat]);
        let manager = kinds(&Layout::for_role(Role::Manager));
        assert!(
            manager.iter().position(|k| *k == WidgetKind::Shops)
                < manager.iter().position(|k| *k == WidgetKind::Channels)
        );
        assert!(manager.contains(&WidgetKind::Stock));
        assert!(Layout::for_role(Role::Owner).missing().is_empty());
    }

    #[test]
    fn moves_rearrange_and_a_move_that_cannot_be_made_changes_nothing() {
        use WidgetKind as W;
        let start = Layout::for_role(Role::Owner);
        let up = start.clone().apply(Move::Up(W::Orders), Role::Owner);
        assert_eq!(&kinds(&up)[..2], [W::Orders, W::Revenue]);
        assert!(up.own);
        let first_up = start.clone().apply(Move::Up(W::Revenue), Role::Owner);
        assert_eq!(kinds(&first_up), kinds(&start));
        // The page's "later" names the place to go to: pressed twice, or sent again, it moves once.
        let later = start.clone().apply(Move::Place(W::Revenue, 1), Role::Owner);
        assert_eq!(&kinds(&later)[..2], [kinds(&start)[1], W::Revenue]);
        assert_eq!(later.clone().apply(Move::Place(W::Revenue, 1), Role::Owner), later);
        let last = start.clone().apply(Move::Place(W::Revenue, 99), Role::Owner);
        assert_eq!(kinds(&last).last(), Some(&W::Revenue));
        let removed = start.clone().apply(Move::Remove(W::Vat), Role::Owner);
        assert_eq!(removed.missing(), [W::Vat]);
        let added = removed.apply(Move::Add(W::Vat), Role::Owner).apply(Move::Add(W::Vat), Role::Owner);
        assert_eq!(added.widgets.iter().filter(|w| w.kind == W::Vat).count(), 1);
        let wide = added.apply(Move::Resize(W::Vat, Size::Large), Role::Owner);
        assert_eq!(wide.widgets.iter().find(|w| w.kind == W::Vat).map(|w| w.size), Some(Size::Large));
        assert_eq!(wide.apply(Move::Reset, Role::Owner), Layout::for_role(Role::Owner));
    }

    #[test]
    fn a_form_s_move_is_read_or_refused_by_field() {
        let form = |change: &str, widget: &str, size: &str, place: &str| Arrangement {
            change: change.into(),
            widget: widget.into(),
            size: size.into(),
            place: place.into(),
        };
        assert_eq!(form("up", "vat", "", "").parse().unwrap(), Move::Up(WidgetKind::Vat));
        assert_eq!(form("place", "stock", "", "3").parse().unwrap(), Move::Place(WidgetKind::Stock, 3));
        assert_eq!(form("reset", "", "", "").parse().unwrap(), Move::Reset);
        let field = |a: Arrangement| match a.parse() {
            Err(Error::Invalid { field, .. }) => field,
            other => panic!("{other:?}"),
        };
        assert_eq!(field(form("up", "nonsense", "", "")), "widget");
        assert_eq!(field(form("resize", "vat", "huge", "")), "size");
        assert_eq!(field(form("place", "vat", "", "-1")), "place");
        assert_eq!(field(form("explode", "vat", "", "")), "change");
    }
}
