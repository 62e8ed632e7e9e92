-- The till: registers enrolled to a shop, cashiers' PINs, shifts with their cash movements,
-- sales and returns rung up on a till (possibly days before they reach the server), the
-- tenders that paid them, and the ledger of every document a till has sent, so that each is
-- booked exactly once however often it arrives.

-- A device enrolled as a till of one shop. A manager adds it in the back office and is shown a
-- one-time code; the device trades the code for its own credential (kept in its browser), with
-- which it syncs without anybody's session. Both are stored only as SHA-256 hashes. A register
-- is revoked, never deleted: its receipts name it, and its prefix is never given again.
CREATE TABLE registers (
    tenant_id       uuid NOT NULL REFERENCES tenants (id),
    id              uuid NOT NULL,
    location_id     uuid NOT NULL,
    name            text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 60),
    -- Its receipts are numbered PREFIX-000001 onwards, by the till itself.
    prefix          text NOT NULL CHECK (prefix ~ '^[A-Z][A-Z0-9]{0,5}$'),
    code_hash       bytea UNIQUE,
    code_expires_at timestamptz,
    credential_hash bytea UNIQUE,
    created_by      uuid NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    enrolled_at     timestamptz,
    revoked_at      timestamptz,
    revoked_by      uuid,
    last_seen_at    timestamptz,
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT registers_prefix_unique UNIQUE (tenant_id, prefix),
    FOREIGN KEY (tenant_id, location_id) REFERENCES locations (tenant_id, id),
    CHECK ((code_hash IS NULL) = (code_expires_at IS NULL)),
    CHECK ((enrolled_at IS NULL) = (credential_hash IS NULL)),
    CHECK ((revoked_at IS NULL) = (revoked_by IS NULL))
);
CREATE UNIQUE INDEX registers_name_unique ON registers (tenant_id, location_id, lower(name)) WHERE revoked_at IS NULL;

-- The register a credential or an enrolment code belongs to, across businesses: asked before
-- anyone's business is known. Revoked registers are answered too (marked), so that what they
-- send can be kept for a manager instead of lost; a suspended business's are not.
CREATE FUNCTION register_by_credential(p_hash bytea)
    RETURNS TABLE (tenant_id uuid, id uuid, location_id uuid, revoked boolean)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
    AS $$
        SELECT r.tenant_id, r.id, r.location_id, r.revoked_at IS NOT NULL
          FROM registers r JOIN tenants t ON t.id = r.tenant_id
         WHERE r.credential_hash = p_hash AND t.status = 'active'
    $$;

CREATE FUNCTION register_by_code(p_hash bytea)
    RETURNS TABLE (tenant_id uuid, id uuid)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
    AS $$
        SELECT r.tenant_id, r.id
          FROM registers r JOIN tenants t ON t.id = r.tenant_id
         WHERE r.code_hash = p_hash AND r.code_expires_at > now() AND r.revoked_at IS NULL
           AND t.status = 'active'
    $$;

-- A cashier's PIN for signing in at a till, as PBKDF2-SHA256 (salt, iterations, hash): the one
-- form a browser can check by itself (Web Crypto) while the till has no connection.
ALTER TABLE memberships
    ADD COLUMN pin_salt       bytea,
    ADD COLUMN pin_iterations integer CHECK (pin_iterations BETWEEN 10000 AND 10000000),
    ADD COLUMN pin_hash       bytea,
    ADD COLUMN pin_set_at     timestamptz,
    ADD COLUMN updated_at     timestamptz NOT NULL DEFAULT now(),
    ADD CONSTRAINT memberships_pin_whole
        CHECK ((pin_hash IS NULL) = (pin_salt IS NULL) AND (pin_hash IS NULL) = (pin_iterations IS NULL)
               AND (pin_hash IS NULL) = (pin_set_at IS NULL));

