//! The people a business sells to. A customer is one mobile number in one business, whether
//! they bought as a guest or with an account; a signed-in shopper is one customer whatever
//! number they give.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::Customer;
use crate::base::page::Page;
use crate::base::{Actor, Permission, TenantId, phone};
use crate::db::tenant_tx;
use crate::{Error, Money};

/// Who is buying, as checked at checkout.
pub struct Buyer<'a> {
    /// Their name.
    pub name: &'a str,
    /// Their mobile number, kept form (`+234…`).
    pub phone: &'a str,
    /// Their email, if they gave one.
    pub email: Option<&'a str>,
    /// Whether they agreed, now, to hear of offers.
    pub consent: bool,
}

/// The step that finds (or makes) the customer an order is for, in the caller's transaction:
/// the signed-in shopper's own customer, else the one with this number. A number typed at a
/// checkout proves nothing, so a guest's order joins the customer with that number but changes
/// nothing on it, and a shopper's account never takes over a guest's record by it (that waits
/// for a number or email the shopper has shown is theirs). A consent given now is kept, with
/// when and how, on a record that is the buyer's own; one not given takes nothing back.
pub async fn for_order(
    tx: &mut sqlx::PgConnection,
    tenant: TenantId,
    actor: &Actor,
    buyer: &Buyer<'_>,
) -> Result<Uuid, Error> {
    let shopper = match actor {
        Actor::Shopper { shopper, .. } => Some(*shopper),
        _ => None,
    };
    let (id, own) = if let Some(shopper) = shopper {
        let found =
            sqlx::query_scalar!("SELECT id FROM customers WHERE tenant_id = $1 AND shopper_id = $2", tenant.0, shopper)
                .fetch_optional(&mut *tx)
                .await?;
        match found {
            Some(id) => (id, true),
            None => (make(tx, tenant, buyer, Some(shopper)).await?, true),
        }
    } else {
        // One statement, so two first orders with one number at once make one customer.
        let made = sqlx::query!(
            r#"INSERT INTO customers (tenant_id, id, name, phone, email) VALUES ($1, $2, $3, $4, $5)
               ON CONFLICT (tenant_id, phone) DO UPDATE SET phone = excluded.phone
               RETURNING id, (xmax = 0) AS "made!""#,
            tenant.0,
            Uuid::now_v7(),
            buyer.name,
            buyer.phone,
            buyer.email
        )
        .fetch_one(&mut *tx)
        .await?;
        (made.id, made.made)
    };
    if own {
        sqlx::query!(
            "UPDATE customers SET email = coalesce(email, $3),
                    marketing_consent = marketing_consent OR $4,
                    consent_at = CASE WHEN $4 AND NOT marketing_consent THEN now() ELSE consent_at END,
                    consent_source = CASE WHEN $4 AND NOT marketing_consent THEN 'checkout' ELSE consent_source END
              WHERE tenant_id = $1 AND id = $2",
            tenant.0,
            id,
            buyer.email,
            buyer.consent
        )
        .execute(&mut *tx)
        .await?;
    }
    Ok(id)
}

/// A signed-in shopper's first customer record: with the number they typed, unless another
/// record has it (then without).
async fn make(
    tx: &mut sqlx::PgConnection,
    tenant: TenantId,
    buyer: &Buyer<'_>,
    shopper: Option<Uuid>,
) -> Result<Uuid, Error> {
    let id = Uuid::now_v7();
    let with_number = sqlx::query!(
        "INSERT INTO customers (tenant_id, id, name, phone, email, shopper_id) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (tenant_id, phone) DO NOTHING",
        tenant.0,
        id,
        buyer.name,
        buyer.phone,
        buyer.email,
        shopper
    )
    .execute(&mut *tx)
    .await?;
    if with_number.rows_affected() == 0 {
        sqlx::query!(
            "INSERT INTO customers (tenant_id, id, name, email, shopper_id) VALUES ($1, $2, $3, $4, $5)",
            tenant.0,
            id,
            buyer.name,
            buyer.email,
            shopper
        )
        .execute(&mut *tx)
        .await?;
    }
    Ok(id)
}

