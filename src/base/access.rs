//! Who may do what: roles, permissions, API scopes, and the one table that joins them.
//!
//! Every domain operation names the permission it needs and asks [`Actor::require`]; pages,
//! server functions, REST handlers and the POS sync therefore obey the same rules.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{LocationId, TenantId, VendorId};
use crate::Error;

/// A person's role in one business.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Role {
    /// Runs the business: everything, including staff, API clients and settings.
    Owner,
    /// Runs the day: catalog, stock, orders, settings, but not staff or API clients.
    Manager,
    /// Keeps the books: reports, invoices, expenses, the audit trail.
    Accountant,
    /// Sells at the till.
    Cashier,
    /// Works for one vendor of the marketplace.
    Vendor,
}

impl Role {
    /// Every role, in the order the back office lists them.
    pub const ALL: [Self; 5] = [Self::Owner, Self::Manager, Self::Accountant, Self::Cashier, Self::Vendor];

    /// The value stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            Self::Owner => "owner",
            Self::Manager => "manager",
            Self::Accountant => "accountant",
            Self::Cashier => "cashier",
            Self::Vendor => "vendor",
        }
    }

    /// Reads the stored value.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }

    /// What a person calls it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Owner => "Owner",
            Self::Manager => "Manager",
            Self::Accountant => "Accountant",
            Self::Cashier => "Cashier",
            Self::Vendor => "Vendor staff",
        }
    }

    /// Whether this role may do that: the one table of who may do what.
    pub fn allows(self, permission: Permission) -> bool {
        use Permission as P;
        match self {
            Self::Owner => !matches!(permission, P::UseVendorPortal | P::Buy),
            Self::Manager => matches!(
                permission,
                P::ViewDashboard
                    | P::ViewSettings
                    | P::ManageSettings
                    | P::ViewStaff
                    | P::ViewAudit
                    | P::ViewOutbox
                    | P::SellAtPos
                    | P::ViewCatalog
                    | P::ManageCatalog
                    | P::ViewCosts
                    | P::ViewInventory
                    | P::ManageInventory
                    | P::ViewOrders
                    | P::ManageOrders
                    | P::ViewVendors
                    | P::ManageVendors
            ),
            Self::Accountant => matches!(
                permission,
                P::ViewDashboard
                    | P::ViewSettings
                    | P::ViewStaff
                    | P::ViewAudit
                    | P::ViewCatalog
                    | P::ViewCosts
                    | P::ViewInventory
                    | P::ViewOrders
                    | P::ViewVendors
            ),
            Self::Cashier => matches!(permission, P::SellAtPos | P::ViewCatalog),
            // Vendor staff work on their own vendor's products and stock alone: their scope
            // names the vendor, and reaches only the vendor's own locations.
            Self::Vendor => matches!(
                permission,
                P::UseVendorPortal
                    | P::ViewCatalog
                    | P::ManageCatalog
                    | P::ViewCosts
                    | P::ViewInventory
                    | P::ManageInventory
            ),
        }
    }

    /// Where a person of this role starts after signing in.
    pub fn home(self) -> &'static str {
        match self {
            Self::Cashier => "/pos",
            Self::Vendor => "/vendor",
            _ => "/admin",
        }
    }
}

/// Something an actor may be allowed to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Permission {
    /// See the dashboard and the business's figures.
    ViewDashboard,
    /// See the business's settings and locations.
    ViewSettings,
    /// Change the business's settings and locations.
    ManageSettings,
    /// See staff and invitations.
    ViewStaff,
    /// Invite, change and deactivate staff.
    ManageStaff,
    /// Create and revoke API clients.
    ManageApiClients,
    /// Read the audit trail.
    ViewAudit,
    /// Read the messages the business has sent.
    ViewOutbox,
    /// Ring up sales at a till.
    SellAtPos,
    /// Work in the vendor portal for one vendor.
    UseVendorPortal,
    /// See products, their variants and prices.
    ViewCatalog,
    /// Create, change and archive products; import them.
    ManageCatalog,
    /// See what products cost the business (cost prices, in products and their files).
    ViewCosts,
    /// See stock levels, movements, alerts, transfers and counts.
    ViewInventory,
    /// Receive, adjust, transfer and count stock; import levels.
    ManageInventory,
    /// See orders, their payments and the customers who placed them.
    ViewOrders,
    /// Work orders: confirm payments, prepare, send, complete and cancel them.
    ManageOrders,
    /// Change where the business's money goes: the bank account for transfers and the payment
    /// gateway's key. The owner's alone.
    ManagePaymentAccounts,
    /// See the marketplace's vendors, their applications and documents.
    ViewVendors,
    /// Review vendors' applications, approve, suspend and reinstate them, and set how their
    /// products are moderated.
    ManageVendors,
    /// Hold stock for a cart and buy it on a storefront: what visitors and shoppers may do, and
    /// no role of staff (so [`Permission::ALL`], the roles' grid, leaves it out).
    Buy,
}