-- What a till downloads is what changed since it last asked: rows say when they last changed,
-- whichever code path changed them.
CREATE FUNCTION touch_updated_at() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        NEW.updated_at := now();
        RETURN NEW;
    END
    $$;
CREATE TRIGGER memberships_touch BEFORE UPDATE ON memberships FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

ALTER TABLE customers ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();
CREATE TRIGGER customers_touch BEFORE UPDATE ON customers FOR EACH ROW EXECUTE FUNCTION touch_updated_at();
CREATE INDEX customers_by_update ON customers (tenant_id, updated_at);

-- A product is sent again when one of its variants (a price, a barcode) changes.
CREATE FUNCTION variant_changed() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE products SET updated_at = now()
         WHERE tenant_id = coalesce(NEW.tenant_id, OLD.tenant_id) AND id = coalesce(NEW.product_id, OLD.product_id)
           AND updated_at < now();
        RETURN NULL;
    END
    $$;
CREATE TRIGGER variants_changed AFTER INSERT OR UPDATE OR DELETE ON variants
    FOR EACH ROW EXECUTE FUNCTION variant_changed();

-- A cashier's turn at a register: opened with a float, closed with a count. Its id is made on
-- the till; its times are the till's clock.
CREATE TABLE till_shifts (
    tenant_id     uuid NOT NULL,
    id            uuid NOT NULL,
    register_id   uuid NOT NULL,
    location_id   uuid NOT NULL,
    currency      text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    opened_by     uuid NOT NULL,
    opened_at     timestamptz NOT NULL,
    opening_float numeric(19, 4) NOT NULL CHECK (opening_float >= 0 AND opening_float < 1000000000),
    closed_by     uuid,
    closed_at     timestamptz,
    -- Notes and coins counted at the close ({"1000": 12, "500": 3}), and each tender's
    -- counted amount ({"cash": "12500.0000", "card": "40000.0000"}).
    denominations jsonb,
    counted       jsonb,
    close_note    text NOT NULL DEFAULT '' CHECK (length(close_note) <= 500),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, register_id) REFERENCES registers (tenant_id, id),
    FOREIGN KEY (tenant_id, location_id) REFERENCES locations (tenant_id, id),
    FOREIGN KEY (tenant_id, opened_by) REFERENCES memberships (tenant_id, user_id),
    FOREIGN KEY (tenant_id, closed_by) REFERENCES memberships (tenant_id, user_id),
    CHECK ((closed_at IS NULL) = (closed_by IS NULL) AND (closed_at IS NULL) = (counted IS NULL))
);
CREATE INDEX till_shifts_by_time ON till_shifts (tenant_id, opened_at DESC, id DESC);
CREATE INDEX till_shifts_of_register ON till_shifts (tenant_id, register_id, opened_at DESC);

-- Cash put into or taken out of a till's drawer during a shift, with the reason.
CREATE TABLE till_cash_movements (
    tenant_id uuid NOT NULL,
    id        uuid NOT NULL,
    shift_id  uuid NOT NULL,
    direction text NOT NULL CHECK (direction IN ('in', 'out')),
    amount    numeric(19, 4) NOT NULL CHECK (amount > 0 AND amount < 1000000000),
    reason    text NOT NULL CHECK (length(btrim(reason)) BETWEEN 1 AND 200),
    made_by   uuid NOT NULL,
    made_at   timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, shift_id) REFERENCES till_shifts (tenant_id, id),
    FOREIGN KEY (tenant_id, made_by) REFERENCES memberships (tenant_id, user_id)
);
CREATE INDEX till_cash_movements_of_shift ON till_cash_movements (tenant_id, shift_id);

