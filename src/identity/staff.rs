//! Staff: members of a business with their roles, invitations to join, and deactivation.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::base::{LocationId, Role, VendorId};

/// A member of staff, as the staff page lists them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffRow {
    /// The person.
    pub user: Uuid,
    /// Their name.
    pub name: String,
    /// Their email address.
    pub email: String,
    /// Their role.
    pub role: Role,
    /// For vendor staff, the vendor they work for.
    pub vendor: Option<VendorChoice>,
    /// The locations they are bound to, by name; empty when their work reaches every one.
    pub locations: Vec<Place>,
    /// Whether they may sign in.
    pub active: bool,
    /// When they joined.
    pub joined_at: DateTime<Utc>,
}

/// An invitation that has not been accepted yet.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invitation {
    /// Its id.
    pub id: Uuid,
    /// Who is invited.
    pub email: String,
    /// The role they will have.
    pub role: Role,
    /// For vendor staff, the vendor they will work for.
    pub vendor: Option<String>,
    /// When it was sent.
    pub created_at: DateTime<Utc>,
    /// When its link stops working.
    pub expires_at: DateTime<Utc>,
}

/// The staff page: members and open invitations.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffList {
    /// Members, owners first, then by name.
    pub members: Vec<StaffRow>,
    /// Invitations still open, newest first.
    pub invitations: Vec<Invitation>,
    /// The marketplace's vendors, whose staff can be invited too (none for a single shop).
    pub vendors: Vec<VendorChoice>,
    /// The business's locations, which members may be bound to.
    pub locations: Vec<Place>,
}

/// A vendor of the marketplace, as a choice in a form.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VendorChoice {
    /// Its id.
    pub id: VendorId,
    /// Its name.
    pub name: String,
}

/// A location as a form offers it, and as a member's binding names it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Place {
    /// Its id.
    pub id: LocationId,
    /// Its name.
    pub name: String,
}

/// A role as a form offers it: a staff role, or staff of one vendor.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleChoice {
    /// The role.
    pub role: Role,
    /// The vendor, for vendor staff (and only for them).
    pub vendor: Option<VendorId>,
}

impl RoleChoice {
    /// The staff roles a business offers, most common first.
    pub const STAFF: [Role; 4] = [Role::Cashier, Role::Manager, Role::Accountant, Role::Owner];

    /// The value a form sends: the role's code, or `vendor:<id>`.
    pub fn code(self) -> String {
        match self.vendor {
            Some(vendor) => format!("vendor:{}", vendor.0),
            None => self.role.code().to_owned(),
        }
    }

    /// Reads a form's value back; `None` when it names no role (or a vendor without an id).
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().split_once(':') {
            Some(("vendor", id)) => {
                uuid::Uuid::parse_str(id).ok().map(|id| Self { role: Role::Vendor, vendor: Some(VendorId(id)) })
            }
            Some(_) => None,
            None => Role::from_code(text.trim()).filter(|r| *r != Role::Vendor).map(|role| Self { role, vendor: None }),
        }
    }
}

/// Which members a list asks for.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffQuery {
    /// Only this role.
    pub role: Option<Role>,
    /// Only those who may (or may not) sign in.
    pub active: Option<bool>,
}

/// What an invitation link shows before it is accepted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationPreview {
    /// The business.
    pub business: String,
    /// Who is invited.
    pub email: String,
    /// The role offered.
    pub role: Role,
}

/// A vendor's own staff, as its portal shows them to them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VendorTeam {
    /// Its members, its owner first.
    pub members: Vec<TeamMember>,
    /// Invitations not yet accepted.
    pub invitations: Vec<Invitation>,
    /// Whether the one looking may invite (the vendor's owner).
    pub may_invite: bool,
}

/// A member of a vendor's staff.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamMember {
    /// Their name.
    pub name: String,
    /// Their email address.
    pub email: String,
    /// Whether they own the vendor.
    pub owner: bool,
    /// Whether they may sign in.
    pub active: bool,
    /// When they joined.
    pub joined_at: DateTime<Utc>,
}

#[cfg(feature = "server")]
pub use server::{
    accept_invitation, bind_locations, bind_locations_in, change_role, change_role_in, invitation_preview, invite,
    invite_vendor_staff, list_staff, owns_vendor, resend_invitation, revoke_invitation, revoke_invitation_in,
    set_active, set_active_in, staff_page, vendor_team,
};

#[cfg(feature = "server")]
mod server {
    use chrono::Utc;
    use serde_json::json;
    use uuid::Uuid;

