//! The people a business sells to. A customer is one mobile number in one business, whether
//! they bought as a guest or with an account; a signed-in shopper is one customer whatever
//! number they give.

use uuid::Uuid;

use crate::Error;
use crate::base::{Actor, TenantId};

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
/// the signed-in shopper's customer, else the one with this number. A consent given now is
/// kept with when and how it was given; one not given now takes nothing back.
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
    let mut found = match shopper {
        Some(shopper) => {
            sqlx::query_scalar!("SELECT id FROM customers WHERE tenant_id = $1 AND shopper_id = $2", tenant.0, shopper)
                .fetch_optional(&mut *tx)
                .await?
        }
        None => None,
    };
    if found.is_none() {
        // A guest with this number before; a shopper's account takes it over if it has none.
        found = sqlx::query_scalar!(
            "UPDATE customers SET shopper_id = coalesce(shopper_id, $3)
              WHERE tenant_id = $1 AND phone = $2 AND erased_at IS NULL
                AND ($3::uuid IS NULL OR shopper_id IS NULL OR shopper_id = $3)
             RETURNING id",
            tenant.0,
            buyer.phone,
            shopper
        )
        .fetch_optional(&mut *tx)
        .await?;
    }
    let id = if let Some(id) = found {
        id
    } else {
        {
            // One statement, so two first orders with one number at once make one customer.
            let made = sqlx::query_scalar!(
                "INSERT INTO customers (tenant_id, id, name, phone, email, shopper_id) VALUES ($1, $2, $3, $4, $5, $6)
                 ON CONFLICT (tenant_id, phone) DO UPDATE SET phone = excluded.phone
                  WHERE customers.shopper_id IS NULL OR customers.shopper_id = excluded.shopper_id
                    OR excluded.shopper_id IS NULL
                 RETURNING id",
                tenant.0,
                Uuid::now_v7(),
                buyer.name,
                buyer.phone,
                buyer.email,
                shopper
            )
            .fetch_optional(&mut *tx)
            .await?;
            if let Some(id) = made {
                id
            } else {
                // The number is another account's customer's: this shopper's keeps none.
                {
                    let id = Uuid::now_v7();
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
                    id
                }
            }
        }
    };
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
    Ok(id)
}
