-- kehu schema 11: pinyin (拼音). Quick lookup finds receiver names and the
-- Chinese part of nicknames by full pinyin or initials: each key (`zhangsan`,
-- `zs`) with the customers it belongs to, read by a range scan on the key
-- (`key >= 'zs' AND key < 'zs' || char(127)`). Keys only ever accumulate
-- (nicknames and receivers are never changed or removed). The Rust step
-- after this file fills it for the customers already stored (see
-- `src/db/pinyin.rs`), and the import for the customers it writes.
CREATE TABLE IF NOT EXISTS customer_pinyin (
    key TEXT NOT NULL,
    customer_id INTEGER NOT NULL,
    PRIMARY KEY (key, customer_id)
) WITHOUT ROWID;
-- The order the customers list sorts in by name: the pinyin of the current
-- receiver name (NULL without one).
ALTER TABLE customers ADD COLUMN name_sort TEXT;
CREATE INDEX customers_name_sort ON customers (name_sort, id);
