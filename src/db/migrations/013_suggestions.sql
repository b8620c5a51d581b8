-- kehu schema 13: the shop's counts the suggestions (个性化推荐) read, so a
-- buyer's suggestions never scan every order. An import updates them for
-- the buyers its file touched (db/suggest_inc.rs); one that touches a large
-- part of the shop empties suggest_totals' '' key instead, and an empty one
-- means the counts are rebuilt from every valid order with lines
-- (db/suggest.rs) before they are read.
-- Valid orders holding each title.
CREATE TABLE suggest_titles (
    title TEXT PRIMARY KEY,
    orders INTEGER NOT NULL
) WITHOUT ROWID;
-- Valid orders holding both titles, each pair both ways.
CREATE TABLE suggest_pairs (
    a TEXT NOT NULL,
    b TEXT NOT NULL,
    orders INTEGER NOT NULL,
    PRIMARY KEY (a, b)
) WITHOUT ROWID;
-- Valid orders holding each title, by the segment its buyer was in just
-- before the order.
CREATE TABLE suggest_segments (
    segment TEXT NOT NULL,
    title TEXT NOT NULL,
    orders INTEGER NOT NULL,
    PRIMARY KEY (segment, title)
) WITHOUT ROWID;
-- Totals: valid orders with lines by segment (key: its code) and in the
-- whole shop (key ''); how the buyers' own habit did ('repeat_seen' titles
-- bought again against 'repeat_expected_ppm' millionths expected).
CREATE TABLE suggest_totals (
    key TEXT PRIMARY KEY,
    value INTEGER NOT NULL
) WITHOUT ROWID;
