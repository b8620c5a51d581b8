-- The fingerprint of each order's item lines moves out of the wide orders row
-- into a narrow table of its own: an item report then writes only this table
-- and order_lines, instead of growing (and splitting the pages of) every order
-- row it names. An order without a row here has no known item fingerprint
-- (the former NULL).
CREATE TABLE order_lines_fp (
    order_id INTEGER PRIMARY KEY REFERENCES orders (id),
    fp INTEGER NOT NULL
);
INSERT INTO order_lines_fp (order_id, fp)
    SELECT id, lines_fp FROM orders WHERE lines_fp IS NOT NULL ORDER BY id;
ALTER TABLE orders DROP COLUMN lines_fp;
