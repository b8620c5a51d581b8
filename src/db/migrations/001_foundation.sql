-- kehu schema 1: customers, receivers, orders, lines, import batches, rejects,
-- notes, tags, and the lookup index.

CREATE TABLE customers (
    id INTEGER PRIMARY KEY,
    platform TEXT NOT NULL,
    buyer_key TEXT NOT NULL,
    nick TEXT NOT NULL,
    -- latest receiver seen, for lists
    name TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    -- derived from orders, refreshed after every import
    orders_count INTEGER NOT NULL DEFAULT 0,
    paid_fen INTEGER NOT NULL DEFAULT 0,
    refund_fen INTEGER NOT NULL DEFAULT 0,
    first_order_at TEXT,
    last_order_at TEXT,
    last_order_no TEXT,
    last_order_status TEXT,
    blacklisted INTEGER NOT NULL DEFAULT 0,
    -- privacy: set when the person's data was erased
    erased_at TEXT,
    created_at TEXT NOT NULL,
    UNIQUE (platform, buyer_key)
);
CREATE INDEX customers_last_order ON customers (last_order_at, id);
CREATE INDEX customers_paid ON customers (paid_fen, id);

CREATE TABLE receivers (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    name TEXT NOT NULL,
    phone TEXT NOT NULL,
    address TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    UNIQUE (customer_id, name, phone, address)
);
CREATE INDEX receivers_phone ON receivers (phone);
CREATE INDEX receivers_phone_tail ON receivers (substr(phone, -4));

CREATE TABLE import_batches (
    id INTEGER PRIMARY KEY,
    file TEXT NOT NULL,
    kind TEXT NOT NULL,
    platform TEXT NOT NULL,
    encoding TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    rows INTEGER NOT NULL DEFAULT 0,
    orders_new INTEGER NOT NULL DEFAULT 0,
    orders_updated INTEGER NOT NULL DEFAULT 0,
    orders_unchanged INTEGER NOT NULL DEFAULT 0,
    customers_new INTEGER NOT NULL DEFAULT 0,
    lines INTEGER NOT NULL DEFAULT 0,
    rejected INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE orders (
    id INTEGER PRIMARY KEY,
    platform TEXT NOT NULL,
    order_no TEXT NOT NULL,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    receiver_id INTEGER REFERENCES receivers (id),
    status TEXT NOT NULL,
    status_raw TEXT NOT NULL,
    goods_fen INTEGER NOT NULL DEFAULT 0,
    postage_fen INTEGER NOT NULL DEFAULT 0,
    total_fen INTEGER NOT NULL DEFAULT 0,
    paid_fen INTEGER NOT NULL DEFAULT 0,
    refund_fen INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    paid_at TEXT,
    shipped_at TEXT,
    completed_at TEXT,
    title TEXT NOT NULL DEFAULT '',
    item_kinds INTEGER NOT NULL DEFAULT 0,
    item_qty INTEGER NOT NULL DEFAULT 0,
    message TEXT NOT NULL DEFAULT '',
    remark TEXT NOT NULL DEFAULT '',
    carrier TEXT NOT NULL DEFAULT '',
    tracking_no TEXT NOT NULL DEFAULT '',
    close_reason TEXT NOT NULL DEFAULT '',
    shop TEXT NOT NULL DEFAULT '',
    -- fingerprint of the last source row applied, and of its item lines
    fp INTEGER NOT NULL,
    lines_fp INTEGER,
    batch_id INTEGER REFERENCES import_batches (id),
    updated_batch_id INTEGER REFERENCES import_batches (id)
);
CREATE UNIQUE INDEX orders_no ON orders (order_no, platform);
CREATE INDEX orders_customer ON orders (customer_id, created_at);
CREATE INDEX orders_created ON orders (created_at, id);

CREATE TABLE order_lines (
    order_id INTEGER NOT NULL REFERENCES orders (id),
    line_no INTEGER NOT NULL,
    sub_order_no TEXT NOT NULL DEFAULT '',
    title TEXT NOT NULL,
    props TEXT NOT NULL DEFAULT '',
    price_fen INTEGER NOT NULL DEFAULT 0,
    qty INTEGER NOT NULL DEFAULT 0,
    refund_fen INTEGER NOT NULL DEFAULT 0,
    status_raw TEXT NOT NULL DEFAULT '',
    merchant_code TEXT NOT NULL DEFAULT '',
    remark TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (order_id, line_no)
) WITHOUT ROWID;

CREATE TABLE rejects (
    id INTEGER PRIMARY KEY,
    batch_id INTEGER NOT NULL REFERENCES import_batches (id),
    file TEXT NOT NULL,
    line INTEGER NOT NULL,
    reason TEXT NOT NULL,
    raw TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);

CREATE TABLE notes (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    body TEXT NOT NULL
);
CREATE INDEX notes_customer ON notes (customer_id);

CREATE TABLE tags (
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    tag TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (customer_id, tag)
) WITHOUT ROWID;

-- Lookup: bigram tokens of the nickname and receiver names (phrase queries give
-- substring matches of two characters and more), and single characters for
-- one-character queries. rowid = customers.id.
CREATE VIRTUAL TABLE customer_search USING fts5 (
    bi, uni,
    tokenize = 'unicode61 remove_diacritics 0',
    content = '',
    contentless_delete = 1
);
