-- Holding stock for many buyers in one statement. On a hot SKU every buyer queues for the
-- same stock row's lock, and each statement pays for its own lock, trigger, notification and
-- commit; an application instance that has several holds waiting for one level sends them
-- together, and this function grants them in the order given, each in full or not at all.
--
-- The levels it may draw on are locked in location order (so two batches never deadlock),
-- the grants are worked out against what is free under those locks, and the levels are moved
-- by one conditional update that also checks, again, that nothing goes below zero.
CREATE FUNCTION reserve_stock_together(p_tenant uuid, p_variant uuid, p_location uuid,
                                       p_ids uuid[], p_quantities integer[], p_references text[],
                                       p_seconds double precision[])
    RETURNS TABLE (id uuid, location_id uuid, expires_at timestamptz)
    LANGUAGE plpgsql VOLATILE SET search_path = public, pg_temp
    AS $$
    DECLARE
        n integer := coalesce(array_length(p_ids, 1), 0);
        places uuid[];
        free integer[];
        taken integer[];
        granted uuid[] := array_fill(NULL::uuid, ARRAY[n]);
        best integer;
        moved integer;
    BEGIN
        PERFORM set_config('app.tenant_id', p_tenant::text, true);
        SELECT array_agg(l.location_id ORDER BY l.location_id), array_agg(l.on_hand - l.reserved ORDER BY l.location_id)
          INTO places, free
          FROM (SELECT s.location_id, s.on_hand, s.reserved FROM stock_levels s
                 WHERE s.tenant_id = p_tenant AND s.variant_id = p_variant
                   AND (p_location IS NULL OR s.location_id = p_location)
                 ORDER BY s.location_id
                   FOR UPDATE) l;
        IF places IS NULL OR n = 0 THEN
            RETURN;
        END IF;
        taken := array_fill(0, ARRAY[array_length(places, 1)]);
        -- Each hold in turn, at the place with the most free (the first such in location order).
        FOR i IN 1 .. n LOOP
            best := NULL;
            FOR j IN 1 .. array_length(places, 1) LOOP
                IF free[j] >= p_quantities[i] AND (best IS NULL OR free[j] > free[best]) THEN
                    best := j;
                END IF;
            END LOOP;
            IF best IS NOT NULL THEN
                free[best] := free[best] - p_quantities[i];
                taken[best] := taken[best] + p_quantities[i];
                granted[i] := places[best];
            END IF;
        END LOOP;
        UPDATE stock_levels s SET reserved = s.reserved + t.quantity, updated_at = now()
          FROM unnest(places, taken) AS t(place, quantity)
         WHERE t.quantity > 0
           AND s.tenant_id = p_tenant AND s.variant_id = p_variant AND s.location_id = t.place
           AND s.on_hand - s.reserved >= t.quantity;
        GET DIAGNOSTICS moved = ROW_COUNT;
        IF moved <> (SELECT count(*) FROM unnest(taken) AS q WHERE q > 0) THEN
            RAISE EXCEPTION 'stock moved under a held lock';
        END IF;
        RETURN QUERY
        INSERT INTO stock_reservations AS r (tenant_id, id, variant_id, location_id, quantity, reference, expires_at)
        SELECT p_tenant, g.id, p_variant, g.place, g.quantity, g.reference, now() + make_interval(secs => g.seconds)
          FROM unnest(p_ids, granted, p_quantities, p_references, p_seconds) AS g(id, place, quantity, reference, seconds)
         WHERE g.place IS NOT NULL
        RETURNING r.id, r.location_id, r.expires_at;
    END
    $$;

DROP FUNCTION reserve_stock(uuid, uuid, uuid, integer, uuid, text, double precision);
