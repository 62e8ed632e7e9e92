-- The addresses a signed-in shopper has had orders delivered to, offered again at their next
-- checkout (the one used last first). Kept when an order is placed, forgotten on request, and
-- gone with the account.
CREATE TABLE shopper_addresses (
    tenant_id  uuid NOT NULL,
    id         uuid NOT NULL,
    shopper_id uuid NOT NULL,
    line       text NOT NULL,
    city       text NOT NULL,
    lga        text NOT NULL DEFAULT '',
    state      text NOT NULL,
    used_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, shopper_id) REFERENCES shoppers (tenant_id, id) ON DELETE CASCADE
);
-- One row per address however it was typed (case and spacing aside).
CREATE UNIQUE INDEX shopper_addresses_once
    ON shopper_addresses (tenant_id, shopper_id, lower(line), lower(city), lower(lga), state);
CREATE INDEX shopper_addresses_latest ON shopper_addresses (tenant_id, shopper_id, used_at DESC);

ALTER TABLE shopper_addresses ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON shopper_addresses USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());
