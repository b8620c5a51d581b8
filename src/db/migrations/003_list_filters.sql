-- kehu schema 3: indexes so the app's list filters page without scanning
-- (orders by status, customers on the blacklist).
CREATE INDEX orders_status_created ON orders (status, created_at, id);
CREATE INDEX customers_blacklisted ON customers (blacklisted, last_order_at, id);
