-- "Low stock" is decided in one place in the database: `stock_is_low()`, which the generated
-- column `stock_levels.low` uses, and which the alert trigger and the stock list read through
-- that column. The Rust side's `inventory::is_low` says the same for pages and the API, and a
-- test holds the two together over a grid of values.

CREATE FUNCTION stock_is_low(available integer, reorder_point integer) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN reorder_point > 0 AND available <= reorder_point;

ALTER TABLE stock_levels
    ADD COLUMN low boolean GENERATED ALWAYS AS (stock_is_low(on_hand - reserved, reorder_point)) STORED;

CREATE OR REPLACE FUNCTION stock_level_changed() RETURNS trigger
    LANGUAGE plpgsql AS $$
    DECLARE
        was_low boolean := false;
        was_oversold boolean := false;
        is_low boolean := NEW.low;
        is_oversold boolean := NEW.on_hand < 0;
        total bigint;
        on_sale boolean;
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
            SELECT p.status = 'active' INTO on_sale
              FROM variants v JOIN products p ON p.tenant_id = v.tenant_id AND p.id = v.product_id
             WHERE v.tenant_id = NEW.tenant_id AND v.id = NEW.variant_id;
            PERFORM pg_notify('stock', json_build_object(
                'tenant', NEW.tenant_id, 'variant', NEW.variant_id, 'location', NEW.location_id,
                'on_hand', NEW.on_hand, 'reserved', NEW.reserved, 'available_total', total,
                'for_sale', coalesce(on_sale, false))::text);
        END IF;
        RETURN NULL;
    END
    $$;
