//! Staff: members of a business with their roles, invitations to join, and deactivation.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::Role;

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
    /// Whether that email already has an account (then its password is asked, not a new one).
    pub has_account: bool,
}

#[cfg(feature = "server")]
pub use server::{accept_invitation, invitation_preview, invite, list_staff, set_active};

#[cfg(feature = "server")]
mod server {
    use chrono::Utc;
    use serde_json::json;
    use uuid::Uuid;

    use super::super::login::{LoggedIn, email_is_plausible, user_by_email};
    use super::super::session::{self, ClientInfo};
    use super::super::{Actor, Permission, Role, StaffMember, TenantId, VendorId, outbox, password, token};
    use super::{Invitation, InvitationPreview, StaffList, StaffRow};
    use crate::Error;
    use crate::audit::{self, Change};
    use crate::db::tenant_tx;

    /// How long an invitation link works.
    const INVITATION_DAYS: i32 = 7;

    /// Members and open invitations of the actor's business.
    pub async fn list_staff(db: &sqlx::PgPool, actor: &Actor) -> Result<StaffList, Error> {
        let tenant = actor.require(Permission::ViewStaff)?;
        let mut tx = tenant_tx(db, tenant).await?;
        let members = sqlx::query!(
            "SELECT m.user_id, u.name, u.email, m.role, m.active, m.created_at
               FROM memberships m JOIN users u ON u.id = m.user_id
              WHERE m.tenant_id = $1
              ORDER BY m.role = 'owner' DESC, u.name, m.user_id",
            tenant.0
        )
        .fetch_all(&mut *tx)
        .await?
        .into_iter()
        .filter_map(|r| {
            Some(StaffRow {
                user: r.user_id,
                name: r.name,
                email: r.email,
                role: Role::from_code(&r.role)?,
                active: r.active,
                joined_at: r.created_at,
            })
        })
        .collect();
        let invitations = sqlx::query!(
            "SELECT id, email, role, created_at, expires_at FROM invitations
              WHERE tenant_id = $1 AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > now()
              ORDER BY created_at DESC, id DESC",
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
                created_at: r.created_at,
                expires_at: r.expires_at,
            })
        })
        .collect();
        tx.commit().await?;
        Ok(StaffList { members, invitations })
    }

    /// Invites someone to join the business with a role; returns the link that lets them in,
    /// which is also queued as an email.
    pub async fn invite(
        db: &sqlx::PgPool,
        actor: &Actor,
        email: &str,
        role: Role,
        vendor: Option<VendorId>,
        base_url: &str,
    ) -> Result<String, Error> {
        let tenant = actor.require(Permission::ManageStaff)?;
        let email = email.trim();
        if !email_is_plausible(email) {
            return Err(Error::invalid("email", "enter an email address such as ada@example.ng"));
        }
        if (role == Role::Vendor) != vendor.is_some() {
            return Err(Error::invalid("role", "vendor staff are invited for one vendor; other roles for none"));
        }
        let secret = token::new_secret()?;
        let mut tx = tenant_tx(db, tenant).await?;
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
        .map_err(|e| {
            crate::db::field_error(e, "invitations_vendor_id_fkey", "vendor", "choose one of the marketplace's vendors")
        })?;
        let link = format!("{}/admin/invite/{}", base_url.trim_end_matches('/'), secret.text);
        let business = match actor {
            Actor::Staff(member) => member.tenant_name.clone(),
            _ => String::new(),
        };
        outbox::queue(
            &mut tx,
            tenant,
            email,
            &format!("You are invited to {business} on SC-1"),
            &format!(
                "{} invites you to join {business} as {}.\n\nAccept within {INVITATION_DAYS} days: {link}\n",
                actor.label(),
                role.label().to_lowercase()
            ),
        )
        .await?;
        audit::record(
            &mut tx,
            tenant,
            actor,
            Change {
                entity: "invitation",
                entity_id: id.to_string(),
                action: "created",
                before: None,
                after: Some(json!({ "email": email, "role": role.code() })),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(link)
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
        let has_account = user_by_email(db, &invitation.email).await?.is_some();
        Ok(InvitationPreview { business, email: invitation.email, role: invitation.role, has_account })
    }

    /// Accepts an invitation: makes the account (or checks the existing one's password), adds the
    /// membership, and signs the person in to the business.
    pub async fn accept_invitation(
        db: &sqlx::PgPool,
        token_text: &str,
        name: &str,
        new_password: &str,
        client: &ClientInfo,
    ) -> Result<LoggedIn, Error> {
        let invitation = open_invitation(db, token_text).await?;
        let existing = sqlx::query!(
            "SELECT id, name, password_hash, is_platform_admin FROM users WHERE lower(email) = lower($1)",
            invitation.email
        )
        .fetch_optional(db)
        .await?;
        let (user, name, platform_admin, new_hash) = if let Some(user) = existing {
            if !password::verify(new_password.to_owned(), user.password_hash).await {
                return Err(Error::invalid("password", "enter the password of your existing account"));
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
            platform_admin,
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

    /// Lets a member sign in again, or stops them (ending their sessions in this business).
    pub async fn set_active(db: &sqlx::PgPool, actor: &Actor, user: Uuid, active: bool) -> Result<(), Error> {
        let tenant = actor.require(Permission::ManageStaff)?;
        if matches!(actor, Actor::Staff(me) if me.user == user) {
            return Err(Error::Conflict("You cannot deactivate yourself.".into()));
        }
        let mut tx = tenant_tx(db, tenant).await?;
        let before = sqlx::query!(
            "SELECT role, active FROM memberships WHERE tenant_id = $1 AND user_id = $2 FOR UPDATE",
            tenant.0,
            user
        )
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| Error::not_found("member of staff"))?;
        if before.active == active {
            return Ok(());
        }
        if !active && before.role == "owner" {
            let owners = sqlx::query_scalar!(
                r#"SELECT count(*) AS "n!" FROM memberships WHERE tenant_id = $1 AND role = 'owner' AND active"#,
                tenant.0
            )
            .fetch_one(&mut *tx)
            .await?;
            if owners <= 1 {
                return Err(Error::Conflict("A business needs at least one active owner.".into()));
            }
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
            &mut tx,
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
        tx.commit().await?;
        Ok(())
    }
}
