-- The two look-ups made for nearly every request — who a Bearer token belongs to, and who a
-- session cookie belongs to — were SQL functions. A SECURITY DEFINER SQL function is never
-- inlined, and Postgres parses and plans its body again at every call: under a rush of API
-- requests that was a third of the database's CPU. In PL/pgSQL the same query is planned once
-- per connection and its plan kept.
--
-- The token look-up also answers when the token expires, so an instance that keeps resolved
-- tokens for a moment never keeps one past its end; and removing tokens before their end (a
-- revoked client's) announces it on the `api_tokens` channel, so every instance forgets what it
-- kept at once.

DROP FUNCTION api_token_by_hash(bytea);
CREATE FUNCTION api_token_by_hash(p_hash bytea)
    RETURNS TABLE (tenant_id uuid, client_id uuid, client_name text, scopes text[], expires_at timestamptz)
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp
    AS $$
    BEGIN
        RETURN QUERY
        SELECT t.tenant_id, t.client_id, c.name, t.scopes, t.expires_at
          FROM api_tokens t
          JOIN api_clients c ON c.tenant_id = t.tenant_id AND c.id = t.client_id
         WHERE t.token_hash = p_hash AND t.expires_at > now() AND c.revoked_at IS NULL;
    END
    $$;

CREATE OR REPLACE FUNCTION session_subject(p_hash bytea)
    RETURNS TABLE (session_id uuid, user_id uuid, user_name text, user_email text, is_platform_admin boolean,
                   tenant_id uuid, tenant_name text, tenant_status text, role text, vendor_id uuid,
                   member_active boolean, shopper_id uuid, shopper_name text, last_seen_at timestamptz)
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp
    AS $$
    BEGIN
        RETURN QUERY
        SELECT s.id, u.id, u.name, u.email, coalesce(u.is_platform_admin, false),
               s.tenant_id, t.name, t.status, m.role, m.vendor_id, m.active,
               s.shopper_id, sh.name, s.last_seen_at
          FROM sessions s
          LEFT JOIN users u ON u.id = s.user_id
          LEFT JOIN tenants t ON t.id = s.tenant_id
          LEFT JOIN memberships m ON m.tenant_id = s.tenant_id AND m.user_id = s.user_id
          LEFT JOIN shoppers sh ON sh.tenant_id = s.tenant_id AND sh.id = s.shopper_id
         WHERE s.id_hash = p_hash AND s.expires_at > now();
    END
    $$;

-- Once per statement that removed tokens that were still live (the sweep's expired ones are not
-- news: no instance keeps a token past its end).
CREATE FUNCTION api_tokens_removed() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF EXISTS (SELECT 1 FROM removed WHERE expires_at > now()) THEN
            PERFORM pg_notify('api_tokens', '');
        END IF;
        RETURN NULL;
    END
    $$;

CREATE TRIGGER api_tokens_removed AFTER DELETE ON api_tokens
    REFERENCING OLD TABLE AS removed
    FOR EACH STATEMENT EXECUTE FUNCTION api_tokens_removed();
