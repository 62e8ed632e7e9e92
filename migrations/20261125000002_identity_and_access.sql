-- People and access: staff and vendor staff (users with a membership per business), shoppers,
-- sessions, invitations, password resets, API clients and tokens, rate limits, idempotency
-- keys, the audit trail and the notification outbox.
--
-- Tenant isolation, second wall: every tenant-owned table has row-level security keyed on the
-- per-transaction setting app.tenant_id. The application's role does not own the tables, so the
-- policies bind it; the few look-ups that must cross tenants (a login finding its businesses, a
-- token finding its client) are SECURITY DEFINER functions below that answer one narrow question.

CREATE FUNCTION app_tenant() RETURNS uuid
    LANGUAGE sql STABLE
    AS $$ SELECT nullif(current_setting('app.tenant_id', true), '')::uuid $$;

CREATE TABLE users (
    id                uuid PRIMARY KEY,
    email             text NOT NULL CHECK (email ~ '^[^@\s]+@[^@\s]+$' AND length(email) <= 254),
    name              text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 120),
    password_hash     text NOT NULL,
    is_platform_admin boolean NOT NULL DEFAULT false,
    created_at        timestamptz NOT NULL DEFAULT now(),
    password_changed_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_unique ON users (lower(email));

CREATE TABLE vendors (
    tenant_id  uuid NOT NULL REFERENCES tenants (id),
    id         uuid NOT NULL,
    name       text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 120),
    status     text NOT NULL DEFAULT 'approved' CHECK (status IN ('pending', 'approved', 'suspended')),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT vendors_name_unique UNIQUE (tenant_id, name)
);

CREATE TABLE memberships (
    tenant_id  uuid NOT NULL REFERENCES tenants (id),
    user_id    uuid NOT NULL REFERENCES users (id),
    role       text NOT NULL CHECK (role IN ('owner', 'manager', 'accountant', 'cashier', 'vendor')),
    vendor_id  uuid,
    active     boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, user_id),
    FOREIGN KEY (tenant_id, vendor_id) REFERENCES vendors (tenant_id, id),
    CONSTRAINT memberships_vendor_scope CHECK ((role = 'vendor') = (vendor_id IS NOT NULL))
);
CREATE INDEX memberships_user ON memberships (user_id);

CREATE TABLE shoppers (
    tenant_id     uuid NOT NULL REFERENCES tenants (id),
    id            uuid NOT NULL,
    email         text NOT NULL CHECK (email ~ '^[^@\s]+@[^@\s]+$' AND length(email) <= 254),
    name          text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 120),
    phone         text NOT NULL DEFAULT '',
    password_hash text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX shoppers_email_unique ON shoppers (tenant_id, lower(email));

-- Looked up by the hash of the cookie before the tenant is known, so not tenant-isolated; a
-- row says whose session it is. Only the SHA-256 of the session id is stored.
CREATE TABLE sessions (
    id           uuid PRIMARY KEY,
    id_hash      bytea NOT NULL UNIQUE,
    user_id      uuid REFERENCES users (id),
    tenant_id    uuid REFERENCES tenants (id),
    shopper_id   uuid,
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    user_agent   text NOT NULL DEFAULT '',
    client_ip    text NOT NULL DEFAULT '',
    FOREIGN KEY (tenant_id, shopper_id) REFERENCES shoppers (tenant_id, id),
    CONSTRAINT sessions_one_subject CHECK ((user_id IS NULL) <> (shopper_id IS NULL))
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expiry ON sessions (expires_at);

CREATE TABLE invitations (
    tenant_id   uuid NOT NULL REFERENCES tenants (id),
    id          uuid NOT NULL,
    email       text NOT NULL CHECK (email ~ '^[^@\s]+@[^@\s]+$'),
    role        text NOT NULL CHECK (role IN ('owner', 'manager', 'accountant', 'cashier', 'vendor')),
    vendor_id   uuid,
    token_hash  bytea NOT NULL UNIQUE,
    invited_by  uuid NOT NULL REFERENCES users (id),
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    accepted_at timestamptz,
    revoked_at  timestamptz,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, vendor_id) REFERENCES vendors (tenant_id, id),
    CONSTRAINT invitations_vendor_scope CHECK ((role = 'vendor') = (vendor_id IS NOT NULL))
);

-- One-time tokens that let a person set a new password. tenant_id is set for shoppers.
CREATE TABLE password_resets (
    token_hash bytea PRIMARY KEY,
    user_id    uuid REFERENCES users (id),
    tenant_id  uuid REFERENCES tenants (id),
    shopper_id uuid,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    used_at    timestamptz,
    FOREIGN KEY (tenant_id, shopper_id) REFERENCES shoppers (tenant_id, id),
    CONSTRAINT password_resets_one_subject CHECK ((user_id IS NULL) <> (shopper_id IS NULL))
);

CREATE TABLE api_clients (
    tenant_id   uuid NOT NULL REFERENCES tenants (id),
    id          uuid NOT NULL,
    client_id   text NOT NULL UNIQUE,
    name        text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 120),
    secret_hash text NOT NULL,
    scopes      text[] NOT NULL,
    created_by  uuid NOT NULL REFERENCES users (id),
    created_at  timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz,
    revoked_at  timestamptz,
    PRIMARY KEY (tenant_id, id)
);

CREATE TABLE api_tokens (
    token_hash bytea PRIMARY KEY,
    tenant_id  uuid NOT NULL,
    client_id  uuid NOT NULL,
    scopes     text[] NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    FOREIGN KEY (tenant_id, client_id) REFERENCES api_clients (tenant_id, id)
);
CREATE INDEX api_tokens_expiry ON api_tokens (expires_at);

