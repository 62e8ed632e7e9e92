-- Units sold the moment they are ordered (an order paid on delivery): taken off on-hand at the
-- location with the most free (as a hold would choose), with their reservation already settled
-- as sold and their sale movement, by one call and one update of the stock row. Holding and then
-- selling took two updates of the row (and two notices), and kept it locked in between.
-- One line per call; an order's lines go in one statement, in variant order. Nothing is sold,
-- and no row answered, when no location has enough free.
CREATE FUNCTION sell_stock_now(p_tenant uuid, p_variant uuid, p_location uuid, p_id uuid, p_quantity integer,
                               p_reference text, p_movement uuid, p_actor uuid, p_actor_label text)
    RETURNS TABLE (id uuid, location_id uuid)
    LANGUAGE plpgsql VOLATILE SET search_path = public, pg_temp
    AS $$
    DECLARE
        place uuid;
        after integer;
    BEGIN
        PERFORM set_config('app.tenant_id', p_tenant::text, true);
        -- Every level of the variant asked for is locked, in location order, before one is chosen.
        SELECT l.location_id INTO place
          FROM (SELECT s.location_id, s.on_hand - s.reserved AS free FROM stock_levels s
                 WHERE s.tenant_id = p_tenant AND s.variant_id = p_variant
                   AND (p_location IS NULL OR s.location_id = p_location)
                 ORDER BY s.location_id
                   FOR UPDATE) l
         WHERE l.free >= p_quantity
         ORDER BY l.free DESC, l.location_id
         LIMIT 1;
        IF place IS NULL THEN
            RETURN;
        END IF;
        UPDATE stock_levels s SET on_hand = s.on_hand - p_quantity, updated_at = now()
         WHERE s.tenant_id = p_tenant AND s.variant_id = p_variant AND s.location_id = place
        RETURNING s.on_hand INTO after;
        INSERT INTO stock_reservations AS r (tenant_id, id, variant_id, location_id, quantity, status, reference,
                                             expires_at, settled_at)
        VALUES (p_tenant, p_id, p_variant, place, p_quantity, 'committed', p_reference, now(), now());
        INSERT INTO stock_movements (tenant_id, id, variant_id, location_id, quantity, on_hand_after, reason,
                                     reference, actor_id, actor_label)
        VALUES (p_tenant, p_movement, p_variant, place, -p_quantity, after, 'sale', p_reference, p_actor,
                p_actor_label);
        id := p_id;
        location_id := place;
        RETURN NEXT;
    END
    $$;
