-- The marketplace's vendors: who applies to sell, how the operator reviews them, the documents
-- they give, and what a vendor's standing does to its products on the storefront.

-- A vendor's standing. An application waits as `applied`; the operator asks for changes
-- (`changes_requested`, answered by the vendor sending it back as `applied`), approves or
-- rejects it; an approved vendor may be suspended and reinstated.
ALTER TABLE vendors DROP CONSTRAINT vendors_status_check;
UPDATE vendors SET status = 'applied' WHERE status = 'pending';
ALTER TABLE vendors
    ALTER COLUMN status SET DEFAULT 'applied',
    ADD CONSTRAINT vendors_status_check
        CHECK (status IN ('applied', 'changes_requested', 'approved', 'rejected', 'suspended')),
    -- The vendor's page on the storefront, /store/{store}/sellers/{slug}.
    ADD COLUMN slug text,
    ADD COLUMN contact_name text NOT NULL DEFAULT '' CHECK (length(contact_name) <= 120),
    ADD COLUMN email text NOT NULL DEFAULT '' CHECK (email = '' OR (email ~ '^[^@\s]+@[^@\s]+$' AND length(email) <= 254)),
    ADD COLUMN phone text NOT NULL DEFAULT '' CHECK (phone = '' OR phone ~ '^\+234[789][01][0-9]{8}$'),
    ADD COLUMN address text NOT NULL DEFAULT '' CHECK (length(address) <= 200),
    ADD COLUMN city text NOT NULL DEFAULT '' CHECK (length(city) <= 80),
    ADD COLUMN state text NOT NULL DEFAULT '' CHECK (length(state) <= 40),
    ADD COLUMN description text NOT NULL DEFAULT '' CHECK (length(description) <= 2000),
    -- The Corporate Affairs Commission's number: RC for companies, BN for business names, IT for
    -- incorporated trustees, LP/LLP for partnerships.
    ADD COLUMN cac_number text NOT NULL DEFAULT '' CHECK (cac_number ~ '^((RC|BN|IT|LP|LLP)[0-9]{1,9})?$'),
    -- Where its money is paid: the bank's code, the account number sealed with the server's
    -- keyring (only its last four digits in the clear, to show), and the name on the account.
    ADD COLUMN bank_code text NOT NULL DEFAULT '' CHECK (bank_code ~ '^([0-9]{3,6})?$'),
    ADD COLUMN bank_account_sealed text,
    ADD COLUMN bank_account_last4 text NOT NULL DEFAULT '' CHECK (bank_account_last4 ~ '^([0-9]{4})?$'),
    ADD COLUMN bank_account_name text NOT NULL DEFAULT '' CHECK (length(bank_account_name) <= 120),
    -- Whether its new and changed products wait for the operator's approval.
    ADD COLUMN moderated boolean NOT NULL DEFAULT true,
    -- Why it stands where it does: the operator's reason for a rejection or suspension, or the
    -- changes asked for.
    ADD COLUMN status_reason text NOT NULL DEFAULT '' CHECK (length(status_reason) <= 1000),
    ADD COLUMN status_at timestamptz NOT NULL DEFAULT now(),
    ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();

UPDATE vendors
   SET slug = left(trim(BOTH '-' FROM regexp_replace(lower(name), '[^a-z0-9]+', '-', 'g')), 40) || '-' || left(id::text, 4);
ALTER TABLE vendors
    ALTER COLUMN slug SET NOT NULL,
    ADD CONSTRAINT vendors_slug_format CHECK (slug ~ '^[a-z0-9]([a-z0-9-]{0,58}[a-z0-9])?$'),
    ADD CONSTRAINT vendors_slug_unique UNIQUE (tenant_id, slug);
CREATE INDEX vendors_by_status ON vendors (tenant_id, status, status_at DESC, id DESC);
CREATE TRIGGER vendors_touch BEFORE UPDATE ON vendors FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

-- The vendor's own owner invites and manages the vendor's staff from the portal.
ALTER TABLE memberships
    ADD COLUMN vendor_owner boolean NOT NULL DEFAULT false,
    ADD CONSTRAINT memberships_vendor_owner CHECK (NOT vendor_owner OR role = 'vendor');
