-- Reviews: a shopper who received what they bought rates it (and, on a marketplace, the seller
-- who sent it) from their order's page; the seller answers in public; the business hides what
-- is abusive. A rating is the average of the shown reviews, with their count, never a figure
-- kept beside them.
CREATE TABLE reviews (
    tenant_id    uuid NOT NULL REFERENCES tenants (id),
    id           uuid NOT NULL,
    order_id     uuid NOT NULL,
    -- What is reviewed: a product bought in the order, or (NULL) the seller of one of its parts.
    product_id   uuid,
    -- The seller it came from (NULL: the business's own goods).
    vendor_id    uuid,
    rating       smallint NOT NULL CHECK (rating BETWEEN 1 AND 5),
    title        text NOT NULL DEFAULT '' CHECK (length(title) <= 120),
    body         text NOT NULL DEFAULT '' CHECK (length(body) <= 2000),
    -- The shopper as the review shows them: "Ada O.".
    author       text NOT NULL CHECK (length(author) <= 120),
    reply        text NOT NULL DEFAULT '' CHECK (length(reply) <= 2000),
    replied_by   text NOT NULL DEFAULT '',
    replied_at   timestamptz,
    -- A seller's word that it is abusive, for the business to look at.
    reported_why text NOT NULL DEFAULT '' CHECK (length(reported_why) <= 500),
    reported_at  timestamptz,
    hidden_why   text NOT NULL DEFAULT '' CHECK (length(hidden_why) <= 500),
    hidden_by    text NOT NULL DEFAULT '',
    hidden_at    timestamptz,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id),
    FOREIGN KEY (tenant_id, product_id) REFERENCES products (tenant_id, id),
    FOREIGN KEY (tenant_id, vendor_id) REFERENCES vendors (tenant_id, id),
    -- One review of each product (whose seller the order fixes), and of each seller, an order.
    UNIQUE NULLS NOT DISTINCT (tenant_id, order_id, product_id, vendor_id),
    CHECK (product_id IS NOT NULL OR vendor_id IS NOT NULL),
    CHECK ((hidden_at IS NULL) = (hidden_why = ''))
);
-- A product's shown reviews, newest first, and its rating.
CREATE INDEX reviews_of_product ON reviews (tenant_id, product_id, created_at DESC, id DESC) INCLUDE (rating)
    WHERE hidden_at IS NULL AND product_id IS NOT NULL;
-- A seller's shown reviews, newest first, and its rating.
CREATE INDEX reviews_of_seller ON reviews (tenant_id, vendor_id, created_at DESC, id DESC) INCLUDE (rating)
    WHERE hidden_at IS NULL AND product_id IS NULL;
-- Every review of a seller's (its portal's list), and of the business (its list).
CREATE INDEX reviews_of_vendor ON reviews (tenant_id, vendor_id, created_at DESC, id DESC);
CREATE INDEX reviews_newest ON reviews (tenant_id, created_at DESC, id DESC);

ALTER TABLE reviews ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON reviews USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());
