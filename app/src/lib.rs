//! The four surfaces of SC-1 Commerce Suite — back office, storefront, vendor portal and POS —
//! as Leptos pages rendered on the server and hydrated in the browser.

// Deeply nested pages have deeply nested view types; the default limit (128) is too low for them.
#![recursion_limit = "256"]

pub mod api;
mod components;
pub mod error;
mod pages;
pub mod session;

use leptos::prelude::*;
use leptos_meta::{MetaTags, Title, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{SsrMode, path};

pub use error::AppError;
pub use session::{SiteAssets, SiteSettings};

/// What taking payments needs, handed to every request by the server: the keys that open a
/// business's stored gateway secrets, and where Paystack is.
#[cfg(feature = "ssr")]
#[derive(Clone, Debug)]
pub struct Payments {
    /// The keyring, when the server has one (`SECRETS_KEYS`).
    pub keyring: Option<commerce::secrets::Keyring>,
    /// Paystack's API.
    pub paystack: commerce::orders::paystack::Paystack,
}

/// The HTML document around every page. Its stylesheet and scripts are named by their content
/// (see [`SiteAssets`]), so browsers keep them until they change.
///
/// The storefront's pages (`/store/…`) are not hydrated: they work as the server sends them,
/// and load only the storefront's own small script, never the wasm of the other surfaces. The
/// till (`/pos`) is a shell its own wasm fills in the browser (the `till` crate), so that it
/// opens and sells from what the browser keeps, also with no connection.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    content_security_policy();
    #[cfg(feature = "ssr")]
    let (assets, surface) = (session::site().assets, Surface::of_request());
    // Nothing of the storefront's pages or the till's is hydrated, so none of their data is
    // written into them for a hydration that will not happen.
    #[cfg(feature = "ssr")]
    if surface != Surface::Hydrated
        && let Some(context) = Owner::current_shared_context()
    {
        context.set_is_hydrating(false);
    }
    #[cfg(not(feature = "ssr"))]
    let (assets, surface) = (SiteAssets::default(), Surface::Hydrated);
    let stylesheet = assets.stylesheet();
    let scripts = match surface {
        Surface::Storefront => view! { <script type="module" src=assets.store_script()></script> }.into_any(),
        Surface::Till => {
            // The till's own wasm, started by the one inline script the page's policy allows.
            let (module, wasm) = assets.till_files();
            let start = format!("import start from {module:?}; start({{ module_or_path: {wasm:?} }});");
            view! { <script type="module" nonce=leptos::nonce::use_nonce()>{start}</script> }.into_any()
        }
        Surface::Hydrated => view! { <HydrationScripts options=options.clone() /> }.into_any(),
    };
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="theme-color" content="#0f766e" />
                <link rel="manifest" href="/manifest.webmanifest" />
                <link rel="icon" href="/icons/icon.svg" type="image/svg+xml" />
                <link rel="apple-touch-icon" href="/icons/icon-192.png" />
                <link rel="stylesheet" href=stylesheet />
                <AutoReload options />
                {scripts}
                <MetaTags />
            </head>
            <body class="bg-slate-50 text-slate-900 antialiased">
                <App />
            </body>
        </html>
    }
}

/// Which kind of page a request is for: what scripts it loads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(not(feature = "ssr"), expect(dead_code, reason = "only the server tells the surfaces apart"))]
enum Surface {
    /// The back office, the vendor portal, sign-in: hydrated by the app's wasm.
    Hydrated,
    /// The storefront (`/store/…`): as the server sends it, with its own small script.
    Storefront,
    /// The till (`/pos`): a shell that the till's own wasm fills in the browser.
    Till,
}

#[cfg(feature = "ssr")]
impl Surface {
    fn of_request() -> Self {
        let path = use_context::<http::request::Parts>().map(|request| request.uri.path().to_owned());
        match path.as_deref() {
            Some(p) if p.starts_with("/store/") => Self::Storefront,
            Some("/pos" | "/pos/") => Self::Till,
            _ => Self::Hydrated,
        }
    }
}

/// Allows scripts only from this site and the inline ones this response carries (marked with
/// its nonce), plus the wasm they start; nothing may frame the page.
#[cfg(feature = "ssr")]
fn content_security_policy() {
    let (Some(nonce), Some(response)) = (leptos::nonce::use_nonce(), use_context::<leptos_axum::ResponseOptions>())
    else {
        // Said so that a page which arrives without its policy can be traced to its cause.
        tracing::warn!(
            nonce = leptos::nonce::use_nonce().is_some(),
            response_options = use_context::<leptos_axum::ResponseOptions>().is_some(),
            "the page's security policy cannot be set while it renders"
        );
        return;
    };
    if let Ok(value) = http::HeaderValue::from_str(&page_policy(Some(&nonce.to_string()))) {
        response.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
    }
}

