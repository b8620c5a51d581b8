-- Quick lookup (ranked, counted, paged). `IF NOT EXISTS`: the numbering of
-- migrations made in parallel is settled at merge.
-- An exact receiver name ranks above fragments: find those customers however
-- many others share a fragment of the name.
CREATE INDEX IF NOT EXISTS receivers_name ON receivers (name);
-- The points balance of each result without reading every ledger row of a
-- buyer with a hundred orders (the best buyers are listed first).
CREATE INDEX IF NOT EXISTS ledger_customer_delta ON ledger (customer_id, delta);