    use super::super::login::{LoggedIn, email_is_plausible};
    use super::super::session::{self, ClientInfo};
    use super::super::{outbox, password, token};
    use super::{
        Invitation, InvitationPreview, Place, RoleChoice, StaffList, StaffQuery, StaffRow, TeamMember, VendorChoice,
        VendorTeam,
    };
    use crate::audit::{self, Change};
    use crate::base::{Actor, LocationId, Permission, Role, Scope, Shops, StaffMember, TenantId, VendorId};
    use crate::db::tenant_tx;
    use crate::idempotency::{self, Once};
    use crate::mail::{self, Letter, Mail};
    use crate::throttle::{self, Limit};
    use crate::{Clash, Error};

    /// How long an invitation link works.
    const INVITATION_DAYS: i32 = 7;
    /// Invitations a business may send each hour: enough for a shop taking on staff, too few to
    /// probe addresses by the hundred.
    const INVITATIONS: Limit = Limit { limit: 30, window_seconds: 3600 };

    const VENDOR_SCOPE: &str = "vendor staff work for one vendor; other roles for none";
    const NOT_A_VENDOR: &str = "choose one of the marketplace's vendors";

    /// Members and open invitations of the actor's business.
    pub async fn list_staff(db: &sqlx::PgPool, actor: &Actor) -> Result<StaffList, Error> {
        let tenant = actor.require(Permission::ViewStaff)?.tenant;
        let mut tx = tenant_tx(db, tenant).await?;
        let mut members = members(&mut tx, tenant, &StaffQuery::default(), None, i64::MAX).await?;
        members.sort_by_key(|m| m.role != Role::Owner);
        let invitations = sqlx::query!(
            r#"SELECT i.id, i.email, i.role, v.name AS "vendor?", i.created_at, i.expires_at
                 FROM invitations i LEFT JOIN vendors v ON v.tenant_id = i.tenant_id AND v.id = i.vendor_id
                WHERE i.tenant_id = $1 AND i.accepted_at IS NULL AND i.revoked_at IS NULL AND i.expires_at > now()
                ORDER BY i.created_at DESC, i.id DESC"#,
            tenant.0
        )
        .fetch_all(&mut *tx)
        .await?
        .into_iter()
        .filter_map(|r| {
            Some(Invitation {
                id: r.id,
                email: r.email,
                role: Role::from_code(&r.role)?,
                vendor: r.vendor,
                created_at: r.created_at,
                expires_at: r.expires_at,
            })
        })
        .collect();
        let vendors = sqlx::query!(
            "SELECT id, name FROM vendors WHERE tenant_id = $1 AND status NOT IN ('suspended', 'rejected') ORDER BY name, id",
            tenant.0
        )
        .fetch_all(&mut *tx)
        .await?
        .into_iter()
        .map(|r| VendorChoice { id: VendorId(r.id), name: r.name })
        .collect();
        let locations = sqlx::query!("SELECT id, name FROM locations WHERE tenant_id = $1 ORDER BY name, id", tenant.0)
            .fetch_all(&mut *tx)
            .await?
            .into_iter()
            .map(|r| Place { id: LocationId(r.id), name: r.name })
            .collect();
        tx.commit().await?;
        Ok(StaffList { members, invitations, vendors, locations })
    }

    /// Members by name, a page at a time: those after `after` (name, id), at most `limit`.
    pub async fn staff_page(
        db: &sqlx::PgPool,
        actor: &Actor,
        query: &StaffQuery,
        after: Option<(String, Uuid)>,
        limit: i64,
    ) -> Result<Vec<StaffRow>, Error> {
        let tenant = actor.require(Permission::ViewStaff)?.tenant;
        let mut tx = tenant_tx(db, tenant).await?;
        let page = members(&mut tx, tenant, query, after, limit).await?;
        tx.commit().await?;
        Ok(page)
    }

