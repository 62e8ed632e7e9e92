//! Server functions: thin adapters from a page to one domain function each.

mod account;
mod api_clients;
mod auth;
mod buying;
mod catalog;
mod checkout;
mod customers;
mod dashboard;
mod disputes;
mod draft_order;
mod home;
mod orders;
mod platform;
mod reset;
mod reviews;
mod save_selling;
mod selling;
mod settings;
mod shopper;
mod signup;
mod staff;
mod stock;
#[cfg(feature = "ssr")]
mod store_cache;
mod storefront;
mod terms;
mod till;
mod vendor_money;
mod vendors;

pub use account::{ChangePassword, EndSession, load_audit, load_audit_entities, load_sessions};
pub use api_clients::{CreateApiClient, RevokeApiClient, load_api_clients};
pub use auth::{LogIn, LogOut, current_actor};
pub use buying::{
    AddToCart, AnswerTestPayment, BuyAgain, CheckoutPage, PayWithPaystack, SetCartQuantity, ShopOrder, TrackOrder,
    load_cart, load_checkout, load_my_orders, load_shop_order, load_shop_product, load_test_payment, verify_paystack,
};
pub use catalog::{
    AddCategory, CancelImport, DeleteCategory, DeleteProduct, EditCategory, EditProductImage, ProductList,
    RemoveProductImage, SaveProduct, SetProductsStatus, StartImport, load_categories, load_import, load_product,
    load_products,
};
pub use checkout::PlaceOrder;
pub use customers::{EraseCustomer, load_customer, load_customers};
pub use dashboard::{ArrangeDashboard, DashboardView, load_dashboard, load_dashboard_layout, load_figures};
pub use disputes::{DecideDispute, EscalateDispute, EscalateMyDispute, WithdrawDispute, load_dispute, load_disputes};
pub use draft_order::{CreateDraftOrder, DraftMade};
pub use home::{load_demo_logins, load_listed_stores, load_outbox, load_vendor_home};
pub use orders::{
    AddOrderNote, AdminOrder, ConfirmTransfer, ConfirmTransfers, MoveOrder, load_order, load_order_options, load_orders,
};
pub use platform::{SetBusinessStatus, load_platform_overview};
pub use reset::{RequestPasswordReset, ResetPassword};
pub use reviews::{
    HideReview, ReplyReview, ReportReview, WriteReview, load_product_reviews, load_reviews, load_seller_reviews,
};
pub use save_selling::SaveSelling;
pub use selling::{AddDeliveryZone, RemoveDeliveryZone, SetPaystackKey, load_selling};
pub use settings::{AddLocation, SaveListing, SaveSettings, load_settings};
pub use shopper::{
    ConfirmShopperEmail, ForgetAddress, LogInShopper, LogOutShopper, RegisterShopper, RequestShopperReset,
    ResendEmailCheck, ResetShopperPassword, load_my_addresses, load_shopper_account,
};
pub use signup::{ConfirmSignUp, SignUp, load_pending_sign_up};
pub use staff::{
    AcceptInvitation, BindStaffLocations, ChangeStaffRole, InviteStaff, ResendStaffInvitation, RevokeStaffInvitation,
    SetStaffActive, load_invitation, load_staff,
};
pub use stock::{
    AdjustStock, AdvanceTransfer, CancelCount, DraftTransfer, ReceiveStock, SaveCount, SetReorder, StartCount,
    StockView, VariantHistory, VoidReceipt, load_alerts, load_count, load_counts, load_receipt, load_receipts,
    load_stock, load_transfers, load_variant_history,
};
#[cfg(feature = "ssr")]
pub use store_cache::{KeptPage, Started, StoreCache};
pub use storefront::{
    Shelf, ShelfQuery, load_featured, load_seller, load_shop_categories, load_shop_items, load_storefront,
};
pub use terms::{RemoveCommissionRule, SaveTerms, SetCommissionRule, load_terms};
pub use till::{
    AddRegister, DecideTillDocument, RevokeRegister, SetTillPin, TillsView, load_shift, load_shifts, load_tills,
};
pub use vendor_money::{
    AdjustVendorBalance, CancelPayout, Desk, MarkPayoutPaid, MovePart, RemitCash, RequestPayout, RunPayouts,
    SendPayout, VendorMoney, load_part, load_payouts, load_vendor_desk, load_vendor_money, load_vendor_parts,
};
pub use vendors::{
    ApplyToSell, ConfirmVendorApplication, DecideProduct, InviteVendorStaff, RemoveVendorDocument, ReviewVendor,
    SaveVendorDetails, SetVendorBank, SetVendorModeration, load_my_vendor, load_vendor, load_vendor_application,
    load_vendor_team, load_vendors, load_waiting_products,
};

/// The database handed to every request by the server.
#[cfg(feature = "ssr")]
fn db() -> Result<commerce::db::Db, crate::AppError> {
    leptos::prelude::use_context::<commerce::db::Db>().ok_or_else(|| {
        tracing::error!("no database in the request context");
        crate::AppError::from(commerce::Error::Internal)
    })
}

/// The postman handed to every request by the server.
#[cfg(feature = "ssr")]
fn mail() -> Result<commerce::mail::Mail, crate::AppError> {
    leptos::prelude::use_context::<commerce::mail::Mail>().ok_or_else(|| {
        tracing::error!("no postman in the request context");
        crate::AppError::from(commerce::Error::Internal)
    })
}

/// Signs this browser in to a session that has just started: the session it had before (if
/// any) ends, so a cookie someone planted or copied earlier stops working, and the new cookie
/// is sent.
#[cfg(feature = "ssr")]
async fn replace_session(db: &commerce::db::Db, new_cookie: &str) -> Result<(), crate::AppError> {
    if let Some(old) = crate::session::cookie_value() {
        commerce::identity::log_out(db.primary(), &old).await?;
    }
    crate::session::set_cookie(new_cookie);
    Ok(())
}

/// Where a list continues, from the address's `after`: the position a cursor this site gave
/// out stands for, or the first page for anything else (an old or edited address).
#[cfg(feature = "ssr")]
fn after<K: serde::de::DeserializeOwned>(after: Option<&str>) -> Option<K> {
    commerce::base::page::read_cursor("after", after).ok().flatten()
}

/// An id chosen in a form, where an empty choice means none.
#[cfg(feature = "ssr")]
fn optional_id(text: &str, field: &str) -> Result<Option<uuid::Uuid>, commerce::Error> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    uuid::Uuid::parse_str(text.trim())
        .map(Some)
        .map_err(|_| commerce::Error::invalid(field, "choose one from the list"))
}

/// The one-time key a form carries (see `SubmissionKey`), as the domain's idempotency key for
/// the signed-in person: a form pressed twice, or sent again by a browser that lost the first
/// answer, does its work once and answers the first result. The key is bound to what `what`
/// names and the fields in `body`, so one key cannot stand for two different requests. An empty
/// key (a form from before keys) means none.
#[cfg(feature = "ssr")]
fn submission(
    actor: &commerce::base::Actor,
    key: &str,
    what: &str,
    body: &[&str],
) -> Result<Option<commerce::idempotency::Once>, commerce::Error> {
    if key.is_empty() {
        return Ok(None);
    }
    let body = body.join("\u{1f}");
    commerce::idempotency::Once::new(format!("form:{}", actor.id()), key, what, body.as_bytes()).map(Some)
}