impl Permission {
    /// Every permission, in the order the roles page lists them.
    pub const ALL: [Self; 20] = [
        Self::ViewDashboard,
        Self::ViewSettings,
        Self::ManageSettings,
        Self::ViewStaff,
        Self::ManageStaff,
        Self::ManageApiClients,
        Self::ViewAudit,
        Self::ViewOutbox,
        Self::SellAtPos,
        Self::UseVendorPortal,
        Self::ViewCatalog,
        Self::ManageCatalog,
        Self::ViewCosts,
        Self::ViewInventory,
        Self::ManageInventory,
        Self::ViewOrders,
        Self::ManageOrders,
        Self::ManagePaymentAccounts,
        Self::ViewVendors,
        Self::ManageVendors,
    ];

    /// What it lets a person do, for the roles page and refusals.
    pub fn label(self) -> &'static str {
        match self {
            Self::ViewDashboard => "see the dashboard",
            Self::ViewSettings => "see the business settings",
            Self::ManageSettings => "change the business settings",
            Self::ViewStaff => "see staff",
            Self::ManageStaff => "invite and manage staff",
            Self::ManageApiClients => "manage API clients",
            Self::ViewAudit => "read the audit trail",
            Self::ViewOutbox => "read sent messages",
            Self::SellAtPos => "sell at the till",
            Self::UseVendorPortal => "use the vendor portal",
            Self::ViewCatalog => "see products",
            Self::ManageCatalog => "create and change products",
            Self::ViewCosts => "see cost prices",
            Self::ViewInventory => "see stock",
            Self::ManageInventory => "receive, adjust, transfer and count stock",
            Self::ViewOrders => "see orders and customers",
            Self::ManageOrders => "work orders and confirm payments",
            Self::ManagePaymentAccounts => "change where the business's money is paid",
            Self::ViewVendors => "see the marketplace's vendors",
            Self::ManageVendors => "review and manage the marketplace's vendors",
            Self::Buy => "buy in the storefront",
        }
    }

    /// The API scope that grants it to an API client, if API clients may have it at all.
    pub fn api_scope(self) -> Option<ApiScope> {
        use Access::{Read, Write};
        let (module, access) = match self {
            Self::ViewDashboard => (ApiModule::Dashboard, Read),
            Self::ViewSettings => (ApiModule::Settings, Read),
            Self::ManageSettings => (ApiModule::Settings, Write),
            Self::ViewStaff => (ApiModule::Staff, Read),
            Self::ViewAudit => (ApiModule::Audit, Read),
            // An integration that reads products is the owner's choice, and sees what they cost.
            Self::ViewCatalog | Self::ViewCosts => (ApiModule::Products, Read),
            Self::ManageCatalog => (ApiModule::Products, Write),
            Self::ViewInventory => (ApiModule::Inventory, Read),
            Self::ManageInventory => (ApiModule::Inventory, Write),
            Self::ViewOrders => (ApiModule::Orders, Read),
            Self::ManageOrders => (ApiModule::Orders, Write),
            Self::ViewVendors => (ApiModule::Marketplace, Read),
            Self::ManageVendors => (ApiModule::Marketplace, Write),
            Self::ManageStaff
            | Self::ManageApiClients
            | Self::ViewOutbox
            | Self::SellAtPos
            | Self::UseVendorPortal
            | Self::ManagePaymentAccounts
            | Self::Buy => {
                return None;
            }
        };
        Some(ApiScope { module, access })
    }
}

/// A part of the REST API that a scope opens.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ApiModule {
    /// Dashboard figures.
    Dashboard,
    /// The business's settings and locations.
    Settings,
    /// Staff (read only).
    Staff,
    /// The audit trail (read only).
    Audit,
    /// Products and their variants.
    Products,
    /// Stock levels, movements, transfers and sync.
    Inventory,
    /// Orders, their payments, and customers.
    Orders,
    /// The marketplace's vendors.
    Marketplace,
}

