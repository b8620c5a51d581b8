-- Edits the seller makes on the card keep their history: a note's earlier
-- texts and its deletion, and every blacklisting and un-blacklisting with
-- when, why and through what (app or command line).

-- A deleted note stays, hidden from the card, with its history.
ALTER TABLE notes ADD COLUMN deleted_at TEXT;

-- One row per change of a note: the text it had before the change.
CREATE TABLE note_history (
    id INTEGER PRIMARY KEY,
    note_id INTEGER NOT NULL REFERENCES notes (id),
    at TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('edit', 'delete')),
    body TEXT NOT NULL,
    actor TEXT NOT NULL DEFAULT ''
);
CREATE INDEX note_history_note ON note_history (note_id, id);

-- Every blacklist change; the latest one per customer agrees with
-- customers.blacklisted. `at` is NULL for listings made before history was kept.
CREATE TABLE blacklist_events (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    at TEXT,
    listed INTEGER NOT NULL CHECK (listed IN (0, 1)),
    reason TEXT NOT NULL DEFAULT '',
    actor TEXT NOT NULL DEFAULT ''
);
CREATE INDEX blacklist_events_customer ON blacklist_events (customer_id, id);

INSERT INTO blacklist_events (customer_id, at, listed, reason, actor)
    SELECT id, NULL, 1, '', '' FROM customers WHERE blacklisted = 1 ORDER BY id;
