//! Accounts against an attacker, through HTTP: live links never reach anyone but their owner,
//! a suspended business's integrations stop, passwords cannot be guessed through side doors,
//! sign-up tells nobody who is registered, nobody can lock someone else out, and the database
//! itself keeps sessions and reset links apart.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "a test fails loudly on what it did not expect")]

mod support;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, Request, StatusCode, header};
use commerce::base::Role;
use commerce::db::Db;
use commerce::identity::session::ClientInfo;
use commerce::identity::{self, TenantStatus};
use commerce::mail::Folder;
use http_body_util::BodyExt;
use server::{AppState, router};
use sqlx::PgPool;
use support::builders::{Business, PASSWORD, email_of, platform_admin};
use tower::ServiceExt;

/// The server acting as the application's role, with letters kept in a folder to read back;
/// and the business it is tried on, Oja Fresh Supermarket (see `Business::supermarket`).
async fn app(owner: PgPool) -> (Router, Business, Folder, AppState) {
    let oja = Business::supermarket(&owner).await;
    let mut state = AppState::new(Db::from_pool(oja.db.clone()), "target/site", "http://127.0.0.1:3000");
    let letters = Folder::new(std::env::temp_dir().join(format!("sc1-letters-{}", uuid::Uuid::now_v7())));
    state.mail = Arc::new(letters.clone());
    (router(state.clone()), oja, letters, state)
}

struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    body: String,
}

impl Answer {
    /// The status that says how it went: a form posted without the script is answered with a
    /// redirect back to its page (303), whose address carries a refusal (`__err`); that
    /// refusal's status is the one that counts.
    fn outcome(&self) -> StatusCode {
        use leptos::server_fn::error::ServerFnUrlError;
        let location = self.headers.get(header::LOCATION).and_then(|v| v.to_str().ok()).unwrap_or_default();
        let refusal = location.split(['?', '&']).find_map(|pair| pair.strip_prefix("__err="));
        match (self.status, refusal) {
            (StatusCode::SEE_OTHER, Some(encoded)) => {
                let encoded = encoded.replace("%3D", "=");
                let error = ServerFnUrlError::<app::AppError>::decode_err(&encoded);
                StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
            }
            (status, _) => status,
        }
    }

    fn cookie(&self) -> Option<String> {
        let set = self.headers.get(header::SET_COOKIE)?.to_str().ok()?;
        let pair = set.split(';').next()?;
        pair.split_once('=').filter(|(_, value)| !value.is_empty()).map(|_| pair.to_owned())
    }
}

/// A form posted to a server function by a browser on this site without script (answered
/// with a redirect), from `ip`.
async fn post(app: &Router, path: &str, cookie: Option<&str>, body: &str, ip: [u8; 4]) -> Answer {
    submit(app, path, cookie, body, ip, Some("text/html")).await
}

/// A server function called by the page's script (answered with its JSON), from `ip`.
async fn call(app: &Router, path: &str, cookie: Option<&str>, body: &str, ip: [u8; 4]) -> Answer {
    submit(app, path, cookie, body, ip, None).await
}

async fn submit(
    app: &Router,
    path: &str,
    cookie: Option<&str>,
    body: &str,
    ip: [u8; 4],
    accept: Option<&str>,
) -> Answer {
    let mut request = Request::post(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, accept.unwrap_or("application/json"))
        .header(header::HOST, "127.0.0.1:3000")
        .header(header::ORIGIN, "http://127.0.0.1:3000")
        // The page the form is on, where a browser is sent back.
        .header(header::REFERER, "http://127.0.0.1:3000/the-form");
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    let mut request = request.body(Body::from(body.to_owned())).unwrap();
    request.extensions_mut().insert(ConnectInfo(SocketAddr::from((ip, 50_000))));
    send(app, request).await
}