impl ApiModule {
    /// Every module, in the order the API client form lists them.
    pub const ALL: [Self; 8] = [
        Self::Dashboard,
        Self::Settings,
        Self::Staff,
        Self::Audit,
        Self::Products,
        Self::Inventory,
        Self::Orders,
        Self::Marketplace,
    ];

    /// The name in a scope string.
    pub fn code(self) -> &'static str {
        match self {
            Self::Dashboard => "dashboard",
            Self::Settings => "settings",
            Self::Staff => "staff",
            Self::Audit => "audit",
            Self::Products => "products",
            Self::Inventory => "inventory",
            Self::Orders => "orders",
            Self::Marketplace => "marketplace",
        }
    }
}

/// Reading, or reading and writing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Access {
    /// Read only.
    Read,
    /// Read and write.
    Write,
}

/// What an API client may touch: one module, read or write (`settings:write`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ApiScope {
    /// The module.
    pub module: ApiModule,
    /// Read, or read and write.
    pub access: Access,
}

impl ApiScope {
    /// Parses `module:read` or `module:write`.
    pub fn parse(text: &str) -> Option<Self> {
        let (module, access) = text.trim().split_once(':')?;
        let module = ApiModule::ALL.into_iter().find(|m| m.code() == module)?;
        let access = match access {
            "read" => Access::Read,
            "write" => Access::Write,
            _ => return None,
        };
        Some(Self { module, access })
    }

    /// Whether holding this scope grants `needed` (write includes read).
    pub fn covers(self, needed: ApiScope) -> bool {
        self.module == needed.module && self.access >= needed.access
    }
}

impl std::fmt::Display for ApiScope {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let access = match self.access {
            Access::Read => "read",
            Access::Write => "write",
        };
        write!(f, "{}:{access}", self.module.code())
    }
}

/// Who is asking: the subject of every authorization decision.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Actor {
    /// A member of a business's staff (vendor staff included), signed in to that business.
    Staff(StaffMember),
    /// Someone on a storefront who has not signed in: what they do (hold stock for their cart,
    /// check out) is done as this actor.
    Visitor {
        /// The storefront's business.
        tenant: TenantId,
        /// The visit (their guest cart), for the records it leaves.
        visit: Uuid,
    },
    /// A shopper signed in to one storefront.
    Shopper {
        /// The storefront's business.
        tenant: TenantId,
        /// The shopper.
        shopper: Uuid,
        /// Their name.
        name: String,
    },
    /// An integration using an OAuth client-credentials token.
    ApiClient {
        /// The business that created the client.
        tenant: TenantId,
        /// The client.
        client: Uuid,
        /// Its name.
        name: String,
        /// What its token may touch.
        scopes: Vec<ApiScope>,
        /// The marketplace vendor the client belongs to, if a vendor's owner made it: it then
        /// reaches what that vendor's staff reach, and no more (see [`Actor::can`]).
        #[serde(default)]
        vendor: Option<VendorId>,
        /// The locations it reaches: a vendor's client its vendor's own places, any other all.
        #[serde(default)]
        shops: Shops,
    },
    /// An administrator of the platform itself.
    PlatformAdmin {
        /// The person.
        user: Uuid,
        /// Their name.
        name: String,
    },
}

/// A signed-in member of a business.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StaffMember {
    /// The person.
    pub user: Uuid,
    /// Their name.
    pub name: String,
    /// Their email address.
    pub email: String,
    /// The business they act for.
    pub tenant: TenantId,
    /// The business's name.
    pub tenant_name: String,
    /// Their role there.
    pub role: Role,
    /// The vendor they work for, when their role is vendor staff.
    pub vendor: Option<VendorId>,
    /// The locations they work at: every one of the business's, or only those they are bound
    /// to (a cashier bound to one shop rings up and sees stock there alone).
    pub shops: Shops,
    /// Whether they are also an administrator of the platform.
    pub platform_admin: bool,
    /// The business's time zone, in which their pages show times (as the session found it;
    /// the default where an actor is made for a record alone).
    #[serde(default)]
    pub zone: super::Zone,
}

/// Which of a business's locations a person's work reaches.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Shops {
    /// Every location, today's and those opened later.
    #[default]
    All,
    /// Only these.
    Only(Vec<LocationId>),
}

