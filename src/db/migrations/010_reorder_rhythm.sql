-- kehu schema 10: each buyer's rhythm, kept with the customer so Today finds
-- the buyers due to reorder from an index: with 3+ valid orders, the window
-- from one to one and a half median gaps after the last valid order.
ALTER TABLE customers ADD COLUMN median_gap_s INTEGER;
ALTER TABLE customers ADD COLUMN reorder_from TEXT;
ALTER TABLE customers ADD COLUMN reorder_until TEXT;
CREATE INDEX customers_reorder ON customers (reorder_until, reorder_from, id)
    WHERE reorder_until IS NOT NULL;
