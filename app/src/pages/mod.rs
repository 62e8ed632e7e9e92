//! One module per surface; each page composes the shared components.

pub(crate) mod admin;
pub(crate) mod disputes;
mod landing;
mod platform;
mod pos;
pub(crate) mod reviews;
pub(crate) mod store;
mod store_account;
pub(crate) mod store_buy;
mod store_sell;
mod store_seller;
pub(crate) mod vendor;
mod vendor_forms;
pub(crate) mod vendor_money;
pub(crate) mod vendor_orders;

pub use admin::{
    AccountPage, AdminOrderPage, AlertsPage, ApiClientsPage, AuditPageView, CategoriesPage, CountSheetPage, CountsPage,
    CustomerPage, CustomersPage, DashboardPage, ForgotPage, ImportPage, InvitationPage, LoginPage,
    MarketplaceTermsPage, NewOrderPage, OrderPrintPage, OrdersPage, OutboxPage, PayoutsPage, ProductApprovalsPage,
    ProductEditorPage, ProductsPage, ReceiptPage, ReceiptsPage, RegistersPage, ResetPage, RolesPage, SellingPage,
    SettingsPage, ShiftPage, ShiftsPage, SignUpConfirmPage, SignUpPage, StaffPage, StockPage, TransfersPage,
    VariantStockPage, VendorPage, VendorsPage,
};
pub use disputes::{DisputePage, DisputesPage, VendorDisputePage, VendorDisputesPage};
pub use landing::Landing;
pub use platform::PlatformHome;
pub use pos::PosHome;
pub use reviews::{ReviewsPage, VendorReviewsPage};
pub use store::StorefrontHome;
pub use store_account::{StoreAccountPage, StoreConfirmEmailPage, StoreForgotPage, StoreResetPage};
pub use store_buy::{
    StoreCartPage, StoreCheckoutPage, StoreOrderPage, StorePayPage, StorePaystackReturnPage, StoreProductPage,
    StoreTrackPage,
};
pub use store_sell::{StoreSellConfirmPage, StoreSellPage};
pub use store_seller::StoreSellerPage;
pub use vendor::{VendorApiClientsPage, VendorBusinessPage, VendorHomePage, VendorTeamPage};
pub use vendor_money::VendorPayoutsPage;
pub use vendor_orders::{VendorOrdersPage, VendorPartPage};

/// The address of a list's next page: `path?after=…` keeping the filters named in `keep` as the
/// current address has them.
pub(crate) fn next_page_link(path: &str, after: &str, keep: &[&str]) -> String {
    let kept = link_keeping("", keep);
    format!("{path}?after={after}{}", kept.replacen('?', "&", 1))
}

/// `path` with the values of the current page's query named in `keep` (those it has).
pub(crate) fn link_keeping(path: &str, keep: &[&str]) -> String {
    use leptos::prelude::ReadUntracked;
    use std::fmt::Write;
    let query = leptos_router::hooks::use_query_map().read_untracked().clone();
    let mut href = path.to_owned();
    for key in keep {
        if let Some(value) = query.get(key).filter(|v| !v.is_empty()) {
            let _ = write!(href, "{}{key}={}", if href.contains('?') { '&' } else { '?' }, urlencode(&value));
        }
    }
    href
}

/// `text` made safe for an address's query: letters, digits and `-._~` as they are, the rest as
/// `%XX` bytes.
pub(crate) fn urlencode(text: &str) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}
