-- Vendors list their own products and keep their own stock: each vendor has a location of its
-- own, which holds its products alone, and which its staff's work reaches (their sessions are
-- bound to it as a cashier is bound to a shop). A moderated vendor's new products wait for the
-- operator's approval, and its changes to a product on sale wait beside it, the product staying
-- as it was until they are approved.

-- A vendor's own place: its stock is kept there, and its staff reach no other.
ALTER TABLE locations
    ADD COLUMN vendor_id uuid,
    ADD FOREIGN KEY (tenant_id, vendor_id) REFERENCES vendors (tenant_id, id);
CREATE INDEX locations_of_vendor ON locations (tenant_id, vendor_id) WHERE vendor_id IS NOT NULL;

-- Every vendor gets its place when it is made, named for it (made unique if a location of the
-- business has the name already).
CREATE FUNCTION open_vendor_location(p_vendor vendors) RETURNS void
    LANGUAGE plpgsql AS $$
    DECLARE
        wanted text := left(p_vendor.name, 110);
        tried text := wanted;
        n integer := 1;
    BEGIN
        WHILE EXISTS (SELECT 1 FROM locations WHERE tenant_id = p_vendor.tenant_id AND name = tried) LOOP
            n := n + 1;
            tried := wanted || ' (' || n || ')';
        END LOOP;
        INSERT INTO locations (tenant_id, id, name, kind, city, state, vendor_id)
        VALUES (p_vendor.tenant_id, gen_random_uuid(), tried, 'warehouse', p_vendor.city, p_vendor.state, p_vendor.id);
    END
    $$;

CREATE FUNCTION vendor_location() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM open_vendor_location(NEW);
        RETURN NULL;
    END
    $$;
CREATE TRIGGER vendor_location AFTER INSERT ON vendors FOR EACH ROW EXECUTE FUNCTION vendor_location();

DO $$ BEGIN PERFORM open_vendor_location(v) FROM vendors v; END $$;

-- A vendor's place holds its own products alone: a level may not be opened there for another's,
-- and a product stocked at a vendor's place does not pass to another vendor.
CREATE FUNCTION stock_stays_with_its_vendor() RETURNS trigger
    LANGUAGE plpgsql AS $$
    DECLARE
        place_vendor uuid;
        product_vendor uuid;
    BEGIN
        SELECT l.vendor_id INTO place_vendor FROM locations l
         WHERE l.tenant_id = NEW.tenant_id AND l.id = NEW.location_id;
        IF place_vendor IS NULL THEN
            RETURN NEW;
        END IF;
        SELECT p.vendor_id INTO product_vendor
          FROM variants v JOIN products p ON p.tenant_id = v.tenant_id AND p.id = v.product_id
         WHERE v.tenant_id = NEW.tenant_id AND v.id = NEW.variant_id;
        IF product_vendor IS DISTINCT FROM place_vendor THEN
            RAISE EXCEPTION 'a vendor''s location holds only its own products'
                USING ERRCODE = 'check_violation', CONSTRAINT = 'stock_stays_with_its_vendor';
        END IF;
        RETURN NEW;
    END
    $$;
CREATE TRIGGER stock_stays_with_its_vendor BEFORE INSERT ON stock_levels
    FOR EACH ROW EXECUTE FUNCTION stock_stays_with_its_vendor();

CREATE FUNCTION product_keeps_its_vendors_stock() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF EXISTS (SELECT 1 FROM variants v
                     JOIN stock_levels s ON s.tenant_id = v.tenant_id AND s.variant_id = v.id
                     JOIN locations l ON l.tenant_id = s.tenant_id AND l.id = s.location_id
                    WHERE v.tenant_id = NEW.tenant_id AND v.product_id = NEW.id
                      AND l.vendor_id IS NOT NULL AND l.vendor_id IS DISTINCT FROM NEW.vendor_id) THEN
            RAISE EXCEPTION 'the product is stocked at its vendor''s location; it stays with that vendor'
                USING ERRCODE = 'check_violation', CONSTRAINT = 'product_keeps_its_vendors_stock';
        END IF;
        RETURN NEW;
    END
    $$;
CREATE TRIGGER product_keeps_its_vendors_stock BEFORE UPDATE OF vendor_id ON products
    FOR EACH ROW WHEN (OLD.vendor_id IS DISTINCT FROM NEW.vendor_id)
    EXECUTE FUNCTION product_keeps_its_vendors_stock();

-- Moderation: a product the operator has not approved is not on sale.
ALTER TABLE products
    ADD COLUMN moderation text NOT NULL DEFAULT 'approved' CHECK (moderation IN ('pending', 'approved', 'rejected')),
    ADD COLUMN moderation_note text NOT NULL DEFAULT '' CHECK (length(moderation_note) <= 1000);
