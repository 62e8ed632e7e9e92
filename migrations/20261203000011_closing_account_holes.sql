-- Closing the holes an outside probe found in accounts and access.
--
-- 1. Live links leave the outbox. Password-reset links and invitation links were kept in the
--    `notifications` of every business the person belonged to, where owners and managers read
--    them. Reset mail now goes to the person only, and the outbox keeps invitations without
--    their link. What is already there is redacted, and every link that was ever shown there
--    stops working: open reset links are spent and open invitations revoked (an owner invites
--    again; the new link is shown only to them).
-- 2. Sessions and password resets get row-level security like every other table with a
--    `tenant_id`: the application's role sees the rows of the business it acts for
--    (`app.tenant_id`) or of the person it acts for (`app.user_id`), no others.
-- 3. A suspended business's API clients get no token and their tokens stop working.
-- 4. Access that ends (a session removed, a member deactivated or given another role, a business
--    suspended) is announced on the `access` channel with the business's id, so its open live
--    streams check again at once.
-- 5. Sign-ups wait for the owner to confirm their address from an email.

UPDATE notifications
   SET body = regexp_replace(body, '/admin/(reset|invite)/[A-Za-z0-9_-]+', '/admin/\1/(link removed)', 'g')
 WHERE body ~ '/admin/(reset|invite)/[A-Za-z0-9_-]+';
UPDATE password_resets SET used_at = now() WHERE used_at IS NULL;
UPDATE invitations SET revoked_at = now() WHERE accepted_at IS NULL AND revoked_at IS NULL;

-- The person the application acts for, in transactions that act for one person.
CREATE FUNCTION app_user() RETURNS uuid
    LANGUAGE sql STABLE
    AS $$ SELECT nullif(current_setting('app.user_id', true), '')::uuid $$;

ALTER TABLE sessions ENABLE ROW LEVEL SECURITY;
CREATE POLICY person_or_tenant ON sessions
    USING (tenant_id = app_tenant() OR user_id = app_user())
    WITH CHECK (tenant_id = app_tenant() OR user_id = app_user());

ALTER TABLE password_resets ENABLE ROW LEVEL SECURITY;
CREATE POLICY person_or_tenant ON password_resets
    USING (tenant_id = app_tenant() OR user_id = app_user())
    WITH CHECK (tenant_id = app_tenant() OR user_id = app_user());

-- Marks a session used and moves its idle deadline (never past its absolute end). Called with
-- the session's id once `session_subject` has found it, before anyone is known to act for.
CREATE FUNCTION session_touch(p_id uuid, p_absolute_seconds double precision, p_idle_seconds double precision)
    RETURNS void
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp
    AS $$
    BEGIN
        UPDATE sessions
           SET last_seen_at = now(),
               expires_at = least(created_at + make_interval(secs => p_absolute_seconds),
                                  now() + make_interval(secs => p_idle_seconds))
         WHERE id = p_id;
    END
    $$;

-- Ends the session a cookie names (signing out); answers nothing when there was none.
CREATE FUNCTION session_end(p_hash bytea) RETURNS void
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp
    AS $$
    BEGIN
        DELETE FROM sessions WHERE id_hash = p_hash;
    END
    $$;

-- The person an open reset link is for.
CREATE FUNCTION password_reset_by_token(p_hash bytea)
    RETURNS TABLE (user_id uuid, email text)
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp
    AS $$
    BEGIN
        RETURN QUERY
        SELECT r.user_id, u.email
          FROM password_resets r JOIN users u ON u.id = r.user_id
         WHERE r.token_hash = p_hash AND r.used_at IS NULL AND r.expires_at > now();
    END
    $$;

-- A token request now learns whether the client's business may trade.
DROP FUNCTION api_client_by_client_id(text);
CREATE FUNCTION api_client_by_client_id(p_client_id text)
    RETURNS TABLE (tenant_id uuid, id uuid, secret_hash text, scopes text[], revoked_at timestamptz,
                   tenant_status text)
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp
    AS $$
    BEGIN
        RETURN QUERY
        SELECT c.tenant_id, c.id, c.secret_hash, c.scopes, c.revoked_at, t.status
          FROM api_clients c JOIN tenants t ON t.id = c.tenant_id
         WHERE c.client_id = p_client_id;
    END
    $$;

CREATE OR REPLACE FUNCTION api_token_by_hash(p_hash bytea)
    RETURNS TABLE (tenant_id uuid, client_id uuid, client_name text, scopes text[], expires_at timestamptz)
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp
    AS $$
    BEGIN
        RETURN QUERY
        SELECT t.tenant_id, t.client_id, c.name, t.scopes, t.expires_at
          FROM api_tokens t
          JOIN api_clients c ON c.tenant_id = t.tenant_id AND c.id = t.client_id
          JOIN tenants b ON b.id = t.tenant_id
         WHERE t.token_hash = p_hash AND t.expires_at > now() AND c.revoked_at IS NULL
           AND b.status = 'active';
    END
    $$;

-- Announced once per business whose access ended, with its id as the payload, so that only
-- that business's streams check again; an empty payload (a session of no business: a platform
-- admin's) asks every stream to.
CREATE FUNCTION sessions_ended() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM pg_notify('access', coalesce(r.tenant_id::text, ''))
           FROM (SELECT DISTINCT tenant_id FROM removed) r;
        RETURN NULL;
    END
    $$;

CREATE TRIGGER access_ended AFTER DELETE ON sessions
    REFERENCING OLD TABLE AS removed
    FOR EACH STATEMENT EXECUTE FUNCTION sessions_ended();

-- A member deactivated or given another role, a business suspended (or reactivated): one notice
-- per business and transaction (Postgres folds identical ones).
CREATE FUNCTION membership_changed() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM pg_notify('access', NEW.tenant_id::text);
        RETURN NULL;
    END
    $$;

CREATE TRIGGER access_ended AFTER UPDATE OF active, role, vendor_id ON memberships
    FOR EACH ROW EXECUTE FUNCTION membership_changed();

CREATE FUNCTION business_status_changed() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM pg_notify('access', NEW.id::text);
        RETURN NULL;
    END
    $$;

CREATE TRIGGER access_ended AFTER UPDATE OF status ON tenants
    FOR EACH ROW EXECUTE FUNCTION business_status_changed();

-- A business asked for and not yet confirmed from the owner's mailbox. Only a hash of the
-- link's secret is kept, with the owner's password already hashed.
CREATE TABLE signups (
    token_hash    bytea PRIMARY KEY,
    business_name text NOT NULL CHECK (length(btrim(business_name)) BETWEEN 1 AND 120),
    slug          text NOT NULL,
    mode          text NOT NULL,
    owner_name    text NOT NULL CHECK (length(btrim(owner_name)) BETWEEN 1 AND 120),
    email         text NOT NULL CHECK (email ~ '^[^@\s]+@[^@\s]+$' AND length(email) <= 254),
    password_hash text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    expires_at    timestamptz NOT NULL,
    used_at       timestamptz
);
CREATE INDEX signups_expiry ON signups (expires_at);

-- The sweep forgets lapsed sign-ups too.
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
    END
    $$;
