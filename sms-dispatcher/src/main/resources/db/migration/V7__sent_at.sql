-- When the provider accepted the message (its status became sent): the start of the delivery latency that a
-- "delivered" status callback measures (metric phonekey.sms.delivery.latency). NULL for messages never sent and for
-- those sent before this column existed.
ALTER TABLE sms_message ADD COLUMN sent_at TIMESTAMPTZ;
