-- CSV imports run in the background: one row per import, with its progress (written from a
-- connection of its own, so it shows while the import's transaction is still open) and its
-- report. A merchant cancels by marking the row; the import sees it and rolls back.
CREATE TABLE import_jobs (
    tenant_id   uuid NOT NULL REFERENCES tenants (id),
    id          uuid NOT NULL,
    kind        text NOT NULL CHECK (kind IN ('products', 'stock')),
    dry_run     boolean NOT NULL,
    status      text NOT NULL DEFAULT 'running'
                CHECK (status IN ('running', 'cancelling', 'done', 'failed', 'cancelled')),
    total_rows  integer NOT NULL DEFAULT 0,
    done_rows   integer NOT NULL DEFAULT 0,
    report      jsonb,
    created_by  text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX import_jobs_by_time ON import_jobs (tenant_id, created_at DESC);

ALTER TABLE import_jobs ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON import_jobs USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());