async fn get(app: &Router, path: &str, cookie: &str) -> Answer {
    send(app, Request::get(path).header(header::COOKIE, cookie).body(Body::empty()).unwrap()).await
}

async fn send(app: &Router, request: Request<Body>) -> Answer {
    let response = app.clone().oneshot(request).await.unwrap();
    let (parts, body) = response.into_parts();
    let bytes = body.collect().await.unwrap().to_bytes();
    Answer { status: parts.status, headers: parts.headers, body: String::from_utf8_lossy(&bytes).into_owned() }
}

fn form_value(text: &str) -> String {
    text.replace('%', "%25").replace('@', "%40").replace('&', "%26").replace('+', "%2B").replace(' ', "+")
}

async fn sign_in(app: &Router, email: &str, ip: [u8; 4]) -> String {
    let answer =
        post(app, "/rpc/log_in", None, &format!("email={}&password={PASSWORD}&next=", form_value(email)), ip).await;
    assert_eq!(answer.outcome(), StatusCode::SEE_OTHER, "{email}: {}", answer.body);
    answer.cookie().expect("a session cookie")
}

const HOME: [u8; 4] = [198, 51, 100, 2];
const ATTACKER: [u8; 4] = [203, 0, 113, 7];

#[sqlx::test(migrations = "../migrations")]
async fn a_reset_link_reaches_only_its_owner_and_never_a_business_outbox(db: PgPool) {
    let (app, oja, letters, _) = app(db).await;
    let boss = email_of(&oja.owner);
    let asked = post(&app, "/rpc/request_password_reset", None, &format!("email={}", form_value(boss)), ATTACKER).await;
    assert!(asked.status.is_success() || asked.outcome() == StatusCode::SEE_OTHER, "{}", asked.body);

    let manager = sign_in(&app, &oja.someone(Role::Manager).await, HOME).await;
    let outbox = call(&app, "/rpc/load_outbox", Some(&manager), "", HOME).await;
    assert_eq!(outbox.status, StatusCode::OK, "{}", outbox.body);
    assert!(!outbox.body.contains("/admin/reset/"), "a manager reads the owner's reset link: {}", outbox.body);
    let page = get(&app, "/admin/outbox", &manager).await;
    assert!(!page.body.contains("/admin/reset/"), "the sent-messages page shows a reset link");

    let mail = letters.letters();
    assert_eq!(mail.len(), 1, "{mail:?}");
    assert_eq!(mail[0].to, boss);
    assert!(mail[0].body.contains("/admin/reset/"), "the owner gets the link");
}

#[sqlx::test(migrations = "../migrations")]
async fn an_invitation_link_is_shown_once_to_whoever_invited_and_never_kept_in_the_outbox(db: PgPool) {
    let (app, oja, letters, _) = app(db).await;
    let owner = sign_in(&app, email_of(&oja.owner), HOME).await;
    let invited = call(&app, "/rpc/invite_staff", Some(&owner), "email=partner%40example.ng&role=owner", HOME).await;
    assert_eq!(invited.status, StatusCode::OK, "{}", invited.body);
    let link: String = serde_json::from_str(&invited.body).unwrap();
    let token = link.rsplit('/').next().unwrap().to_owned();

    let manager = sign_in(&app, &oja.someone(Role::Manager).await, HOME).await;
    let outbox = call(&app, "/rpc/load_outbox", Some(&manager), "", HOME).await;
    assert_eq!(outbox.status, StatusCode::OK);
    assert!(outbox.body.contains("partner@example.ng"), "the invitation is recorded: {}", outbox.body);
    assert!(!outbox.body.contains(&token), "a manager could accept the owner invitation: {}", outbox.body);
    assert!(letters.letters().iter().any(|l| l.to == "partner@example.ng" && l.body.contains(&token)));
}

