-- kehu schema 20: an item report's first lines of an order, kept for its
-- undo as runs of order ids instead of a row per order. An order above the
-- highest one with lines before the file has no lines to keep; its undo only
-- has to know that the batch wrote them. A first import's item report writes
-- the lines of every order, in the order report's order: a row per order
-- (a million at 1M orders, with their index) becomes a few runs (issue 17).
-- `undo_lines_saved` keeps the orders whose earlier lines were kept (and the
-- marks an earlier kehu wrote, which an undo reads as before).
CREATE TABLE undo_new_lines (
    undo_batch INTEGER NOT NULL,
    -- every order id from lo to hi had no lines before the batch, which
    -- wrote them
    lo INTEGER NOT NULL,
    hi INTEGER NOT NULL,
    PRIMARY KEY (undo_batch, lo)
) WITHOUT ROWID;