impl Shops {
    /// The locations a member is bound to, as stored: none (`NULL`, or an empty list) is all.
    pub fn bound_to(ids: Option<Vec<Uuid>>) -> Self {
        match ids {
            Some(ids) if !ids.is_empty() => Self::Only(ids.into_iter().map(LocationId).collect()),
            _ => Self::All,
        }
    }

    /// The locations a member reaches, as stored: vendor staff their vendor's own (none is
    /// none: a vendor without a place reaches no stock), anyone else those they are bound to
    /// (none is all).
    pub fn of_member(role: Role, ids: Option<Vec<Uuid>>) -> Self {
        if role == Role::Vendor {
            Self::Only(ids.unwrap_or_default().into_iter().map(LocationId).collect())
        } else {
            Self::bound_to(ids)
        }
    }

    /// Whether work at `location` is within reach.
    pub fn reach(&self, location: LocationId) -> bool {
        match self {
            Self::All => true,
            Self::Only(shops) => shops.contains(&location),
        }
    }

    /// The locations as ids for a query's `location_id = ANY($n)` filter, or `None` for all of
    /// them (the filter then reads `$n IS NULL OR …`).
    pub fn ids(&self) -> Option<Vec<Uuid>> {
        match self {
            Self::All => None,
            Self::Only(shops) => Some(shops.iter().map(|s| s.0).collect()),
        }
    }
}

/// Where an actor's permission reaches: what [`Actor::require`] yields, and what every domain
/// operation filters by. The business always; within it, for vendor staff, their vendor, and for
/// someone bound to some shops, those shops.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scope {
    /// The business.
    pub tenant: TenantId,
    /// The vendor whose products and orders alone are reached, for vendor staff.
    pub vendor: Option<VendorId>,
    /// The locations reached.
    pub shops: Shops,
}

impl Scope {
    /// Refuses work that spans every location (an order, a customer) to someone bound to some
    /// of them.
    pub fn whole_business(&self, what: &str) -> Result<(), Error> {
        match self.shops {
            Shops::All => Ok(()),
            Shops::Only(_) => {
                Err(Error::Forbidden(format!("{what}: that spans every shop, and you are bound to some")))
            }
        }
    }

    /// Refuses work that only the marketplace's operator does (categories, the storefront's
    /// featured products, files of the whole catalog, holds and syncs) to a vendor's staff.
    pub fn operator_only(&self, what: &str) -> Result<(), Error> {
        match self.vendor {
            None => Ok(()),
            Some(_) => Err(Error::Forbidden(format!("{what}: the marketplace does that, not its vendors"))),
        }
    }

    /// The whole of one business: what its owner, an API client or a storefront visitor reaches.
    pub fn business(tenant: TenantId) -> Self {
        Self { tenant, vendor: None, shops: Shops::All }
    }

    /// `Forbidden` unless work at `location` is within reach; `permission` names the work.
    pub fn reach(&self, location: LocationId, permission: Permission) -> Result<(), Error> {
        if self.shops.reach(location) {
            Ok(())
        } else {
            Err(Error::Forbidden(format!("{} at that location", permission.label())))
        }
    }
}

impl Actor {
    /// The business this actor acts for, if any.
    pub fn tenant(&self) -> Option<TenantId> {
        match self {
            Self::Staff(member) => Some(member.tenant),
            Self::Visitor { tenant, .. } | Self::Shopper { tenant, .. } | Self::ApiClient { tenant, .. } => {
                Some(*tenant)
            }
            Self::PlatformAdmin { .. } => None,
        }
    }

    /// The person's, shopper's or API client's id, for the records they leave.
    pub fn id(&self) -> Uuid {
        match self {
            Self::Staff(member) => member.user,
            Self::Visitor { visit, .. } => *visit,
            Self::Shopper { shopper, .. } => *shopper,
            Self::ApiClient { client, .. } => *client,
            Self::PlatformAdmin { user, .. } => *user,
        }
    }

    /// Work the system does for a business on its own (a gateway reporting, a scheduled run),
    /// as the records name it: a client of the business's with no scope, so it can do nothing
    /// else.
    pub fn system(tenant: TenantId, name: &str) -> Self {
        Self::ApiClient {
            tenant,
            client: Uuid::nil(),
            name: name.to_owned(),
            scopes: Vec::new(),
            vendor: None,
            shops: Shops::All,
        }
    }

