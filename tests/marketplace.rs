//! The marketplace's vendors against a real database, acting as the application's role:
//! applying by the mailed link, the operator's review, each side's own moves, the bank account
//! only the vendor's owner changes, private documents, and what a vendor's standing does to its
//! products.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "a test fails loudly on what it did not expect")]

mod support;

use commerce::base::{Actor, Role, Shops, StaffMember, VendorId};
use commerce::identity::session::ClientInfo;
use commerce::marketplace::documents::{self, Upload};
use commerce::marketplace::vendor::{self, VendorChange};
use commerce::marketplace::{Application, BankDetails, VendorDetails, VendorFilter, VendorStatus};
use commerce::secrets::Keyring;
use commerce::{Clash, Error};
use sqlx::PgPool;
use support::{Business, PASSWORD};
use uuid::Uuid;

/// A valid account at First Bank (the standard's worked example).
const ACCOUNT: &str = "0000014579";

fn keyring() -> Keyring {
    Keyring::parse("t1:MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=").unwrap()
}

fn postbox() -> (commerce::mail::Folder, commerce::mail::Mail) {
    let folder = commerce::mail::Folder::new(std::env::temp_dir().join(format!("sc1-mail-{}", Uuid::now_v7())));
    (folder.clone(), std::sync::Arc::new(folder))
}

fn client() -> ClientInfo {
    ClientInfo { user_agent: "test".into(), ip: "10.1.2.3".into() }
}

fn details(name: &str, email: &str) -> VendorDetails {
    VendorDetails {
        name: name.into(),
        contact_name: "Bola Adeyemi".into(),
        email: email.into(),
        phone: "0803 123 4567".into(),
        state: "Lagos".into(),
        cac_number: "BN 2345678".into(),
        ..VendorDetails::default()
    }
}

fn bank() -> BankDetails {
    BankDetails { bank_code: "011".into(), account_number: ACCOUNT.into(), account_name: "Slot Phones Hub".into() }
}

/// A member of a vendor's staff: its owner, or one of its staff.
async fn vendor_staff(business: &Business, vendor: VendorId, owner: bool) -> Actor {
    let user = Uuid::now_v7();
    let email = format!("vendor.{}@{}.test", &user.simple().to_string()[24..], business.slug);
    sqlx::query("INSERT INTO users (id, email, name, password_hash) VALUES ($1, $2, 'Vendor person', 'x')")
        .bind(user)
        .bind(&email)
        .execute(&business.admin)
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO memberships (tenant_id, user_id, role, vendor_id, vendor_owner) VALUES ($1, $2, 'vendor', $3, $4)",
    )
    .bind(business.tenant.0)
    .bind(user)
    .bind(vendor.0)
    .bind(owner)
    .execute(&business.admin)
    .await
    .unwrap();
    let place = business.place_of(vendor).await;
    Actor::Staff(StaffMember {
        user,
        name: "Vendor person".into(),
        email,
        tenant: business.tenant,
        tenant_name: business.name.clone(),
        role: Role::Vendor,
        vendor: Some(vendor),
        shops: Shops::Only(vec![place]),
        platform_admin: false,
        zone: commerce::base::Zone::default(),
    })
}

/// A vendor added by the operator, with a bank account, waiting for review.
async fn applied(business: &Business, name: &str) -> VendorId {
    let email = format!("{}@sellers.test", name.to_lowercase().replace(' ', "."));
    let made =
        vendor::create(&business.db, &business.owner, Some(&keyring()), &details(name, &email), Some(&bank()), None)
            .await
            .unwrap();
    made.summary.id
}

fn to(status: VendorStatus, reason: &str) -> VendorChange {
    VendorChange { status: Some(status), reason: reason.into(), ..VendorChange::default() }
}