/// A page's Content-Security-Policy: scripts from this site and the inline ones marked with
/// `nonce` (none without it), the wasm they start, styles from this site only, and no framing.
pub fn page_policy(nonce: Option<&str>) -> String {
    let inline = nonce.map(|nonce| format!(" 'nonce-{nonce}'")).unwrap_or_default();
    format!(
        "default-src 'self'; script-src 'self'{inline} 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data:; connect-src 'self'; font-src 'self'; manifest-src 'self'; worker-src 'self'; \
         object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// The routes of every surface.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    mark_hydrated();
    view! {
        <Title formatter=|page: String| if page.is_empty() { "SC-1 Commerce Suite".to_owned() } else { format!("{page} · SC-1") } />
        <Router>
            <Routes fallback=components::NotFoundPage>
                <Route path=path!("") view=pages::Landing ssr=SsrMode::Async />
                <Route path=path!("/signup") view=pages::SignUpPage ssr=SsrMode::Async />
                <Route path=path!("/signup/confirm/:token") view=pages::SignUpConfirmPage ssr=SsrMode::Async />
                <Route path=path!("/admin") view=pages::DashboardPage ssr=SsrMode::Async />
                <Route path=path!("/admin/login") view=pages::LoginPage ssr=SsrMode::Async />
                <Route path=path!("/admin/staff") view=pages::StaffPage ssr=SsrMode::Async />
                <Route path=path!("/admin/settings") view=pages::SettingsPage ssr=SsrMode::Async />
                <Route path=path!("/admin/selling") view=pages::SellingPage ssr=SsrMode::Async />
                <Route path=path!("/admin/roles") view=pages::RolesPage ssr=SsrMode::Async />
                <Route path=path!("/admin/invite/:token") view=pages::InvitationPage ssr=SsrMode::Async />
                <Route path=path!("/admin/audit") view=pages::AuditPageView ssr=SsrMode::Async />
                <Route path=path!("/admin/api-clients") view=pages::ApiClientsPage ssr=SsrMode::Async />
                <Route path=path!("/admin/registers") view=pages::RegistersPage ssr=SsrMode::Async />
                <Route path=path!("/admin/shifts") view=pages::ShiftsPage ssr=SsrMode::Async />
                <Route path=path!("/admin/shifts/:id") view=pages::ShiftPage ssr=SsrMode::Async />
                <Route path=path!("/admin/outbox") view=pages::OutboxPage ssr=SsrMode::Async />
                <Route path=path!("/admin/forgot") view=pages::ForgotPage ssr=SsrMode::Async />
                <Route path=path!("/admin/reset/:token") view=pages::ResetPage ssr=SsrMode::Async />
                <Route path=path!("/admin/account") view=pages::AccountPage ssr=SsrMode::Async />
                <Route path=path!("/admin/orders") view=pages::OrdersPage ssr=SsrMode::Async />
                <Route path=path!("/admin/customers") view=pages::CustomersPage ssr=SsrMode::Async />
                <Route path=path!("/admin/customers/:id") view=pages::CustomerPage ssr=SsrMode::Async />
                <Route path=path!("/admin/orders/new") view=pages::NewOrderPage ssr=SsrMode::Async />
                <Route path=path!("/admin/orders/:id") view=pages::AdminOrderPage ssr=SsrMode::Async />
                <Route path=path!("/admin/orders/:id/print") view=pages::OrderPrintPage ssr=SsrMode::Async />
                <Route path=path!("/admin/products") view=pages::ProductsPage ssr=SsrMode::Async />
                <Route path=path!("/admin/products/new") view=pages::ProductEditorPage ssr=SsrMode::Async />
                <Route path=path!("/admin/products/import") view=pages::ImportPage ssr=SsrMode::Async />
                <Route path=path!("/admin/products/:id") view=pages::ProductEditorPage ssr=SsrMode::Async />
                <Route path=path!("/admin/categories") view=pages::CategoriesPage ssr=SsrMode::Async />
                <Route path=path!("/admin/reviews") view=pages::ReviewsPage ssr=SsrMode::Async />
                <Route path=path!("/admin/stock") view=pages::StockPage ssr=SsrMode::Async />
                <Route path=path!("/admin/stock/variant/:id") view=pages::VariantStockPage ssr=SsrMode::Async />
                <Route path=path!("/admin/stock/receipts") view=pages::ReceiptsPage ssr=SsrMode::Async />
                <Route path=path!("/admin/stock/receipts/:id") view=pages::ReceiptPage ssr=SsrMode::Async />
                <Route path=path!("/admin/stock/transfers") view=pages::TransfersPage ssr=SsrMode::Async />
                <Route path=path!("/admin/stock/counts") view=pages::CountsPage ssr=SsrMode::Async />
                <Route path=path!("/admin/stock/counts/:id") view=pages::CountSheetPage ssr=SsrMode::Async />
                <Route path=path!("/admin/stock/alerts") view=pages::AlertsPage ssr=SsrMode::Async />
                <Route path=path!("/admin/vendors") view=pages::VendorsPage ssr=SsrMode::Async />
                <Route path=path!("/admin/vendors/products") view=pages::ProductApprovalsPage ssr=SsrMode::Async />
                <Route path=path!("/admin/vendors/terms") view=pages::MarketplaceTermsPage ssr=SsrMode::Async />
                <Route path=path!("/admin/vendors/payouts") view=pages::PayoutsPage ssr=SsrMode::Async />
                <Route path=path!("/admin/vendors/disputes") view=pages::DisputesPage ssr=SsrMode::Async />
                <Route path=path!("/admin/vendors/disputes/:id") view=pages::DisputePage ssr=SsrMode::Async />
                <Route path=path!("/admin/vendors/:id") view=pages::VendorPage ssr=SsrMode::Async />
                <Route path=path!("/platform") view=pages::PlatformHome ssr=SsrMode::Async />
                <Route path=path!("/store/:slug") view=pages::StorefrontHome ssr=SsrMode::Async />
                <Route path=path!("/store/:slug/c/:category") view=pages::StorefrontHome ssr=SsrMode::Async />
                <Route path=path!("/store/:slug/account") view=pages::StoreAccountPage ssr=SsrMode::Async />
                <Route path=path!("/store/:slug/confirm/:token") view=pages::StoreConfirmEmailPage ssr=SsrMode::Async />
                <Route path=path!("/store/:slug/forgot") view=pages::StoreForgotPage ssr=SsrMode::Async />
                <Route path=path!("/store/:slug/reset/:token") view=pages::StoreResetPage ssr=SsrMode::Async />
                <Route path=path!("/store/:slug/p/:id") view=pages::StoreProductPage ssr=SsrMode::Async />
                <Route path=path!("/store/:slug/cart") view=pages::StoreCartPage ssr=SsrMode::Async />
                <Route path=path!("/store/:slug/checkout") view=pages::StoreCheckoutPage ssr=SsrMode::Async />
                <Route path=path!("/store/:slug/order/:key") view=pages::StoreOrderPage ssr=SsrMode::Async />
                <Route path=path!("/store/:slug/pay/:key") view=pages::StorePayPage ssr=SsrMode::Async />
                <Route path=path!("/store/:slug/track") view=pages::StoreTrackPage ssr=SsrMode::Async />
                <Route path=path!("/store/:slug/paystack") view=pages::StorePaystackReturnPage ssr=SsrMode::Async />
                <Route path=path!("/store/:slug/sell") view=pages::StoreSellPage ssr=SsrMode::Async />
                <Route path=path!("/store/:slug/sellers/:seller") view=pages::StoreSellerPage ssr=SsrMode::Async />
                <Route path=path!("/store/:slug/sell/confirm/:token") view=pages::StoreSellConfirmPage ssr=SsrMode::Async />
                <Route path=path!("/vendor") view=pages::VendorHomePage ssr=SsrMode::Async />
                <Route path=path!("/vendor/login") view=pages::LoginPage ssr=SsrMode::Async />
                <Route path=path!("/vendor/application") view=pages::VendorBusinessPage ssr=SsrMode::Async />
                <Route path=path!("/vendor/team") view=pages::VendorTeamPage ssr=SsrMode::Async />
                <Route path=path!("/vendor/disputes") view=pages::VendorDisputesPage ssr=SsrMode::Async />
                <Route path=path!("/vendor/reviews") view=pages::VendorReviewsPage ssr=SsrMode::Async />
                <Route path=path!("/vendor/disputes/:id") view=pages::VendorDisputePage ssr=SsrMode::Async />
                <Route path=path!("/vendor/api-clients") view=pages::VendorApiClientsPage ssr=SsrMode::Async />
                <Route path=path!("/vendor/orders") view=pages::VendorOrdersPage ssr=SsrMode::Async />
                <Route path=path!("/vendor/orders/:id") view=pages::VendorPartPage ssr=SsrMode::Async />
                <Route path=path!("/vendor/payouts") view=pages::VendorPayoutsPage ssr=SsrMode::Async />
                <Route path=path!("/pos") view=pages::PosHome ssr=SsrMode::Async />
            </Routes>
        </Router>
    }
}

/// Marks `<body data-hydrated>` once the browser has taken over the page, so that tests (and
/// people debugging) can tell a live page from server-rendered HTML.
fn mark_hydrated() {
    Effect::new(|_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });
}

/// The browser's entry point: takes over the server-rendered page.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(App);
}
