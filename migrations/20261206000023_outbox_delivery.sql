-- Messages in a business's outbox that are meant for their recipient (an order's news) are
-- delivered by the worker when a mail relay is set; the others are records of a letter sent
-- another way (an invitation, whose link went to its recipient alone) and are never sent
-- again. Each is claimed before it is sent (so two instances never send one twice at once),
-- and a claim never marked sent is tried again after five minutes.
ALTER TABLE notifications
    ADD COLUMN deliver boolean NOT NULL DEFAULT false,
    ADD COLUMN claimed_at timestamptz;
CREATE INDEX notifications_to_deliver ON notifications (created_at) WHERE deliver AND sent_at IS NULL;

CREATE FUNCTION claim_unsent_notifications(p_limit integer)
    RETURNS TABLE (tenant_id uuid, id uuid, recipient text, subject text, body text)
    LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp
    AS $$
        WITH due AS (
            SELECT n.tenant_id, n.id FROM notifications n
             WHERE n.deliver AND n.sent_at IS NULL AND n.channel = 'email'
               AND (n.claimed_at IS NULL OR n.claimed_at < now() - interval '5 minutes')
             ORDER BY n.created_at
             LIMIT p_limit
               FOR UPDATE SKIP LOCKED)
        UPDATE notifications n SET claimed_at = now()
          FROM due WHERE n.tenant_id = due.tenant_id AND n.id = due.id
        RETURNING n.tenant_id, n.id, n.recipient, n.subject, n.body
    $$;

CREATE FUNCTION mark_notification_sent(p_tenant uuid, p_id uuid)
    RETURNS void
    LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp
    AS $$
        UPDATE notifications SET sent_at = now() WHERE tenant_id = p_tenant AND id = p_id
    $$;