    async fn members(
        tx: &mut sqlx::PgConnection,
        tenant: TenantId,
        query: &StaffQuery,
        after: Option<(String, Uuid)>,
        limit: i64,
    ) -> Result<Vec<StaffRow>, Error> {
        let (after_name, after_id) = after.unzip();
        let rows = sqlx::query!(
            r#"SELECT m.user_id, u.name, u.email, m.role, m.vendor_id, v.name AS "vendor?", m.active, m.created_at,
                      coalesce((SELECT jsonb_agg(jsonb_build_array(l.id, l.name) ORDER BY l.name, l.id)
                                  FROM membership_locations ml
                                  JOIN locations l ON l.tenant_id = ml.tenant_id AND l.id = ml.location_id
                                 WHERE ml.tenant_id = m.tenant_id AND ml.user_id = m.user_id), '[]') AS "locations!"
                 FROM memberships m JOIN users u ON u.id = m.user_id
                 LEFT JOIN vendors v ON v.tenant_id = m.tenant_id AND v.id = m.vendor_id
                WHERE m.tenant_id = $1
                  AND ($2::text IS NULL OR m.role = $2)
                  AND ($3::boolean IS NULL OR m.active = $3)
                  AND ($4::text IS NULL OR (u.name, m.user_id) > ($4, $5))
                ORDER BY u.name, m.user_id
                LIMIT $6"#,
            tenant.0,
            query.role.map(Role::code),
            query.active,
            after_name,
            after_id,
            limit,
        )
        .fetch_all(&mut *tx)
        .await?;
        Ok(rows
            .into_iter()
            .filter_map(|r| {
                Some(StaffRow {
                    user: r.user_id,
                    name: r.name,
                    email: r.email,
                    role: Role::from_code(&r.role)?,
                    vendor: r.vendor_id.zip(r.vendor).map(|(id, name)| VendorChoice { id: VendorId(id), name }),
                    locations: serde_json::from_value::<Vec<(Uuid, String)>>(r.locations)
                        .ok()?
                        .into_iter()
                        .map(|(id, name)| Place { id: LocationId(id), name })
                        .collect(),
                    active: r.active,
                    joined_at: r.created_at,
                })
            })
            .collect())
    }

    /// Invites someone to join the business with a role; returns the link that lets them in, to
    /// be shown once to whoever invited, and mails it to the person invited. The business's
    /// outbox keeps the invitation without its link. With `once`, a second request with the same
    /// key invites no one again and mails nothing: it answers `None`, since the link is kept
    /// nowhere and was shown to the first request.
    pub async fn invite(
        db: &sqlx::PgPool,
        mail: &Mail,
        actor: &Actor,
        email: &str,
        choice: RoleChoice,
        base_url: &str,
        once: Option<&Once>,
    ) -> Result<Option<String>, Error> {
        let tenant = actor.require(Permission::ManageStaff)?.tenant;
        let email = email.trim();
        if !email_is_plausible(email) {
            return Err(Error::invalid("email", "enter an email address such as ada@example.ng"));
        }
        if (choice.role == Role::Vendor) != choice.vendor.is_some() {
            return Err(Error::invalid("role", VENDOR_SCOPE));
        }
        throttle::hit(db, &[(format!("invite:business:{}", tenant.0), INVITATIONS)]).await?;
        let mut made = None;
        idempotency::run(db, tenant, once, async |tx| {
            let (id, link, letter) = invite_in(tx, actor, tenant, email, choice, base_url).await?;
            made = Some((link, letter));
            Ok(id)
        })
        .await?;
        Ok(post_invitation(mail, made).await)
    }

    /// The actor's own vendor's staff and open invitations (a vendor's staff see their own team
    /// alone), and whether the actor may invite more: the vendor's owner may.
    pub async fn vendor_team(db: &sqlx::PgPool, actor: &Actor) -> Result<VendorTeam, Error> {
        let (tenant, vendor, user) = vendor_staff_member(actor)?;
        let mut tx = tenant_tx(db, tenant).await?;
        let members: Vec<TeamMember> = sqlx::query!(
            "SELECT u.name, u.email, m.vendor_owner, m.active, m.created_at
               FROM memberships m JOIN users u ON u.id = m.user_id
              WHERE m.tenant_id = $1 AND m.vendor_id = $2
              ORDER BY m.vendor_owner DESC, u.name, u.id",
            tenant.0,
            vendor.0
        )
        .fetch_all(&mut *tx)
        .await?
        .into_iter()
        .map(|r| TeamMember {
            name: r.name,
            email: r.email,
            owner: r.vendor_owner,
            active: r.active,
            joined_at: r.created_at,
        })
        .collect();
        let invitations = sqlx::query!(
            "SELECT id, email, created_at, expires_at FROM invitations
              WHERE tenant_id = $1 AND vendor_id = $2 AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > now()
              ORDER BY created_at DESC, id DESC",
            tenant.0,
            vendor.0
        )
        .fetch_all(&mut *tx)
        .await?
        .into_iter()
        .map(|r| Invitation {
            id: r.id,
            email: r.email,
            role: Role::Vendor,
            vendor: None,
            created_at: r.created_at,
            expires_at: r.expires_at,
        })
        .collect();
        let may_invite = owns_vendor(&mut tx, tenant, user).await?;
        tx.commit().await?;
        Ok(VendorTeam { members, invitations, may_invite })
    }