DROP INDEX products_featured;
ALTER TABLE products DROP COLUMN on_sale;
ALTER TABLE products
    ADD COLUMN on_sale boolean GENERATED ALWAYS AS (status = 'active' AND vendor_live AND moderation = 'approved') STORED;
CREATE INDEX products_featured ON products (tenant_id, lower(name), id) WHERE featured AND on_sale;
CREATE INDEX products_waiting ON products (tenant_id, updated_at) WHERE moderation = 'pending';

-- A moderated vendor's change to a product already approved, waiting beside it: the product as
-- the vendor wants it (the catalog's input, whole), from which revision, and what was decided.
CREATE TABLE product_changes (
    tenant_id     uuid NOT NULL,
    id            uuid NOT NULL,
    product_id    uuid NOT NULL,
    vendor_id     uuid NOT NULL,
    input         jsonb NOT NULL,
    base_revision bigint NOT NULL,
    submitted_by  text NOT NULL,
    submitted_at  timestamptz NOT NULL DEFAULT now(),
    decision      text CHECK (decision IN ('approved', 'rejected', 'withdrawn')),
    decided_by    text,
    decided_at    timestamptz,
    note          text NOT NULL DEFAULT '' CHECK (length(note) <= 1000),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, product_id) REFERENCES products (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, vendor_id) REFERENCES vendors (tenant_id, id)
);
CREATE UNIQUE INDEX product_changes_one_waiting ON product_changes (tenant_id, product_id) WHERE decision IS NULL;
CREATE INDEX product_changes_waiting ON product_changes (tenant_id, submitted_at) WHERE decision IS NULL;
ALTER TABLE product_changes ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON product_changes USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());

-- Vendor staff reach their vendor's own locations; others the locations they are bound to.
DROP FUNCTION session_subject(bytea);
CREATE FUNCTION session_subject(p_hash bytea)
    RETURNS TABLE (session_id uuid, user_id uuid, user_name text, user_email text, is_platform_admin boolean,
                   tenant_id uuid, tenant_name text, tenant_status text, role text, vendor_id uuid,
                   member_active boolean, location_ids uuid[], shopper_id uuid, shopper_name text,
                   last_seen_at timestamptz, time_zone text)
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp
    AS $$
    BEGIN
        RETURN QUERY
        SELECT s.id, u.id, u.name, u.email, coalesce(u.is_platform_admin, false),
               s.tenant_id, t.name, t.status, m.role, m.vendor_id, m.active,
               CASE WHEN m.role = 'vendor' THEN
                   (SELECT array_agg(l.id ORDER BY l.id) FROM locations l
                     WHERE l.tenant_id = m.tenant_id AND l.vendor_id = m.vendor_id)
               ELSE
                   (SELECT array_agg(ml.location_id ORDER BY ml.location_id)
                      FROM membership_locations ml
                     WHERE ml.tenant_id = m.tenant_id AND ml.user_id = m.user_id)
               END,
               s.shopper_id, sh.name, s.last_seen_at, t.time_zone
          FROM sessions s
          LEFT JOIN users u ON u.id = s.user_id
          LEFT JOIN tenants t ON t.id = s.tenant_id
          LEFT JOIN memberships m ON m.tenant_id = s.tenant_id AND m.user_id = s.user_id
          LEFT JOIN shoppers sh ON sh.tenant_id = s.tenant_id AND sh.id = s.shopper_id
         WHERE s.id_hash = p_hash AND s.expires_at > now();
    END
    $$;

DROP FUNCTION memberships_of_user(uuid);
CREATE FUNCTION memberships_of_user(p_user uuid)
    RETURNS TABLE (tenant_id uuid, tenant_name text, tenant_slug text, tenant_status text,
                   role text, vendor_id uuid, active boolean, location_ids uuid[])
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
    AS $$
        SELECT m.tenant_id, t.name, t.slug, t.status, m.role, m.vendor_id, m.active,
               CASE WHEN m.role = 'vendor' THEN
                   (SELECT array_agg(l.id ORDER BY l.id) FROM locations l
                     WHERE l.tenant_id = m.tenant_id AND l.vendor_id = m.vendor_id)
               ELSE
                   (SELECT array_agg(ml.location_id ORDER BY ml.location_id)
                      FROM membership_locations ml
                     WHERE ml.tenant_id = m.tenant_id AND ml.user_id = m.user_id)
               END
          FROM memberships m JOIN tenants t ON t.id = m.tenant_id
         WHERE m.user_id = p_user
         ORDER BY t.name
    $$;