#[sqlx::test(migrations = "../migrations")]
async fn a_suspended_businesss_api_tokens_stop_and_no_new_one_is_issued(db: PgPool) {
    let admin = platform_admin(&db).await;
    let (app, oja, _, state) = app(db).await;
    let pool = oja.db.clone();
    // As in production: resolved tokens are kept while removals are heard.
    tokio::spawn(state.tokens.clone().follow(pool.clone()));
    for _ in 0..100 {
        if state.tokens.is_hearing() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let (id, secret) = support::client(&oja, &["products:read"]).await;
    let token = support::token(&app, &id, &secret).await;
    let (status, _, _) = support::call(&app, support::get("/api/v1/marketplace/products", &token)).await;
    assert_eq!(status, StatusCode::OK);

    let admin = identity::log_in(&pool, &admin, PASSWORD, &ClientInfo::default()).await.unwrap().actor;
    let shop = oja.tenant;
    identity::set_status(&pool, &admin, shop, TenantStatus::Suspended).await.unwrap();

    let mut refused = false;
    for _ in 0..50 {
        let (status, _, _) = support::call(&app, support::get("/api/v1/marketplace/products", &token)).await;
        if status == StatusCode::UNAUTHORIZED {
            refused = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(refused, "the suspended business's token still reads its products after 5 s");
    let request = Request::post("/api/v1/oauth/token")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(format!("grant_type=client_credentials&client_id={id}&client_secret={secret}")))
        .unwrap();
    let (status, _, body) = support::call(&app, request).await;
    assert!(status.is_client_error(), "a suspended business got a new token: {status} {body}");

    identity::set_status(&pool, &admin, shop, TenantStatus::Active).await.unwrap();
    let again = support::token(&app, &id, &secret).await;
    let (status, _, _) = support::call(&app, support::get("/api/v1/marketplace/products", &again)).await;
    assert_eq!(status, StatusCode::OK, "trading again, it gets tokens again");
}

#[sqlx::test(migrations = "../migrations")]
async fn an_invitation_is_never_a_way_to_guess_a_password(db: PgPool) {
    let registered = platform_admin(&db).await;
    let (app, oja, _, _) = app(db).await;
    let owner = sign_in(&app, email_of(&oja.owner), HOME).await;
    let invite = format!("email={}&role=cashier", form_value(&registered));
    let invited = call(&app, "/rpc/invite_staff", Some(&owner), &invite, HOME).await;
    let link: String = serde_json::from_str(&invited.body).unwrap();
    let token = link.rsplit('/').next().unwrap().to_owned();

    for guess in 0..25 {
        let answer = post(
            &app,
            "/rpc/accept_invitation",
            None,
            &format!("token={token}&name=&password=guess-{guess}"),
            ATTACKER,
        )
        .await;
        assert_eq!(answer.outcome(), StatusCode::UNAUTHORIZED, "guess {guess}: {}", answer.body);
        assert!(answer.cookie().is_none());
    }
    let right =
        post(&app, "/rpc/accept_invitation", None, &format!("token={token}&name=&password={PASSWORD}"), ATTACKER).await;
    assert_eq!(right.outcome(), StatusCode::UNAUTHORIZED, "the right password is not checked here either");
    assert!(right.cookie().is_none(), "nobody is signed in by guessing");

    let admin = sign_in(&app, &registered, HOME).await;
    let joined =
        post(&app, "/rpc/accept_invitation", Some(&admin), &format!("token={token}&name=&password="), HOME).await;
    assert_eq!(
        joined.outcome(),
        StatusCode::SEE_OTHER,
        "signed in as the invited account, one click joins: {}",
        joined.body
    );
    assert_eq!(joined.headers[header::LOCATION], "/pos");
}

#[sqlx::test(migrations = "../migrations")]
async fn the_current_password_is_guessed_no_faster_than_at_sign_in(db: PgPool) {
    let (app, oja, _, _) = app(db).await;
    let manager = sign_in(&app, &oja.someone(Role::Manager).await, ATTACKER).await;
    let attempt = |n: usize| {
        let body = format!("current_password=guess-number-{n}&new_password=brand-new-secret-77");
        let manager = manager.clone();
        let app = app.clone();
        async move { post(&app, "/rpc/change_password", Some(&manager), &body, ATTACKER).await }
    };
    for n in 0..9 {
        assert_eq!(attempt(n).await.outcome(), StatusCode::UNPROCESSABLE_ENTITY, "guess {n}");
    }
    let limited = attempt(99).await;
    assert_eq!(limited.outcome(), StatusCode::TOO_MANY_REQUESTS, "{}", limited.body);
}

#[sqlx::test(migrations = "../migrations")]
async fn signing_up_answers_the_same_whether_or_not_the_email_has_an_account(db: PgPool) {
    let (app, oja, letters, _) = app(db).await;
    let registered = email_of(&oja.owner);
    let form = |email: &str, slug: &str| {
        format!(
            "business_name=Iya+Basira+Kitchen&slug={slug}&mode=svm&owner_name=Basira+Ade&email={}&password=amala-and-ewedu-9",
            form_value(email)
        )
    };
    let new = post(&app, "/rpc/sign_up", None, &form("basira@example.ng", "iya-basira"), ATTACKER).await;
    let known = post(&app, "/rpc/sign_up", None, &form(registered, "iya-basira-2"), ATTACKER).await;
    assert_eq!(new.status, known.status, "{} / {}", new.body, known.body);
    assert_eq!(new.headers.get(header::LOCATION), known.headers.get(header::LOCATION));
    assert_eq!(new.body, known.body);
    assert!(new.cookie().is_none() && known.cookie().is_none(), "nobody is signed in before the link is followed");

    let mail = letters.letters();
    let to_new = mail.iter().find(|l| l.to == "basira@example.ng").expect("a letter to the new address");
    let to_known = mail.iter().find(|l| l.to == registered).expect("a letter to the registered one");
    assert!(to_new.body.contains("/signup/confirm/"));
    assert!(to_known.body.contains("already has an account") && !to_known.body.contains("/signup/confirm/"));

    let start = to_new.body.find("/signup/confirm/").unwrap() + "/signup/confirm/".len();
    let token: String =
        to_new.body[start..].chars().take_while(|c| c.is_ascii_alphanumeric() || "-_".contains(*c)).collect();
    let opened = post(&app, "/rpc/confirm_sign_up", None, &format!("token={token}"), ATTACKER).await;
    assert_eq!(opened.outcome(), StatusCode::SEE_OTHER, "{}", opened.body);
    assert_eq!(opened.headers[header::LOCATION], "/admin");
    assert!(opened.cookie().is_some(), "following the link signs the owner in");
}

#[sqlx::test(migrations = "../migrations")]
async fn an_invitation_preview_does_not_say_whether_the_address_is_registered(db: PgPool) {
    let registered = platform_admin(&db).await;
    let (app, oja, _, _) = app(db).await;
    let owner = sign_in(&app, email_of(&oja.owner), HOME).await;
    let invite = format!("email={}&role=cashier", form_value(&registered));
    let invited = call(&app, "/rpc/invite_staff", Some(&owner), &invite, HOME).await;
    let link: String = serde_json::from_str(&invited.body).unwrap();
    let token = link.rsplit('/').next().unwrap();
    let preview = call(&app, "/rpc/load_invitation", None, &format!("token={token}"), ATTACKER).await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
    assert!(!preview.body.contains("has_account"), "{}", preview.body);
}

#[sqlx::test(migrations = "../migrations")]
async fn sign_ups_from_one_address_are_limited(db: PgPool) {
    let (app, _, _, _) = app(db).await;
    for n in 0..10 {
        let body = format!(
            "business_name=Shop+{n}&slug=shop-number-{n}&mode=svm&owner_name=Tunde&email=tunde{n}%40example.ng&password=puff-puff-and-tea"
        );
        let answer = post(&app, "/rpc/sign_up", None, &body, ATTACKER).await;
        assert_eq!(answer.outcome(), StatusCode::SEE_OTHER, "sign-up {n}: {}", answer.body);
    }
    let body = "business_name=One+More&slug=one-more&mode=svm&owner_name=Tunde&email=tunde99%40example.ng&password=puff-puff-and-tea";
    let limited = post(&app, "/rpc/sign_up", None, body, ATTACKER).await;
    assert_eq!(limited.outcome(), StatusCode::TOO_MANY_REQUESTS, "{}", limited.body);
}

#[sqlx::test(migrations = "../migrations")]
async fn someone_elses_wrong_passwords_never_lock_the_owner_out(db: PgPool) {
    let (app, oja, _, _) = app(db).await;
    let boss = email_of(&oja.owner);
    let wrong = &format!("email={}&password=not-the-password&next=", form_value(boss));
    for n in 0..10 {
        assert_eq!(post(&app, "/rpc/log_in", None, wrong, ATTACKER).await.outcome(), StatusCode::UNAUTHORIZED, "{n}");
    }
    assert_eq!(post(&app, "/rpc/log_in", None, wrong, ATTACKER).await.outcome(), StatusCode::TOO_MANY_REQUESTS);
    sign_in(&app, boss, HOME).await;
}

#[sqlx::test(migrations = "../migrations")]
async fn guessing_a_client_secret_never_locks_the_integration_out(db: PgPool) {
    let (app, oja, _, _) = app(db).await;
    let (id, secret) = support::client(&oja, &["products:read"]).await;
    let request = |secret: &str, ip: [u8; 4]| {
        let mut request = Request::post("/api/v1/oauth/token")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(format!("grant_type=client_credentials&client_id={id}&client_secret={secret}")))
            .unwrap();
        request.extensions_mut().insert(ConnectInfo(SocketAddr::from((ip, 40_000))));
        request
    };
    let mut last = StatusCode::OK;
    for _ in 0..31 {
        last = support::call(&app, request("wrong-secret", ATTACKER)).await.0;
    }
    assert_eq!(last, StatusCode::TOO_MANY_REQUESTS, "the guesser is slowed down");
    let (status, _, body) = support::call(&app, request(&secret, HOME)).await;
    assert_eq!(status, StatusCode::OK, "the integration itself still gets its token: {body}");
}

#[sqlx::test(migrations = "../migrations")]
async fn sessions_and_reset_links_of_one_business_are_invisible_to_another(db: PgPool) {
    let market = Business::marketplace(&db, "Naija Gadget Market").await.tenant;
    let db_owner = db.clone();
    let (app, oja, _, _) = app(db).await;
    let pool = oja.db.clone();
    sign_in(&app, email_of(&oja.owner), HOME).await;
    let accounts = oja.someone(Role::Accountant).await;
    post(&app, "/rpc/request_password_reset", None, &format!("email={}", form_value(&accounts)), HOME).await;
    let made: i64 = sqlx::query_scalar("SELECT count(*) FROM password_resets").fetch_one(&db_owner).await.unwrap();
    assert_eq!(made, 1, "the reset link was made");
    let mut tx = commerce::db::tenant_tx(&pool, market).await.unwrap();
    let sessions: i64 = sqlx::query_scalar("SELECT count(*) FROM sessions").fetch_one(&mut *tx).await.unwrap();
    let resets: i64 = sqlx::query_scalar("SELECT count(*) FROM password_resets").fetch_one(&mut *tx).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!((sessions, resets), (0, 0), "another business's sessions and reset links are readable");
    let unscoped: i64 = sqlx::query_scalar("SELECT count(*) FROM sessions").fetch_one(&pool).await.unwrap();
    assert_eq!(unscoped, 0, "acting for nobody, the application sees no sessions at all");
}

#[sqlx::test(migrations = "../migrations")]
async fn every_table_with_a_tenant_has_row_level_security(db: PgPool) {
    let bare: Vec<String> = sqlx::query_scalar(
        "SELECT c.relname::text FROM pg_class c
           JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
          WHERE c.relkind = 'r' AND NOT c.relrowsecurity
            AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped)
          ORDER BY 1",
    )
    .fetch_all(&db)
    .await
    .unwrap();
    assert_eq!(bare, Vec::<String>::new(), "tables with a tenant_id but no row-level security");
}

