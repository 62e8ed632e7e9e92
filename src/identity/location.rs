//! Locations: the shops and warehouses where a tenant keeps and sells stock.

use serde::{Deserialize, Serialize};
#[cfg(feature = "server")]
use uuid::Uuid;

#[cfg(feature = "server")]
use crate::Error;
use crate::base::{LocationId, TenantId};
#[cfg(feature = "server")]
use crate::idempotency::{self, Once};

/// What a location is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum LocationKind {
    /// Open to shoppers; has tills.
    Shop,
    /// Holds stock; ships orders.
    Warehouse,
}

impl LocationKind {
    /// Reads the stored value.
    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "shop" => Some(Self::Shop),
            "warehouse" => Some(Self::Warehouse),
            _ => None,
        }
    }

    /// What a person calls it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Shop => "Shop",
            Self::Warehouse => "Warehouse",
        }
    }
}

/// A shop or warehouse with its address.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Location {
    /// Its id.
    pub id: LocationId,
    /// What staff call it.
    pub name: String,
    /// Shop or warehouse.
    pub kind: LocationKind,
    /// Street address.
    pub address: String,
    /// City.
    pub city: String,
    /// State (Lagos, FCT, Rivers…).
    pub state: String,
    /// Phone number shoppers can call.
    pub phone: String,
    /// Opening hours, one line per day range.
    pub opening_hours: String,
}

impl Location {
    /// The street, city and state that are filled in, joined by commas ("" when none is).
    pub fn address_line(&self) -> String {
        [&self.address, &self.city, &self.state]
            .into_iter()
            .map(|part| part.trim())
            .filter(|part| !part.is_empty())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// A shop a till can be opened in, with the business it belongs to.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ShopChoice {
    /// The business.
    pub tenant_id: TenantId,
    /// The business's trading name.
    pub tenant_name: String,
    /// The shop.
    pub location: Location,
}

#[cfg(feature = "server")]
struct LocationRow {
    tenant_id: Uuid,
    tenant_name: String,
    id: Uuid,
    name: String,
    kind: String,
    address: String,
    city: String,
    state: String,
    phone: String,
    opening_hours: String,
}

#[cfg(feature = "server")]
impl TryFrom<LocationRow> for Location {
    type Error = Error;

    fn try_from(row: LocationRow) -> Result<Self, Error> {
        let kind = LocationKind::from_code(&row.kind).ok_or_else(|| {
            tracing::error!(location = %row.id, kind = row.kind, "unreadable location kind");
            Error::Internal
        })?;
        Ok(Self {
            id: LocationId(row.id),
            name: row.name,
            kind,
            address: row.address,
            city: row.city,
            state: row.state,
            phone: row.phone,
            opening_hours: row.opening_hours,
        })
    }
}

/// The locations of one tenant (only its shops, when `shops_only`), by name.
#[cfg(feature = "server")]
pub(crate) async fn locations_of(
    db: &sqlx::PgPool,
    tenant: TenantId,
    shops_only: bool,
) -> Result<Vec<Location>, Error> {
    location_rows(db, tenant, shops_only).await?.into_iter().map(Location::try_from).collect()
}

/// The shops of the actor's business where a till can be opened.
#[cfg(feature = "server")]
pub async fn shops_for_registers(db: &sqlx::PgPool, actor: &crate::base::Actor) -> Result<Vec<ShopChoice>, Error> {
    let scope = actor.require(crate::base::Permission::SellAtPos)?;
    location_rows(db, scope.tenant, true)
        .await?
        .into_iter()
        .filter(|row| scope.shops.reach(LocationId(row.id)))
        .map(|row| {
            let (tenant_id, tenant_name) = (TenantId(row.tenant_id), row.tenant_name.clone());
            Ok(ShopChoice { tenant_id, tenant_name, location: Location::try_from(row)? })
        })
        .collect()
}

/// The locations (or only the shops) of one active business, by name.
#[cfg(feature = "server")]
async fn location_rows(db: &sqlx::PgPool, tenant: TenantId, shops_only: bool) -> Result<Vec<LocationRow>, Error> {
    let mut tx = crate::db::tenant_tx(db, tenant).await?;
    let rows = sqlx::query_as!(
        LocationRow,
        "SELECT l.tenant_id, t.name AS tenant_name, l.id, l.name, l.kind, l.address, l.city,
                l.state, l.phone, l.opening_hours
           FROM locations l
           JOIN tenants t ON t.id = l.tenant_id
          WHERE l.tenant_id = $1 AND (l.kind = 'shop' OR NOT $2) AND t.status = 'active'
          ORDER BY l.name, l.id",
        tenant.0,
        shops_only
    )
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(rows)
}

/// What a new location needs; checked by [`create_location`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewLocation {
    /// What staff call it.
    pub name: String,
    /// `shop` or `warehouse`.
    pub kind: String,
    /// Street address.
    pub address: String,
    /// City.
    pub city: String,
    /// State.
    pub state: String,
    /// Phone number.
    pub phone: String,
    /// Opening hours, one line per day range.
    pub opening_hours: String,
}

