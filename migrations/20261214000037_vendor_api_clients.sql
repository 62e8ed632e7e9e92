-- A vendor's own integrations. An API client made by a vendor's owner belongs to that vendor:
-- its tokens reach the vendor's products, stock at its own places, its orders and its money,
-- and nothing of another vendor's or of the marketplace's.
ALTER TABLE api_clients
    ADD COLUMN vendor_id uuid,
    ADD CONSTRAINT api_clients_vendor_fk FOREIGN KEY (tenant_id, vendor_id) REFERENCES vendors (tenant_id, id);
CREATE INDEX api_clients_of_vendor ON api_clients (tenant_id, vendor_id) WHERE vendor_id IS NOT NULL;

-- The token look-up answers the client's vendor and the vendor's places (the locations its
-- stock is kept at), as a vendor's staff member's session does.
DROP FUNCTION api_token_by_hash(bytea);
CREATE FUNCTION api_token_by_hash(p_hash bytea)
    RETURNS TABLE (tenant_id uuid, client_id uuid, client_name text, scopes text[], expires_at timestamptz,
                   vendor_id uuid, places uuid[])
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp
    AS $$
    BEGIN
        RETURN QUERY
        SELECT t.tenant_id, t.client_id, c.name, t.scopes, t.expires_at, c.vendor_id,
               CASE WHEN c.vendor_id IS NOT NULL THEN
                   ARRAY(SELECT l.id FROM locations l WHERE l.tenant_id = c.tenant_id AND l.vendor_id = c.vendor_id
                          ORDER BY l.id) END
          FROM api_tokens t
          JOIN api_clients c ON c.tenant_id = t.tenant_id AND c.id = t.client_id
          JOIN tenants b ON b.id = t.tenant_id
         WHERE t.token_hash = p_hash AND t.expires_at > now() AND c.revoked_at IS NULL
           AND b.status = 'active';
    END
    $$;