#[sqlx::test(migrations = "../migrations")]
async fn the_server_refuses_to_start_as_a_role_that_row_security_does_not_bind(db: PgPool) {
    let base = std::env::var("DATABASE_URL").expect("DATABASE_URL");
    let name = db.connect_options().get_database().unwrap().to_owned();
    let url = match base.rsplit_once('/') {
        Some((server, _)) => format!("{server}/{name}"),
        None => panic!("DATABASE_URL has no database name: {base}"),
    };
    let cli = <server::config::Cli as clap::Parser>::try_parse_from([
        "server",
        "serve",
        "--database-url",
        &url,
        "--database-owner-url",
        &url,
        "--bind",
        "127.0.0.1:0",
    ])
    .unwrap();
    let server::config::Command::Serve(settings) = cli.command else { panic!("serve") };
    let started = tokio::time::timeout(Duration::from_secs(20), server::startup::serve(settings)).await;
    match started {
        Ok(Err(message)) => assert!(message.contains("owns the tables"), "{message}"),
        Ok(Ok(())) => panic!("the server ran as the tables' owner"),
        Err(elapsed) => panic!("the server started as the tables' owner, with row-level security off ({elapsed})"),
    }
    let app_role = commerce::db::pool_as_role(&db, "commerce_app").await.unwrap();
    assert_eq!(commerce::db::ensure_bound_by_row_security(&app_role).await, Ok(()));
}

