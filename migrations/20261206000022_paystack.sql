-- A business takes card, transfer and USSD payments through Paystack once its secret key is
-- kept: sealed with the server's keyring (`SECRETS_KEYS`), never in the clear.
ALTER TABLE tenants ADD COLUMN paystack_secret text CHECK (length(paystack_secret) <= 400);

-- Paystack's webhook names a payment by its reference before anyone knows whose it is; the
-- reference begins with the store's address, so it names one business's payment at most.
CREATE FUNCTION payment_by_reference(p_reference text)
    RETURNS TABLE (tenant_id uuid, payment_id uuid, sealed_secret text)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
    AS $$
        SELECT p.tenant_id, p.id, t.paystack_secret
          FROM payments p JOIN tenants t ON t.id = p.tenant_id
         WHERE p.reference = p_reference AND p.method = 'paystack'
    $$;
