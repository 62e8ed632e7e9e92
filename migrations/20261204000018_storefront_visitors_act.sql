-- Someone on a storefront who has not signed in acts too (holding stock for their cart), and
-- what they do is recorded under their own kind.
ALTER TABLE audit_log DROP CONSTRAINT audit_log_actor_kind_check;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_actor_kind_check
    CHECK (actor_kind IN ('user', 'shopper', 'visitor', 'api_client', 'platform', 'system'));