#[sqlx::test(migrations = "../migrations")]
async fn a_spent_or_unknown_link_says_so_in_words(db: PgPool) {
    let (app, _, _, _) = app(db).await;
    for path in ["/signup/confirm/not-a-real-link", "/admin/invite/not-a-real-link"] {
        let page = send(&app, Request::get(path).body(Body::empty()).unwrap()).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{path}");
        assert!(page.body.contains("This link no longer works"), "{path}: {}", page.body);
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn someone_elses_guesses_never_lock_a_shopper_out_of_their_store_account(db: PgPool) {
    let (app, oja, _, _) = app(db).await;
    let slug = &oja.slug;
    let registration = commerce::identity::shopper::Registration {
        name: "Yemi Bello".into(),
        email: "yemi@example.ng".into(),
        phone: String::new(),
        password: "moi-moi-and-custard".into(),
    };
    commerce::identity::shopper::register(
        &oja.db,
        slug,
        registration,
        &ClientInfo::default(),
        "http://shop.test/store/x",
    )
    .await
    .unwrap();
    let wrong = &format!("slug={slug}&email=yemi%40example.ng&password=not-the-password");
    for n in 0..10 {
        let answer = post(&app, "/rpc/log_in_shopper", None, wrong, ATTACKER).await;
        assert_eq!(answer.outcome(), StatusCode::UNAUTHORIZED, "{n}: {}", answer.body);
    }
    assert_eq!(post(&app, "/rpc/log_in_shopper", None, wrong, ATTACKER).await.outcome(), StatusCode::TOO_MANY_REQUESTS);
    let right = format!("slug={slug}&email=yemi%40example.ng&password=moi-moi-and-custard");
    let answer = post(&app, "/rpc/log_in_shopper", None, &right, HOME).await;
    assert_eq!(answer.outcome(), StatusCode::SEE_OTHER, "the shopper signs in from their own address: {}", answer.body);
}
