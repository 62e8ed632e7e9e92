-- One cart, split by seller. An order whose lines come from a marketplace's vendors is kept in
-- parts, one per seller (a vendor, or the marketplace for its own goods): each part has its own
-- status, delivery fee and timeline, and the order's status is rolled up from its parts. Each
-- line keeps the commission charged on it at the time of sale and the rule that gave it.
--
-- What the marketplace owes each vendor is a ledger of entries (a balance is the sum of its
-- entries, never a figure kept beside them): sales, commissions and delivery fees as parts are
-- paid, refunds, adjustments, payouts and the cash a vendor collected at the door. An entry
-- becomes available to withdraw at `available_at`: the holding period after its part was
-- delivered, and never while the cash for it is still with a rider.

CREATE TABLE order_parts (
    tenant_id    uuid NOT NULL,
    id           uuid NOT NULL,
    order_id     uuid NOT NULL,
    -- Shown after the order's number: #1042-2.
    position     integer NOT NULL CHECK (position BETWEEN 1 AND 100),
    -- NULL: the marketplace's own goods.
    vendor_id    uuid,
    status       text NOT NULL CHECK (status IN ('awaiting_payment', 'paid', 'processing', 'ready_for_pickup',
                                                 'shipped', 'delivered', 'completed', 'cancelled')),
    paid         boolean NOT NULL DEFAULT false,
    -- The part's lines, with VAT, as the shopper pays for them.
    goods        numeric(19, 4) NOT NULL CHECK (goods >= 0),
    -- Its delivery fee, with VAT, as the shopper pays it.
    delivery     numeric(19, 4) NOT NULL CHECK (delivery >= 0),
    -- What the marketplace keeps of it: its lines' commissions, and on its delivery fee when the
    -- terms say so.
    commission   numeric(19, 4) NOT NULL CHECK (commission >= 0),
    delivered_at timestamptz,
    updated_at   timestamptz NOT NULL DEFAULT now(),
    placed_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, order_id, position),
    UNIQUE NULLS NOT DISTINCT (tenant_id, order_id, vendor_id),
    FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id),
    FOREIGN KEY (tenant_id, vendor_id) REFERENCES vendors (tenant_id, id)
);
-- A vendor's orders, newest first (its portal's list).
CREATE INDEX order_parts_of_vendor ON order_parts (tenant_id, vendor_id, placed_at DESC, id DESC);

ALTER TABLE order_lines
    ADD COLUMN part_id uuid,
    ADD COLUMN commission numeric(19, 4) NOT NULL DEFAULT 0 CHECK (commission >= 0),
    ADD COLUMN commission_rule text NOT NULL DEFAULT '' CHECK (length(commission_rule) <= 200),
    ADD FOREIGN KEY (tenant_id, part_id) REFERENCES order_parts (tenant_id, id);

-- A timeline entry about one part of an order (NULL: about the whole order).
ALTER TABLE order_events
    ADD COLUMN part_id uuid,
    ADD FOREIGN KEY (tenant_id, part_id) REFERENCES order_parts (tenant_id, id);

-- Cash taken at the door for a part paid on delivery, and who holds it until it reaches the
-- marketplace: the rider who delivered it, the vendor, or the marketplace itself.
CREATE TABLE cash_on_delivery (
    tenant_id    uuid NOT NULL,
    part_id      uuid NOT NULL,
    vendor_id    uuid,
    amount       numeric(19, 4) NOT NULL CHECK (amount > 0),
    holder       text NOT NULL CHECK (holder IN ('rider', 'vendor', 'operator')),
    holder_name  text NOT NULL DEFAULT '' CHECK (length(holder_name) <= 120),
    collected_at timestamptz NOT NULL DEFAULT now(),
    remitted_at  timestamptz,
    remitted_by  text NOT NULL DEFAULT '',
    reference    text NOT NULL DEFAULT '' CHECK (length(reference) <= 120),
    PRIMARY KEY (tenant_id, part_id),
    FOREIGN KEY (tenant_id, part_id) REFERENCES order_parts (tenant_id, id),
    FOREIGN KEY (tenant_id, vendor_id) REFERENCES vendors (tenant_id, id),
    CHECK ((holder = 'operator') <= (remitted_at IS NOT NULL))
);
CREATE INDEX cash_on_delivery_unremitted ON cash_on_delivery (tenant_id, collected_at) WHERE remitted_at IS NULL;

