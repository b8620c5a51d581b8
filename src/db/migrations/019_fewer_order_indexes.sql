-- kehu schema 19: four secondary indexes on orders instead of six. Each of
-- them is built again at the end of a first import and kept up by every
-- later one, so one fewer is an import's time back (issue 17).
-- `orders_customer` takes the columns of `orders_history` (a buyer's orders
-- in time order with their status and money): the predictions read it for
-- the valid and refunded ones, and it still serves every buyer's order list.
DROP INDEX IF EXISTS orders_history;
DROP INDEX IF EXISTS orders_customer;
CREATE INDEX orders_customer ON orders (customer_id, created_at, status, paid_fen, refund_fen);
-- `orders_created` takes the columns of `orders_analyse`: the order list's
-- time order (created_at, id), and the shop analysis's scan in time order
-- that never visits the table.
DROP INDEX IF EXISTS orders_analyse;
DROP INDEX IF EXISTS orders_created;
CREATE INDEX orders_created ON orders (created_at, id, status, customer_id, paid_fen, refund_fen);