/// A page of the business's customers, newest first, matching `search` (a name, a phone
/// number or an email), from the key in `after` (the last row's creation time and id).
pub async fn list(
    db: &sqlx::PgPool,
    actor: &Actor,
    search: Option<&str>,
    after: Option<(DateTime<Utc>, Uuid)>,
    limit: i64,
) -> Result<Page<Customer>, Error> {
    let scope = actor.require(Permission::ViewOrders)?;
    scope.whole_business("see customers")?;
    let tenant = scope.tenant;
    let search = search.map(str::trim).filter(|s| !s.is_empty());
    if let Some(search) = search {
        Error::refuse_nul("search", search)?;
    }
    let phone = search.and_then(phone::nigerian_mobile);
    let like = search.map(|s| format!("%{}%", crate::catalog::product::escape_like(s)));
    let (after_at, after_id) = after.unzip();
    let limit = limit.clamp(1, 200);
    let mut tx = tenant_tx(db, tenant).await?;
    let ids = sqlx::query_scalar!(
        "SELECT id FROM customers
          WHERE tenant_id = $1
            AND ($2::text IS NULL OR phone = $3 OR name ILIKE $2 OR email ILIKE $2)
            AND ($4::timestamptz IS NULL OR (created_at, id) < ($4, $5))
          ORDER BY created_at DESC, id DESC
          LIMIT $6",
        tenant.0,
        like,
        phone,
        after_at,
        after_id,
        limit + 1
    )
    .fetch_all(&mut *tx)
    .await?;
    let rows = read(&mut tx, tenant, &ids).await?;
    tx.commit().await?;
    Ok(Page::from_extra(rows, limit, |c| (c.created_at, c.id)))
}

/// One customer of the business.
pub async fn get(db: &sqlx::PgPool, actor: &Actor, id: Uuid) -> Result<Customer, Error> {
    let scope = actor.require(Permission::ViewOrders)?;
    scope.whole_business("see customers")?;
    let tenant = scope.tenant;
    let mut tx = tenant_tx(db, tenant).await?;
    let found = read(&mut tx, tenant, &[id]).await?.pop().ok_or_else(|| Error::not_found("customer"))?;
    tx.commit().await?;
    Ok(found)
}

/// Everything the business keeps about a customer, for them to take away (Nigeria's Data
/// Protection Act gives them that right): their details, their orders, whole, and the addresses
/// their account keeps.
pub async fn export(db: &sqlx::PgPool, actor: &Actor, id: Uuid) -> Result<serde_json::Value, Error> {
    let scope = actor.require(Permission::ManageOrders)?;
    scope.whole_business("work with customers' data")?;
    let tenant = scope.tenant;
    let customer = get(db, actor, id).await?;
    let mut tx = tenant_tx(db, tenant).await?;
    let orders = sqlx::query_scalar!(
        "SELECT id FROM orders WHERE tenant_id = $1 AND customer_id = $2 ORDER BY placed_at, id",
        tenant.0,
        id
    )
    .fetch_all(&mut *tx)
    .await?;
    // The addresses their account keeps, when they have one.
    let addresses: Vec<serde_json::Value> = sqlx::query!(
        "SELECT a.line, a.city, a.lga, a.state, a.used_at FROM shopper_addresses a
           JOIN customers c ON c.tenant_id = a.tenant_id AND c.shopper_id = a.shopper_id
          WHERE c.tenant_id = $1 AND c.id = $2 ORDER BY a.used_at DESC",
        tenant.0,
        id
    )
    .fetch_all(&mut *tx)
    .await?
    .into_iter()
    .map(
        |a| serde_json::json!({ "line": a.line, "city": a.city, "lga": a.lga, "state": a.state, "used_at": a.used_at }),
    )
    .collect();
    tx.commit().await?;
    let mut whole = Vec::with_capacity(orders.len());
    for order in orders {
        whole.push(super::work::get(db, actor, order).await?);
    }
    // Who took a copy of someone's data is itself recorded.
    crate::db::in_tenant_tx(db, tenant, async |tx| {
        let change = crate::audit::Change {
            entity: "customer",
            entity_id: id.to_string(),
            action: "export",
            before: None,
            after: None,
        };
        crate::audit::record(tx, tenant, actor, change).await
    })
    .await?;
    serde_json::to_value(serde_json::json!({ "customer": customer, "orders": whole, "addresses": addresses }))
        .map_err(|_| Error::Internal)
}

