-- A product's revision counts its changes, so that an edit made from an old copy (a second
-- browser tab, an integration that read it an hour ago) is refused instead of silently
-- overwriting what someone else saved in between. Every change of a product's own fields
-- (an edit, an import, a status change) adds one.

ALTER TABLE products ADD COLUMN revision bigint NOT NULL DEFAULT 1 CHECK (revision > 0);
