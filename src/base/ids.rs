//! The ids of the tenancy: whose data a row is, and where.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The id of a tenant (one business).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TenantId(pub Uuid);

/// The id of a marketplace vendor, unique within its tenant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct VendorId(pub Uuid);

/// The id of a location, unique within its tenant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct LocationId(pub Uuid);
