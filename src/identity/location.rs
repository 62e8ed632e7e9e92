//! Locations: the shops and warehouses where a tenant keeps and sells stock.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::TenantId;
#[cfg(feature = "server")]
use crate::Error;

/// The id of a location, unique within its tenant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct LocationId(pub Uuid);

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
pub(super) async fn locations_of(
    db: &sqlx::PgPool,
    tenant: TenantId,
    shops_only: bool,
) -> Result<Vec<Location>, Error> {
    location_rows(db, tenant, shops_only).await?.into_iter().map(Location::try_from).collect()
}

/// The shops of the actor's business where a till can be opened.
#[cfg(feature = "server")]
pub async fn shops_for_registers(db: &sqlx::PgPool, actor: &super::Actor) -> Result<Vec<ShopChoice>, Error> {
    let tenant = actor.require(super::Permission::SellAtPos)?;
    location_rows(db, tenant, true)
        .await?
        .into_iter()
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