/// Adds a shop or warehouse to the actor's business.
#[cfg(feature = "server")]
pub async fn create_location(
    db: &sqlx::PgPool,
    actor: &crate::base::Actor,
    new: NewLocation,
    once: Option<&Once>,
) -> Result<Location, Error> {
    let tenant = actor.require(crate::base::Permission::ManageSettings)?.tenant;
    let name = new.name.trim();
    if name.is_empty() || name.chars().count() > 120 {
        return Err(Error::invalid("name", "give the location a name of at most 120 characters"));
    }
    let kind =
        LocationKind::from_code(new.kind.trim()).ok_or_else(|| Error::invalid("kind", "must be shop or warehouse"))?;
    for (field, value, max) in [
        ("address", &new.address, 200),
        ("city", &new.city, 80),
        ("state", &new.state, 80),
        ("phone", &new.phone, 40),
        ("opening_hours", &new.opening_hours, 400),
    ] {
        if value.chars().count() > max {
            return Err(Error::invalid(field, format!("use at most {max} characters")));
        }
    }
    let id = Uuid::now_v7();
    idempotency::run(db, tenant, once, async |tx| {
        sqlx::query!(
            "INSERT INTO locations (tenant_id, id, name, kind, address, city, state, phone, opening_hours)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            tenant.0,
            id,
            name,
            new.kind.trim(),
            new.address.trim(),
            new.city.trim(),
            new.state.trim(),
            new.phone.trim(),
            new.opening_hours.trim(),
        )
        .execute(&mut *tx)
        .await
        .map_err(|e| {
            crate::db::field_error(e, "locations_name_unique", "name", "another location already has this name")
        })?;
        let location = Location {
            id: LocationId(id),
            name: name.to_owned(),
            kind,
            address: new.address.trim().to_owned(),
            city: new.city.trim().to_owned(),
            state: new.state.trim().to_owned(),
            phone: new.phone.trim().to_owned(),
            opening_hours: new.opening_hours.trim().to_owned(),
        };
        let change = crate::audit::Change {
            entity: "location",
            entity_id: id.to_string(),
            action: "created",
            before: None,
            after: serde_json::to_value(&location).ok(),
        };
        crate::audit::record(tx, tenant, actor, change).await?;
        Ok(location)
    })
    .await
}

/// A page of the actor's locations by name (or by name descending), after `after` (a name and
/// id from the previous page).
#[cfg(feature = "server")]
pub async fn list_locations(
    db: &sqlx::PgPool,
    actor: &crate::base::Actor,
    after: Option<(String, Uuid)>,
    descending: bool,
    limit: i64,
) -> Result<Vec<Location>, Error> {
    let tenant = actor.require(crate::base::Permission::ViewSettings)?.tenant;
    let (after_name, after_id) = after.map_or((None, None), |(n, i)| (Some(n), Some(i)));
    let mut tx = crate::db::tenant_tx(db, tenant).await?;
    let rows = if descending {
        sqlx::query_as!(
            LocationRow,
            "SELECT l.tenant_id, t.name AS tenant_name, l.id, l.name, l.kind, l.address, l.city,
                    l.state, l.phone, l.opening_hours
               FROM locations l JOIN tenants t ON t.id = l.tenant_id
              WHERE l.tenant_id = $1 AND ($2::text IS NULL OR (l.name, l.id) < ($2, $3))
              ORDER BY l.name DESC, l.id DESC LIMIT $4",
            tenant.0,
            after_name,
            after_id,
            limit
        )
        .fetch_all(&mut *tx)
        .await?
    } else {
        sqlx::query_as!(
            LocationRow,
            "SELECT l.tenant_id, t.name AS tenant_name, l.id, l.name, l.kind, l.address, l.city,
                    l.state, l.phone, l.opening_hours
               FROM locations l JOIN tenants t ON t.id = l.tenant_id
              WHERE l.tenant_id = $1 AND ($2::text IS NULL OR (l.name, l.id) > ($2, $3))
              ORDER BY l.name, l.id LIMIT $4",
            tenant.0,
            after_name,
            after_id,
            limit
        )
        .fetch_all(&mut *tx)
        .await?
    };
    tx.commit().await?;
    rows.into_iter().map(Location::try_from).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_line_leaves_out_what_is_not_filled_in() {
        let mut shop = Location {
            id: LocationId(Uuid::nil()),
            name: "Main shop".into(),
            kind: LocationKind::Shop,
            address: "14 Admiralty Way".into(),
            city: "Lekki".into(),
            state: "Lagos".into(),
            phone: String::new(),
            opening_hours: String::new(),
        };
        assert_eq!(shop.address_line(), "14 Admiralty Way, Lekki, Lagos");
        shop.address = " ".into();
        shop.city = String::new();
        assert_eq!(shop.address_line(), "Lagos");
    }
}