    /// The marketplace vendor this actor works for, if any: a vendor's staff member's, or a
    /// vendor's API client's. Such an actor is always on the vendor's side: work that has a
    /// vendor's side and the operator's takes the vendor's for it, and never falls through to
    /// the operator's.
    pub fn vendor(&self) -> Option<VendorId> {
        match self {
            Self::Staff(member) => member.vendor,
            Self::ApiClient { vendor, .. } => *vendor,
            _ => None,
        }
    }

    /// Whether this actor may do that.
    pub fn can(&self, permission: Permission) -> bool {
        match self {
            Self::Staff(member) => member.role.allows(permission),
            Self::ApiClient { scopes, vendor: None, .. } => {
                permission.api_scope().is_some_and(|needed| scopes.iter().any(|s| s.covers(needed)))
            }
            // A vendor's client may do what the vendor's staff may, as far as its scopes let
            // it: its own vendor's side of the marketplace (`UseVendorPortal`) with any scope of
            // the marketplace's, reading or changing as the request's own scope says.
            Self::ApiClient { scopes, vendor: Some(_), .. } => {
                Role::Vendor.allows(permission)
                    && match permission {
                        Permission::UseVendorPortal => scopes.iter().any(|s| s.module == ApiModule::Marketplace),
                        _ => permission.api_scope().is_some_and(|needed| scopes.iter().any(|s| s.covers(needed))),
                    }
            }
            Self::Visitor { .. } | Self::Shopper { .. } => permission == Permission::Buy,
            Self::PlatformAdmin { .. } => false,
        }
    }

    /// Where this actor may do that (the business, and within it their vendor and shops);
    /// `Forbidden` when they may not.
    pub fn require(&self, permission: Permission) -> Result<Scope, Error> {
        let refused = || Error::Forbidden(permission.label().to_owned());
        if !self.can(permission) {
            return Err(refused());
        }
        match self {
            Self::Staff(member) => {
                Ok(Scope { tenant: member.tenant, vendor: member.vendor, shops: member.shops.clone() })
            }
            Self::ApiClient { tenant, vendor, shops, .. } => {
                Ok(Scope { tenant: *tenant, vendor: *vendor, shops: shops.clone() })
            }
            Self::Visitor { tenant, .. } | Self::Shopper { tenant, .. } => Ok(Scope::business(*tenant)),
            Self::PlatformAdmin { .. } => Err(refused()),
        }
    }

    /// [`Actor::require`] for work at one location, which must be within the actor's reach.
    pub fn require_at(&self, permission: Permission, location: LocationId) -> Result<Scope, Error> {
        let scope = self.require(permission)?;
        scope.reach(location, permission)?;
        Ok(scope)
    }

    /// Whether this actor administers the platform.
    pub fn is_platform_admin(&self) -> bool {
        match self {
            Self::PlatformAdmin { .. } => true,
            Self::Staff(member) => member.platform_admin,
            _ => false,
        }
    }

    /// The time zone the actor's pages read times in: their business's, or UTC for those who
    /// act for no one business.
    pub fn zone(&self) -> super::Zone {
        match self {
            Self::Staff(member) => member.zone.clone(),
            _ => super::Zone("UTC".to_owned()),
        }
    }

