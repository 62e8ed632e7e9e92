-- Forgetting what has expired: sessions, one-time links, tokens, rate-limit windows and
-- idempotency keys. The tables cross tenants, so the sweep is one narrow SECURITY DEFINER
-- function the background worker calls; it takes a transaction-level advisory lock so that
-- several server instances sweeping at once do the work once.
CREATE FUNCTION sweep_expired()
    RETURNS TABLE (what text, removed bigint)
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp
    AS $$
    DECLARE
        n bigint;
    BEGIN
        IF NOT pg_try_advisory_xact_lock(hashtext('sweep_expired')) THEN
            RETURN;
        END IF;
        DELETE FROM sessions WHERE expires_at < now();
        GET DIAGNOSTICS n = ROW_COUNT;
        what := 'sessions'; removed := n; RETURN NEXT;
        DELETE FROM password_resets WHERE expires_at < now() - interval '1 day';
        GET DIAGNOSTICS n = ROW_COUNT;
        what := 'password resets'; removed := n; RETURN NEXT;
        DELETE FROM api_tokens WHERE expires_at < now();
        GET DIAGNOSTICS n = ROW_COUNT;
        what := 'api tokens'; removed := n; RETURN NEXT;
        DELETE FROM rate_limits WHERE window_start < now() - interval '1 day';
        GET DIAGNOSTICS n = ROW_COUNT;
        what := 'rate-limit windows'; removed := n; RETURN NEXT;
        DELETE FROM idempotency_keys WHERE created_at < now() - interval '24 hours';
        GET DIAGNOSTICS n = ROW_COUNT;
        what := 'idempotency keys'; removed := n; RETURN NEXT;
    END
    $$;
