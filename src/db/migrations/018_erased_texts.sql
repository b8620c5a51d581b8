-- kehu schema 18: what identified an erased person, kept only hashed
-- (SHA-256 hex of the text with spaces and quotes taken out): their buyer
-- keys, nicknames, phones and addresses. A row an import rejects for any
-- reason is not stored with its text when one of its cells is one of these
-- (src/db/privacy.rs), so a damaged row of an old export does not bring an
-- erased person's data back through the rejected rows.
CREATE TABLE IF NOT EXISTS erased_texts (
    hash TEXT PRIMARY KEY
) WITHOUT ROWID;
