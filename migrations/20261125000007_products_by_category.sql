-- Counting and filtering products by category without reading every product of the business.
CREATE INDEX products_by_category ON products (tenant_id, category_id);
