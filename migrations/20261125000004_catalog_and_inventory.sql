-- The catalog (categories, products, variants, images) and the stock ledger (levels per variant
-- and location, movements, reservations, alerts, receipts, transfers and counts).

CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE categories (
    tenant_id  uuid NOT NULL REFERENCES tenants (id),
    id         uuid NOT NULL,
    parent_id  uuid,
    name       text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 80),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, parent_id) REFERENCES categories (tenant_id, id),
    CONSTRAINT categories_name_unique UNIQUE NULLS NOT DISTINCT (tenant_id, parent_id, name)
);

CREATE TABLE products (
    tenant_id   uuid NOT NULL REFERENCES tenants (id),
    id          uuid NOT NULL,
    vendor_id   uuid,
    name        text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
    description text NOT NULL DEFAULT '' CHECK (length(description) <= 20000),
    brand       text NOT NULL DEFAULT '' CHECK (length(brand) <= 80),
    category_id uuid,
    status      text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'active', 'archived')),
    tax_class   text NOT NULL DEFAULT 'standard' CHECK (tax_class IN ('standard', 'zero', 'exempt')),
    -- The names of the options its variants differ by ("Size", "Colour"), at most three.
    options     text[] NOT NULL DEFAULT '{}' CHECK (cardinality(options) <= 3),
    search      tsvector GENERATED ALWAYS AS (
                    setweight(to_tsvector('simple', name), 'A') ||
                    setweight(to_tsvector('simple', brand), 'B') ||
                    setweight(to_tsvector('simple', left(description, 2000)), 'C')) STORED,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, vendor_id) REFERENCES vendors (tenant_id, id),
    FOREIGN KEY (tenant_id, category_id) REFERENCES categories (tenant_id, id)
);
CREATE INDEX products_by_name ON products (tenant_id, lower(name), id);
CREATE INDEX products_by_update ON products (tenant_id, updated_at, id);
CREATE INDEX products_search ON products USING gin (search);
CREATE INDEX products_name_trigrams ON products USING gin (lower(name) gin_trgm_ops);

CREATE TABLE variants (
    tenant_id        uuid NOT NULL,
    id               uuid NOT NULL,
    product_id       uuid NOT NULL,
    sku              text NOT NULL CHECK (sku ~ '^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$'),
    barcode          text CHECK (barcode ~ '^[0-9A-Za-z-]{4,32}$'),
    -- One value per option of the product, in the same order ("L", "Black").
    option_values    text[] NOT NULL DEFAULT '{}',
    price            numeric(19, 4) NOT NULL CHECK (price >= 0),
    compare_at_price numeric(19, 4) CHECK (compare_at_price >= 0),
    cost             numeric(19, 4) CHECK (cost >= 0),
    weight_grams     integer CHECK (weight_grams >= 0),
    length_mm        integer CHECK (length_mm >= 0),
    width_mm         integer CHECK (width_mm >= 0),
    height_mm        integer CHECK (height_mm >= 0),
    position         integer NOT NULL DEFAULT 0,
    created_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, product_id) REFERENCES products (tenant_id, id),
    CONSTRAINT variants_barcode_unique UNIQUE (tenant_id, barcode),
    CONSTRAINT variants_options_unique UNIQUE (tenant_id, product_id, option_values)
);
-- SKUs are unique in a business whatever their case: "ank-s" and "ANK-S" are one code on a label.
CREATE UNIQUE INDEX variants_sku_unique ON variants (tenant_id, lower(sku));
CREATE INDEX variants_of_product ON variants (tenant_id, product_id, position);
CREATE INDEX variants_sku_trigrams ON variants USING gin (lower(sku) gin_trgm_ops);

CREATE TABLE product_images (
    tenant_id  uuid NOT NULL,
    id         uuid NOT NULL,
    product_id uuid NOT NULL,
    position   integer NOT NULL DEFAULT 0,
    -- Where the storage keeps the original; thumbnails sit beside it under the same key.
    file_key   text NOT NULL,
    width      integer NOT NULL CHECK (width > 0),
    height     integer NOT NULL CHECK (height > 0),
    alt        text NOT NULL DEFAULT '' CHECK (length(alt) <= 200),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, product_id) REFERENCES products (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX product_images_of_product ON product_images (tenant_id, product_id, position);

-- One row per variant and location. available = on_hand - reserved. on_hand changes only
-- together with a movement, so the movements of a row always add up to its on_hand.
CREATE TABLE stock_levels (
    tenant_id        uuid NOT NULL,
    variant_id       uuid NOT NULL,
    location_id      uuid NOT NULL,
    on_hand          integer NOT NULL DEFAULT 0,
    reserved         integer NOT NULL DEFAULT 0 CHECK (reserved >= 0),
    reorder_point    integer NOT NULL DEFAULT 0 CHECK (reorder_point >= 0),
    reorder_quantity integer NOT NULL DEFAULT 0 CHECK (reorder_quantity >= 0),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, variant_id, location_id),
    FOREIGN KEY (tenant_id, variant_id) REFERENCES variants (tenant_id, id),
    FOREIGN KEY (tenant_id, location_id) REFERENCES locations (tenant_id, id)
);
CREATE INDEX stock_levels_at_location ON stock_levels (tenant_id, location_id);

