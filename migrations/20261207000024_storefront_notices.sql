-- Every change to what a storefront shows everyone alike (its business's settings, shops,
-- categories, products, variants and pictures) is announced on the `storefront` channel with the
-- business's id when its transaction commits, so that every server instance forgets the store
-- pages it kept for that business (stock changes are announced on `stock` already). Postgres
-- sends one notice per business and transaction however many rows changed.

CREATE FUNCTION storefront_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    changed record := CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
BEGIN
    IF TG_TABLE_NAME = 'tenants' THEN
        PERFORM pg_notify('storefront', changed.id::text);
    ELSE
        PERFORM pg_notify('storefront', changed.tenant_id::text);
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER storefront_changed AFTER INSERT OR UPDATE OR DELETE ON tenants
    FOR EACH ROW EXECUTE FUNCTION storefront_changed();
CREATE TRIGGER storefront_changed AFTER INSERT OR UPDATE OR DELETE ON locations
    FOR EACH ROW EXECUTE FUNCTION storefront_changed();
CREATE TRIGGER storefront_changed AFTER INSERT OR UPDATE OR DELETE ON categories
    FOR EACH ROW EXECUTE FUNCTION storefront_changed();
CREATE TRIGGER storefront_changed AFTER INSERT OR UPDATE OR DELETE ON products
    FOR EACH ROW EXECUTE FUNCTION storefront_changed();
CREATE TRIGGER storefront_changed AFTER INSERT OR UPDATE OR DELETE ON variants
    FOR EACH ROW EXECUTE FUNCTION storefront_changed();
CREATE TRIGGER storefront_changed AFTER INSERT OR UPDATE OR DELETE ON product_images
    FOR EACH ROW EXECUTE FUNCTION storefront_changed();
