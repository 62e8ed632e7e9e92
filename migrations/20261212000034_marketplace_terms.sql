-- The marketplace's terms with its vendors: the commission it keeps by default and whether on
-- delivery fees, how long money waits after delivery before a vendor may withdraw it, and the
-- least a payout may be; and the rules that set another commission for a category or a vendor.

ALTER TABLE tenants
    ADD COLUMN commission_percent numeric(7, 4) NOT NULL DEFAULT 10
        CHECK (commission_percent BETWEEN 0 AND 100),
    ADD COLUMN commission_flat numeric(19, 4) NOT NULL DEFAULT 0
        CHECK (commission_flat >= 0 AND commission_flat < 1000000000),
    ADD COLUMN commission_on_delivery boolean NOT NULL DEFAULT false,
    ADD COLUMN payout_hold_days integer NOT NULL DEFAULT 7 CHECK (payout_hold_days BETWEEN 0 AND 90),
    ADD COLUMN payout_minimum numeric(19, 4) NOT NULL DEFAULT 5000
        CHECK (payout_minimum >= 0 AND payout_minimum < 1000000000);

-- A commission of its own for a category (and those below it) or for a vendor: one or the other.
CREATE TABLE commission_rules (
    tenant_id     uuid NOT NULL REFERENCES tenants (id),
    id            uuid NOT NULL,
    category_id   uuid,
    vendor_id     uuid,
    percent       numeric(7, 4) NOT NULL CHECK (percent BETWEEN 0 AND 100),
    flat_per_item numeric(19, 4) NOT NULL DEFAULT 0 CHECK (flat_per_item >= 0 AND flat_per_item < 1000000000),
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, category_id) REFERENCES categories (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, vendor_id) REFERENCES vendors (tenant_id, id) ON DELETE CASCADE,
    CONSTRAINT commission_rules_one_subject CHECK ((category_id IS NULL) <> (vendor_id IS NULL))
);
CREATE UNIQUE INDEX commission_rules_category ON commission_rules (tenant_id, category_id) WHERE category_id IS NOT NULL;
CREATE UNIQUE INDEX commission_rules_vendor ON commission_rules (tenant_id, vendor_id) WHERE vendor_id IS NOT NULL;
ALTER TABLE commission_rules ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON commission_rules USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());