CREATE TABLE stock_movements (
    tenant_id     uuid NOT NULL,
    id            uuid NOT NULL,
    variant_id    uuid NOT NULL,
    location_id   uuid NOT NULL,
    quantity      integer NOT NULL CHECK (quantity <> 0),
    on_hand_after integer NOT NULL,
    reason        text NOT NULL CHECK (reason IN ('receipt', 'sale', 'return', 'adjustment',
                                                  'transfer_out', 'transfer_in', 'count')),
    reference     text NOT NULL DEFAULT '',
    unit_cost     numeric(19, 4) CHECK (unit_cost >= 0),
    note          text NOT NULL DEFAULT '',
    actor_id      uuid,
    actor_label   text NOT NULL,
    at            timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, variant_id, location_id) REFERENCES stock_levels (tenant_id, variant_id, location_id)
);
CREATE INDEX stock_movements_history ON stock_movements (tenant_id, variant_id, location_id, at DESC, id DESC);
CREATE INDEX stock_movements_by_time ON stock_movements (tenant_id, at DESC, id DESC);

-- Units held for a buyer who has not paid yet. Expired holds are released by the worker.
CREATE TABLE stock_reservations (
    tenant_id   uuid NOT NULL,
    id          uuid NOT NULL,
    variant_id  uuid NOT NULL,
    location_id uuid NOT NULL,
    quantity    integer NOT NULL CHECK (quantity > 0),
    status      text NOT NULL DEFAULT 'held' CHECK (status IN ('held', 'committed', 'released')),
    reference   text NOT NULL DEFAULT '',
    expires_at  timestamptz NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    settled_at  timestamptz,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, variant_id, location_id) REFERENCES stock_levels (tenant_id, variant_id, location_id)
);
CREATE INDEX stock_reservations_expiry ON stock_reservations (expires_at) WHERE status = 'held';

CREATE TABLE stock_alerts (
    tenant_id   uuid NOT NULL,
    id          uuid NOT NULL DEFAULT gen_random_uuid(),
    variant_id  uuid NOT NULL,
    location_id uuid NOT NULL,
    kind        text NOT NULL CHECK (kind IN ('low', 'oversold')),
    available   integer NOT NULL,
    raised_at   timestamptz NOT NULL DEFAULT now(),
    resolved_at timestamptz,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, variant_id, location_id) REFERENCES stock_levels (tenant_id, variant_id, location_id)
);
CREATE UNIQUE INDEX stock_alerts_one_open ON stock_alerts (tenant_id, variant_id, location_id, kind)
    WHERE resolved_at IS NULL;
CREATE INDEX stock_alerts_by_time ON stock_alerts (tenant_id, raised_at DESC, id);

CREATE TABLE stock_receipts (
    tenant_id   uuid NOT NULL,
    id          uuid NOT NULL,
    location_id uuid NOT NULL,
    supplier    text NOT NULL DEFAULT '' CHECK (length(supplier) <= 120),
    reference   text NOT NULL DEFAULT '' CHECK (length(reference) <= 80),
    actor_label text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, location_id) REFERENCES locations (tenant_id, id)
);
CREATE INDEX stock_receipts_by_time ON stock_receipts (tenant_id, created_at DESC, id DESC);

CREATE TABLE stock_receipt_lines (
    tenant_id  uuid NOT NULL,
    receipt_id uuid NOT NULL,
    variant_id uuid NOT NULL,
    quantity   integer NOT NULL CHECK (quantity > 0),
    unit_cost  numeric(19, 4) NOT NULL CHECK (unit_cost >= 0),
    PRIMARY KEY (tenant_id, receipt_id, variant_id),
    FOREIGN KEY (tenant_id, receipt_id) REFERENCES stock_receipts (tenant_id, id),
    FOREIGN KEY (tenant_id, variant_id) REFERENCES variants (tenant_id, id)
);

CREATE TABLE stock_transfers (
    tenant_id     uuid NOT NULL,
    id            uuid NOT NULL,
    from_location uuid NOT NULL,
    to_location   uuid NOT NULL CHECK (to_location <> from_location),
    status        text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'sent', 'received', 'cancelled')),
    note          text NOT NULL DEFAULT '' CHECK (length(note) <= 500),
    created_by    text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    sent_at       timestamptz,
    received_at   timestamptz,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, from_location) REFERENCES locations (tenant_id, id),
    FOREIGN KEY (tenant_id, to_location) REFERENCES locations (tenant_id, id)
);
CREATE INDEX stock_transfers_by_time ON stock_transfers (tenant_id, created_at DESC, id DESC);