-- A sale rung up at a till is an order of channel `pos`, collected at the register's shop,
-- completed and paid when it is made. Its id and receipt number are the till's. A walk-in
-- customer is nobody: the order has no customer.
ALTER TABLE orders
    ADD COLUMN register_id uuid,
    ADD COLUMN shift_id    uuid,
    ADD COLUMN receipt     text CHECK (receipt ~ '^[A-Z][A-Z0-9]{0,5}-[0-9]{6,9}$'),
    ADD COLUMN cashier_id  uuid,
    ALTER COLUMN customer_id DROP NOT NULL,
    ADD CONSTRAINT orders_customer_known CHECK (customer_id IS NOT NULL OR channel = 'pos'),
    ADD CONSTRAINT orders_till_whole
        CHECK ((channel = 'pos') = (shift_id IS NOT NULL) AND (shift_id IS NULL) = (register_id IS NULL)
               AND (shift_id IS NULL) = (receipt IS NULL) AND (shift_id IS NULL) = (cashier_id IS NULL)),
    ADD CONSTRAINT orders_receipt_unique UNIQUE (tenant_id, receipt),
    ADD FOREIGN KEY (tenant_id, register_id) REFERENCES registers (tenant_id, id),
    ADD FOREIGN KEY (tenant_id, shift_id) REFERENCES till_shifts (tenant_id, id),
    ADD FOREIGN KEY (tenant_id, cashier_id) REFERENCES memberships (tenant_id, user_id),
    DROP CONSTRAINT orders_payment_method_check,
    ADD CONSTRAINT orders_payment_method_check
        CHECK (payment_method IN ('pay_on_delivery', 'bank_transfer', 'paystack', 'test_gateway', 'till'));
CREATE INDEX orders_of_shift ON orders (tenant_id, shift_id) WHERE shift_id IS NOT NULL;

-- A line sold at a price other than the shelf's says what the shelf said and who allowed it.
ALTER TABLE order_lines
    ADD COLUMN shelf_price numeric(19, 4),
    ADD COLUMN approved_by uuid;

-- Goods brought back to a till against a receipt: their stock returns to the shop, and the
-- money goes back by the tenders in `till_tenders`.
CREATE TABLE till_returns (
    tenant_id   uuid NOT NULL,
    id          uuid NOT NULL,
    order_id    uuid NOT NULL,
    receipt     text NOT NULL CHECK (receipt ~ '^[A-Z][A-Z0-9]{0,5}-[0-9]{6,9}$'),
    register_id uuid NOT NULL,
    shift_id    uuid NOT NULL,
    cashier_id  uuid NOT NULL,
    approved_by uuid,
    reason      text NOT NULL DEFAULT '' CHECK (length(reason) <= 200),
    currency    text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    net         numeric(19, 4) NOT NULL,
    vat         numeric(19, 4) NOT NULL,
    total       numeric(19, 4) NOT NULL CHECK (total >= 0),
    made_at     timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT till_returns_receipt_unique UNIQUE (tenant_id, receipt),
    FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id),
    FOREIGN KEY (tenant_id, register_id) REFERENCES registers (tenant_id, id),
    FOREIGN KEY (tenant_id, shift_id) REFERENCES till_shifts (tenant_id, id),
    FOREIGN KEY (tenant_id, cashier_id) REFERENCES memberships (tenant_id, user_id)
);
CREATE INDEX till_returns_of_order ON till_returns (tenant_id, order_id);
CREATE INDEX till_returns_of_shift ON till_returns (tenant_id, shift_id);

CREATE TABLE till_return_lines (
    tenant_id uuid NOT NULL,
    return_id uuid NOT NULL,
    order_id  uuid NOT NULL,
    position  integer NOT NULL,
    quantity  integer NOT NULL CHECK (quantity BETWEEN 1 AND 1000000),
    net       numeric(19, 4) NOT NULL,
    vat       numeric(19, 4) NOT NULL,
    total     numeric(19, 4) NOT NULL,
    PRIMARY KEY (tenant_id, return_id, position),
    FOREIGN KEY (tenant_id, return_id) REFERENCES till_returns (tenant_id, id),
    FOREIGN KEY (tenant_id, order_id, position) REFERENCES order_lines (tenant_id, order_id, position)
);

