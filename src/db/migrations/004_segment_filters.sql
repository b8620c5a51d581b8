-- The customers list filtered by RFM segment: the two list-order indexes
-- also carry the segment's columns, so the filter is decided from the index
-- and only matching rows are read from the table.
DROP INDEX customers_last_order;
CREATE INDEX customers_last_order ON customers (last_order_at, id, orders_count, paid_fen, refund_fen);
DROP INDEX customers_paid;
CREATE INDEX customers_paid ON customers (paid_fen, id, last_order_at, orders_count, refund_fen);
