-- Storefront search, found as the products' owner. Under the products' row security Postgres
-- may not test a row with an operator that is not leakproof before the policy has passed it,
-- and neither full text (`@@`) nor trigram similarity (`<%`) is: so under the policy a search
-- read every product of every business. This function finds the matches as the table's owner,
-- by the indexes, and keeps to the business the transaction is for (`app_tenant()`), exactly as
-- the policy would.
--
-- Words are matched in full text first; only when nothing matches are names compared by their
-- trigrams, to forgive a typo ("samsnug" finds "Samsung"), at the similarity the caller set
-- (`pg_trgm.word_similarity_threshold`).
CREATE FUNCTION products_matching(p_words text)
    RETURNS TABLE (id uuid)
    LANGUAGE plpgsql STABLE SECURITY DEFINER ROWS 500
    SET search_path = public, pg_temp
    AS $$
    DECLARE
        q tsquery := websearch_to_tsquery('simple', p_words);
    BEGIN
        RETURN QUERY SELECT p.id FROM products p WHERE p.tenant_id = app_tenant() AND p.on_sale AND p.search @@ q;
        IF NOT FOUND THEN
            RETURN QUERY SELECT p.id FROM products p
                          WHERE p.tenant_id = app_tenant() AND p.on_sale AND lower(p_words) <% lower(p.name);
        END IF;
    END
    $$;