-- What a vendor is paid out: asked for by the vendor or run by the marketplace, then settled by
-- hand with the bank's reference or sent by Paystack Transfers. Its money leaves the balance
-- when it is made and comes back if it is cancelled, fails or is reversed.
CREATE TABLE vendor_payouts (
    tenant_id      uuid NOT NULL,
    id             uuid NOT NULL,
    vendor_id      uuid NOT NULL,
    amount         numeric(19, 4) NOT NULL CHECK (amount > 0 AND amount < 1000000000000),
    currency       text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    status         text NOT NULL CHECK (status IN ('requested', 'sending', 'paid', 'failed', 'reversed', 'cancelled')),
    -- Our reference, which Paystack's transfer carries back.
    reference      text NOT NULL CHECK (reference ~ '^[a-z0-9-]{16,50}$'),
    method         text CHECK (method IN ('manual', 'paystack')),
    bank_reference text NOT NULL DEFAULT '' CHECK (length(bank_reference) <= 120),
    transfer_code  text NOT NULL DEFAULT '' CHECK (length(transfer_code) <= 120),
    -- The account it goes to, as it was when the payout was made.
    bank_code      text NOT NULL,
    account_last4  text NOT NULL,
    account_name   text NOT NULL,
    reason         text NOT NULL DEFAULT '' CHECK (length(reason) <= 500),
    asked_by       text NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    sent_at        timestamptz,
    settled_at     timestamptz,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (reference),
    FOREIGN KEY (tenant_id, vendor_id) REFERENCES vendors (tenant_id, id)
);
CREATE INDEX vendor_payouts_of_vendor ON vendor_payouts (tenant_id, vendor_id, created_at DESC, id DESC);
CREATE INDEX vendor_payouts_open ON vendor_payouts (tenant_id, created_at) WHERE status IN ('requested', 'sending');

CREATE TABLE vendor_ledger (
    tenant_id    uuid NOT NULL,
    id           uuid NOT NULL,
    vendor_id    uuid NOT NULL,
    kind         text NOT NULL CHECK (kind IN ('sale', 'commission', 'delivery_fee', 'refund', 'adjustment',
                                               'payout', 'payout_returned', 'cash_held', 'cash_remitted')),
    amount       numeric(19, 4) NOT NULL CHECK (amount <> 0),
    part_id      uuid,
    payout_id    uuid,
    note         text NOT NULL DEFAULT '' CHECK (length(note) <= 500),
    who          text NOT NULL DEFAULT '',
    at           timestamptz NOT NULL DEFAULT now(),
    -- When it may be withdrawn; NULL while its part is not yet delivered or its cash not in.
    available_at timestamptz,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, vendor_id) REFERENCES vendors (tenant_id, id),
    FOREIGN KEY (tenant_id, part_id) REFERENCES order_parts (tenant_id, id),
    FOREIGN KEY (tenant_id, payout_id) REFERENCES vendor_payouts (tenant_id, id),
    CHECK ((kind IN ('sale', 'delivery_fee')) <= (amount > 0)),
    CHECK ((kind IN ('payout', 'cash_held')) <= (amount < 0)),
    CHECK ((kind IN ('payout_returned', 'cash_remitted')) <= (amount > 0))
);
CREATE INDEX vendor_ledger_of_vendor ON vendor_ledger (tenant_id, vendor_id, at, id);
CREATE INDEX vendor_ledger_of_part ON vendor_ledger (tenant_id, part_id) WHERE part_id IS NOT NULL;

-- The ledger is written, never rewritten: only an entry's availability is set, once.
CREATE FUNCTION vendor_ledger_is_kept() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'DELETE' OR (NEW.tenant_id, NEW.id, NEW.vendor_id, NEW.kind, NEW.amount, NEW.part_id,
                                NEW.payout_id, NEW.note, NEW.at)
                               IS DISTINCT FROM (OLD.tenant_id, OLD.id, OLD.vendor_id, OLD.kind, OLD.amount,
                                                 OLD.part_id, OLD.payout_id, OLD.note, OLD.at)
                            OR OLD.available_at IS NOT NULL THEN
            RAISE EXCEPTION 'a vendor''s ledger entry is never changed; add another'
                USING ERRCODE = 'check_violation', CONSTRAINT = 'vendor_ledger_is_kept';
        END IF;
        RETURN NEW;
    END
    $$;
CREATE TRIGGER vendor_ledger_is_kept BEFORE UPDATE OR DELETE ON vendor_ledger
    FOR EACH ROW EXECUTE FUNCTION vendor_ledger_is_kept();

-- Paystack's transfer recipient for the vendor's account (made once, again when it changes).
ALTER TABLE vendors ADD COLUMN paystack_recipient text NOT NULL DEFAULT '' CHECK (length(paystack_recipient) <= 120);

ALTER TABLE order_parts ENABLE ROW LEVEL SECURITY;
ALTER TABLE cash_on_delivery ENABLE ROW LEVEL SECURITY;
ALTER TABLE vendor_payouts ENABLE ROW LEVEL SECURITY;
ALTER TABLE vendor_ledger ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON order_parts USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());
CREATE POLICY tenant_isolation ON cash_on_delivery USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());
CREATE POLICY tenant_isolation ON vendor_payouts USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());
CREATE POLICY tenant_isolation ON vendor_ledger USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());

-- The payout a Paystack transfer event names, across businesses, with the key its signature is
-- checked against (the webhook knows no business until then).
CREATE FUNCTION payout_by_reference(p_reference text)
    RETURNS TABLE (tenant_id uuid, payout_id uuid, sealed_secret text)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
    AS $$
        SELECT p.tenant_id, p.id, t.paystack_secret
          FROM vendor_payouts p JOIN tenants t ON t.id = p.tenant_id
         WHERE p.reference = p_reference
    $$;