ALTER TABLE invitations
    ADD COLUMN vendor_owner boolean NOT NULL DEFAULT false,
    ADD CONSTRAINT invitations_vendor_owner CHECK (NOT vendor_owner OR role = 'vendor');

-- An application to sell, waiting for its email to be confirmed by the link mailed to it. The
-- link's page is the store's, so the business is known from its address when it is followed.
CREATE TABLE vendor_applications (
    tenant_id     uuid NOT NULL REFERENCES tenants (id),
    token_hash    bytea NOT NULL,
    details       jsonb NOT NULL,
    bank_sealed   text,
    password_hash text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    expires_at    timestamptz NOT NULL,
    used_at       timestamptz,
    PRIMARY KEY (tenant_id, token_hash)
);
CREATE INDEX vendor_applications_expiry ON vendor_applications (expires_at);

-- What the vendor gives to show who it is: kept in the media store under a private key, served
-- only to the operator's staff and the vendor's own.
CREATE TABLE vendor_documents (
    tenant_id    uuid NOT NULL,
    id           uuid NOT NULL,
    vendor_id    uuid NOT NULL,
    kind         text NOT NULL CHECK (kind IN ('cac_certificate', 'identity', 'address', 'other')),
    file_name    text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 120),
    file_key     text NOT NULL UNIQUE,
    content_type text NOT NULL CHECK (content_type IN ('application/pdf', 'image/jpeg', 'image/png')),
    size_bytes   integer NOT NULL CHECK (size_bytes BETWEEN 1 AND 10485760),
    uploaded_by  text NOT NULL,
    uploaded_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, vendor_id) REFERENCES vendors (tenant_id, id)
);
CREATE INDEX vendor_documents_of ON vendor_documents (tenant_id, vendor_id, uploaded_at);

CREATE FUNCTION vendor_document_discarded() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
    AS $$
    BEGIN
        INSERT INTO discarded_media (file_key) VALUES (OLD.file_key) ON CONFLICT DO NOTHING;
        RETURN NULL;
    END
    $$;
CREATE TRIGGER vendor_document_discarded AFTER DELETE ON vendor_documents
    FOR EACH ROW EXECUTE FUNCTION vendor_document_discarded();

-- A vendor's history and its review's conversation: each change of standing, and each message
-- between the operator and the vendor, in order.
CREATE TABLE vendor_events (
    tenant_id   uuid NOT NULL,
    id          uuid NOT NULL,
    vendor_id   uuid NOT NULL,
    at          timestamptz NOT NULL DEFAULT now(),
    who         text NOT NULL,
    by_operator boolean NOT NULL,
    from_status text,
    to_status   text,
    note        text NOT NULL DEFAULT '' CHECK (length(note) <= 1000),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, vendor_id) REFERENCES vendors (tenant_id, id)
);
CREATE INDEX vendor_events_of ON vendor_events (tenant_id, vendor_id, at, id);

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['vendor_applications', 'vendor_documents', 'vendor_events']
    LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = app_tenant()) '
                       'WITH CHECK (tenant_id = app_tenant())', t);
    END LOOP;
END
$$;

-- A product is on sale when it is active and, if a vendor sells it, that vendor is approved:
-- suspending a vendor takes its products off the storefront (and the tills) at once, and
-- reinstating it puts them back as they were. `vendor_live` is kept by the triggers below.
ALTER TABLE products ADD COLUMN vendor_live boolean NOT NULL DEFAULT true;
UPDATE products p SET vendor_live = (v.status = 'approved')
  FROM vendors v WHERE v.tenant_id = p.tenant_id AND v.id = p.vendor_id;
ALTER TABLE products ADD COLUMN on_sale boolean GENERATED ALWAYS AS (status = 'active' AND vendor_live) STORED;

