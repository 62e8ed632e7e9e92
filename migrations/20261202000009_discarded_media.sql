-- Files of pictures removed from the catalog, waiting for the worker to delete them from the
-- media store. A row is queued by the database itself when a picture's row goes (removed on
-- its own or with its product), in the same transaction: a removal that rolls back deletes
-- no file, and one that commits is never forgotten. The queue crosses tenants, so the
-- application reaches it only through the two functions below.
CREATE TABLE discarded_media (
    file_key     text PRIMARY KEY,
    discarded_at timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE discarded_media ENABLE ROW LEVEL SECURITY;

CREATE FUNCTION product_image_discarded() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
    AS $$
    BEGIN
        INSERT INTO discarded_media (file_key) VALUES (OLD.file_key) ON CONFLICT DO NOTHING;
        RETURN NULL;
    END
    $$;

CREATE TRIGGER product_image_discarded AFTER DELETE ON product_images
    FOR EACH ROW EXECUTE FUNCTION product_image_discarded();

-- Claims up to p_limit queued keys (skipping any another instance holds) and forgets them.
CREATE FUNCTION take_discarded_media(p_limit integer) RETURNS SETOF text
    LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp
    AS $$
        DELETE FROM discarded_media
         WHERE file_key IN (SELECT file_key FROM discarded_media ORDER BY discarded_at
                             LIMIT p_limit FOR UPDATE SKIP LOCKED)
        RETURNING file_key
    $$;
