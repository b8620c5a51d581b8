-- kehu schema 12: each customer's predictions (next valid order, churn risk
-- within the horizon, expected net spend over 12 months), refreshed after an
-- import and when the day changes, so the customers list can sort by value
-- and filter "valuable and at risk" from an index. See docs/prediction.md.
CREATE TABLE predictions (
    customer_id INTEGER PRIMARY KEY,
    -- the expected date of the next valid order; NULL without a valid order
    next_order_at TEXT,
    -- the probability of no valid order within the horizon; NULL likewise
    churn_risk REAL,
    value_12m_fen INTEGER NOT NULL,
    -- valuable (value in the shop's top fifth) and at risk (churn_risk >= 0.5)
    at_risk INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX predictions_value ON predictions (value_12m_fen, customer_id);
-- The one run the rows are from: the day it predicted for, its horizon and
-- the fitted model (its weights, for docs and checks).
CREATE TABLE prediction_run (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    as_of TEXT NOT NULL,
    horizon_days INTEGER NOT NULL,
    valuable_fen INTEGER NOT NULL,
    model TEXT NOT NULL
);
-- Every buyer's valid and refunded orders in time order with their money,
-- read whole by each refresh and backtest without the orders' wide rows.
CREATE INDEX orders_history ON orders (customer_id, created_at, status, paid_fen, refund_fen)
    WHERE status IN ('paid', 'shipped', 'completed', 'refunded');
