//! Identity and access against a real database, acting as the application's role so that
//! row-level security binds exactly as in production. Each test builds the businesses and
//! people it needs (see `support`).

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "a test fails loudly on what it did not expect")]

mod support;

use commerce::base::{Actor, Permission, Role};
use commerce::identity::session::ClientInfo;
use commerce::identity::{self, RoleChoice, SignUp};
use commerce::{Clash, Error};
use sqlx::PgPool;
use support::{Business, PASSWORD, email_of, sign_in, user_of};

/// A store's full address, for the links its letters carry.
const STORE_URL: &str = "http://shop.test/store/oja-fresh";
const CASHIER: RoleChoice = RoleChoice { role: Role::Cashier, vendor: None };

/// A postman that keeps letters in a folder of their own, to be read back.
fn postbox() -> (commerce::mail::Folder, commerce::mail::Mail) {
    let folder = commerce::mail::Folder::new(std::env::temp_dir().join(format!("sc1-mail-{}", uuid::Uuid::now_v7())));
    (folder.clone(), std::sync::Arc::new(folder))
}

/// The folder's letters once `count` have arrived, waiting up to five seconds: a reset link is
/// mailed apart from the answer (which must take as long whether or not the email has an account).
async fn letters_when(folder: &commerce::mail::Folder, count: usize) -> Vec<commerce::mail::Letter> {
    for _ in 0..50 {
        if folder.letters().len() >= count {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    folder.letters()
}

/// The token at the end of the first link in a letter that points at `path`.
fn link_token(body: &str, path: &str) -> String {
    let start = body.find(path).unwrap_or_else(|| panic!("no {path} link in {body}")) + path.len();
    body[start..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').collect()
}

fn client(ip: &str) -> ClientInfo {
    ClientInfo { user_agent: "test".into(), ip: ip.into() }
}

#[sqlx::test]
async fn a_query_without_the_tenant_setting_sees_no_rows(owner: PgPool) {
    let oja = Business::open(&owner, "Oja Fresh").await;
    oja.location("Lekki Phase 1", "shop").await;
    Business::marketplace(&owner, "Gadget Market").await;
    let db = oja.db.clone();
    let bare: i64 = sqlx::query_scalar("SELECT count(*) FROM locations").fetch_one(&db).await.unwrap();
    assert_eq!(bare, 0, "no tenant set: nothing visible");
    let members: i64 = sqlx::query_scalar("SELECT count(*) FROM memberships").fetch_one(&db).await.unwrap();
    assert_eq!(members, 0);

    let mut tx = commerce::db::tenant_tx(&db, oja.tenant).await.unwrap();
    let own: i64 = sqlx::query_scalar("SELECT count(*) FROM locations").fetch_one(&mut *tx).await.unwrap();
    assert_eq!(own, 2, "the shop's two locations, and not the marketplace's");
}

#[sqlx::test]
async fn a_tenant_cannot_write_into_another(owner: PgPool) {
    let oja = Business::open(&owner, "Oja Fresh").await;
    let market = Business::marketplace(&owner, "Gadget Market").await.tenant;
    let mut tx = commerce::db::tenant_tx(&oja.db, oja.tenant).await.unwrap();
    let smuggled =
        sqlx::query("INSERT INTO locations (tenant_id, id, name, kind) VALUES ($1, gen_random_uuid(), 'X', 'shop')")
            .bind(market.0)
            .execute(&mut *tx)
            .await;
    assert!(smuggled.is_err(), "row-level security refuses another tenant's rows");
}

#[sqlx::test]
async fn each_role_may_do_what_its_role_allows_and_nothing_else(owner: PgPool) {
    let oja = Business::open(&owner, "Oja Fresh").await;
    let market = Business::marketplace(&owner, "Gadget Market").await;
    let db = oja.db.clone();
    let (_, mail) = postbox();
    let base = "http://shop.test";
    for (business, role, dashboard, staff, invite, till, vendor_portal) in [
        (&oja, Role::Owner, true, true, true, true, false),
        (&oja, Role::Manager, true, true, false, true, false),
        (&oja, Role::Accountant, true, true, false, false, false),
        (&oja, Role::Cashier, false, false, false, true, false),
        (&market, Role::Vendor, false, false, false, false, true),
    ] {
        let member = business.member(role).await;
        let actor = sign_in(&db, email_of(&member)).await;
        let email = email_of(&actor);
        let allowed = |result: Result<(), Error>| match result {
            Ok(()) => true,
            Err(Error::Forbidden(_)) => false,
            Err(other) => panic!("{email}: {other}"),
        };
        assert_eq!(allowed(identity::business_home(&db, &actor).await.map(drop)), dashboard, "{email} dashboard");
        assert_eq!(allowed(identity::list_staff(&db, &actor).await.map(drop)), staff, "{email} staff");
        let invited =
            identity::invite(&db, &mail, &actor, &format!("new+{}@example.ng", email.len()), CASHIER, base, None).await;
        assert_eq!(allowed(invited.map(drop)), invite, "{email} invite");
        assert_eq!(allowed(identity::shops_for_registers(&db, &actor).await.map(drop)), till, "{email} till");
        assert_eq!(allowed(identity::vendor_home(&db, &actor).await.map(drop)), vendor_portal, "{email} vendor portal");
    }
}

#[sqlx::test]
async fn another_businesss_staff_are_not_found(owner: PgPool) {
    let oja = Business::open(&owner, "Oja Fresh").await;
    let market = Business::marketplace(&owner, "Gadget Market").await;
    let db = oja.db.clone();
    let cashier = user_of(&oja.member(Role::Cashier).await);
    let result = identity::set_active(&db, &market.owner, cashier, false, None).await;
    assert!(matches!(result, Err(Error::NotFound(_))), "{result:?}");
    let staff = identity::list_staff(&db, &market.owner).await.unwrap();
    let theirs = format!("@{}.test", market.slug);
    assert!(staff.members.iter().all(|m| m.email.ends_with(&theirs)), "{staff:?}");
}

#[sqlx::test]
async fn too_many_sign_in_attempts_are_refused_for_a_while(owner: PgPool) {
    let oja = Business::open(&owner, "Oja Fresh").await;
    let db = oja.db.clone();
    let boss = email_of(&oja.owner);
    for attempt in 1..=10 {
        let result = identity::log_in(&db, boss, "not-the-password", &client("10.0.0.9")).await;
        assert!(matches!(result, Err(Error::Unauthorized(_))), "attempt {attempt}: {result:?}");
    }
    let result = identity::log_in(&db, boss, PASSWORD, &client("10.0.0.9")).await;
    match result {
        Err(Error::RateLimited { retry_after }) => assert!((1..=300).contains(&retry_after)),
        other => panic!("the eleventh attempt went through: {other:?}"),
    }
    let elsewhere = identity::log_in(&db, boss, PASSWORD, &client("10.0.0.10")).await;
    assert!(elsewhere.is_ok(), "guesses from one address never lock the owner out from another: {elsewhere:?}");
}

#[sqlx::test]
async fn a_new_business_opens_from_the_mailed_link_and_its_address_is_its_own(owner: PgPool) {
    let db = commerce::db::pool_as_role(&owner, support::APP_ROLE).await.unwrap();
    let (letters, mail) = postbox();
    let form = SignUp {
        business_name: "Mama Put Foods".into(),
        slug: "mama-put".into(),
        mode: "svm".into(),
        owner_name: "Ngozi Obi".into(),
        email: "ngozi@mamaput.ng".into(),
        password: "jollof-on-sunday".into(),
    };
    identity::sign_up(&db, &mail, form.clone(), &client("10.0.0.2"), "http://t").await.expect("sign up");
    let letter = letters.letters().pop().expect("a letter");
    assert_eq!(letter.to, "ngozi@mamaput.ng");
    let token = link_token(&letter.body, "/signup/confirm/");
    assert_eq!(identity::pending_sign_up(&db, &token).await.unwrap().business_name, "Mama Put Foods");
    let done = identity::confirm_sign_up(&db, &token, &client("10.0.0.2")).await.expect("confirm");
    assert_eq!(done.home, "/admin");
    let home = identity::business_home(&db, &done.actor).await.unwrap();
    assert_eq!((home.tenant.name.as_str(), home.locations.len(), home.staff), ("Mama Put Foods", 1, 1));
    let twice = identity::confirm_sign_up(&db, &token, &client("10.0.0.2")).await;
    assert!(matches!(twice, Err(Error::NotFound(_))), "a link opens one business: {twice:?}");

    let taken = identity::sign_up(
        &db,
        &mail,
        SignUp { email: "other@mamaput.ng".into(), ..form.clone() },
        &client("10.0.0.2"),
        "http://t",
    )
    .await;
    assert!(matches!(&taken, Err(Error::Invalid { field, .. }) if field == "slug"), "{taken:?}");
    let weak = identity::sign_up(
        &db,
        &mail,
        SignUp { slug: "mama-put-3".into(), email: "x@y.ng".into(), password: "password1".into(), ..form },
        &client("10.0.0.2"),
        "http://t",
    )
    .await;
    assert!(matches!(&weak, Err(Error::Invalid { field, .. }) if field == "password"), "{weak:?}");
}

#[sqlx::test]
async fn signing_up_with_a_registered_email_answers_as_any_other_and_says_the_rest_by_mail(owner: PgPool) {
    let oja = Business::open(&owner, "Oja Fresh").await;
    let db = oja.db.clone();
    let registered = email_of(&oja.owner);
    let (letters, mail) = postbox();
    let form = SignUp {
        business_name: "Second Shop".into(),
        slug: "second-shop".into(),
        mode: "svm".into(),
        owner_name: "Chidi Okafor".into(),
        email: registered.into(),
        password: "garri-and-groundnut".into(),
    };
    let answer = identity::sign_up(&db, &mail, form, &client("10.0.0.2"), "http://t").await;
    assert_eq!(answer, Ok(()), "the same answer as for a new address");
    let letter = letters.letters().pop().expect("a letter");
    assert_eq!((letter.to.as_str(), letter.subject.as_str()), (registered, "You already have an SC-1 account"));
    assert!(!letter.body.contains("/signup/confirm/"), "no business is opened for an existing account");
    let pending: i64 = sqlx::query_scalar("SELECT count(*) FROM signups").fetch_one(&owner).await.unwrap();
    assert_eq!(pending, 0);
}

#[sqlx::test]
async fn an_invited_cashier_joins_once_and_signs_in_as_a_cashier(owner: PgPool) {
    let oja = Business::open(&owner, "Oja Fresh Supermarket").await;
    let db = oja.db.clone();
    let (letters, mail) = postbox();
    let boss = sign_in(&db, email_of(&oja.owner)).await;
    let link = identity::invite(&db, &mail, &boss, "ada@example.ng", CASHIER, "http://shop.test", None)
        .await
        .unwrap()
        .unwrap();
    let token = link.rsplit('/').next().unwrap();
    let preview = identity::invitation_preview(&db, token).await.unwrap();
    assert_eq!((preview.business.as_str(), preview.role), ("Oja Fresh Supermarket", Role::Cashier));

    let joined = identity::accept_invitation(&db, token, None, "Ada Obi", "plantain-chips-99", &client("10.0.0.3"))
        .await
        .unwrap();
    assert_eq!(joined.home, "/pos");
    let again =
        identity::accept_invitation(&db, token, None, "Ada Obi", "plantain-chips-99", &client("10.0.0.3")).await;
    assert!(matches!(again, Err(Error::NotFound(_))), "a link works once");

    let Actor::Staff(member) =
        identity::log_in(&db, "ada@example.ng", "plantain-chips-99", &client("10.0.0.3")).await.unwrap().actor
    else {
        panic!("staff")
    };
    assert_eq!(member.role, Role::Cashier);

    let letter = letters.letters().pop().expect("the invitation was mailed");
    assert_eq!(letter.to, "ada@example.ng");
    assert!(letter.body.contains(&link), "the invited person gets the link");
    let outbox = identity::outbox::recent(&db, &boss).await.unwrap();
    let kept = outbox.iter().find(|m| m.recipient == "ada@example.ng").expect("the invitation is recorded");
    assert!(!kept.body.contains(token), "the outbox never keeps the link: {}", kept.body);
}

#[sqlx::test]
async fn deactivated_staff_lose_their_sessions_and_cannot_sign_in(owner: PgPool) {
    let oja = Business::open(&owner, "Oja Fresh").await;
    let db = oja.db.clone();
    let boss = sign_in(&db, email_of(&oja.owner)).await;
    let cashier = oja.member(Role::Cashier).await;
    let cashier_email = email_of(&cashier);
    let cashier_login = identity::log_in(&db, cashier_email, PASSWORD, &client("10.0.0.4")).await.unwrap();
    let Actor::Staff(cashier) = &cashier_login.actor else { panic!("staff") };
    identity::set_active(&db, &boss, cashier.user, false, None).await.unwrap();
    let session = identity::session::resolve(&db, &cashier_login.cookie_value).await.unwrap();
    assert!(session.is_none(), "their session ended");
    let again = identity::log_in(&db, cashier_email, PASSWORD, &client("10.0.0.4")).await;
    assert!(matches!(again, Err(Error::Unauthorized(_))), "{again:?}");
    let Actor::Staff(me) = &boss else { panic!("staff") };
    let myself = identity::set_active(&db, &boss, me.user, false, None).await;
    assert!(matches!(myself, Err(Error::Conflict { clash: Clash::OwnAccount, .. })));
}

#[sqlx::test]
async fn a_session_is_found_by_its_cookie_and_ends_at_sign_out(owner: PgPool) {
    let oja = Business::open(&owner, "Oja Fresh").await;
    let db = oja.db.clone();
    let manager = oja.member(Role::Manager).await;
    let login = identity::log_in(&db, email_of(&manager), PASSWORD, &client("10.0.0.5")).await.unwrap();
    let found = identity::session::resolve(&db, &login.cookie_value).await.unwrap().expect("live session");
    assert_eq!(found.actor, login.actor);
    assert!(identity::session::resolve(&db, "made-up-cookie").await.unwrap().is_none());
    identity::log_out(&db, &login.cookie_value).await.unwrap();
    assert!(identity::session::resolve(&db, &login.cookie_value).await.unwrap().is_none());
}

#[sqlx::test]
async fn a_platform_admin_suspends_a_business_and_its_people_are_stopped(owner: PgPool) {
    let oja = Business::open(&owner, "Oja Fresh").await;
    let market = Business::marketplace(&owner, "Gadget Market").await;
    let db = oja.db.clone();
    let admin = sign_in(&db, &support::platform_admin(&owner).await).await;
    assert!(matches!(admin, Actor::PlatformAdmin { .. }));
    let cashier = oja.member(Role::Cashier).await;
    let cashier = identity::log_in(&db, email_of(&cashier), PASSWORD, &client("10.0.0.6")).await.unwrap();
    let shop = oja.tenant;

    let refused = identity::set_status(&db, &market.owner, shop, identity::TenantStatus::Suspended).await;
    assert!(matches!(refused, Err(Error::Forbidden(_))), "only platform admins suspend");

    identity::set_status(&db, &admin, shop, identity::TenantStatus::Suspended).await.unwrap();
    assert!(identity::session::resolve(&db, &cashier.cookie_value).await.unwrap().is_none(), "sessions stop");
    assert!(matches!(identity::storefront(&db, &oja.slug).await, Err(Error::NotFound(_))), "the storefront closes");
    assert!(identity::log_in(&db, email_of(&oja.owner), PASSWORD, &client("10.0.0.6")).await.is_err());

    identity::set_status(&db, &admin, shop, identity::TenantStatus::Active).await.unwrap();
    assert!(identity::storefront(&db, &oja.slug).await.is_ok());
}

#[sqlx::test]
async fn a_reset_link_sets_a_new_password_once_and_ends_every_session(owner: PgPool) {
    let oja = Business::open(&owner, "Oja Fresh").await;
    let db = oja.db.clone();
    let accountant = oja.member(Role::Accountant).await;
    let accounts = email_of(&accountant);
    let earlier = identity::log_in(&db, accounts, PASSWORD, &client("10.0.0.7")).await.unwrap();
    let (letters, mail) = postbox();
    identity::reset::request_reset(&db, &mail, "nobody@example.ng", "10.0.0.7", "http://t").await.unwrap();
    identity::reset::request_reset(&db, &mail, accounts, "10.0.0.7", "http://t").await.unwrap();
    let mut sent = letters_when(&letters, 1).await;
    assert_eq!(sent.len(), 1, "nothing is sent for an address without an account");
    let letter = sent.pop().expect("a letter");
    assert_eq!(letter.to, accounts);
    let token = &link_token(&letter.body, "/admin/reset/");
    let weak = identity::reset::reset_password(&db, token, "password1").await;
    assert!(matches!(&weak, Err(Error::Invalid { field, .. }) if field == "password"), "{weak:?}");
    identity::reset::reset_password(&db, token, "ofada-rice-and-stew").await.unwrap();
    assert!(identity::session::resolve(&db, &earlier.cookie_value).await.unwrap().is_none());
    assert!(identity::log_in(&db, accounts, "ofada-rice-and-stew", &client("10.0.0.7")).await.is_ok());
    assert!(matches!(identity::reset::reset_password(&db, token, "another-long-one-9").await, Err(Error::NotFound(_))));
    let outbox = identity::outbox::recent(&db, &oja.owner).await.unwrap();
    assert!(outbox.iter().all(|m| !m.body.contains(token.as_str())), "the business's outbox never sees it");
}

#[sqlx::test]
async fn the_owner_changes_settings_and_the_change_is_audited(owner: PgPool) {
    let oja = Business::open(&owner, "Oja Fresh Supermarket").await;
    let db = oja.db.clone();
    let boss = oja.owner.clone();
    let form = identity::SettingsForm {
        name: "Oja Fresh".into(),
        tagline: "Fresh food, fair prices".into(),
        currency: "NGN".into(),
        vat_rate: "7.5".into(),
        prices_include_tax: false,
        time_zone: "Africa/Lagos".into(),
    };
    for (bad, field) in [
        (identity::SettingsForm { vat_rate: "150".into(), ..form.clone() }, "vat_rate"),
        (identity::SettingsForm { currency: "XYZ".into(), ..form.clone() }, "currency"),
        (identity::SettingsForm { time_zone: "Mars/Base".into(), ..form.clone() }, "time_zone"),
        (identity::SettingsForm { name: " ".into(), ..form.clone() }, "name"),
    ] {
        let refused = identity::update_settings(&db, &boss, bad, None).await;
        assert!(matches!(&refused, Err(Error::Invalid { field: f, .. }) if f == field), "{refused:?}");
    }
    let saved = identity::update_settings(&db, &boss, form.clone(), None).await.unwrap();
    assert_eq!((saved.name.as_str(), saved.prices_include_tax), ("Oja Fresh", false));
    let accountant = oja.member(Role::Accountant).await;
    assert!(matches!(identity::update_settings(&db, &accountant, form, None).await, Err(Error::Forbidden(_))));
    let trail = commerce::audit::list(
        &db,
        &accountant,
        &commerce::audit::AuditFilter { entity: Some("settings".into()), ..Default::default() },
    )
    .await
    .unwrap();
    assert_eq!(trail.entries.len(), 1);
    assert!(trail.entries[0].before.as_deref().unwrap_or_default().contains("Oja Fresh Supermarket"));
}

#[sqlx::test]
async fn a_shopper_account_belongs_to_one_store(owner: PgPool) {
    let oja = Business::open(&owner, "Oja Fresh").await;
    let market = Business::marketplace(&owner, "Gadget Market").await;
    let db = oja.db.clone();
    let form = identity::shopper::Registration {
        name: "Ngozi Eze".into(),
        email: "ngozi@example.ng".into(),
        phone: String::new(),
        password: "moi-moi-and-pap-22".into(),
    };
    let done = identity::shopper::register(&db, &oja.slug, form.clone(), &client("10.0.0.8"), STORE_URL).await.unwrap();
    assert!(matches!(done.actor, Actor::Shopper { .. }));
    let again = identity::shopper::register(&db, &oja.slug, form.clone(), &client("10.0.0.8"), STORE_URL).await;
    assert!(matches!(&again, Err(Error::Invalid { field, .. }) if field == "email"), "{again:?}");
    assert!(
        identity::shopper::log_in(&db, &oja.slug, "ngozi@example.ng", &form.password, &client("10.0.0.8"))
            .await
            .is_ok()
    );
    let elsewhere =
        identity::shopper::log_in(&db, &market.slug, "ngozi@example.ng", &form.password, &client("10.0.0.8")).await;
    assert!(matches!(elsewhere, Err(Error::Unauthorized(_))), "another store does not know this shopper");
    assert!(matches!(
        identity::shopper::log_in(&db, "nope", "x@y.ng", "z", &client("10.0.0.8")).await,
        Err(Error::NotFound(_))
    ));
    assert!(matches!(identity::business_home(&db, &done.actor).await, Err(Error::Forbidden(_))));

    // A phone number is a Nigerian mobile number, kept in one form however it was typed.
    let with_phone = |email: &str, phone: &str| identity::shopper::Registration {
        email: email.into(),
        phone: phone.into(),
        ..form.clone()
    };
    let shop_client = client("10.0.0.8");
    let wrong =
        identity::shopper::register(&db, &oja.slug, with_phone("a@example.ng", "12345"), &shop_client, STORE_URL).await;
    assert!(matches!(wrong, Err(Error::Invalid { ref field, .. }) if field == "phone"), "{wrong:?}");
    let typed = with_phone("b@example.ng", "+234 (0) 803-123-4567");
    identity::shopper::register(&db, &oja.slug, typed, &client("10.0.0.8"), STORE_URL).await.unwrap();
    let kept: String =
        sqlx::query_scalar("SELECT phone FROM shoppers WHERE email = 'b@example.ng'").fetch_one(&owner).await.unwrap();
    assert_eq!(kept, "+2348031234567");
}

fn staff(actor: &Actor) -> &commerce::base::StaffMember {
    match actor {
        Actor::Staff(member) => member,
        other => panic!("not staff: {other:?}"),
    }
}

#[sqlx::test]
async fn the_owner_changes_roles_but_never_leaves_the_business_without_an_owner(owner: PgPool) {
    let oja = Business::open(&owner, "Oja Fresh").await;
    let market = Business::marketplace(&owner, "Gadget Market").await;
    let db = oja.db.clone();
    let boss = sign_in(&db, email_of(&oja.owner)).await;
    let cashier_member = oja.member(Role::Cashier).await;
    let (cashier, cashier_email) = (user_of(&cashier_member), email_of(&cashier_member));
    let manager = RoleChoice { role: Role::Manager, vendor: None };
    identity::change_role(&db, &boss, cashier, manager, None).await.unwrap();
    let promoted = sign_in(&db, cashier_email).await;
    assert_eq!(staff(&promoted).role, Role::Manager, "the new role applies at once");
    let audit = commerce::audit::list(&db, &boss, &commerce::audit::AuditFilter::default()).await.unwrap();
    assert_eq!(audit.entries[0].action, "role changed");

    let refused = identity::change_role(&db, &promoted, staff(&boss).user, CASHIER, None).await;
    assert!(matches!(refused, Err(Error::Forbidden(_))), "a manager may not change roles: {refused:?}");
    let own = identity::change_role(&db, &boss, staff(&boss).user, CASHIER, None).await;
    assert!(
        matches!(own, Err(Error::Conflict { clash: Clash::OwnAccount, .. })),
        "nobody changes their own role: {own:?}"
    );

    let owner_role = RoleChoice { role: Role::Owner, vendor: None };
    identity::change_role(&db, &boss, cashier, owner_role, None).await.unwrap();
    let second_owner = sign_in(&db, cashier_email).await;
    identity::change_role(&db, &second_owner, staff(&boss).user, manager, None).await.unwrap();
    let demoted = sign_in(&db, email_of(&boss)).await;
    let refused = identity::change_role(&db, &demoted, cashier, manager, None).await;
    assert!(matches!(refused, Err(Error::Forbidden(_))), "the old owner is a manager now: {refused:?}");

    let elsewhere = identity::change_role(&db, &market.owner, cashier, CASHIER, None).await;
    assert!(matches!(elsewhere, Err(Error::NotFound(_))), "another business's member: {elsewhere:?}");
}

#[sqlx::test]
async fn a_marketplace_invites_staff_for_one_of_its_own_vendors(owner: PgPool) {
    let oja = Business::open(&owner, "Oja Fresh").await;
    let market = Business::marketplace(&owner, "Gadget Market").await;
    market.vendor("Chinedu Phones").await;
    let db = market.db.clone();
    let market_owner = market.owner.clone();
    let list = identity::list_staff(&db, &market_owner).await.unwrap();
    let vendor = list.vendors.first().expect("the marketplace has vendors").clone();
    let choice = RoleChoice::parse(&RoleChoice { role: Role::Vendor, vendor: Some(vendor.id) }.code()).unwrap();
    let (_, mail) = postbox();
    let link = identity::invite(&db, &mail, &market_owner, "seller@example.ng", choice, "http://m.test", None)
        .await
        .unwrap()
        .unwrap();
    let token = link.rsplit('/').next().unwrap();
    let joined = identity::accept_invitation(&db, token, None, "Seller", "market-day-2026", &client("10.0.0.4")).await;
    let joined = joined.unwrap();
    assert_eq!((joined.home, staff(&joined.actor).vendor), ("/vendor", Some(vendor.id)));
    let listed = identity::list_staff(&db, &market_owner).await.unwrap();
    let seller = listed.members.iter().find(|m| m.email == "seller@example.ng").unwrap();
    assert_eq!(seller.vendor.as_ref(), Some(&vendor));

    let foreign = identity::invite(&db, &mail, &oja.owner, "x@example.ng", choice, "http://s.test", None).await;
    assert!(matches!(&foreign, Err(Error::Invalid { field, .. }) if field == "role"), "{foreign:?}");
    assert_eq!(RoleChoice::parse("vendor"), None, "vendor staff need a vendor");
    assert_eq!(RoleChoice::parse("cashier"), Some(CASHIER));
}

#[sqlx::test]
async fn the_sweep_forgets_what_has_expired_and_keeps_what_has_not(owner: PgPool) {
    let oja = Business::open(&owner, "Oja Fresh").await;
    let db = oja.db.clone();
    let live = sign_in(&db, email_of(&oja.owner)).await;
    let expired = sign_in(&db, email_of(&oja.member(Role::Manager).await)).await;
    sqlx::query("UPDATE sessions SET expires_at = now() - interval '1 minute' WHERE user_id = $1")
        .bind(staff(&expired).user)
        .execute(&owner)
        .await
        .unwrap();
    let shop = oja.tenant;
    for (key, age) in [("old", "2 days"), ("new", "1 hour")] {
        sqlx::query(
            "INSERT INTO idempotency_keys (tenant_id, client, key, request_hash, created_at)
             VALUES ($1, 'c', $2, '\\x00', now() - $3::interval)",
        )
        .bind(shop.0)
        .bind(key)
        .bind(age)
        .execute(&owner)
        .await
        .unwrap();
    }
    sqlx::query("INSERT INTO rate_limits (key, window_start, hits) VALUES ('old', now() - interval '2 days', 3)")
        .execute(&owner)
        .await
        .unwrap();

    let swept = commerce::sweep::expired(&db).await.unwrap();
    let removed = |what: &str| swept.iter().find(|s| s.what == what).map(|s| s.removed);
    assert_eq!(removed("sessions"), Some(1));
    assert_eq!(removed("idempotency keys"), Some(1));
    assert_eq!(removed("rate-limit windows"), Some(1));
    let sessions: Vec<uuid::Uuid> = sqlx::query_scalar("SELECT user_id FROM sessions").fetch_all(&owner).await.unwrap();
    assert_eq!(sessions, [staff(&live).user], "the live session stays");
    let keys: Vec<String> = sqlx::query_scalar("SELECT key FROM idempotency_keys").fetch_all(&owner).await.unwrap();
    assert_eq!(keys, ["new"]);
    assert!(
        commerce::sweep::expired(&db).await.unwrap().iter().all(|s| s.removed == 0),
        "a second sweep finds nothing"
    );
}

#[sqlx::test]
async fn every_id_of_another_business_answers_not_found(owner: PgPool) {
    let oja = Business::open(&owner, "Oja Fresh").await;
    let market = Business::marketplace(&owner, "Gadget Market").await;
    let db = oja.db.clone();
    let shop_owner = oja.owner.clone();
    let market_owner = market.owner.clone();
    let shop_member = staff(&sign_in(&db, email_of(&oja.member(Role::Manager).await)).await).user;
    identity::api_client::create(&db, &shop_owner, "Till sync", &["settings:read".to_owned()], None).await.unwrap();
    let shop_client = identity::api_client::list(&db, &shop_owner).await.unwrap()[0].id;
    let shop_session: uuid::Uuid = sqlx::query_scalar("SELECT id FROM sessions WHERE user_id = $1 LIMIT 1")
        .bind(shop_member)
        .fetch_one(&owner)
        .await
        .unwrap();

    let not_found = |what: &str, result: Result<(), Error>| {
        assert!(matches!(result, Err(Error::NotFound(_))), "{what}: {result:?}");
    };
    not_found("deactivate", identity::set_active(&db, &market_owner, shop_member, false, None).await);
    not_found("change role", identity::change_role(&db, &market_owner, shop_member, CASHIER, None).await);
    not_found("revoke client", identity::api_client::revoke(&db, &market_owner, shop_client, None).await);
    not_found("end session", identity::session::revoke(&db, staff(&market_owner).user, shop_session).await);
    let untouched = identity::api_client::list(&db, &shop_owner).await.unwrap();
    assert!(untouched[0].revoked_at.is_none(), "the shop's client still works");
}

#[sqlx::test]
async fn a_kept_token_is_forgotten_as_soon_as_its_client_is_revoked(owner: PgPool) {
    use std::time::{Duration, Instant};

    use identity::api_client::{self, TokenCache};

    let oja = Business::open(&owner, "Oja Fresh").await;
    let db = oja.db.clone();
    let shop_owner = oja.owner.clone();
    let made =
        api_client::create(&db, &shop_owner, "Till sync", &["settings:read".to_owned()], None).await.unwrap().unwrap();
    let bearer = api_client::issue_token(&db, &made.client_id, &made.client_secret, None, "10.0.0.2")
        .await
        .unwrap()
        .access_token;
    let set_scope = |scope: &'static str| {
        let owner = owner.clone();
        async move {
            sqlx::query("UPDATE api_tokens SET scopes = ARRAY[$1]").bind(scope).execute(&owner).await.unwrap();
        }
    };
    let scopes = |actor: Option<Actor>| match actor {
        Some(Actor::ApiClient { scopes, .. }) => scopes.iter().map(ToString::to_string).collect::<Vec<_>>(),
        other => panic!("not an API client: {other:?}"),
    };

    let cache = TokenCache::default();
    assert_eq!(scopes(cache.resolve(&db, &bearer).await.unwrap()), ["settings:read"]);
    set_scope("inventory:read").await;
    assert_eq!(
        scopes(cache.resolve(&db, &bearer).await.unwrap()),
        ["inventory:read"],
        "nothing is kept while removals are not being heard"
    );

    let following = tokio::spawn(cache.clone().follow(db.clone()));
    let deadline = Instant::now() + Duration::from_secs(10);
    while !cache.is_hearing() {
        assert!(Instant::now() < deadline, "the cache never started hearing");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(scopes(cache.resolve(&db, &bearer).await.unwrap()), ["inventory:read"]);
    set_scope("settings:read").await;
    assert_eq!(
        scopes(cache.resolve(&db, &bearer).await.unwrap()),
        ["inventory:read"],
        "a resolved token is answered from memory"
    );

    let client = api_client::list(&db, &shop_owner).await.unwrap()[0].id;
    api_client::revoke(&db, &shop_owner, client, None).await.unwrap();
    let deadline = Instant::now() + Duration::from_secs(5);
    while cache.resolve(&db, &bearer).await.unwrap().is_some() {
        assert!(Instant::now() < deadline, "a revoked client's token was still answered after 5 s");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(api_client::resolve_token(&db, &bearer).await.unwrap().is_none());
    following.abort();
    let _ = following.await;
}

#[sqlx::test]
async fn catalog_staff_and_settings_steps_make_one_transaction_and_fail_together(owner: PgPool) {
    use commerce::catalog::{ProductInput, ProductQuery, category, product};
    let oja = Business::open(&owner, "Oja Fresh Supermarket").await;
    let (db, boss) = (oja.db.clone(), oja.owner.clone());
    let cashier = user_of(&oja.member(Role::Cashier).await);
    let manager = RoleChoice { role: Role::Manager, vendor: None };
    let renamed = identity::SettingsForm {
        name: "Oja Fresh".into(),
        tagline: "Fresh food, fair prices".into(),
        currency: "NGN".into(),
        vat_rate: "7.5".into(),
        prices_include_tax: true,
        time_zone: "Africa/Lagos".into(),
    };
    let scope = boss.require(Permission::ManageSettings).unwrap();
    // A new shelf with its first product, a cashier promoted and the business renamed, in one
    // transaction with the owner's attempt to stop themselves, which is refused.
    let all_but_the_last = async |tx: &mut sqlx::PgConnection| {
        let rice = category::create_in(tx, &scope, &boss, "Rice & grains", None).await.unwrap();
        let input = ProductInput { category: Some(rice), ..support::single("Mama Gold Rice 5kg", "MAMA-5", 9500) };
        product::create_in(tx, &scope, &boss, input).await.unwrap();
        identity::change_role_in(tx, &scope, &boss, cashier, manager).await.unwrap();
        identity::update_settings_in(tx, &scope, &boss, renamed.clone()).await.unwrap();
    };
    let mut tx = commerce::db::tenant_tx(&db, oja.tenant).await.unwrap();
    all_but_the_last(&mut tx).await;
    let refused = identity::set_active_in(&mut tx, &scope, &boss, user_of(&boss), false).await;
    assert!(matches!(refused, Err(Error::Conflict { clash: Clash::OwnAccount, .. })), "{refused:?}");
    drop(tx);

    let seen = async || {
        let shelves = category::list(&db, &boss).await.unwrap().len();
        let products = product::list(&db, &boss, &ProductQuery::default(), None, 10).await.unwrap().rows.len();
        let staff = identity::list_staff(&db, &boss).await.unwrap();
        let role = staff.members.iter().find(|m| m.user == cashier).unwrap().role;
        let name = identity::settings(&db, &boss).await.unwrap().name;
        let audited = commerce::audit::list(&db, &boss, &commerce::audit::AuditFilter::default()).await.unwrap();
        (shelves, products, role, name, audited.entries.len())
    };
    assert_eq!(seen().await, (0, 0, Role::Cashier, "Oja Fresh Supermarket".to_owned(), 0), "none of it happened");

    let mut tx = commerce::db::tenant_tx(&db, oja.tenant).await.unwrap();
    all_but_the_last(&mut tx).await;
    tx.commit().await.unwrap();
    assert_eq!(seen().await, (1, 1, Role::Manager, "Oja Fresh".to_owned(), 4), "all of it, each step audited");
}

#[sqlx::test]
async fn an_invitation_is_sent_again_with_a_new_link_or_revoked_and_only_by_its_business(owner: PgPool) {
    let oja = Business::open(&owner, "Oja Fresh Supermarket").await;
    let market = Business::marketplace(&owner, "Naija Gadget Market").await;
    let (db, (letters, mail)) = (oja.db.clone(), postbox());
    let first =
        identity::invite(&db, &mail, &oja.owner, "ada@example.ng", CASHIER, "http://t", None).await.unwrap().unwrap();
    let id = identity::list_staff(&db, &oja.owner).await.unwrap().invitations[0].id;
    let token = |link: &str| link.rsplit('/').next().unwrap().to_owned();

    // Another business, or a manager, can do neither.
    let elsewhere = identity::resend_invitation(&db, &mail, &market.owner, id, "http://t", None).await;
    assert!(matches!(elsewhere, Err(Error::NotFound(_))), "{elsewhere:?}");
    assert!(matches!(identity::revoke_invitation(&db, &market.owner, id, None).await, Err(Error::NotFound(_))));
    let manager = oja.member(Role::Manager).await;
    assert!(matches!(identity::revoke_invitation(&db, &manager, id, None).await, Err(Error::Forbidden(_))));

    let second = identity::resend_invitation(&db, &mail, &oja.owner, id, "http://t", None).await.unwrap().unwrap();
    assert_ne!(first, second);
    assert!(matches!(identity::invitation_preview(&db, &token(&first)).await, Err(Error::NotFound(_))), "old link");
    assert_eq!(identity::invitation_preview(&db, &token(&second)).await.unwrap().role, Role::Cashier);
    assert!(letters.letters().last().unwrap().body.contains(&second), "the new link is mailed");
    let open = identity::list_staff(&db, &oja.owner).await.unwrap().invitations;
    assert_eq!(open.len(), 1, "one invitation waits, with the new link");

    identity::revoke_invitation(&db, &oja.owner, open[0].id, None).await.unwrap();
    assert!(matches!(identity::invitation_preview(&db, &token(&second)).await, Err(Error::NotFound(_))));
    assert!(identity::list_staff(&db, &oja.owner).await.unwrap().invitations.is_empty());
    let again = identity::revoke_invitation(&db, &oja.owner, open[0].id, None).await;
    assert!(matches!(again, Err(Error::NotFound(_))), "a revoked invitation is gone: {again:?}");
    let trail = commerce::audit::list(
        &db,
        &oja.owner,
        &commerce::audit::AuditFilter { entity: Some("invitation".into()), ..Default::default() },
    )
    .await
    .unwrap();
    let actions: Vec<_> = trail.entries.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["revoked", "created", "created"]);
}

#[sqlx::test]
async fn guesses_just_before_a_windows_edge_still_count_just_after_it(owner: PgPool) {
    use commerce::throttle::{self, Limit};
    let db = commerce::db::pool_as_role(&owner, support::APP_ROLE).await.unwrap();
    let limit = Limit { limit: 10, window_seconds: 2 };
    // Just after a window's edge (the database's clock decides where the edges are)…
    let into: f64 =
        sqlx::query_scalar("SELECT (extract(epoch FROM now()) % 2)::float8").fetch_one(&owner).await.unwrap();
    tokio::time::sleep(std::time::Duration::from_secs_f64(2.0 - into + 0.05)).await;
    // …with ten guesses in the window that just ended, the next one is refused.
    sqlx::query(
        "INSERT INTO rate_limits (key, window_start, hits)
         VALUES ('edge', to_timestamp((floor(extract(epoch FROM now()) / 2) * 2 - 2)::float8), 10)",
    )
    .execute(&owner)
    .await
    .unwrap();
    let refused = throttle::hit(&db, &[("edge".to_owned(), limit)]).await;
    assert!(matches!(refused, Err(Error::RateLimited { retry_after: 1..=2 })), "{refused:?}");
}

/// A form pressed twice (or sent again by the browser) carries the same one-time key both times:
/// the second press answers the first and does nothing more. Where the first answer held a
/// secret that is kept nowhere (an invitation's link, a client's secret), the second says so
/// with `None` rather than making another.
#[sqlx::test]
async fn a_form_sent_twice_with_one_key_acts_once(owner: PgPool) {
    use commerce::idempotency::Once;
    let oja = Business::open(&owner, "Oja Fresh Supermarket").await;
    let (db, (letters, mail)) = (oja.db.clone(), postbox());
    let boss = sign_in(&db, email_of(&oja.owner)).await;
    let press = |form: &str| Once::new(format!("form:{}", user_of(&boss)), form, form, b"the form's fields").unwrap();
    let trail = async |entity: &str| {
        let filter = commerce::audit::AuditFilter { entity: Some(entity.into()), ..Default::default() };
        let page = commerce::audit::list(&db, &boss, &filter).await.unwrap();
        page.entries.into_iter().map(|e| e.action).collect::<Vec<_>>()
    };

    let invite = press("invite");
    let link = identity::invite(&db, &mail, &boss, "ada@example.ng", CASHIER, "http://t", Some(&invite)).await.unwrap();
    let again =
        identity::invite(&db, &mail, &boss, "ada@example.ng", CASHIER, "http://t", Some(&invite)).await.unwrap();
    assert!(link.is_some() && again.is_none(), "the second press has no link to show: {again:?}");
    assert_eq!(letters.letters().len(), 1, "one letter");
    let token = link.unwrap().rsplit('/').next().unwrap().to_owned();
    assert!(identity::invitation_preview(&db, &token).await.is_ok(), "the first link still works");
    let id = identity::list_staff(&db, &boss).await.unwrap().invitations[0].id;
    let resend = press("resend");
    let sent = identity::resend_invitation(&db, &mail, &boss, id, "http://t", Some(&resend)).await.unwrap();
    let sent_again = identity::resend_invitation(&db, &mail, &boss, id, "http://t", Some(&resend)).await.unwrap();
    assert!(sent.is_some() && sent_again.is_none(), "{sent_again:?}");
    let token = sent.unwrap().rsplit('/').next().unwrap().to_owned();
    assert!(identity::invitation_preview(&db, &token).await.is_ok(), "the resent link is not replaced by a second");
    assert_eq!(letters.letters().len(), 2);
    assert_eq!(trail("invitation").await, ["created", "created"]);

    let scopes = ["settings:read".to_owned()];
    let make = press("client");
    let made = identity::api_client::create(&db, &boss, "ERP", &scopes, Some(&make)).await.unwrap();
    let made_again = identity::api_client::create(&db, &boss, "ERP", &scopes, Some(&make)).await.unwrap();
    assert!(made.is_some() && made_again.is_none(), "{made_again:?}");
    let clients = identity::api_client::list(&db, &boss).await.unwrap();
    assert_eq!(clients.len(), 1, "one client");
    let revoke = press("revoke");
    for _ in 0..2 {
        identity::api_client::revoke(&db, &boss, clients[0].id, Some(&revoke)).await.unwrap();
    }

    let category = press("category");
    let first = commerce::catalog::category::create(&db, &boss, "Drinks", None, Some(&category)).await.unwrap();
    let second = commerce::catalog::category::create(&db, &boss, "Drinks", None, Some(&category)).await.unwrap();
    assert_eq!(first, second, "the second press answers the first category, not a clash of names");
    assert_eq!(commerce::catalog::category::list(&db, &boss).await.unwrap().len(), 1);

    let cashier = user_of(&oja.member(Role::Cashier).await);
    let role = press("role");
    let manager = RoleChoice { role: Role::Manager, vendor: None };
    identity::change_role(&db, &boss, cashier, manager, Some(&role)).await.unwrap();
    identity::change_role(&db, &boss, cashier, manager, Some(&role)).await.unwrap();
    let active = press("active");
    identity::set_active(&db, &boss, cashier, false, Some(&active)).await.unwrap();
    identity::set_active(&db, &boss, cashier, false, Some(&active)).await.unwrap();
    assert_eq!(trail("staff").await, ["deactivated", "role changed"]);

    let listing = press("listing");
    identity::set_listing(&db, &boss, true, Some(&listing)).await.unwrap();
    identity::set_listing(&db, &boss, true, Some(&listing)).await.unwrap();
    let reorder = press("reorder");
    let rice = oja.product("Mama Gold rice 5 kg", "RICE-5KG", 7_000).await;
    let variant = rice.variants[0].id;
    commerce::inventory::stock::set_reorder(&db, &boss, variant, oja.main, 5, 20, Some(&reorder)).await.unwrap();
    commerce::inventory::stock::set_reorder(&db, &boss, variant, oja.main, 5, 20, Some(&reorder)).await.unwrap();
    assert_eq!(trail("stock").await, ["reorder point set"]);

    // A product saved twice from one revision: saved once, not refused as out of date.
    let save = press("save");
    let mut edit = support::single("Mama Gold rice, 5 kg bag", "RICE-5KG", 7_000);
    edit.variants[0].id = Some(variant);
    let first = commerce::catalog::product::update(&db, &boss, rice.id, edit.clone(), Some(rice.revision), Some(&save));
    let first = first.await.unwrap();
    let second = commerce::catalog::product::update(&db, &boss, rice.id, edit, Some(rice.revision), Some(&save));
    assert_eq!(second.await.unwrap().revision, first.revision, "the second press answers the first save");

    // The second press of a password change finds the new password in place of the one it
    // carries, and still answers as the first did.
    let password = press("password");
    let ip = "10.0.0.9";
    let new = "a-new-and-longer-password";
    identity::account::change_password(&db, &boss, uuid::Uuid::nil(), PASSWORD, new, ip, Some(&password))
        .await
        .unwrap();
    identity::account::change_password(&db, &boss, uuid::Uuid::nil(), PASSWORD, new, ip, Some(&password))
        .await
        .unwrap();
    assert_eq!(trail("account").await, ["password changed"]);
    assert!(identity::log_in(&db, email_of(&boss), new, &client(ip)).await.is_ok());
    let fresh = identity::account::change_password(&db, &boss, uuid::Uuid::nil(), PASSWORD, new, ip, None).await;
    assert!(matches!(fresh, Err(Error::Invalid { ref field, .. }) if field == "current_password"), "{fresh:?}");
}

#[sqlx::test]
async fn a_shopper_s_reset_link_works_once_at_its_own_store_and_ends_their_sessions(owner: PgPool) {
    use commerce::identity::{session, shopper};
    let oja = Business::open(&owner, "Oja Fresh").await;
    let market = Business::marketplace(&owner, "Gadget Market").await;
    let db = oja.db.clone();
    let email = oja.shopper("Ada Obi").await;
    let earlier = shopper::log_in(&db, &oja.slug, &email, PASSWORD, &client("10.0.0.8")).await.unwrap();
    let (letters, mail) = postbox();

    // Nothing is sent for an email with no account at this store, nor for one of another store's.
    shopper::request_reset(&db, &mail, &oja.slug, "nobody@example.ng", "10.0.0.8", STORE_URL).await.unwrap();
    shopper::request_reset(&db, &mail, &market.slug, &email, "10.0.0.8", STORE_URL).await.unwrap();
    let blank = shopper::request_reset(&db, &mail, &oja.slug, " ", "10.0.0.8", STORE_URL).await;
    assert!(matches!(&blank, Err(Error::Invalid { field, .. }) if field == "email"), "{blank:?}");
    let long = format!("{}@example.ng", "x".repeat(3000));
    let long = shopper::request_reset(&db, &mail, &oja.slug, &long, "10.0.0.8", STORE_URL).await;
    assert!(matches!(&long, Err(Error::Invalid { field, .. }) if field == "email"), "{long:?}");
    let nul = shopper::request_reset(&db, &mail, "oja\0fresh", &email, "10.0.0.8", STORE_URL).await;
    assert!(matches!(nul, Err(Error::NotFound(_))), "{nul:?}");

    // Two links asked for: the first stops working once the second is used.
    shopper::request_reset(&db, &mail, &oja.slug, &email.to_uppercase(), "10.0.0.8", STORE_URL).await.unwrap();
    shopper::request_reset(&db, &mail, &oja.slug, &email, "10.0.0.8", STORE_URL).await.unwrap();
    let sent = letters_when(&letters, 2).await;
    assert_eq!(sent.len(), 2, "nothing for an email with no account here, or another store's account");
    assert!(sent.iter().all(|l| l.to == email), "to the account's own address");
    let first = link_token(&sent[0].body, "/store/oja-fresh/reset/");
    let token = link_token(&sent[1].body, "/store/oja-fresh/reset/");
    // Never kept where the business's people read.
    let outbox = commerce::identity::outbox::recent(&db, &oja.owner).await.unwrap();
    assert!(outbox.iter().all(|m| !m.body.contains(&token)), "the link is not in the store's outbox");

    // Another store's address, a made-up token and a weak password change nothing.
    let other = shopper::reset_password(&db, &market.slug, &token, "a-brand-new-password").await;
    assert!(matches!(other, Err(Error::NotFound(_))), "{other:?}");
    let made_up = shopper::reset_password(&db, &oja.slug, "made-up\0", "a-brand-new-password").await;
    assert!(matches!(made_up, Err(Error::NotFound(_))), "{made_up:?}");
    let weak = shopper::reset_password(&db, &oja.slug, &token, "short").await;
    assert!(matches!(&weak, Err(Error::Invalid { field, .. }) if field == "password"), "{weak:?}");

    shopper::reset_password(&db, &oja.slug, &token, "a-brand-new-password").await.unwrap();
    assert!(session::resolve(&db, &earlier.cookie_value).await.unwrap().is_none(), "signed out everywhere");
    let old = shopper::log_in(&db, &oja.slug, &email, PASSWORD, &client("10.0.0.8")).await;
    assert!(matches!(old, Err(Error::Unauthorized(_))), "{old:?}");
    shopper::log_in(&db, &oja.slug, &email, "a-brand-new-password", &client("10.0.0.8")).await.unwrap();
    let again = shopper::reset_password(&db, &oja.slug, &token, "yet-another-password").await;
    assert!(matches!(again, Err(Error::NotFound(_))), "a link works once: {again:?}");
    // A new confirmation letter is only for a signed-in shopper.
    for someone in [oja.visitor(), oja.owner.clone()] {
        let refused = shopper::resend_email_check(&db, &someone, STORE_URL).await;
        assert!(matches!(refused, Err(Error::Unauthorized(_))), "{refused:?}");
    }
    let earlier_link = shopper::reset_password(&db, &oja.slug, &first, "yet-another-password").await;
    assert!(matches!(earlier_link, Err(Error::NotFound(_))), "an earlier link is spent too: {earlier_link:?}");
}
