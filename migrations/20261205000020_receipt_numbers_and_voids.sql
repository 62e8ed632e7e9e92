-- A business numbers its documents in one sequence per kind (receipts today; orders, invoices
-- and till receipts later), so that people can say "receipt R-0042" instead of an id. The row
-- is locked while a number is taken, so two documents never share one and none is skipped by
-- work that commits.
CREATE TABLE document_sequences (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    kind      text NOT NULL CHECK (kind IN ('stock_receipt')),
    last      bigint NOT NULL CHECK (last > 0),
    PRIMARY KEY (tenant_id, kind)
);
ALTER TABLE document_sequences ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON document_sequences
    USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());

-- Receipts get their numbers in the order they were made; a receipt booked by mistake is
-- voided (its stock taken back out by opposite movements), never deleted.
ALTER TABLE stock_receipts
    ADD COLUMN number bigint,
    ADD COLUMN voided_at timestamptz,
    ADD COLUMN voided_by text,
    ADD COLUMN void_reason text CHECK (length(void_reason) <= 200),
    ADD CONSTRAINT stock_receipts_void_complete
        CHECK ((voided_at IS NULL) = (voided_by IS NULL) AND (voided_at IS NULL) = (void_reason IS NULL));
UPDATE stock_receipts r SET number = n.number
  FROM (SELECT tenant_id, id, row_number() OVER (PARTITION BY tenant_id ORDER BY created_at, id) AS number
          FROM stock_receipts) n
 WHERE r.tenant_id = n.tenant_id AND r.id = n.id;
INSERT INTO document_sequences (tenant_id, kind, last)
SELECT tenant_id, 'stock_receipt', max(number) FROM stock_receipts GROUP BY tenant_id;
ALTER TABLE stock_receipts ALTER COLUMN number SET NOT NULL,
    ADD CONSTRAINT stock_receipts_number_unique UNIQUE (tenant_id, number);

-- The session's subject carries its business's time zone, so that every page shows times on
-- the business's clock without asking again.
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
               (SELECT array_agg(ml.location_id ORDER BY ml.location_id)
                  FROM membership_locations ml
                 WHERE ml.tenant_id = m.tenant_id AND ml.user_id = m.user_id),
               s.shopper_id, sh.name, s.last_seen_at, t.time_zone
          FROM sessions s
          LEFT JOIN users u ON u.id = s.user_id
          LEFT JOIN tenants t ON t.id = s.tenant_id
          LEFT JOIN memberships m ON m.tenant_id = s.tenant_id AND m.user_id = s.user_id
          LEFT JOIN shoppers sh ON sh.tenant_id = s.tenant_id AND sh.id = s.shopper_id
         WHERE s.id_hash = p_hash AND s.expires_at > now();
    END
    $$;

-- Movements named their receipt by its id; they name it by its number now, as people do.
UPDATE stock_movements m SET reference = 'receipt R-' || CASE WHEN r.number < 10000 THEN lpad(r.number::text, 4, '0') ELSE r.number::text END
  FROM stock_receipts r
 WHERE m.tenant_id = r.tenant_id AND m.reason = 'receipt' AND m.reference = 'receipt ' || r.id::text;
