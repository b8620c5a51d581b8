-- kehu schema 17: undoing an import. Each batch keeps what it changed:
-- `undo_marks` the customers and receivers it created (an id range, ids only
-- grow while a file loads), `undo_prior_orders` each stored order it updated
-- as it was before (one copy of the orders row, written by the loader just
-- before its first update of the order in the batch), `undo_lines_saved`
-- the orders whose lines it replaced with their prior lines fingerprint, and
-- `undo_prior_lines` those prior lines. `undone_at` marks an undone batch.
CREATE TABLE undo_marks (
    batch_id INTEGER PRIMARY KEY REFERENCES import_batches (id),
    customers_lo INTEGER NOT NULL,
    customers_hi INTEGER,
    receivers_lo INTEGER NOT NULL,
    receivers_hi INTEGER,
    -- the highest follow-up id before it: open tasks the planning rules made
    -- after it are withdrawn by its undo (planning makes them again if due)
    followups_lo INTEGER NOT NULL DEFAULT 0,
    undone_at TEXT
);
CREATE TABLE undo_prior_orders AS SELECT 0 AS undo_batch, * FROM orders WHERE 0;
CREATE UNIQUE INDEX undo_prior_orders_key ON undo_prior_orders (undo_batch, id);
CREATE INDEX undo_prior_orders_order ON undo_prior_orders (id);
CREATE TABLE undo_lines_saved (
    undo_batch INTEGER NOT NULL,
    order_id INTEGER NOT NULL,
    fp INTEGER,
    PRIMARY KEY (undo_batch, order_id)
) WITHOUT ROWID;
CREATE INDEX undo_lines_saved_order ON undo_lines_saved (order_id);
CREATE TABLE undo_prior_lines AS SELECT 0 AS undo_batch, * FROM order_lines WHERE 0;
CREATE INDEX undo_prior_lines_key ON undo_prior_lines (undo_batch, order_id);
-- an erase redacts the kept lines of the person's orders
CREATE INDEX undo_prior_lines_order ON undo_prior_lines (order_id);
