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

/// The shops of one tenant, by name.
#[cfg(feature = "server")]
pub(super) async fn shops_of(db: &sqlx::PgPool, tenant: TenantId) -> Result<Vec<Location>, Error> {
    sqlx::query_as!(
        LocationRow,
        "SELECT id, name, kind, address, city, state, phone, opening_hours
           FROM locations
          WHERE tenant_id = $1 AND kind = 'shop'
          ORDER BY name, id",
        tenant.0
    )
    .fetch_all(db)
    .await?
    .into_iter()
    .map(Location::try_from)
    .collect()
}

/// Every shop of every active business, for choosing where a till opens.
#[cfg(feature = "server")]
pub async fn shops_for_registers(db: &sqlx::PgPool) -> Result<Vec<ShopChoice>, Error> {
    struct Row {
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
    let rows = sqlx::query_as!(
        Row,
        "SELECT t.id AS tenant_id, t.name AS tenant_name,
                l.id, l.name, l.kind, l.address, l.city, l.state, l.phone, l.opening_hours
           FROM locations l
           JOIN tenants t ON t.id = l.tenant_id
          WHERE l.kind = 'shop' AND t.status = 'active'
          ORDER BY t.name, l.name, l.id"
    )
    .fetch_all(db)
    .await?;
    rows.into_iter()
        .map(|row| {
            let location = Location::try_from(LocationRow {
                id: row.id,
                name: row.name,
                kind: row.kind,
                address: row.address,
                city: row.city,
                state: row.state,
                phone: row.phone,
                opening_hours: row.opening_hours,
            })?;
            Ok(ShopChoice {
                tenant_id: TenantId(row.tenant_id),
                tenant_name: row.tenant_name,
                location,
            })
        })
        .collect()
}
