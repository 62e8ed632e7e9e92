-- Whether a business's storefront appears on the platform's public start page. A business is
-- not listed until its owner chooses to be: the start page must not tell the world which
-- businesses trade here, nor how, unless they want it to.

ALTER TABLE tenants ADD COLUMN listed boolean NOT NULL DEFAULT false;
