-- Holding stock in one statement, run outside an explicit transaction: the hot row's lock is
-- then held only while the statement runs and commits, never across a round trip to the
-- application. The function sets the tenant for its own transaction, so row-level security
-- binds it exactly as it binds the application.
CREATE FUNCTION reserve_stock(p_tenant uuid, p_variant uuid, p_location uuid, p_quantity integer,
                              p_id uuid, p_reference text, p_seconds double precision)
    RETURNS TABLE (id uuid, location_id uuid, expires_at timestamptz)
    LANGUAGE plpgsql VOLATILE SET search_path = public, pg_temp
    AS $$
    DECLARE
        candidate uuid;
    BEGIN
        PERFORM set_config('app.tenant_id', p_tenant::text, true);
        -- The given location, or every location with enough, the most available first; one can
        -- run dry between this look and the update, which checks again under the row's lock.
        FOR candidate IN
            SELECT s.location_id FROM stock_levels s
             WHERE s.tenant_id = p_tenant AND s.variant_id = p_variant
               AND (p_location IS NULL OR s.location_id = p_location)
               AND (p_location IS NOT NULL OR s.on_hand - s.reserved >= p_quantity)
             ORDER BY s.on_hand - s.reserved DESC, s.location_id
        LOOP
            UPDATE stock_levels s SET reserved = s.reserved + p_quantity, updated_at = now()
             WHERE s.tenant_id = p_tenant AND s.variant_id = p_variant AND s.location_id = candidate
               AND s.on_hand - s.reserved >= p_quantity;
            IF FOUND THEN
                RETURN QUERY
                INSERT INTO stock_reservations AS r (tenant_id, id, variant_id, location_id, quantity, reference, expires_at)
                VALUES (p_tenant, p_id, p_variant, candidate, p_quantity, p_reference,
                        now() + make_interval(secs => p_seconds))
                RETURNING r.id, r.location_id, r.expires_at;
                RETURN;
            END IF;
        END LOOP;
    END
    $$;