/// Erases a customer at their request: their name, number, email and the addresses and
/// contact details on their orders are removed, and their account (if any) unlinked. The
/// orders themselves stay, with their lines and money, for the books.
pub async fn erase(db: &sqlx::PgPool, actor: &Actor, id: Uuid) -> Result<(), Error> {
    let scope = actor.require(Permission::ManageOrders)?;
    scope.whole_business("work with customers' data")?;
    let tenant = scope.tenant;
    crate::db::in_tenant_tx(db, tenant, async |tx| {
        let before = sqlx::query!(
            "SELECT email, shopper_id FROM customers WHERE tenant_id = $1 AND id = $2 FOR UPDATE",
            tenant.0,
            id
        )
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| Error::not_found("customer"))?;
        let mut emails: Vec<String> = sqlx::query_scalar!(
            r#"SELECT DISTINCT lower(contact_email) AS "email!" FROM orders
                WHERE tenant_id = $1 AND customer_id = $2 AND contact_email IS NOT NULL"#,
            tenant.0,
            id
        )
        .fetch_all(&mut *tx)
        .await?;
        emails.extend(before.email.as_deref().map(str::to_lowercase));
        let erased = sqlx::query_scalar!(
            "UPDATE customers SET name = '', phone = NULL, email = NULL, shopper_id = NULL, marketing_consent = false,
                    consent_at = NULL, consent_source = '', erased_at = coalesce(erased_at, now())
              WHERE tenant_id = $1 AND id = $2
             RETURNING id",
            tenant.0,
            id
        )
        .fetch_optional(&mut *tx)
        .await?;
        if erased.is_none() {
            return Err(Error::not_found("customer"));
        }
        sqlx::query!(
            "UPDATE orders SET contact_name = 'Erased customer', contact_phone = '', contact_email = NULL,
                    shipping_address = CASE WHEN shipping_address IS NULL THEN NULL ELSE '{}'::jsonb END,
                    billing_address = NULL, note = '', shopper_id = NULL, updated_at = now()
              WHERE tenant_id = $1 AND customer_id = $2",
            tenant.0,
            id
        )
        .execute(&mut *tx)
        .await?;
        // What gateways answered (an email, a card's last digits) and the messages sent to them.
        sqlx::query!(
            "UPDATE payments SET answer = NULL WHERE tenant_id = $1
                AND order_id IN (SELECT id FROM orders WHERE tenant_id = $1 AND customer_id = $2)",
            tenant.0,
            id
        )
        .execute(&mut *tx)
        .await?;
        sqlx::query!(
            "UPDATE notifications SET recipient = 'erased', body = '', sent_at = coalesce(sent_at, now())
              WHERE tenant_id = $1 AND lower(recipient) = ANY($2)",
            tenant.0,
            &emails
        )
        .execute(&mut *tx)
        .await?;
        // Their account at the store, if they had one, can no longer be signed in to or name them.
        if let Some(shopper) = before.shopper_id {
            sqlx::query!(
                "UPDATE shoppers SET name = 'Erased', phone = '', email = 'erased-' || id::text || '@erased.invalid',
                        password_hash = 'erased'
                  WHERE tenant_id = $1 AND id = $2",
                tenant.0,
                shopper
            )
            .execute(&mut *tx)
            .await?;
            sqlx::query!("DELETE FROM carts WHERE tenant_id = $1 AND shopper_id = $2", tenant.0, shopper)
                .execute(&mut *tx)
                .await?;
            // Where they live, and every way back in: signed-in browsers and reset links.
            sqlx::query!("DELETE FROM shopper_addresses WHERE tenant_id = $1 AND shopper_id = $2", tenant.0, shopper)
                .execute(&mut *tx)
                .await?;
            sqlx::query!("DELETE FROM sessions WHERE tenant_id = $1 AND shopper_id = $2", tenant.0, shopper)
                .execute(&mut *tx)
                .await?;
            sqlx::query!("DELETE FROM password_resets WHERE tenant_id = $1 AND shopper_id = $2", tenant.0, shopper)
                .execute(&mut *tx)
                .await?;
        }
        crate::audit::record(
            tx,
            tenant,
            actor,
            crate::audit::Change {
                entity: "customer",
                entity_id: id.to_string(),
                action: "erase",
                before: None,
                after: None,
            },
        )
        .await
    })
    .await
}

/// Customers by id, in the order given, with their order counts and what they spent.
async fn read(tx: &mut sqlx::PgConnection, tenant: TenantId, ids: &[Uuid]) -> Result<Vec<Customer>, Error> {
    let currency = crate::identity::currency_in(&mut *tx, tenant).await?;
    let rows = sqlx::query!(
        r#"SELECT c.id, c.name, c.phone, c.email, c.shopper_id IS NOT NULL AS "has_account!", c.marketing_consent,
                  c.consent_at, c.consent_source, c.created_at, c.erased_at,
                  count(o.id) AS "orders!",
                  coalesce(sum(o.total) FILTER (WHERE o.paid AND o.status <> 'cancelled'), 0) AS "spent!",
                  max(o.placed_at) AS last_order_at
             FROM unnest($2::uuid[]) WITH ORDINALITY AS wanted(id, n)
             JOIN customers c ON c.tenant_id = $1 AND c.id = wanted.id
             LEFT JOIN orders o ON o.tenant_id = c.tenant_id AND o.customer_id = c.id
            GROUP BY c.tenant_id, c.id, wanted.n
            ORDER BY wanted.n"#,
        tenant.0,
        ids
    )
    .fetch_all(&mut *tx)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Customer {
            id: r.id,
            name: r.name,
            phone: r.phone,
            email: r.email,
            has_account: r.has_account,
            marketing_consent: r.marketing_consent,
            consent_at: r.consent_at,
            consent_source: r.consent_source,
            orders: r.orders,
            lifetime_value: Money::new(r.spent, currency),
            last_order_at: r.last_order_at,
            created_at: r.created_at,
            erased_at: r.erased_at,
        })
        .collect())
}

