-- The payout schedule, and the lines of an order's part found by their part.
-- A marketplace may pay its vendors on a day of the week without anyone pressing a button: on
-- that day (on the business's clock) the worker runs its payouts once.
ALTER TABLE tenants
    ADD COLUMN payout_day smallint CHECK (payout_day BETWEEN 1 AND 7),
    ADD COLUMN payouts_run_on date;

-- The marketplaces whose payout day it is today on their own clock and whose payouts have not
-- run today, across businesses, for the worker (each then runs in its own business's
-- transaction, where this is checked again under a lock).
CREATE FUNCTION payout_runs_due()
    RETURNS TABLE (tenant_id uuid)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
    AS $$
        SELECT t.id FROM tenants t
         WHERE t.payout_day IS NOT NULL
           AND t.status = 'active'
           AND extract(isodow FROM now() AT TIME ZONE t.time_zone) = t.payout_day
           AND t.payouts_run_on IS DISTINCT FROM (now() AT TIME ZONE t.time_zone)::date
    $$;

-- A part's lines, for the vendor's list of its orders (how many items each holds).
CREATE INDEX order_lines_of_part ON order_lines (tenant_id, part_id) WHERE part_id IS NOT NULL;