    /// A name for the audit trail.
    pub fn label(&self) -> String {
        match self {
            Self::Staff(member) => format!("{} <{}>", member.name, member.email),
            Self::Visitor { visit, .. } => format!("storefront visitor {}", visit.simple()),
            Self::Shopper { name, .. } => format!("shopper {name}"),
            Self::ApiClient { name, .. } => format!("API client {name}"),
            Self::PlatformAdmin { name, .. } => format!("platform admin {name}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn staff(role: Role) -> Actor {
        Actor::Staff(StaffMember {
            user: Uuid::nil(),
            name: "Ada".into(),
            email: "ada@example.ng".into(),
            tenant: TenantId(Uuid::nil()),
            tenant_name: "Shop".into(),
            role,
            vendor: None,
            shops: Shops::All,
            platform_admin: false,
            zone: crate::base::Zone::default(),
        })
    }

    #[test]
    fn only_the_owner_manages_staff_and_api_clients() {
        for role in Role::ALL {
            let owner = role == Role::Owner;
            assert_eq!(staff(role).can(Permission::ManageStaff), owner, "{role:?}");
            assert_eq!(staff(role).can(Permission::ManageApiClients), owner, "{role:?}");
        }
    }

    #[test]
    fn a_cashier_may_sell_and_look_up_products_and_nothing_else() {
        let allowed: Vec<_> = Permission::ALL.into_iter().filter(|p| Role::Cashier.allows(*p)).collect();
        assert_eq!(allowed, [Permission::SellAtPos, Permission::ViewCatalog]);
        assert!(matches!(staff(Role::Cashier).require(Permission::ViewAudit), Err(Error::Forbidden(_))));
    }

    #[test]
    fn vendor_staff_use_the_vendor_portal_and_their_own_products_and_stock() {
        let allowed: Vec<_> = Permission::ALL.into_iter().filter(|p| Role::Vendor.allows(*p)).collect();
        assert_eq!(
            allowed,
            [
                Permission::UseVendorPortal,
                Permission::ViewCatalog,
                Permission::ManageCatalog,
                Permission::ViewCosts,
                Permission::ViewInventory,
                Permission::ManageInventory
            ]
        );
        assert_eq!(Shops::of_member(Role::Vendor, None), Shops::Only(Vec::new()), "no place is no stock");
        assert_eq!(Shops::of_member(Role::Manager, None), Shops::All);
    }

    #[test]
    fn an_accountant_reads_but_does_not_change_settings() {
        assert!(staff(Role::Accountant).can(Permission::ViewSettings));
        assert!(!staff(Role::Accountant).can(Permission::ManageSettings));
        assert!(staff(Role::Accountant).can(Permission::ViewAudit));
    }

    #[test]
    fn a_write_scope_includes_read_but_not_other_modules() {
        let client = Actor::ApiClient {
            tenant: TenantId(Uuid::nil()),
            client: Uuid::nil(),
            name: "ERP".into(),
            scopes: vec![ApiScope::parse("settings:write").unwrap()],
            vendor: None,
            shops: Shops::All,
        };
        assert!(client.can(Permission::ViewSettings));
        assert!(client.can(Permission::ManageSettings));
        assert!(!client.can(Permission::ViewAudit));
        assert!(!client.can(Permission::ManageStaff), "staff management is never delegated to a token");
    }

    #[test]
    fn a_vendor_s_client_reaches_what_the_vendor_s_staff_reach_as_far_as_its_scopes_go() {
        let vendor = VendorId(Uuid::from_u128(7));
        let place = LocationId(Uuid::from_u128(8));
        let client = |scopes: &[&str]| Actor::ApiClient {
            tenant: TenantId(Uuid::nil()),
            client: Uuid::nil(),
            name: "Shelf sync".into(),
            scopes: scopes.iter().map(|s| ApiScope::parse(s).unwrap()).collect(),
            vendor: Some(vendor),
            shops: Shops::Only(vec![place]),
        };
        let every = client(&[
            "dashboard:read",
            "settings:write",
            "staff:read",
            "audit:read",
            "products:write",
            "inventory:write",
            "orders:write",
            "marketplace:write",
        ]);
        let allowed: Vec<_> = Permission::ALL.into_iter().filter(|p| every.can(*p)).collect();
        let staff: Vec<_> = Permission::ALL.into_iter().filter(|p| Role::Vendor.allows(*p)).collect();
        assert_eq!(allowed, staff, "every scope given, a vendor's client still has only the vendor staff's work");
        let scope = every.require(Permission::ManageCatalog).unwrap();
        assert_eq!((scope.vendor, scope.shops), (Some(vendor), Shops::Only(vec![place])));
        assert_eq!(every.vendor(), Some(vendor));

        let products = client(&["products:read"]);
        assert!(products.can(Permission::ViewCatalog));
        assert!(!products.can(Permission::ManageCatalog));
        assert!(!products.can(Permission::UseVendorPortal), "its money and orders need a marketplace scope");
        assert!(client(&["marketplace:read"]).can(Permission::UseVendorPortal));
        assert!(!client(&["marketplace:write"]).can(Permission::ManageVendors), "never the operator's work");
    }

    #[test]
    fn scopes_parse_and_print_the_same() {
        for text in ["dashboard:read", "settings:write", "staff:read", "audit:read"] {
            assert_eq!(ApiScope::parse(text).map(|s| s.to_string()).as_deref(), Some(text));
        }
        assert_eq!(ApiScope::parse("settings:admin"), None);
        assert_eq!(ApiScope::parse("payroll:read"), None);
    }
}