-- Fixed-window counters shared by every server instance.
CREATE TABLE rate_limits (
    key          text NOT NULL,
    window_start timestamptz NOT NULL,
    hits         integer NOT NULL,
    PRIMARY KEY (key, window_start)
);

CREATE TABLE idempotency_keys (
    tenant_id       uuid NOT NULL REFERENCES tenants (id),
    client          text NOT NULL,
    key             text NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
    request_hash    bytea NOT NULL,
    response_status smallint,
    response_body   bytea,
    created_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, client, key)
);

CREATE TABLE audit_log (
    tenant_id   uuid NOT NULL REFERENCES tenants (id),
    id          uuid NOT NULL,
    at          timestamptz NOT NULL DEFAULT now(),
    actor_kind  text NOT NULL CHECK (actor_kind IN ('user', 'shopper', 'api_client', 'platform', 'system')),
    actor_id    uuid,
    actor_label text NOT NULL,
    entity      text NOT NULL,
    entity_id   text NOT NULL,
    action      text NOT NULL,
    before      jsonb,
    after       jsonb,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX audit_log_by_time ON audit_log (tenant_id, at DESC, id DESC);
CREATE INDEX audit_log_by_entity ON audit_log (tenant_id, entity, at DESC);
CREATE INDEX audit_log_by_actor ON audit_log (tenant_id, actor_id, at DESC);

-- Messages to people (invitations, password resets). With no mail server configured they stay
-- here, and the back office shows them.
CREATE TABLE notifications (
    tenant_id  uuid NOT NULL REFERENCES tenants (id),
    id         uuid NOT NULL,
    channel    text NOT NULL DEFAULT 'email' CHECK (channel IN ('email', 'sms')),
    recipient  text NOT NULL,
    subject    text NOT NULL,
    body       text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    sent_at    timestamptz,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX notifications_by_time ON notifications (tenant_id, created_at DESC, id DESC);

-- Row-level security on every tenant-owned table.
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['locations', 'vendors', 'memberships', 'shoppers', 'invitations',
                             'api_clients', 'api_tokens', 'idempotency_keys', 'audit_log', 'notifications']
    LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = app_tenant()) '
                       'WITH CHECK (tenant_id = app_tenant())', t);
    END LOOP;
END
$$;

-- The look-ups that cross tenants, each answering one narrow question.

-- The businesses a person may sign in to.
CREATE FUNCTION memberships_of_user(p_user uuid)
    RETURNS TABLE (tenant_id uuid, tenant_name text, tenant_slug text, tenant_status text,
                   role text, vendor_id uuid, active boolean)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
    AS $$
        SELECT m.tenant_id, t.name, t.slug, t.status, m.role, m.vendor_id, m.active
          FROM memberships m JOIN tenants t ON t.id = m.tenant_id
         WHERE m.user_id = p_user
         ORDER BY t.name
    $$;

-- An open invitation, found by the hash of the token in its link.
CREATE FUNCTION invitation_by_token(p_hash bytea)
    RETURNS TABLE (tenant_id uuid, id uuid, email text, role text, vendor_id uuid,
                   expires_at timestamptz, accepted_at timestamptz, revoked_at timestamptz)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
    AS $$
        SELECT i.tenant_id, i.id, i.email, i.role, i.vendor_id, i.expires_at, i.accepted_at, i.revoked_at
          FROM invitations i WHERE i.token_hash = p_hash
    $$;

-- The API client a token request names.
CREATE FUNCTION api_client_by_client_id(p_client_id text)
    RETURNS TABLE (tenant_id uuid, id uuid, secret_hash text, scopes text[], revoked_at timestamptz)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
    AS $$
        SELECT c.tenant_id, c.id, c.secret_hash, c.scopes, c.revoked_at
          FROM api_clients c WHERE c.client_id = p_client_id
    $$;

-- The live token a Bearer header carries.
CREATE FUNCTION api_token_by_hash(p_hash bytea)
    RETURNS TABLE (tenant_id uuid, client_id uuid, client_name text, scopes text[])
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
    AS $$
        SELECT t.tenant_id, t.client_id, c.name, t.scopes
          FROM api_tokens t
          JOIN api_clients c ON c.tenant_id = t.tenant_id AND c.id = t.client_id
         WHERE t.token_hash = p_hash AND t.expires_at > now() AND c.revoked_at IS NULL
    $$;

-- Who a session cookie belongs to, with their membership in the session's business.
CREATE FUNCTION session_subject(p_hash bytea)
    RETURNS TABLE (session_id uuid, user_id uuid, user_name text, user_email text, is_platform_admin boolean,
                   tenant_id uuid, tenant_name text, tenant_status text, role text, vendor_id uuid,
                   member_active boolean, shopper_id uuid, shopper_name text, last_seen_at timestamptz)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
    AS $$
        SELECT s.id, u.id, u.name, u.email, coalesce(u.is_platform_admin, false),
               s.tenant_id, t.name, t.status, m.role, m.vendor_id, m.active,
               s.shopper_id, sh.name, s.last_seen_at
          FROM sessions s
          LEFT JOIN users u ON u.id = s.user_id
          LEFT JOIN tenants t ON t.id = s.tenant_id
          LEFT JOIN memberships m ON m.tenant_id = s.tenant_id AND m.user_id = s.user_id
          LEFT JOIN shoppers sh ON sh.tenant_id = s.tenant_id AND sh.id = s.shopper_id
         WHERE s.id_hash = p_hash AND s.expires_at > now()
    $$;

-- Shops and warehouses per business, for the platform's overview.
CREATE FUNCTION location_counts()
    RETURNS TABLE (tenant_id uuid, locations bigint)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
    AS $$ SELECT l.tenant_id, count(*) FROM locations l GROUP BY l.tenant_id $$;
