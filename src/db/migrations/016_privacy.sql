-- kehu schema 16: privacy. One person's data given out (`kehu privacy
-- export`) and erased (`kehu privacy erase`, src/db/privacy.rs).
-- The identities erased, by SHA-256 hex of `platform:buyer_key` only: an
-- import that would create a customer with one of these keys rejects the row
-- ("erased customer") unless told `--allow-erased`.
CREATE TABLE IF NOT EXISTS erased_keys (
    key_hash TEXT PRIMARY KEY,
    at TEXT NOT NULL
) WITHOUT ROWID;

-- Every export and erasure: when, what, the hashed key of the customer's
-- identity, and how many rows it wrote out or changed.
CREATE TABLE IF NOT EXISTS privacy_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('export', 'erase')),
    key_hash TEXT NOT NULL,
    rows INTEGER NOT NULL DEFAULT 0
);
