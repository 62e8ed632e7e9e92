-- Tenants (one business each) and their shops and warehouses.

CREATE TABLE tenants (
    id                 uuid PRIMARY KEY,
    slug               text NOT NULL UNIQUE
                       CHECK (slug ~ '^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$'),
    name               text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 120),
    tagline            text NOT NULL DEFAULT '' CHECK (length(tagline) <= 200),
    mode               text NOT NULL CHECK (mode IN ('svm', 'mvm', 'both')),
    status             text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
    currency           text NOT NULL DEFAULT 'NGN' CHECK (currency ~ '^[A-Z]{3}$'),
    vat_rate           numeric(7, 4) NOT NULL DEFAULT 7.5 CHECK (vat_rate >= 0 AND vat_rate < 100),
    prices_include_tax boolean NOT NULL DEFAULT true,
    time_zone          text NOT NULL DEFAULT 'Africa/Lagos',
    created_at         timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE locations (
    tenant_id     uuid NOT NULL REFERENCES tenants (id),
    id            uuid NOT NULL,
    name          text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 120),
    kind          text NOT NULL CHECK (kind IN ('shop', 'warehouse')),
    address       text NOT NULL DEFAULT '',
    city          text NOT NULL DEFAULT '',
    state         text NOT NULL DEFAULT '',
    phone         text NOT NULL DEFAULT '',
    opening_hours text NOT NULL DEFAULT '',
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT locations_name_unique UNIQUE (tenant_id, name)
);

-- Which steps of the demo data have been loaded, so that loading it again adds nothing twice.
CREATE TABLE demo_data_steps (
    name       text PRIMARY KEY,
    applied_at timestamptz NOT NULL DEFAULT now()
);