/// Every customer of the business as a CSV file (name, phone, email, account, consent and when,
/// orders, lifetime value, last order, since), newest first.
pub async fn export_csv(db: &sqlx::PgPool, actor: &Actor) -> Result<String, Error> {
    actor.require(Permission::ViewOrders)?.whole_business("see customers")?;
    let mut out = csv::Writer::from_writer(Vec::new());
    let columns = [
        "name",
        "phone",
        "email",
        "has_account",
        "marketing_consent",
        "consent_at",
        "orders",
        "lifetime_value",
        "currency",
        "last_order_at",
        "customer_since",
    ];
    out.write_record(columns).map_err(|_| Error::Internal)?;
    let mut after = None;
    loop {
        let page = list(db, actor, None, after, 200).await?;
        for c in &page.data {
            let when = |at: Option<DateTime<Utc>>| at.map(|t| t.to_rfc3339()).unwrap_or_default();
            let cells = [
                c.name.clone(),
                c.phone.as_deref().map(phone::for_display).unwrap_or_default(),
                c.email.clone().unwrap_or_default(),
                c.has_account.to_string(),
                c.marketing_consent.to_string(),
                when(c.consent_at),
                c.orders.to_string(),
                crate::base::money::exact(c.lifetime_value.amount).to_string(),
                c.lifetime_value.currency.code().to_owned(),
                when(c.last_order_at),
                c.created_at.to_rfc3339(),
            ];
            // A shopper types their own name: it must not reach a spreadsheet as a formula.
            out.write_record(cells.iter().map(|c| crate::base::sheet::safe_cell(c))).map_err(|_| Error::Internal)?;
        }
        match page.next_cursor {
            Some(_) => after = page.data.last().map(|c| (c.created_at, c.id)),
            None => break,
        }
    }
    String::from_utf8(out.into_inner().map_err(|_| Error::Internal)?).map_err(|_| Error::Internal)
}

/// Opens a link that confirms a shopper's email at the store with this slug: the email is
/// confirmed, the orders placed there as a guest with it join the shopper's account (each
/// saying so in its timeline), and so does the customer they made when the shopper has none
/// yet. Answers how many orders joined. Anyone can type any email at checkout: only a link
/// opened from the mailbox ties those orders to an account.
pub async fn confirm_email(db: &sqlx::PgPool, slug: &str, token: &str) -> Result<u64, Error> {
    let tenant = crate::identity::storefront_tenant(db, slug).await?;
    let mut tx = tenant_tx(db, tenant).await?;
    let confirmed = crate::identity::shopper::spend_email_check(&mut tx, tenant, token).await?;
    let shopper = Actor::Shopper { tenant, shopper: confirmed.shopper, name: confirmed.name.clone() };
    let joined = sqlx::query_scalar!(
        "UPDATE orders SET shopper_id = $2
          WHERE tenant_id = $1 AND shopper_id IS NULL AND lower(contact_email) = lower($3)
         RETURNING id",
        tenant.0,
        confirmed.shopper,
        confirmed.email
    )
    .fetch_all(&mut *tx)
    .await?;
    for order in &joined {
        super::work::event(
            &mut tx,
            tenant,
            *order,
            &super::work::Who::of(&shopper),
            None,
            None,
            "Joined the shopper's account when they confirmed their email",
        )
        .await?;
    }
    sqlx::query!(
        "UPDATE customers SET shopper_id = $2
          WHERE tenant_id = $1
            AND id = (SELECT id FROM customers WHERE tenant_id = $1 AND shopper_id IS NULL AND erased_at IS NULL
                         AND lower(email) = lower($3) ORDER BY created_at DESC, id DESC LIMIT 1)
            AND NOT EXISTS (SELECT 1 FROM customers WHERE tenant_id = $1 AND shopper_id = $2)",
        tenant.0,
        confirmed.shopper,
        confirmed.email
    )
    .execute(&mut *tx)
    .await?;
    let change = crate::audit::Change {
        entity: "shopper",
        entity_id: confirmed.shopper.to_string(),
        action: "confirmed email",
        before: None,
        after: Some(serde_json::json!({ "email": confirmed.email, "orders_joined": joined.len() })),
    };
    crate::audit::record(&mut tx, tenant, &shopper, change).await?;
    tx.commit().await?;
    Ok(u64::try_from(joined.len()).unwrap_or(u64::MAX))
}