    /// Invites someone to the actor's own vendor's staff: only the vendor's owner may. The link
    /// is mailed, and answered once, as [`invite`] does.
    pub async fn invite_vendor_staff(
        db: &sqlx::PgPool,
        mail: &Mail,
        actor: &Actor,
        email: &str,
        base_url: &str,
        once: Option<&Once>,
    ) -> Result<Option<String>, Error> {
        let (tenant, vendor, user) = vendor_staff_member(actor)?;
        let email = email.trim();
        if !email_is_plausible(email) {
            return Err(Error::invalid("email", "enter an email address such as ada@example.ng"));
        }
        throttle::hit(db, &[(format!("invite:business:{}", tenant.0), INVITATIONS)]).await?;
        let mut made = None;
        let choice = RoleChoice { role: Role::Vendor, vendor: Some(vendor) };
        idempotency::run(db, tenant, once, async |tx| {
            if !owns_vendor(tx, tenant, user).await? {
                return Err(Error::Forbidden("invite the vendor's staff: its owner does that".to_owned()));
            }
            let (id, link, letter) = invite_in(tx, actor, tenant, email, choice, base_url).await?;
            made = Some((link, letter));
            Ok(id)
        })
        .await?;
        Ok(post_invitation(mail, made).await)
    }

    /// The business, vendor and person of a vendor's staff member; `Forbidden` for anyone else.
    fn vendor_staff_member(actor: &Actor) -> Result<(TenantId, VendorId, Uuid), Error> {
        let scope = actor.require(Permission::UseVendorPortal)?;
        match (scope.vendor, actor) {
            (Some(vendor), Actor::Staff(member)) => Ok((scope.tenant, vendor, member.user)),
            _ => Err(Error::Forbidden(Permission::UseVendorPortal.label().to_owned())),
        }
    }

    /// Whether this person owns their vendor (and may still sign in).
    pub async fn owns_vendor(tx: &mut sqlx::PgConnection, tenant: TenantId, user: Uuid) -> Result<bool, Error> {
        let owner = sqlx::query_scalar!(
            "SELECT vendor_owner FROM memberships WHERE tenant_id = $1 AND user_id = $2 AND active",
            tenant.0,
            user
        )
        .fetch_optional(&mut *tx)
        .await?;
        Ok(owner.unwrap_or(false))
    }

    /// Mails an invitation just made and answers its link; `None` when none was made (the
    /// request repeated an earlier one).
    async fn post_invitation(mail: &Mail, made: Option<(String, Letter)>) -> Option<String> {
        let (link, letter) = made?;
        mail::post(mail, letter).await;
        Some(link)
    }

