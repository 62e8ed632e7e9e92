//! The signed-in person as server functions see them, and the session cookie.

/// The public address, the cookie policy and the names of the built files, handed to every
/// request by the server.
#[derive(Clone, Debug)]
pub struct SiteSettings {
    /// Where people reach the site, without a trailing slash (`https://shop.example.ng`).
    pub public_url: String,
    /// Whether cookies carry the `Secure` flag (the site is served over https).
    pub secure_cookies: bool,
    /// Whether the server runs as a demonstration: only then does the start page show the demo
    /// accounts and their password.
    pub demo: bool,
    /// What the build named the browser's files.
    pub assets: SiteAssets,
}

/// The names the build gave the browser's files, which change with their content
/// (`scripts/assets.mjs` lists them in `pkg/assets.txt`): the script `{app}.js` and its wasm
/// `{app}_bg.wasm`, and the stylesheet `css`. A site built without the list keeps plain names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SiteAssets {
    /// The script's and the wasm's common stem: `sc1-0123456789abcdef`.
    pub app: String,
    /// The stylesheet's file name: `sc1-0123456789abcdef.css`.
    pub css: String,
    /// The storefront's script's file name: `store-0123456789abcdef.js`.
    pub store: String,
    /// The till's script's and wasm's common stem: `till-0123456789abcdef`.
    pub till: String,
}

impl Default for SiteAssets {
    fn default() -> Self {
        Self { app: "sc1".to_owned(), css: "sc1.css".to_owned(), store: "store.js".to_owned(), till: "till".to_owned() }
    }
}

impl SiteAssets {
    /// The names listed in `pkg/assets.txt` under `site_root`; the plain names where there is
    /// no such list (or it lacks one), and never a name that could leave `pkg/`.
    #[cfg(feature = "ssr")]
    pub fn read(site_root: &std::path::Path) -> Self {
        let mut assets = Self::default();
        let Ok(list) = std::fs::read_to_string(site_root.join("pkg").join("assets.txt")) else { return assets };
        let safe =
            |name: &str| !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c));
        for line in list.lines() {
            match line.split_once(' ') {
                Some(("app", name)) if safe(name) => name.clone_into(&mut assets.app),
                Some(("css", name)) if safe(name) => name.clone_into(&mut assets.css),
                Some(("store", name)) if safe(name) => name.clone_into(&mut assets.store),
                Some(("till", name)) if safe(name) => name.clone_into(&mut assets.till),
                _ => {}
            }
        }
        assets
    }

    /// The stylesheet's address.
    pub fn stylesheet(&self) -> String {
        format!("/pkg/{}", self.css)
    }

    /// The storefront's script's address.
    pub fn store_script(&self) -> String {
        format!("/pkg/{}", self.store)
    }

    /// The till's module and its wasm's addresses.
    pub fn till_files(&self) -> (String, String) {
        (format!("/pkg/{}.js", self.till), format!("/pkg/{}_bg.wasm", self.till))
    }
}

#[cfg(feature = "ssr")]
pub use server::{actor, clear_cookie, client, cookie_value, require_actor, session_id, set_cookie, site, visit};

#[cfg(feature = "ssr")]
mod server {
    use commerce::base::Actor;
    use commerce::identity::session::{self, ClientInfo, Resolved};
    use http::header::SET_COOKIE;
    use http::{HeaderValue, request::Parts};
    use leptos::prelude::use_context;
    use leptos_axum::ResponseOptions;
    use uuid::Uuid;

    use super::SiteSettings;
    use crate::AppError;

    fn resolved() -> Option<Resolved> {
        use_context::<Parts>()?.extensions.get::<Resolved>().cloned()
    }

    /// Who is signed in, if anyone.
    pub fn actor() -> Option<Actor> {
        resolved().map(|r| r.actor)
    }

    /// Who is signed in; `Unauthorized` when nobody is.
    pub fn require_actor() -> Result<Actor, AppError> {
        actor().ok_or_else(|| commerce::Error::Unauthorized("Please sign in.".into()).into())
    }

    /// The id of the session making this request.
    pub fn session_id() -> Option<Uuid> {
        resolved().map(|r| r.id)
    }

    /// The browser and address of this request.
    pub fn client() -> ClientInfo {
        use_context::<Parts>().and_then(|p| p.extensions.get::<ClientInfo>().cloned()).unwrap_or_default()
    }

    /// The site's settings.
    pub fn site() -> SiteSettings {
        use_context::<SiteSettings>().unwrap_or(SiteSettings {
            public_url: "http://127.0.0.1:3000".into(),
            secure_cookies: false,
            demo: false,
            assets: super::SiteAssets::default(),
        })
    }

    /// The session cookie's value as this request sent it.
    pub fn cookie_value() -> Option<String> {
        cookie(session::COOKIE)
    }

    /// A cookie's value as this request sent it.
    fn cookie(name: &str) -> Option<String> {
        let parts = use_context::<Parts>()?;
        parts
            .headers
            .get_all(http::header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .filter_map(|pair| pair.trim().split_once('='))
            .find_map(|(k, v)| (k == name).then(|| v.to_owned()))
    }

    /// The cookie that names a visitor's visit (their guest cart, in every store).
    const VISIT_COOKIE: &str = "sc1_visit";

    /// How long a visit's cart is kept in the browser: thirty days.
    const VISIT_SECONDS: i64 = 30 * 24 * 60 * 60;

    /// This browser's visit: the one its cookie names, or, when it has none (or one that is not
    /// a visit's), a new one, whose cookie is sent when `keep` (the visitor is about to put
    /// something in a cart). A visit is a random id: knowing it opens its cart.
    pub fn visit(keep: bool) -> Result<Uuid, AppError> {
        if let Some(visit) =
            cookie(VISIT_COOKIE).and_then(|v| Uuid::parse_str(&v).ok()).filter(|v| v.get_version_num() == 4)
        {
            return Ok(visit);
        }
        let visit = commerce::identity::token::random_id()?;
        if keep {
            write(VISIT_COOKIE, &visit.hyphenated().to_string(), VISIT_SECONDS);
        }
        Ok(visit)
    }

    fn write_cookie(value: &str, max_age: i64) {
        write(session::COOKIE, value, max_age);
    }

    fn write(name: &str, value: &str, max_age: i64) {
        let secure = if site().secure_cookies { "; Secure" } else { "" };
        let cookie = format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}");
        if let (Some(response), Ok(header)) = (use_context::<ResponseOptions>(), HeaderValue::from_str(&cookie)) {
            response.append_header(SET_COOKIE, header);
        }
    }

    /// Sends the cookie of a session that has just started.
    pub fn set_cookie(value: &str) {
        write_cookie(value, session::ABSOLUTE_SECONDS);
    }

    /// Tells the browser to forget the session cookie.
    pub fn clear_cookie() {
        write_cookie("", 0);
    }
}
