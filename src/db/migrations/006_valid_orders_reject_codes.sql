-- kehu schema 6: RFM counts valid orders only (paid, shipped, completed), and
-- rejected rows keep their reason as a code.
--
-- Each customer carries how many valid orders it has and when the last one
-- was created, kept by the loader like the other order aggregates; the two
-- list indexes carry them so the segment filter is still decided from the
-- index.
ALTER TABLE customers ADD COLUMN valid_orders INTEGER NOT NULL DEFAULT 0;
ALTER TABLE customers ADD COLUMN last_valid_at TEXT;
UPDATE customers SET (valid_orders, last_valid_at) =
    (SELECT count(*), max(o.created_at) FROM orders o
     WHERE o.customer_id = customers.id AND o.status IN ('paid', 'shipped', 'completed'));
DROP INDEX customers_last_order;
CREATE INDEX customers_last_order ON customers (last_order_at, id, last_valid_at, valid_orders, paid_fen, refund_fen);
DROP INDEX customers_paid;
CREATE INDEX customers_paid ON customers (paid_fen, id, last_order_at, last_valid_at, valid_orders, refund_fen);
-- A rejected row's reason as a code and its parameters (JSON), put into words
-- in the reader's language. Rows stored before keep their text in `reason`
-- (the language of their import) and no code.
ALTER TABLE rejects ADD COLUMN reason_code TEXT;
ALTER TABLE rejects ADD COLUMN reason_params TEXT;
