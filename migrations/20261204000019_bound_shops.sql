-- A member of staff may be bound to some of the business's locations (a cashier to the shop
-- they work in): their work then reaches those alone. No row means every location.
CREATE TABLE membership_locations (
    tenant_id   uuid NOT NULL,
    user_id     uuid NOT NULL,
    location_id uuid NOT NULL,
    PRIMARY KEY (tenant_id, user_id, location_id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES memberships (tenant_id, user_id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, location_id) REFERENCES locations (tenant_id, id)
);
CREATE INDEX membership_locations_by_location ON membership_locations (tenant_id, location_id);
ALTER TABLE membership_locations ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON membership_locations
    USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());

-- The session's subject carries the locations its member is bound to (null: all of them).
DROP FUNCTION session_subject(bytea);
CREATE FUNCTION session_subject(p_hash bytea)
    RETURNS TABLE (session_id uuid, user_id uuid, user_name text, user_email text, is_platform_admin boolean,
                   tenant_id uuid, tenant_name text, tenant_status text, role text, vendor_id uuid,
                   member_active boolean, location_ids uuid[], shopper_id uuid, shopper_name text,
                   last_seen_at timestamptz)
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp
    AS $$
    BEGIN
        RETURN QUERY
        SELECT s.id, u.id, u.name, u.email, coalesce(u.is_platform_admin, false),
               s.tenant_id, t.name, t.status, m.role, m.vendor_id, m.active,
               (SELECT array_agg(ml.location_id ORDER BY ml.location_id)
                  FROM membership_locations ml
                 WHERE ml.tenant_id = m.tenant_id AND ml.user_id = m.user_id),
               s.shopper_id, sh.name, s.last_seen_at
          FROM sessions s
          LEFT JOIN users u ON u.id = s.user_id
          LEFT JOIN tenants t ON t.id = s.tenant_id
          LEFT JOIN memberships m ON m.tenant_id = s.tenant_id AND m.user_id = s.user_id
          LEFT JOIN shoppers sh ON sh.tenant_id = s.tenant_id AND sh.id = s.shopper_id
         WHERE s.id_hash = p_hash AND s.expires_at > now();
    END
    $$;

-- The businesses a person may sign in to, with the locations they are bound to in each.
DROP FUNCTION memberships_of_user(uuid);
CREATE FUNCTION memberships_of_user(p_user uuid)
    RETURNS TABLE (tenant_id uuid, tenant_name text, tenant_slug text, tenant_status text,
                   role text, vendor_id uuid, active boolean, location_ids uuid[])
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
    AS $$
        SELECT m.tenant_id, t.name, t.slug, t.status, m.role, m.vendor_id, m.active,
               (SELECT array_agg(ml.location_id ORDER BY ml.location_id)
                  FROM membership_locations ml
                 WHERE ml.tenant_id = m.tenant_id AND ml.user_id = m.user_id)
          FROM memberships m JOIN tenants t ON t.id = m.tenant_id
         WHERE m.user_id = p_user
         ORDER BY t.name
    $$;
