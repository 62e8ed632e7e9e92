//! One module per surface; each page composes the shared components.

mod admin;
mod landing;
mod platform;
mod pos;
mod store;
mod store_account;
mod vendor;

pub use admin::{
    AccountPage, AdminHome, AlertsPage, ApiClientsPage, AuditPageView, CategoriesPage, CountSheetPage, CountsPage,
    ForgotPage, ImportPage, InvitationPage, LoginPage, OutboxPage, ProductEditorPage, ProductsPage, ReceiptPage,
    ReceiptsPage, ResetPage, RolesPage, SettingsPage, SignUpConfirmPage, SignUpPage, StaffPage, StockPage,
    TransfersPage, VariantStockPage,
};
pub use landing::Landing;
pub use platform::PlatformHome;
pub use pos::PosHome;
pub use store::StorefrontHome;
pub use store_account::StoreAccountPage;
pub use vendor::VendorHomePage;