CREATE TABLE stock_transfer_lines (
    tenant_id   uuid NOT NULL,
    transfer_id uuid NOT NULL,
    variant_id  uuid NOT NULL,
    quantity    integer NOT NULL CHECK (quantity > 0),
    received    integer CHECK (received >= 0),
    PRIMARY KEY (tenant_id, transfer_id, variant_id),
    FOREIGN KEY (tenant_id, transfer_id) REFERENCES stock_transfers (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, variant_id) REFERENCES variants (tenant_id, id)
);

CREATE TABLE stock_counts (
    tenant_id   uuid NOT NULL,
    id          uuid NOT NULL,
    location_id uuid NOT NULL,
    status      text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'approved', 'cancelled')),
    note        text NOT NULL DEFAULT '' CHECK (length(note) <= 500),
    created_by  text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    approved_at timestamptz,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, location_id) REFERENCES locations (tenant_id, id)
);
CREATE INDEX stock_counts_by_time ON stock_counts (tenant_id, created_at DESC, id DESC);

-- The sheet: what the system expected when the count began, and what was counted.
CREATE TABLE stock_count_lines (
    tenant_id  uuid NOT NULL,
    count_id   uuid NOT NULL,
    variant_id uuid NOT NULL,
    expected   integer NOT NULL,
    counted    integer CHECK (counted >= 0),
    PRIMARY KEY (tenant_id, count_id, variant_id),
    FOREIGN KEY (tenant_id, count_id) REFERENCES stock_counts (tenant_id, id),
    FOREIGN KEY (tenant_id, variant_id) REFERENCES variants (tenant_id, id)
);

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['categories', 'products', 'variants', 'product_images', 'stock_levels',
                             'stock_movements', 'stock_reservations', 'stock_alerts', 'stock_receipts',
                             'stock_receipt_lines', 'stock_transfers', 'stock_transfer_lines',
                             'stock_counts', 'stock_count_lines']
    LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = app_tenant()) '
                       'WITH CHECK (tenant_id = app_tenant())', t);
    END LOOP;
END
$$;

-- A stock level that changes raises or resolves its alerts when it crosses a line (so a low-stock
-- alert is raised once, not at every sale), and tells listeners what it is now, with the
-- variant's availability across all locations. The notice is delivered when the transaction
-- commits, and never if it rolls back.
CREATE FUNCTION stock_level_changed() RETURNS trigger
    LANGUAGE plpgsql AS $$
    DECLARE
        was_low boolean := false;
        was_oversold boolean := false;
        is_low boolean := NEW.reorder_point > 0 AND NEW.on_hand - NEW.reserved <= NEW.reorder_point;
        is_oversold boolean := NEW.on_hand < 0;
        total bigint;
    BEGIN
        IF TG_OP = 'UPDATE' THEN
            was_low := OLD.reorder_point > 0 AND OLD.on_hand - OLD.reserved <= OLD.reorder_point;
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
            PERFORM pg_notify('stock', json_build_object(
                'tenant', NEW.tenant_id, 'variant', NEW.variant_id, 'location', NEW.location_id,
                'on_hand', NEW.on_hand, 'reserved', NEW.reserved, 'available_total', total)::text);
        END IF;
        RETURN NULL;
    END
    $$;

CREATE TRIGGER stock_level_changed AFTER INSERT OR UPDATE ON stock_levels
    FOR EACH ROW EXECUTE FUNCTION stock_level_changed();

-- The worker's queue of expired holds: claims up to p_limit of them (skipping any another
-- instance is releasing), gives their units back, and answers how many it released.
CREATE FUNCTION release_expired_reservations(p_limit integer)
    RETURNS integer
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp
    AS $$
    DECLARE
        n integer;
    BEGIN
        WITH due AS (
            SELECT tenant_id, id FROM stock_reservations
             WHERE status = 'held' AND expires_at < now()
             ORDER BY expires_at
             LIMIT p_limit
               FOR UPDATE SKIP LOCKED
        ), released AS (
            UPDATE stock_reservations r SET status = 'released', settled_at = now()
              FROM due WHERE r.tenant_id = due.tenant_id AND r.id = due.id
            RETURNING r.tenant_id, r.variant_id, r.location_id, r.quantity
        ), per_level AS (
            SELECT tenant_id, variant_id, location_id, sum(quantity)::integer AS quantity
              FROM released GROUP BY tenant_id, variant_id, location_id
        ), given_back AS (
            UPDATE stock_levels s SET reserved = s.reserved - p.quantity, updated_at = now()
              FROM per_level p
             WHERE s.tenant_id = p.tenant_id AND s.variant_id = p.variant_id AND s.location_id = p.location_id
            RETURNING 1
        )
        SELECT count(*) INTO n FROM released;
        RETURN n;
    END
    $$;