#[sqlx::test]
async fn an_application_becomes_a_vendor_only_through_its_mailed_link(admin: PgPool) {
    let market = Business::marketplace(&admin, "Gadget Market").await;
    let (folder, mail) = postbox();
    let form = Application {
        details: details("Slot Phones Hub", "bola@slotphones.test"),
        bank: bank(),
        password: "phones-and-more-2026".into(),
    };
    let store = format!("http://market.test/store/{}", market.slug);
    commerce::marketplace::apply::apply(&market.db, &mail, Some(&keyring()), &market.slug, &form, &client(), &store)
        .await
        .unwrap();
    let none: i64 = sqlx::query_scalar("SELECT count(*) FROM vendors").fetch_one(&admin).await.unwrap();
    assert_eq!(none, 0, "nothing is made before the link is used");

    let letter = folder.letters().pop().expect("a letter");
    assert_eq!(letter.to, "bola@slotphones.test");
    let path = "/sell/confirm/";
    let start = letter.body.find(path).unwrap() + path.len();
    let token: String =
        letter.body[start..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').collect();
    let pending = commerce::marketplace::apply::pending(&market.db, &market.slug, &token).await.unwrap();
    assert_eq!((pending.business_name.as_str(), pending.email.as_str()), ("Slot Phones Hub", "bola@slotphones.test"));

    let done = commerce::marketplace::apply::confirm(&market.db, &market.slug, &token, &client()).await.unwrap();
    assert_eq!(done.home, "/vendor");
    let own = vendor::own_vendor(&done.actor).unwrap().1;
    let mine = vendor::get(&market.db, &done.actor, own).await.unwrap();
    assert_eq!(mine.summary.status, VendorStatus::Applied);
    assert_eq!(mine.summary.phone, "+2348031234567");
    assert_eq!(mine.cac_number, "BN2345678");
    let account = mine.bank_account.expect("the account given");
    assert_eq!((account.bank_name.as_str(), account.last4.as_str()), ("First Bank of Nigeria", "4579"));
    let sealed: String = sqlx::query_scalar("SELECT bank_account_sealed FROM vendors").fetch_one(&admin).await.unwrap();
    assert!(!sealed.contains(ACCOUNT), "the number is kept sealed");
    assert_eq!(keyring().decrypt(&sealed).unwrap(), ACCOUNT.as_bytes());
    let owner: bool = sqlx::query_scalar("SELECT vendor_owner FROM memberships WHERE vendor_id = $1")
        .bind(own.0)
        .fetch_one(&admin)
        .await
        .unwrap();
    assert!(owner, "the applicant owns the vendor");
    // The applicant signs in with the password they chose.
    let signed = commerce::identity::log_in(&market.db, "bola@slotphones.test", "phones-and-more-2026", &client())
        .await
        .unwrap();
    assert_eq!(signed.home, "/vendor");

    // A link works once.
    let again = commerce::marketplace::apply::confirm(&market.db, &market.slug, &token, &client()).await;
    assert!(matches!(again, Err(Error::NotFound(_))), "{again:?}");
    // The operator finds it waiting for review.
    let waiting = vendor::list(
        &market.db,
        &market.owner,
        &VendorFilter { status: Some(VendorStatus::Applied), search: Some("slot".into()) },
        None,
        50,
    )
    .await
    .unwrap();
    assert_eq!(waiting.data.len(), 1);
}

#[sqlx::test]
async fn an_application_names_every_wrong_field_and_a_known_email_learns_nothing(admin: PgPool) {
    let market = Business::marketplace(&admin, "Gadget Market").await;
    let (folder, mail) = postbox();
    let store = format!("http://market.test/store/{}", market.slug);
    let wrong = Application {
        details: VendorDetails {
            name: String::new(),
            email: "nope".into(),
            phone: "123".into(),
            ..VendorDetails::default()
        },
        bank: BankDetails { bank_code: "011".into(), account_number: "0000014578".into(), account_name: String::new() },
        password: "short".into(),
    };
    let refused = commerce::marketplace::apply::apply(
        &market.db,
        &mail,
        Some(&keyring()),
        &market.slug,
        &wrong,
        &client(),
        &store,
    )
    .await
    .unwrap_err();
    let mut fields: Vec<&str> = refused.field_problems().into_iter().map(|(f, _)| f).collect();
    fields.sort_unstable();
    assert_eq!(
        fields,
        ["account_name", "account_number", "contact_name", "email", "name", "password", "phone", "state"],
        "{refused:?}"
    );
    assert!(folder.letters().is_empty());

    // An email that has an account is answered the same, and told by mail to apply with another.
    let known = support::email_of(&market.owner).to_owned();
    let form = Application { details: details("Another Hub", &known), bank: bank(), password: PASSWORD.into() };
    commerce::marketplace::apply::apply(&market.db, &mail, Some(&keyring()), &market.slug, &form, &client(), &store)
        .await
        .unwrap();
    let letter = folder.letters().pop().unwrap();
    assert!(
        letter.body.contains("already has an account") && !letter.body.contains("/sell/confirm/"),
        "{}",
        letter.body
    );

    // A shop that runs no marketplace takes no applications.
    let shop = Business::open(&admin, "Corner Shop").await;
    let form = Application { details: details("Hub", "hub@sellers.test"), bank: bank(), password: PASSWORD.into() };
    let no =
        commerce::marketplace::apply::apply(&shop.db, &mail, Some(&keyring()), &shop.slug, &form, &client(), &store)
            .await;
    assert!(matches!(no, Err(Error::NotFound(_))), "{no:?}");
}

#[sqlx::test]
async fn the_operator_reviews_and_the_vendor_only_sends_its_application_back(admin: PgPool) {
    let market = Business::marketplace(&admin, "Gadget Market").await;
    let id = applied(&market, "Slot Phones Hub").await;
    let staff = vendor_staff(&market, id, true).await;

    // Asking for changes needs a reason the vendor reads; so do rejecting and suspending.
    let bare = vendor::change(&market.db, &market.owner, id, &to(VendorStatus::ChangesRequested, " "), None).await;
    assert!(matches!(&bare, Err(Error::Invalid { field, .. }) if field == "reason"), "{bare:?}");
    let asked = vendor::change(
        &market.db,
        &market.owner,
        id,
        &to(VendorStatus::ChangesRequested, "Upload your CAC certificate."),
        None,
    )
    .await
    .unwrap();
    assert_eq!(asked.summary.status, VendorStatus::ChangesRequested);
    assert_eq!(asked.status_reason, "Upload your CAC certificate.");

    // The vendor cannot approve itself; it sends the application back.
    let own = vendor::change(&market.db, &staff, id, &to(VendorStatus::Approved, ""), None).await;
    assert!(matches!(own, Err(Error::Forbidden(_))), "{own:?}");
    let back = vendor::change(&market.db, &staff, id, &to(VendorStatus::Applied, "Uploaded."), None).await.unwrap();
    assert_eq!(back.summary.status, VendorStatus::Applied);
    assert!(back.moves.is_empty(), "nothing more for the vendor to do");

    // A manager approves; an accountant sees but cannot decide.
    let accountant = market.member(Role::Accountant).await;
    assert!(vendor::get(&market.db, &accountant, id).await.unwrap().moves.is_empty());
    let refused = vendor::change(&market.db, &accountant, id, &to(VendorStatus::Approved, ""), None).await;
    assert!(matches!(refused, Err(Error::Forbidden(_))), "{refused:?}");
    let manager = market.member(Role::Manager).await;
    let approved = vendor::change(&market.db, &manager, id, &to(VendorStatus::Approved, ""), None).await.unwrap();
    assert_eq!(approved.summary.status, VendorStatus::Approved);
    assert_eq!(approved.moves, [VendorStatus::Suspended]);

    // A move the rule does not allow is a conflict; the history keeps every step.
    let again = vendor::change(&market.db, &manager, id, &to(VendorStatus::Rejected, "No."), None).await;
    assert!(matches!(again, Err(Error::Conflict { clash: Clash::WrongState, .. })), "{again:?}");
    let steps: Vec<(Option<VendorStatus>, bool)> =
        approved.events.iter().filter(|e| e.to_status.is_some()).map(|e| (e.to_status, e.by_operator)).collect();
    assert_eq!(
        steps,
        [
            (Some(VendorStatus::Applied), true),
            (Some(VendorStatus::ChangesRequested), true),
            (Some(VendorStatus::Applied), false),
            (Some(VendorStatus::Approved), true)
        ]
    );
    // The vendor heard of each of the operator's decisions.
    let letters: Vec<String> =
        sqlx::query_scalar("SELECT subject FROM notifications ORDER BY created_at").fetch_all(&admin).await.unwrap();
    assert_eq!(letters.len(), 2, "{letters:?}");
    assert!(letters[1].starts_with("Welcome to"), "{letters:?}");
}

#[sqlx::test]
async fn a_vendor_without_a_bank_account_is_not_approved(admin: PgPool) {
    let market = Business::marketplace(&admin, "Gadget Market").await;
    let made =
        vendor::create(&market.db, &market.owner, Some(&keyring()), &details("Hub", "hub@sellers.test"), None, None)
            .await
            .unwrap();
    let id = made.summary.id;
    let early = vendor::change(&market.db, &market.owner, id, &to(VendorStatus::Approved, ""), None).await;
    assert!(matches!(early, Err(Error::Conflict { clash: Clash::WrongState, .. })), "{early:?}");
    // The operator may set a missing account once; after that only the vendor's owner changes it.
    vendor::set_bank_account(&market.db, &market.owner, Some(&keyring()), id, &bank(), None).await.unwrap();
    let twice = vendor::set_bank_account(&market.db, &market.owner, Some(&keyring()), id, &bank(), None).await;
    assert!(matches!(twice, Err(Error::Conflict { clash: Clash::WrongState, .. })), "{twice:?}");
    let staff = vendor_staff(&market, id, false).await;
    let not_owner = vendor::set_bank_account(&market.db, &staff, Some(&keyring()), id, &bank(), None).await;
    assert!(matches!(not_owner, Err(Error::Forbidden(_))), "{not_owner:?}");
    let owner = vendor_staff(&market, id, true).await;
    let gtb = BankDetails {
        bank_code: "999992".into(),
        account_number: "8031234567".into(),
        account_name: "Hub Ventures".into(),
    };
    let changed = vendor::set_bank_account(&market.db, &owner, Some(&keyring()), id, &gtb, None).await.unwrap();
    let account = changed.bank_account.unwrap();
    assert_eq!((account.bank_name.as_str(), account.last4.as_str()), ("OPay", "4567"));
    vendor::change(&market.db, &market.owner, id, &to(VendorStatus::Approved, ""), None).await.unwrap();
}

#[sqlx::test]
async fn a_vendor_never_reaches_another_vendors_record_or_documents(admin: PgPool) {
    let market = Business::marketplace(&admin, "Gadget Market").await;
    let (mine, theirs) = (applied(&market, "Mine Hub").await, applied(&market, "Their Hub").await);
    let me = vendor_staff(&market, mine, true).await;
    let media = commerce::media::DiskStore::new(std::env::temp_dir().join(format!("sc1-docs-{}", Uuid::now_v7())));
    let pdf =
        || Upload { kind: "cac_certificate".into(), file_name: "cert.pdf".into(), bytes: b"%PDF-1.4 cert".to_vec() };
    let theirs_doc = documents::upload(&market.db, &media, &market.owner, theirs, pdf()).await.unwrap();

    let read = vendor::get(&market.db, &me, theirs).await;
    assert!(matches!(read, Err(Error::NotFound(_))), "{read:?}");
    let change = VendorChange { details: Some(details("Taken Over", "x@y.test")), ..VendorChange::default() };
    let changed = vendor::change(&market.db, &me, theirs, &change, None).await;
    assert!(matches!(changed, Err(Error::NotFound(_))), "{changed:?}");
    let bank_change = vendor::set_bank_account(&market.db, &me, Some(&keyring()), theirs, &bank(), None).await;
    assert!(matches!(bank_change, Err(Error::NotFound(_))), "{bank_change:?}");
    let opened = documents::open(&market.db, &media, &me, theirs, theirs_doc.id).await;
    assert!(matches!(opened, Err(Error::NotFound(_))), "{opened:?}");
    // Its own document id under its own vendor does not find theirs either.
    let sideways = documents::open(&market.db, &media, &me, mine, theirs_doc.id).await;
    assert!(matches!(sideways, Err(Error::NotFound(_))), "{sideways:?}");
    let upload = documents::upload(&market.db, &media, &me, theirs, pdf()).await;
    assert!(matches!(upload, Err(Error::NotFound(_))), "{upload:?}");
    // The marketplace's list of vendors holds its own alone.
    let listed = vendor::list(&market.db, &me, &VendorFilter::default(), None, 50).await.unwrap();
    assert_eq!(listed.data.iter().map(|v| v.id).collect::<Vec<_>>(), [mine], "{listed:?}");

    // Its own: read, and what it uploads is told by its bytes, not its name.
    let own = documents::upload(&market.db, &media, &me, mine, pdf()).await.unwrap();
    assert_eq!(documents::open(&market.db, &media, &me, mine, own.id).await.unwrap().bytes, b"%PDF-1.4 cert");
    let html =
        Upload { kind: "identity".into(), file_name: "id.pdf".into(), bytes: b"<script>alert(1)</script>".to_vec() };
    let refused = documents::upload(&market.db, &media, &me, mine, html).await;
    assert!(matches!(&refused, Err(Error::Invalid { field, .. }) if field == "file"), "{refused:?}");
    let key: String = sqlx::query_scalar("SELECT file_key FROM vendor_documents WHERE id = $1")
        .bind(own.id)
        .fetch_one(&admin)
        .await
        .unwrap();
    assert!(key.starts_with(documents::PRIVATE), "{key}");

    // A cashier of the operator sees no vendors; another business sees none of these.
    let cashier = market.member(Role::Cashier).await;
    assert!(matches!(vendor::get(&market.db, &cashier, mine).await, Err(Error::Forbidden(_))));
    let other = Business::marketplace(&admin, "Other Market").await;
    assert!(matches!(vendor::get(&other.db, &other.owner, mine).await, Err(Error::NotFound(_))));
    assert!(matches!(documents::open(&other.db, &media, &other.owner, mine, own.id).await, Err(Error::NotFound(_))));
}

#[sqlx::test]
async fn suspending_a_vendor_takes_its_products_off_sale_at_once_and_reinstating_brings_them_back(admin: PgPool) {
    let market = Business::marketplace(&admin, "Gadget Market").await;
    let id = applied(&market, "Slot Phones Hub").await;
    let product = market.product("Tecno Spark 20", "SPARK-20", 150_000).await;
    sqlx::query("UPDATE products SET vendor_id = $1 WHERE id = $2")
        .bind(id.0)
        .bind(product.id.0)
        .execute(&admin)
        .await
        .unwrap();
    let on_sale = || async {
        sqlx::query_scalar::<_, bool>("SELECT on_sale FROM products WHERE id = $1")
            .bind(product.id.0)
            .fetch_one(&admin)
            .await
            .unwrap()
    };
    assert!(!on_sale().await, "a vendor waiting for review sells nothing");
    vendor::change(&market.db, &market.owner, id, &to(VendorStatus::Approved, ""), None).await.unwrap();
    assert!(on_sale().await);
    let shelf = commerce::catalog::shop::product(&market.db, &market.visitor(), product.id).await;
    assert!(shelf.is_ok(), "{shelf:?}");

    vendor::change(&market.db, &market.owner, id, &to(VendorStatus::Suspended, "Fake chargers reported."), None)
        .await
        .unwrap();
    assert!(!on_sale().await);
    let gone = commerce::catalog::shop::product(&market.db, &market.visitor(), product.id).await;
    assert!(matches!(gone, Err(Error::NotFound(_))), "{gone:?}");
    vendor::change(&market.db, &market.owner, id, &to(VendorStatus::Approved, ""), None).await.unwrap();
    assert!(on_sale().await, "reinstated, its products are back as they were");
}

#[sqlx::test]
async fn only_a_vendors_owner_invites_its_staff_and_they_join_that_vendor_alone(admin: PgPool) {
    let market = Business::marketplace(&admin, "Gadget Market").await;
    let id = applied(&market, "Slot Phones Hub").await;
    let other = applied(&market, "Their Hub").await;
    let (owner, staff) = (vendor_staff(&market, id, true).await, vendor_staff(&market, id, false).await);
    let (_, mail) = postbox();
    let base = "http://market.test";

    let refused =
        commerce::identity::invite_vendor_staff(&market.db, &mail, &staff, "kemi@slot.test", base, None).await;
    assert!(matches!(refused, Err(Error::Forbidden(_))), "{refused:?}");
    let operator =
        commerce::identity::invite_vendor_staff(&market.db, &mail, &market.owner, "kemi@slot.test", base, None).await;
    assert!(matches!(operator, Err(Error::Forbidden(_))), "the operator invites from its own staff page: {operator:?}");
    let link = commerce::identity::invite_vendor_staff(&market.db, &mail, &owner, "kemi@slot.test", base, None)
        .await
        .unwrap()
        .expect("a link, shown once");
    let team = commerce::identity::vendor_team(&market.db, &owner).await.unwrap();
    assert_eq!((team.members.len(), team.invitations.len(), team.may_invite), (2, 1, true));
    assert!(!commerce::identity::vendor_team(&market.db, &staff).await.unwrap().may_invite);

    let token = link.rsplit('/').next().unwrap();
    let joined =
        commerce::identity::accept_invitation(&market.db, token, None, "Kemi", "phones-all-day-2026", &client())
            .await
            .unwrap();
    assert_eq!(vendor::own_vendor(&joined.actor).unwrap().1, id);
    let signed = support::sign_in_with(&market.db, "kemi@slot.test", "phones-all-day-2026").await;
    assert!(matches!(vendor::get(&market.db, &signed, other).await, Err(Error::NotFound(_))));
    assert_eq!(vendor::get(&market.db, &signed, id).await.unwrap().summary.id, id);
    let place = market.place_of(id).await;
    assert!(matches!(&signed, Actor::Staff(m) if m.shops == Shops::Only(vec![place])), "{signed:?}");
}

#[sqlx::test]
async fn the_terms_are_checked_and_commission_rules_apply_by_precedence(admin: PgPool) {
    use commerce::marketplace::commission::Rate;
    use commerce::marketplace::terms::{self, RuleSubject};
    use commerce::marketplace::{Terms, TermsInput};
    use rust_decimal::Decimal;
    let market = Business::marketplace(&admin, "Gadget Market").await;
    let id = applied(&market, "Slot Phones Hub").await;
    let wrong = TermsInput {
        commission_percent: "120".into(),
        commission_flat: "abc".into(),
        commission_on_delivery: false,
        payout_hold_days: "365".into(),
        payout_minimum: "-5".into(),
        payout_day: "8".into(),
    };
    let refused = terms::update(&market.db, &market.owner, &wrong, None).await.unwrap_err();
    let mut fields: Vec<&str> = refused.field_problems().into_iter().map(|(f, _)| f).collect();
    fields.sort_unstable();
    assert_eq!(fields, ["commission_flat", "payout_day", "payout_hold_days", "payout_minimum"], "{refused:?}");
    let good = TermsInput {
        commission_percent: "12.5".into(),
        commission_flat: "₦50".into(),
        commission_on_delivery: true,
        payout_hold_days: "14".into(),
        payout_minimum: "10,000".into(),
        payout_day: "5".into(),
    };
    let saved: Terms = terms::update(&market.db, &market.owner, &good, None).await.unwrap();
    assert_eq!((saved.commission_percent, saved.payout_hold_days), (Decimal::new(125, 1), 14));
    assert_eq!(saved.payout_day, Some(5), "Fridays");
    assert_eq!(saved.payout_minimum.amount, Decimal::from(10_000));

    let phones = commerce::catalog::category::create(&market.db, &market.owner, "Phones", None, None).await.unwrap();
    let smart = commerce::catalog::category::create(&market.db, &market.owner, "Smartphones", Some(phones), None)
        .await
        .unwrap();
    let five = Rate { percent: Decimal::from(5), flat_per_item: Decimal::ZERO };
    let eight = Rate { percent: Decimal::from(8), flat_per_item: Decimal::from(100) };
    terms::set_rule(&market.db, &market.owner, RuleSubject::Category(phones), five, None).await.unwrap();
    terms::set_rule(&market.db, &market.owner, RuleSubject::Vendor(id), eight, None).await.unwrap();
    let bad = Rate { percent: Decimal::from(101), flat_per_item: Decimal::ZERO };
    let over = terms::set_rule(&market.db, &market.owner, RuleSubject::Vendor(id), bad, None).await;
    assert!(matches!(&over, Err(Error::Invalid { field, .. }) if field == "percent"), "{over:?}");

    let rules = {
        let mut tx = commerce::db::tenant_tx(&market.db, market.tenant).await.unwrap();
        commerce::orders::commission::rules_in(&mut tx, market.tenant).await.unwrap()
    };
    let phone = rules.on_line(id, Some(smart), Decimal::from(150_000), 1);
    assert_eq!(phone.amount, Decimal::from(7_500), "the category above it: 5%");
    let other = rules.on_line(id, None, Decimal::from(5_000), 2);
    assert_eq!(other.amount, Decimal::from(600), "the vendor's: 8% and ₦100 an item");
    let stranger = commerce::base::VendorId(uuid::Uuid::now_v7());
    assert_eq!(
        rules.on_line(stranger, None, Decimal::from(1_000), 2).amount,
        Decimal::from(225),
        "12.5% and ₦50 an item"
    );
    assert_eq!(rules.on_delivery_fee(stranger, Decimal::from(2_000)), Decimal::from(250));

    // Who may: an accountant reads the terms, a vendor's staff do not, and neither changes them.
    let accountant = market.member(Role::Accountant).await;
    assert_eq!(terms::get(&market.db, &accountant).await.unwrap().rules.len(), 2);
    assert!(matches!(terms::update(&market.db, &accountant, &good, None).await, Err(Error::Forbidden(_))));
    let staff = vendor_staff(&market, id, true).await;
    assert!(matches!(terms::get(&market.db, &staff).await, Err(Error::Forbidden(_))));
    let rule = terms::get(&market.db, &market.owner).await.unwrap().rules[0].id;
    let left = terms::remove_rule(&market.db, &market.owner, rule).await.unwrap();
    assert_eq!(left.rules.len(), 1);
}
