-- kehu schema 9: serving the buyers. Follow-ups (回访) with an append-only
-- history, feedback (满意度) from follow-ups, complaints and elsewhere, and
-- campaigns with their recipients and control group.

CREATE TABLE followups (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    order_id INTEGER REFERENCES orders (id),
    complaint_id INTEGER REFERENCES complaints (id),
    -- YYYY-MM-DD (Beijing)
    due TEXT NOT NULL,
    reason TEXT NOT NULL CHECK (reason IN ('after-sale', 'complaint', 'vip', 'win-back', 'custom')),
    note TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL CHECK (status IN ('open', 'done', 'skipped')),
    outcome TEXT NOT NULL DEFAULT '',
    satisfaction INTEGER CHECK (satisfaction BETWEEN 1 AND 5),
    -- NULL when added by hand; else the planning rule's kind.
    rule TEXT,
    -- What makes a planned task unique (rule and order, rule and complaint,
    -- or rule, segment, customer and day): planning never makes it twice.
    rule_key TEXT UNIQUE,
    created_at TEXT NOT NULL,
    closed_at TEXT
);
CREATE INDEX followups_open_due ON followups (status, due, id);
CREATE INDEX followups_due ON followups (due, id);
CREATE INDEX followups_customer ON followups (customer_id, id);

CREATE TABLE followup_events (
    id INTEGER PRIMARY KEY,
    followup_id INTEGER NOT NULL REFERENCES followups (id),
    at TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('create', 'done', 'skip')),
    note TEXT NOT NULL DEFAULT '',
    actor TEXT NOT NULL DEFAULT ''
);
CREATE INDEX followup_events_followup ON followup_events (followup_id, id);
CREATE TRIGGER followup_events_no_update BEFORE UPDATE ON followup_events
BEGIN SELECT RAISE(ABORT, '回访记录只能追加，不能修改 (follow-up history is append-only)'); END;
CREATE TRIGGER followup_events_no_delete BEFORE DELETE ON followup_events
BEGIN SELECT RAISE(ABORT, '回访记录只能追加，不能删除 (follow-up history is append-only)'); END;

CREATE TABLE feedback (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    order_id INTEGER REFERENCES orders (id),
    score INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
    source TEXT NOT NULL CHECK (source IN ('followup', 'complaint', 'survey', 'review', 'chat')),
    text TEXT NOT NULL DEFAULT '',
    at TEXT NOT NULL,
    -- The follow-up or complaint that wrote it: one record each at most.
    followup_id INTEGER UNIQUE REFERENCES followups (id),
    complaint_id INTEGER UNIQUE REFERENCES complaints (id)
);
CREATE INDEX feedback_customer ON feedback (customer_id, id);
CREATE INDEX feedback_at ON feedback (at, id);

-- Complaints closed with a satisfaction before feedback was kept.
INSERT INTO feedback (customer_id, order_id, score, source, text, at, complaint_id)
    SELECT customer_id, order_id, satisfaction, 'complaint', '',
           coalesce(closed_at, resolved_at, created_at), id
    FROM complaints WHERE satisfaction IS NOT NULL ORDER BY id;

CREATE TABLE campaigns (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    -- The filters as JSON: {"segments": [...], "tiers": [...], "tags": [...]}.
    filters TEXT NOT NULL,
    template TEXT NOT NULL DEFAULT '',
    coupon TEXT NOT NULL DEFAULT '',
    control_pct INTEGER NOT NULL CHECK (control_pct BETWEEN 0 AND 100),
    seed INTEGER NOT NULL
);

CREATE TABLE campaign_members (
    campaign_id INTEGER NOT NULL REFERENCES campaigns (id),
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    control INTEGER NOT NULL CHECK (control IN (0, 1)),
    PRIMARY KEY (campaign_id, customer_id)
) WITHOUT ROWID;
CREATE INDEX campaign_members_customer ON campaign_members (customer_id);
