-- Products a merchant puts on the storefront's home page: a flag of the product's, set from the
-- product list's bulk action (it counts as a change of the product: its revision moves on).
ALTER TABLE products ADD COLUMN featured boolean NOT NULL DEFAULT false;

-- The home's featured row reads only these, by name.
CREATE INDEX products_featured ON products (tenant_id, lower(name), id) WHERE featured AND status = 'active';