-- Money taken (a sale) or given back (a return) at a till, one row per tender: cash (with
-- what was handed over and the change), a card on the shop's own terminal, a bank transfer or
-- mobile money (with their reference), or the value of goods brought back in an exchange.
CREATE TABLE till_tenders (
    tenant_id uuid NOT NULL,
    id        uuid NOT NULL,
    shift_id  uuid NOT NULL,
    order_id  uuid,
    return_id uuid,
    tender    text NOT NULL CHECK (tender IN ('cash', 'card', 'transfer', 'mobile_money', 'exchange')),
    -- Taken is positive, given back negative.
    amount    numeric(19, 4) NOT NULL CHECK (amount <> 0 AND abs(amount) < 1000000000000),
    tendered  numeric(19, 4) CHECK (tendered >= 0),
    change    numeric(19, 4) CHECK (change >= 0),
    reference text NOT NULL DEFAULT '' CHECK (length(reference) <= 80),
    made_at   timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, shift_id) REFERENCES till_shifts (tenant_id, id),
    FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id),
    FOREIGN KEY (tenant_id, return_id) REFERENCES till_returns (tenant_id, id),
    CHECK ((order_id IS NULL) <> (return_id IS NULL)),
    CHECK ((order_id IS NULL) = (amount < 0))
);
CREATE INDEX till_tenders_of_shift ON till_tenders (tenant_id, shift_id);
CREATE INDEX till_tenders_of_order ON till_tenders (tenant_id, order_id) WHERE order_id IS NOT NULL;

-- Every document a till has sent, by the id the till gave it: booked (once), refused (kept,
-- with why and what it said, until a manager books it or sets it aside), or set aside. A
-- document sent again is answered from here; one sent again with other contents is refused.
CREATE TABLE till_documents (
    tenant_id   uuid NOT NULL,
    id          uuid NOT NULL,
    register_id uuid NOT NULL,
    kind        text NOT NULL CHECK (kind IN ('customer', 'shift_open', 'cash_movement', 'sale', 'return',
                                              'shift_close')),
    fingerprint bytea NOT NULL,
    status      text NOT NULL CHECK (status IN ('booked', 'refused', 'set_aside')),
    -- What it became, where that is not itself (a customer the till made who was already known
    -- by their number joins that customer).
    booked_as   uuid,
    problem     text NOT NULL DEFAULT '' CHECK (length(problem) <= 1000),
    body        jsonb,
    made_at     timestamptz NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now(),
    resolved_by uuid,
    resolved_at timestamptz,
    resolution  text NOT NULL DEFAULT '' CHECK (length(resolution) <= 500),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, register_id) REFERENCES registers (tenant_id, id),
    CHECK ((status = 'booked') OR body IS NOT NULL)
);
CREATE INDEX till_documents_waiting ON till_documents (tenant_id, received_at DESC, id DESC) WHERE status = 'refused';
CREATE INDEX till_documents_of_register ON till_documents (tenant_id, register_id, received_at DESC);

ALTER TABLE registers ENABLE ROW LEVEL SECURITY;
ALTER TABLE till_shifts ENABLE ROW LEVEL SECURITY;
ALTER TABLE till_cash_movements ENABLE ROW LEVEL SECURITY;
ALTER TABLE till_returns ENABLE ROW LEVEL SECURITY;
ALTER TABLE till_return_lines ENABLE ROW LEVEL SECURITY;
ALTER TABLE till_tenders ENABLE ROW LEVEL SECURITY;
ALTER TABLE till_documents ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON registers USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());
CREATE POLICY tenant_isolation ON till_shifts USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());
CREATE POLICY tenant_isolation ON till_cash_movements USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());
CREATE POLICY tenant_isolation ON till_returns USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());
CREATE POLICY tenant_isolation ON till_return_lines USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());
CREATE POLICY tenant_isolation ON till_tenders USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());
CREATE POLICY tenant_isolation ON till_documents USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());