CREATE FUNCTION product_vendor_live() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF NEW.vendor_id IS NULL THEN
            NEW.vendor_live := true;
        ELSE
            SELECT v.status = 'approved' INTO NEW.vendor_live
              FROM vendors v WHERE v.tenant_id = NEW.tenant_id AND v.id = NEW.vendor_id;
            NEW.vendor_live := coalesce(NEW.vendor_live, false);
        END IF;
        RETURN NEW;
    END
    $$;
CREATE TRIGGER product_vendor_live BEFORE INSERT OR UPDATE OF vendor_id, vendor_live ON products
    FOR EACH ROW EXECUTE FUNCTION product_vendor_live();

CREATE FUNCTION vendor_standing_changed() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF (OLD.status = 'approved') <> (NEW.status = 'approved') THEN
            UPDATE products SET vendor_live = (NEW.status = 'approved'), updated_at = now()
             WHERE tenant_id = NEW.tenant_id AND vendor_id = NEW.id;
        END IF;
        RETURN NULL;
    END
    $$;
CREATE TRIGGER vendor_standing_changed AFTER UPDATE OF status ON vendors
    FOR EACH ROW EXECUTE FUNCTION vendor_standing_changed();
CREATE INDEX products_by_vendor ON products (tenant_id, vendor_id, id) WHERE vendor_id IS NOT NULL;

DROP INDEX products_featured;
CREATE INDEX products_featured ON products (tenant_id, lower(name), id) WHERE featured AND on_sale;

-- The live stock feed says a variant is for sale by the same rule.
CREATE OR REPLACE FUNCTION stock_level_changed() RETURNS trigger
    LANGUAGE plpgsql AS $$
    DECLARE
        was_low boolean := false;
        was_oversold boolean := false;
        is_low boolean := NEW.low;
        is_oversold boolean := NEW.on_hand < 0;
        total bigint;
        for_sale boolean;
    BEGIN
        IF TG_OP = 'UPDATE' THEN
            was_low := OLD.low;
            was_oversold := OLD.on_hand < 0;
        END IF;
        IF is_low AND NOT was_low THEN
            INSERT INTO stock_alerts (tenant_id, variant_id, location_id, kind, available)
            VALUES (NEW.tenant_id, NEW.variant_id, NEW.location_id, 'low', NEW.on_hand - NEW.reserved)
            ON CONFLICT DO NOTHING;
        ELSIF was_low AND NOT is_low THEN
            UPDATE stock_alerts SET resolved_at = now()
             WHERE tenant_id = NEW.tenant_id AND variant_id = NEW.variant_id AND location_id = NEW.location_id
               AND kind = 'low' AND resolved_at IS NULL;
        END IF;
        IF is_oversold AND NOT was_oversold THEN
            INSERT INTO stock_alerts (tenant_id, variant_id, location_id, kind, available)
            VALUES (NEW.tenant_id, NEW.variant_id, NEW.location_id, 'oversold', NEW.on_hand - NEW.reserved)
            ON CONFLICT DO NOTHING;
        ELSIF was_oversold AND NOT is_oversold THEN
            UPDATE stock_alerts SET resolved_at = now()
             WHERE tenant_id = NEW.tenant_id AND variant_id = NEW.variant_id AND location_id = NEW.location_id
               AND kind = 'oversold' AND resolved_at IS NULL;
        END IF;
        IF TG_OP = 'INSERT' OR OLD.on_hand <> NEW.on_hand OR OLD.reserved <> NEW.reserved THEN
            SELECT sum(on_hand - reserved) INTO total FROM stock_levels
             WHERE tenant_id = NEW.tenant_id AND variant_id = NEW.variant_id;
            SELECT p.on_sale INTO for_sale
              FROM variants v JOIN products p ON p.tenant_id = v.tenant_id AND p.id = v.product_id
             WHERE v.tenant_id = NEW.tenant_id AND v.id = NEW.variant_id;
            PERFORM pg_notify('stock', json_build_object(
                'tenant', NEW.tenant_id, 'variant', NEW.variant_id, 'location', NEW.location_id,
                'on_hand', NEW.on_hand, 'reserved', NEW.reserved, 'available_total', total,
                'for_sale', coalesce(for_sale, false))::text);
        END IF;
        RETURN NULL;
    END
    $$;
