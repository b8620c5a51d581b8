-- One person across shops: customers merged by the seller, and undone.
-- A merged-away customer keeps its row (its ledger entries reference it and
-- the ledger is append-only) and points at the survivor; imports and lookups
-- of its key land on the survivor.
ALTER TABLE customers ADD COLUMN merged_into INTEGER REFERENCES customers (id);
CREATE INDEX customers_merged_into ON customers (merged_into) WHERE merged_into IS NOT NULL;

-- The log of merges and undos. `saved` holds, as JSON, every row the merge
-- changed as it was before (and the keys of the rows it added), so an undo
-- puts each back; `marks` the highest row ids right after the merge, so later
-- activity on the survivor is told apart.
CREATE TABLE merges (
    id INTEGER PRIMARY KEY,
    survivor_id INTEGER NOT NULL REFERENCES customers (id),
    merged_id INTEGER NOT NULL REFERENCES customers (id),
    at TEXT NOT NULL,
    undone_at TEXT,
    saved TEXT NOT NULL,
    marks TEXT NOT NULL
);
CREATE INDEX merges_survivor ON merges (survivor_id);
CREATE INDEX merges_merged ON merges (merged_id);

-- The ledger entries a merge (undo = 0) or its undo (undo = 1) wrote: the
-- transfers of points between the two customers.
CREATE TABLE merge_ledger (
    ledger_id INTEGER PRIMARY KEY REFERENCES ledger (id),
    merge_id INTEGER NOT NULL REFERENCES merges (id),
    undo INTEGER NOT NULL CHECK (undo IN (0, 1))
);

-- Pairs the seller said are not the same person (a < b): never suggested again.
CREATE TABLE merge_declined (
    a INTEGER NOT NULL REFERENCES customers (id),
    b INTEGER NOT NULL REFERENCES customers (id),
    at TEXT NOT NULL,
    PRIMARY KEY (a, b)
) WITHOUT ROWID;
