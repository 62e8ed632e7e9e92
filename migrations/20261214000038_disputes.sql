-- Disputes: a shopper's complaint about one seller's part of an order, argued in one thread by
-- the shopper, the vendor and the marketplace, with photos, and decided by the marketplace: a
-- refund in full or in part (through the vendor's ledger) or a refusal. A vendor that does not
-- answer by its deadline leaves the dispute to the marketplace.
CREATE TABLE disputes (
    tenant_id     uuid NOT NULL REFERENCES tenants (id),
    id            uuid NOT NULL,
    order_id      uuid NOT NULL,
    part_id       uuid NOT NULL,
    vendor_id     uuid,
    reason        text NOT NULL CHECK (reason IN ('not_received', 'not_as_described', 'damaged', 'wrong_item',
                                                  'missing_items', 'other')),
    status        text NOT NULL DEFAULT 'open'
                  CHECK (status IN ('open', 'escalated', 'refunded', 'rejected', 'withdrawn')),
    -- What the shopper asks back; what was refunded when it was decided.
    asked         numeric(14, 2) NOT NULL CHECK (asked > 0),
    refunded      numeric(14, 2) NOT NULL DEFAULT 0 CHECK (refunded >= 0),
    answer_by     timestamptz NOT NULL,
    escalated_at  timestamptz,
    escalated_why text NOT NULL DEFAULT '',
    decided_at    timestamptz,
    decided_by    text NOT NULL DEFAULT '',
    decision      text NOT NULL DEFAULT '',
    opened_at     timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id),
    FOREIGN KEY (tenant_id, part_id) REFERENCES order_parts (tenant_id, id),
    FOREIGN KEY (tenant_id, vendor_id) REFERENCES vendors (tenant_id, id),
    CHECK ((status IN ('refunded', 'rejected', 'withdrawn')) = (decided_at IS NOT NULL))
);
-- One open dispute a part at a time.
CREATE UNIQUE INDEX disputes_one_open ON disputes (tenant_id, part_id) WHERE status IN ('open', 'escalated');
CREATE INDEX disputes_of_vendor ON disputes (tenant_id, vendor_id, opened_at DESC, id DESC);
CREATE INDEX disputes_of_market ON disputes (tenant_id, opened_at DESC, id DESC);
CREATE INDEX disputes_of_order ON disputes (tenant_id, order_id);
CREATE INDEX disputes_overdue ON disputes (answer_by) WHERE status = 'open';

CREATE TABLE dispute_messages (
    tenant_id  uuid NOT NULL REFERENCES tenants (id),
    id         uuid NOT NULL,
    dispute_id uuid NOT NULL,
    side       text NOT NULL CHECK (side IN ('shopper', 'vendor', 'marketplace', 'system')),
    author     text NOT NULL,
    body       text NOT NULL CHECK (length(body) <= 4000),
    at         timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, dispute_id) REFERENCES disputes (tenant_id, id)
);
CREATE INDEX dispute_messages_of ON dispute_messages (tenant_id, dispute_id, at, id);

-- Photos sent with a message, kept private in the media store.
CREATE TABLE dispute_photos (
    tenant_id    uuid NOT NULL REFERENCES tenants (id),
    id           uuid NOT NULL,
    message_id   uuid NOT NULL,
    dispute_id   uuid NOT NULL,
    file_key     text NOT NULL UNIQUE,
    content_type text NOT NULL,
    size_bytes   integer NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, message_id) REFERENCES dispute_messages (tenant_id, id),
    FOREIGN KEY (tenant_id, dispute_id) REFERENCES disputes (tenant_id, id)
);
CREATE INDEX dispute_photos_of ON dispute_photos (tenant_id, dispute_id);

ALTER TABLE disputes ENABLE ROW LEVEL SECURITY;
ALTER TABLE dispute_messages ENABLE ROW LEVEL SECURITY;
ALTER TABLE dispute_photos ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON disputes USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());
CREATE POLICY tenant_isolation ON dispute_messages USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());
CREATE POLICY tenant_isolation ON dispute_photos USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());

-- The disputes whose vendor let the deadline pass, across businesses (for the worker, which
-- acts for no one business): each is then moved, in its business, to the marketplace.
CREATE FUNCTION disputes_overdue()
    RETURNS TABLE (tenant_id uuid, id uuid)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
    AS $$
        SELECT d.tenant_id, d.id FROM disputes d WHERE d.status = 'open' AND d.answer_by <= now() ORDER BY d.answer_by
    $$;
