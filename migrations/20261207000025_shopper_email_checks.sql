-- A shopper proves they read their email by opening a link mailed to it; only then do the
-- orders placed at the store as a guest with that email join their account (anyone can type
-- any email at checkout, so an account made with it proves nothing until then).

ALTER TABLE shoppers ADD COLUMN email_checked_at timestamptz;

-- A link's secret is kept only as its SHA-256; it works once, for two days.
CREATE TABLE shopper_email_checks (
    tenant_id  uuid NOT NULL,
    token_hash bytea NOT NULL,
    shopper_id uuid NOT NULL,
    email      text NOT NULL,
    expires_at timestamptz NOT NULL,
    used_at    timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, token_hash),
    FOREIGN KEY (tenant_id, shopper_id) REFERENCES shoppers (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX shopper_email_checks_of_shopper ON shopper_email_checks (tenant_id, shopper_id);

ALTER TABLE shopper_email_checks ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON shopper_email_checks USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());

-- Guest orders are found by their email when a shopper confirms it.
CREATE INDEX orders_guest_email ON orders (tenant_id, lower(contact_email)) WHERE shopper_id IS NULL;

-- Spent and lapsed email links go with the rest of what expires (the owner's function runs past
-- the tables' row security).
CREATE OR REPLACE FUNCTION sweep_expired()
    RETURNS TABLE (what text, removed bigint)
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp
    AS $$
    DECLARE
        n bigint;
    BEGIN
        IF NOT pg_try_advisory_xact_lock(hashtext('sweep_expired')) THEN
            RETURN;
        END IF;
        DELETE FROM sessions WHERE expires_at < now();
        GET DIAGNOSTICS n = ROW_COUNT;
        what := 'sessions'; removed := n; RETURN NEXT;
        DELETE FROM password_resets WHERE expires_at < now() - interval '1 day';
        GET DIAGNOSTICS n = ROW_COUNT;
        what := 'password resets'; removed := n; RETURN NEXT;
        DELETE FROM api_tokens WHERE expires_at < now();
        GET DIAGNOSTICS n = ROW_COUNT;
        what := 'api tokens'; removed := n; RETURN NEXT;
        DELETE FROM rate_limits WHERE window_start < now() - interval '1 day';
        GET DIAGNOSTICS n = ROW_COUNT;
        what := 'rate-limit windows'; removed := n; RETURN NEXT;
        DELETE FROM idempotency_keys WHERE created_at < now() - interval '24 hours';
        GET DIAGNOSTICS n = ROW_COUNT;
        what := 'idempotency keys'; removed := n; RETURN NEXT;
        DELETE FROM signups WHERE expires_at < now() - interval '1 day';
        GET DIAGNOSTICS n = ROW_COUNT;
        what := 'sign-ups'; removed := n; RETURN NEXT;
        DELETE FROM shopper_email_checks WHERE expires_at < now() - interval '1 day';
        GET DIAGNOSTICS n = ROW_COUNT;
        what := 'shopper email links'; removed := n; RETURN NEXT;
    END
    $$;
