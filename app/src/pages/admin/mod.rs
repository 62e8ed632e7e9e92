//! The back office: the business's dashboard, its staff and roles, sign-in and sign-up.

mod account;
mod api_clients;
mod audit;
mod categories;
mod customers;
mod dashboard;
mod dashboard_widgets;
mod import;
mod invite;
mod login;
mod marketplace_terms;
mod orders;
mod outbox;
mod payouts;
mod product_approvals;
mod product_editor;
mod product_pictures;
mod products;
mod registers;
mod reset;
mod roles;
mod selling;
mod settings;
mod shifts;
mod signup;
mod signup_confirm;
mod staff;
mod stock;
mod stock_documents;
mod vendors;

use commerce::base::{Actor, Permission};
use leptos::prelude::*;
use leptos_meta::Title;

pub use account::AccountPage;
pub use api_clients::{ApiClientsPage, ClientsPanel};
pub use audit::AuditPageView;
pub use categories::CategoriesPage;
pub use customers::{CustomerPage, CustomersPage};
pub use dashboard::DashboardPage;
pub use import::ImportPage;
pub use invite::InvitationPage;
pub use login::LoginPage;
pub use marketplace_terms::MarketplaceTermsPage;
pub use orders::{AdminOrderPage, NewOrderPage, OrderPrintPage, OrdersPage};
pub use outbox::OutboxPage;
pub use payouts::PayoutsPage;
pub use product_approvals::ProductApprovalsPage;
pub use product_editor::ProductEditorPage;
pub use products::ProductsPage;
pub use registers::RegistersPage;
pub use reset::{ForgotPage, ResetPage};
pub use roles::RolesPage;
pub use selling::SellingPage;
pub use settings::SettingsPage;
pub use shifts::{ShiftPage, ShiftsPage};
pub use signup::SignUpPage;
pub use signup_confirm::SignUpConfirmPage;
pub(crate) use staff::LinkShownOnce;
pub use staff::StaffPage;
pub use stock::{StockPage, VariantStockPage};
pub use stock_documents::{AlertsPage, CountSheetPage, CountsPage, ReceiptPage, ReceiptsPage, TransfersPage};
pub use vendors::{VendorPage, VendorsPage};

use crate::components::{Gate, NavLink, Needs, Workspace};

/// The back office's pages, as its side navigation lists them; each shows only to those who
/// may open it.
pub const ADMIN_NAV: &[NavLink] = &[
    NavLink { href: "/admin", label: "Dashboard", needs: Some(Permission::ViewDashboard) },
    NavLink { href: "/admin/orders", label: "Orders", needs: Some(Permission::ViewOrders) },
    NavLink { href: "/admin/customers", label: "Customers", needs: Some(Permission::ViewOrders) },
    NavLink { href: "/admin/shifts", label: "Till shifts", needs: Some(Permission::ViewOrders) },
    NavLink { href: "/admin/products", label: "Products", needs: Some(Permission::ViewCatalog) },
    NavLink { href: "/admin/stock", label: "Stock", needs: Some(Permission::ViewInventory) },
    NavLink { href: "/admin/reviews", label: "Reviews", needs: Some(Permission::ViewCatalog) },
    NavLink { href: "/admin/vendors", label: "Vendors", needs: Some(Permission::ViewVendors) },
    NavLink { href: "/admin/settings", label: "Settings", needs: Some(Permission::ViewSettings) },
    NavLink { href: "/admin/selling", label: "Selling online", needs: Some(Permission::ViewSettings) },
    NavLink { href: "/admin/registers", label: "Registers", needs: Some(Permission::ViewSettings) },
    NavLink { href: "/admin/staff", label: "Staff", needs: Some(Permission::ViewStaff) },
    NavLink { href: "/admin/roles", label: "Roles", needs: Some(Permission::ViewStaff) },
    NavLink { href: "/admin/api-clients", label: "API clients", needs: Some(Permission::ManageApiClients) },
    NavLink { href: "/admin/audit", label: "Audit trail", needs: Some(Permission::ViewAudit) },
    NavLink { href: "/admin/outbox", label: "Sent messages", needs: Some(Permission::ViewOutbox) },
    NavLink { href: "/platform", label: "Platform", needs: None },
];

/// A back-office page: its title, the sign-in and permission gate, and the workspace frame, around
/// content made for the signed-in person.
/// Like every gated page, it creates its resources before this, never in `children` (see `Gate`).
#[component]
pub(crate) fn AdminPage<F, V>(title: &'static str, needs: Needs, children: F) -> impl IntoView
where
    F: Fn(Actor) -> V + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    view! {
        <Title text=title />
        <Gate needs let:actor>
            {
                let content = children.clone();
                // A vendor's staff reach the pages of their own products and stock, framed as
                // their vendor portal.
                let (surface, nav) = if actor.can(Permission::UseVendorPortal) {
                    ("Vendor portal", crate::pages::vendor::VENDOR_NAV)
                } else {
                    ("Back office", ADMIN_NAV)
                };
                view! {
                    <Workspace surface nav actor=actor.clone()>
                        {content(actor)}
                    </Workspace>
                }
            }
        </Gate>
    }
}