    /// The step of [`invite`] in the caller's transaction: withdraws any open invitation of the
    /// same address and makes the new one; answers its id, its link and the letter to post once
    /// the transaction has committed.
    async fn invite_in(
        tx: &mut sqlx::PgConnection,
        actor: &Actor,
        tenant: TenantId,
        email: &str,
        choice: RoleChoice,
        base_url: &str,
    ) -> Result<(Uuid, String, Letter), Error> {
        let RoleChoice { role, vendor } = choice;
        let secret = token::new_secret()?;
        let already = sqlx::query_scalar!(
            r#"SELECT EXISTS (SELECT 1 FROM memberships m JOIN users u ON u.id = m.user_id
                              WHERE m.tenant_id = $1 AND lower(u.email) = lower($2) AND m.active) AS "exists!""#,
            tenant.0,
            email
        )
        .fetch_one(&mut *tx)
        .await?;
        if already {
            return Err(Error::invalid("email", "this person is already a member of staff"));
        }
        sqlx::query!(
            "UPDATE invitations SET revoked_at = now()
              WHERE tenant_id = $1 AND lower(email) = lower($2) AND accepted_at IS NULL AND revoked_at IS NULL",
            tenant.0,
            email
        )
        .execute(&mut *tx)
        .await?;
        let id = Uuid::now_v7();
        let inviter = match actor {
            Actor::Staff(member) => member.user,
            _ => return Err(Error::Forbidden(Permission::ManageStaff.label().into())),
        };
        sqlx::query!(
            "INSERT INTO invitations (tenant_id, id, email, role, vendor_id, token_hash, invited_by, expires_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, now() + make_interval(days => $8))",
            tenant.0,
            id,
            email,
            role.code(),
            vendor.map(|v| v.0),
            secret.hash,
            inviter,
            INVITATION_DAYS,
        )
        .execute(&mut *tx)
        .await
        .map_err(|e| crate::db::field_error(e, "invitations_tenant_id_vendor_id_fkey", "role", NOT_A_VENDOR))?;
        let link = format!("{}/admin/invite/{}", base_url.trim_end_matches('/'), secret.text);
        let business = match actor {
            Actor::Staff(member) => member.tenant_name.clone(),
            _ => String::new(),
        };
        let subject = format!("You are invited to {business} on SC-1");
        let offer = format!("{} invites you to join {business} as {}.", actor.label(), role.label().to_lowercase());
        let kept = format!(
            "{offer}\n\nThe link to accept, valid for {INVITATION_DAYS} days, was shown once to {} and mailed to {email}; \
             it is not kept here.\n",
            actor.label()
        );
        outbox::queue(&mut *tx, tenant, email, &subject, &kept).await?;
        audit::record(
            tx,
            tenant,
            actor,
            Change {
                entity: "invitation",
                entity_id: id.to_string(),
                action: "created",
                before: None,
                after: Some(json!({ "email": email, "role": role.code(), "vendor": vendor.map(|v| v.0) })),
            },
        )
        .await?;
        let body = format!("{offer}\n\nAccept within {INVITATION_DAYS} days: {link}\n");
        Ok((id, link, Letter { to: email.to_owned(), subject, body }))
    }

    /// Sends an invitation that has not been accepted again, with a new link valid for another
    /// [`INVITATION_DAYS`] days (the old link stops working); answers the link, as [`invite`]
    /// does, `once` included. An expired invitation can be sent again too.
    pub async fn resend_invitation(
        db: &sqlx::PgPool,
        mail: &Mail,
        actor: &Actor,
        id: Uuid,
        base_url: &str,
        once: Option<&Once>,
    ) -> Result<Option<String>, Error> {
        let tenant = actor.require(Permission::ManageStaff)?.tenant;
        throttle::hit(db, &[(format!("invite:business:{}", tenant.0), INVITATIONS)]).await?;
        let mut made = None;
        idempotency::run(db, tenant, once, async |tx| {
            let row = sqlx::query!(
                "SELECT email, role, vendor_id FROM invitations
                  WHERE tenant_id = $1 AND id = $2 AND accepted_at IS NULL AND revoked_at IS NULL FOR UPDATE",
                tenant.0,
                id
            )
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| Error::not_found("invitation"))?;
            let choice = RoleChoice {
                role: Role::from_code(&row.role).ok_or(Error::Internal)?,
                vendor: row.vendor_id.map(VendorId),
            };
            // Inviting the same address again withdraws the open invitation in the same
            // transaction, so exactly one link works afterwards.
            let (id, link, letter) = invite_in(tx, actor, tenant, &row.email, choice, base_url).await?;
            made = Some((link, letter));
            Ok(id)
        })
        .await?;
        Ok(post_invitation(mail, made).await)
    }

    /// Withdraws an invitation that has not been accepted: its link stops working at once.
    /// With `once`, a second request with the same key answers the first and changes nothing more.
    pub async fn revoke_invitation(
        db: &sqlx::PgPool,
        actor: &Actor,
        id: Uuid,
        once: Option<&Once>,
    ) -> Result<(), Error> {
        let scope = actor.require(Permission::ManageStaff)?;
        idempotency::run(db, scope.tenant, once, async |tx| revoke_invitation_in(tx, &scope, actor, id).await).await
    }

    /// The step of [`revoke_invitation`], in the caller's transaction, for `scope` (its
    /// permission already required).
    pub async fn revoke_invitation_in(
        tx: &mut sqlx::PgConnection,
        scope: &Scope,
        actor: &Actor,
        id: Uuid,
    ) -> Result<(), Error> {
        let tenant = scope.tenant;
        let email = sqlx::query_scalar!(
            "UPDATE invitations SET revoked_at = now()
              WHERE tenant_id = $1 AND id = $2 AND accepted_at IS NULL AND revoked_at IS NULL
             RETURNING email",
            tenant.0,
            id
        )
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| Error::not_found("invitation"))?;
        let change = Change {
            entity: "invitation",
            entity_id: id.to_string(),
            action: "revoked",
            before: Some(json!({ "email": email })),
            after: None,
        };
        audit::record(tx, tenant, actor, change).await
    }

    struct OpenInvitation {
        tenant: TenantId,
        id: Uuid,
        email: String,
        role: Role,
        vendor: Option<VendorId>,
    }

    async fn open_invitation(db: &sqlx::PgPool, token_text: &str) -> Result<OpenInvitation, Error> {
        let gone = || Error::not_found("invitation (the link may have expired or been used)");
        let row = sqlx::query!(
            r#"SELECT tenant_id AS "tenant_id!", id AS "id!", email AS "email!", role AS "role!", vendor_id,
                      expires_at AS "expires_at!", accepted_at, revoked_at
                 FROM invitation_by_token($1)"#,
            token::hash(token_text)
        )
        .fetch_optional(db)
        .await?
        .ok_or_else(gone)?;
        if row.accepted_at.is_some() || row.revoked_at.is_some() || row.expires_at <= Utc::now() {
            return Err(gone());
        }
        Ok(OpenInvitation {
            tenant: TenantId(row.tenant_id),
            id: row.id,
            email: row.email,
            role: Role::from_code(&row.role).ok_or(Error::Internal)?,
            vendor: row.vendor_id.map(VendorId),
        })
    }

    /// What an invitation link offers, before it is accepted.
    pub async fn invitation_preview(db: &sqlx::PgPool, token_text: &str) -> Result<InvitationPreview, Error> {
        let invitation = open_invitation(db, token_text).await?;
        let business =
            sqlx::query_scalar!("SELECT name FROM tenants WHERE id = $1", invitation.tenant.0).fetch_one(db).await?;
        Ok(InvitationPreview { business, email: invitation.email, role: invitation.role })
    }

    /// Accepts an invitation and signs the person in to the business. Someone new chooses a
    /// name and password here; someone who already has an account must be signed in to it
    /// (`signed_in`): no password is checked here, so an invitation is never a way to guess one.
    pub async fn accept_invitation(
        db: &sqlx::PgPool,
        token_text: &str,
        signed_in: Option<&Actor>,
        name: &str,
        new_password: &str,
        client: &ClientInfo,
    ) -> Result<LoggedIn, Error> {
        let invitation = open_invitation(db, token_text).await?;
        let existing = sqlx::query!(
            "SELECT id, name, is_platform_admin FROM users WHERE lower(email) = lower($1)",
            invitation.email
        )
        .fetch_optional(db)
        .await?;
        let signed_in_user = match signed_in {
            Some(Actor::Staff(member)) => Some(member.user),
            Some(Actor::PlatformAdmin { user, .. }) => Some(*user),
            _ => None,
        };
        let (user, name, platform_admin, new_hash) = if let Some(user) = existing {
            if signed_in_user != Some(user.id) {
                return Err(Error::Unauthorized(format!(
                    "To join with an existing account, sign in as {} first, then open this link again.",
                    invitation.email
                )));
            }
            (user.id, user.name, user.is_platform_admin, None)
        } else {
            let name = name.trim();
            if name.is_empty() || name.chars().count() > 120 {
                return Err(Error::invalid("name", "enter your name (at most 120 characters)"));
            }
            password::check_new(new_password, &invitation.email, "password")?;
            (Uuid::now_v7(), name.to_owned(), false, Some(password::hash(new_password.to_owned()).await?))
        };
        let mut tx = tenant_tx(db, invitation.tenant).await?;
        if let Some(hash) = new_hash {
            sqlx::query!(
                "INSERT INTO users (id, email, name, password_hash) VALUES ($1, $2, $3, $4)",
                user,
                invitation.email,
                name,
                hash
            )
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query!(
            "INSERT INTO memberships (tenant_id, user_id, role, vendor_id) VALUES ($1, $2, $3, $4)
             ON CONFLICT (tenant_id, user_id) DO UPDATE SET role = excluded.role, vendor_id = excluded.vendor_id, active = true",
            invitation.tenant.0,
            user,
            invitation.role.code(),
            invitation.vendor.map(|v| v.0),
        )
        .execute(&mut *tx)
        .await?;
        let accepted = sqlx::query!(
            "UPDATE invitations SET accepted_at = now()
              WHERE tenant_id = $1 AND id = $2 AND accepted_at IS NULL AND revoked_at IS NULL",
            invitation.tenant.0,
            invitation.id
        )
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if accepted == 0 {
            return Err(Error::not_found("invitation (the link may have expired or been used)"));
        }
        let tenant_name = sqlx::query_scalar!("SELECT name FROM tenants WHERE id = $1", invitation.tenant.0)
            .fetch_one(&mut *tx)
            .await?;
        let actor = Actor::Staff(StaffMember {
            user,
            name,
            email: invitation.email.clone(),
            tenant: invitation.tenant,
            tenant_name,
            role: invitation.role,
            vendor: invitation.vendor,
            // For the record alone: the session the person now signs in with finds their places.
            shops: Shops::of_member(invitation.role, None),
            platform_admin,
            zone: crate::base::Zone::default(),
        });
        audit::record(
            &mut tx,
            invitation.tenant,
            &actor,
            Change {
                entity: "staff",
                entity_id: user.to_string(),
                action: "joined",
                before: None,
                after: Some(json!({ "email": invitation.email, "role": invitation.role.code() })),
            },
        )
        .await?;
        tx.commit().await?;
        let started = session::start_for_user(db, user, Some(invitation.tenant), client).await?;
        Ok(LoggedIn { cookie_value: started.cookie_value, home: invitation.role.home(), actor })
    }

    /// Gives a member another role (or makes them staff of another vendor). Never one's own
    /// role, and never the last active owner's; the change applies from their next request.
    /// With `once`, a second request with the same key answers the first and changes nothing more.
    pub async fn change_role(
        db: &sqlx::PgPool,
        actor: &Actor,
        user: Uuid,
        choice: RoleChoice,
        once: Option<&Once>,
    ) -> Result<(), Error> {
        let scope = actor.require(Permission::ManageStaff)?;
        idempotency::run(db, scope.tenant, once, async |tx| change_role_in(tx, &scope, actor, user, choice).await).await
    }

    /// The step of [`change_role`], in the caller's transaction, for `scope` (its permission
    /// already required); `actor` is who changes it.
    pub async fn change_role_in(
        tx: &mut sqlx::PgConnection,
        scope: &Scope,
        actor: &Actor,
        user: Uuid,
        choice: RoleChoice,
    ) -> Result<(), Error> {
        let tenant = scope.tenant;
        if matches!(actor, Actor::Staff(me) if me.user == user) {
            return Err(Error::conflict(Clash::OwnAccount, "You cannot change your own role."));
        }
        let RoleChoice { role, vendor } = choice;
        if (role == Role::Vendor) != vendor.is_some() {
            return Err(Error::invalid("role", VENDOR_SCOPE));
        }
        let before = lock_member(tx, tenant, user).await?;
        if before.role == role.code() && before.vendor_id == vendor.map(|v| v.0) {
            return Ok(());
        }
        if before.role == "owner" && before.active {
            ensure_another_owner(tx, tenant).await?;
        }
        sqlx::query!(
            "UPDATE memberships SET role = $3, vendor_id = $4 WHERE tenant_id = $1 AND user_id = $2",
            tenant.0,
            user,
            role.code(),
            vendor.map(|v| v.0)
        )
        .execute(&mut *tx)
        .await
        .map_err(|e| crate::db::field_error(e, "memberships_tenant_id_vendor_id_fkey", "role", NOT_A_VENDOR))?;
        if role == Role::Owner {
            // An owner runs every location.
            sqlx::query!("DELETE FROM membership_locations WHERE tenant_id = $1 AND user_id = $2", tenant.0, user)
                .execute(&mut *tx)
                .await?;
        }
        audit::record(
            tx,
            tenant,
            actor,
            Change {
                entity: "staff",
                entity_id: user.to_string(),
                action: "role changed",
                before: Some(json!({ "role": before.role, "vendor": before.vendor_id })),
                after: Some(json!({ "role": role.code(), "vendor": vendor.map(|v| v.0) })),
            },
        )
        .await?;
        Ok(())
    }

    /// Binds a member to some of the business's locations, so that their work (selling, stock)
    /// reaches those alone; no locations unbinds them, to reach every one. Owners run the whole
    /// business and are never bound. The change applies from their next request.
    /// With `once`, a second request with the same key answers the first and changes nothing more.
    pub async fn bind_locations(
        db: &sqlx::PgPool,
        actor: &Actor,
        user: Uuid,
        locations: &[LocationId],
        once: Option<&Once>,
    ) -> Result<(), Error> {
        let scope = actor.require(Permission::ManageStaff)?;
        idempotency::run(db, scope.tenant, once, async |tx| bind_locations_in(tx, &scope, actor, user, locations).await)
            .await
    }

    /// The step of [`bind_locations`], in the caller's transaction, for `scope` (its permission
    /// already required).
    pub async fn bind_locations_in(
        tx: &mut sqlx::PgConnection,
        scope: &Scope,
        actor: &Actor,
        user: Uuid,
        locations: &[LocationId],
    ) -> Result<(), Error> {
        let tenant = scope.tenant;
        let mut wanted: Vec<Uuid> = locations.iter().map(|l| l.0).collect();
        wanted.sort_unstable();
        wanted.dedup();
        let role = lock_member(tx, tenant, user).await?.role;
        if role == Role::Owner.code() && !wanted.is_empty() {
            return Err(Error::invalid("locations", "an owner runs every location and cannot be bound to some"));
        }
        let known = sqlx::query_scalar!(
            r#"SELECT count(*) AS "n!" FROM locations WHERE tenant_id = $1 AND id = ANY($2)"#,
            tenant.0,
            &wanted
        )
        .fetch_one(&mut *tx)
        .await?;
        if usize::try_from(known).ok() != Some(wanted.len()) {
            return Err(Error::invalid("locations", "choose among the business's own locations"));
        }
        let before = sqlx::query_scalar!(
            r#"DELETE FROM membership_locations WHERE tenant_id = $1 AND user_id = $2 RETURNING location_id"#,
            tenant.0,
            user
        )
        .fetch_all(&mut *tx)
        .await?;
        sqlx::query!(
            "INSERT INTO membership_locations (tenant_id, user_id, location_id)
             SELECT $1, $2, unnest($3::uuid[])",
            tenant.0,
            user,
            &wanted
        )
        .execute(&mut *tx)
        .await?;
        let mut before = before;
        before.sort_unstable();
        if before != wanted {
            audit::record(
                tx,
                tenant,
                actor,
                Change {
                    entity: "staff",
                    entity_id: user.to_string(),
                    action: "locations changed",
                    before: Some(json!({ "locations": before })),
                    after: Some(json!({ "locations": wanted })),
                },
            )
            .await?;
        }
        Ok(())
    }

    /// A member's row as a change reads it before making it.
    struct Member {
        role: String,
        vendor_id: Option<Uuid>,
        active: bool,
    }

    /// Reads a member of the business and locks their row until the transaction ends, so that
    /// two changes to one person go one after the other; `NotFound` for anyone else.
    async fn lock_member(tx: &mut sqlx::PgConnection, tenant: TenantId, user: Uuid) -> Result<Member, Error> {
        sqlx::query_as!(
            Member,
            "SELECT role, vendor_id, active FROM memberships WHERE tenant_id = $1 AND user_id = $2 FOR UPDATE",
            tenant.0,
            user
        )
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| Error::not_found("member of staff"))
    }

    /// Refuses a change that would leave the business without an active owner. The owners' rows
    /// stay locked until the change commits, so two owners demoting each other at the same
    /// moment cannot both succeed.
    async fn ensure_another_owner(tx: &mut sqlx::PgConnection, tenant: TenantId) -> Result<(), Error> {
        let owners = sqlx::query_scalar!(
            "SELECT user_id FROM memberships WHERE tenant_id = $1 AND role = 'owner' AND active FOR UPDATE",
            tenant.0
        )
        .fetch_all(&mut *tx)
        .await?;
        if owners.len() <= 1 {
            return Err(Error::conflict(Clash::LastOwner, "A business needs at least one active owner."));
        }
        Ok(())
    }

    /// Lets a member sign in again, or stops them (ending their sessions in this business).
    /// With `once`, a second request with the same key answers the first and changes nothing more.
    pub async fn set_active(
        db: &sqlx::PgPool,
        actor: &Actor,
        user: Uuid,
        active: bool,
        once: Option<&Once>,
    ) -> Result<(), Error> {
        let scope = actor.require(Permission::ManageStaff)?;
        idempotency::run(db, scope.tenant, once, async |tx| set_active_in(tx, &scope, actor, user, active).await).await
    }

    /// The step of [`set_active`], in the caller's transaction, for `scope` (its permission
    /// already required).
    pub async fn set_active_in(
        tx: &mut sqlx::PgConnection,
        scope: &Scope,
        actor: &Actor,
        user: Uuid,
        active: bool,
    ) -> Result<(), Error> {
        let tenant = scope.tenant;
        if matches!(actor, Actor::Staff(me) if me.user == user) {
            return Err(Error::conflict(Clash::OwnAccount, "You cannot deactivate yourself."));
        }
        let before = lock_member(tx, tenant, user).await?;
        if before.active == active {
            return Ok(());
        }
        if !active && before.role == "owner" {
            ensure_another_owner(tx, tenant).await?;
        }
        sqlx::query!(
            "UPDATE memberships SET active = $3 WHERE tenant_id = $1 AND user_id = $2",
            tenant.0,
            user,
            active
        )
        .execute(&mut *tx)
        .await?;
        if !active {
            sqlx::query!("DELETE FROM sessions WHERE user_id = $1 AND tenant_id = $2", user, tenant.0)
                .execute(&mut *tx)
                .await?;
        }
        audit::record(
            tx,
            tenant,
            actor,
            Change {
                entity: "staff",
                entity_id: user.to_string(),
                action: if active { "reactivated" } else { "deactivated" },
                before: Some(json!({ "active": before.active })),
                after: Some(json!({ "active": active })),
            },
        )
        .await?;
        Ok(())
    }
}
