-- kehu schema 2: the points ledger (append-only), complaints with their
-- history, and settings the data depends on (the points rule in force).

CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
INSERT INTO settings (key, value) VALUES ('points_per_yuan', '1');

CREATE TABLE complaints (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    order_id INTEGER REFERENCES orders (id),
    category TEXT NOT NULL,
    severity TEXT NOT NULL CHECK (severity IN ('low', 'medium', 'high', 'urgent')),
    channel TEXT NOT NULL CHECK (channel IN ('wangwang', 'phone', 'sms', 'review', 'other')),
    summary TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'processing', 'resolved', 'closed')),
    created_at TEXT NOT NULL,
    first_response_at TEXT,
    resolved_at TEXT,
    closed_at TEXT,
    resolution TEXT NOT NULL DEFAULT '',
    compensation_fen INTEGER NOT NULL DEFAULT 0,
    compensation_points INTEGER NOT NULL DEFAULT 0,
    coupon TEXT NOT NULL DEFAULT '',
    satisfaction INTEGER CHECK (satisfaction BETWEEN 1 AND 5)
);
CREATE INDEX complaints_customer ON complaints (customer_id, id);
CREATE INDEX complaints_status ON complaints (status, id);

-- Every transition and note, never overwritten.
CREATE TABLE complaint_events (
    id INTEGER PRIMARY KEY,
    complaint_id INTEGER NOT NULL REFERENCES complaints (id),
    at TEXT NOT NULL,
    from_status TEXT,
    to_status TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('create', 'move', 'reopen', 'note')),
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX complaint_events_complaint ON complaint_events (complaint_id, id);
CREATE TRIGGER complaint_events_no_update BEFORE UPDATE ON complaint_events
BEGIN SELECT RAISE(ABORT, '投诉记录只能追加，不能修改 (complaint history is append-only)'); END;
CREATE TRIGGER complaint_events_no_delete BEFORE DELETE ON complaint_events
BEGIN SELECT RAISE(ABORT, '投诉记录只能追加，不能删除 (complaint history is append-only)'); END;

-- The points ledger. Earn/reverse entries are keyed by order (ref_order_id):
-- their sum per order always equals the points rule for that order.
CREATE TABLE ledger (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    created_at TEXT NOT NULL,
    delta INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('earn', 'reverse', 'redeem', 'adjust', 'expire', 'compensation')),
    ref_order_id INTEGER REFERENCES orders (id),
    ref_order_no TEXT,
    ref_complaint_id INTEGER REFERENCES complaints (id),
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX ledger_order ON ledger (ref_order_id);
CREATE INDEX ledger_customer ON ledger (customer_id, id);
CREATE INDEX ledger_complaint ON ledger (ref_complaint_id) WHERE ref_complaint_id IS NOT NULL;
CREATE TRIGGER ledger_no_update BEFORE UPDATE ON ledger
BEGIN SELECT RAISE(ABORT, '积分流水只能追加，不能修改 (the points ledger is append-only)'); END;
CREATE TRIGGER ledger_no_delete BEFORE DELETE ON ledger
BEGIN SELECT RAISE(ABORT, '积分流水只能追加，不能删除 (the points ledger is append-only)'); END;
