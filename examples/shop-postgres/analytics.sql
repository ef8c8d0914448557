-- Rebuilds the analytics schema from the staging tables, in the load's transaction.
CREATE SCHEMA IF NOT EXISTS analytics;

DROP TABLE IF EXISTS analytics.product_performance;
CREATE TABLE analytics.product_performance AS
SELECT o.product_id,
       count(*) AS orders,
       sum(o.quantity) AS units,
       sum(o.total_price) AS revenue,
       coalesce(r.reviews, 0) AS reviews,
       r.average_review
FROM staging.orders o
LEFT JOIN (SELECT product_id, count(*) AS reviews, round(avg(review), 2) AS average_review
           FROM staging.reviews GROUP BY product_id) r USING (product_id)
GROUP BY o.product_id, r.reviews, r.average_review;

DROP TABLE IF EXISTS analytics.shipment_status;
CREATE TABLE analytics.shipment_status AS
SELECT count(*) AS orders,
       count(s.shipment_id) AS shipped,
       count(*) - count(s.shipment_id) AS not_shipped,
       count(*) FILTER (WHERE s.shipment_id IS NOT NULL AND s.delivery_date IS NULL) AS undelivered,
       count(*) FILTER (WHERE s.delivery_date >= s.shipment_date + 6) AS late,
       count(*) FILTER (WHERE s.delivery_date < s.shipment_date + 6) AS on_time
FROM staging.orders o
LEFT JOIN staging.shipments s USING (order_id);
