-- What each message cost: the segments it took, the provider's price when it reports one (Twilio's is negative; the
-- absolute value is stored) and what the courier reserved against the daily caps before sending it (USD).
ALTER TABLE sms_message
    ADD COLUMN segments      INT,
    ADD COLUMN price         NUMERIC(10, 5),
    ADD COLUMN price_unit    VARCHAR(3),
    ADD COLUMN cost_estimate NUMERIC(10, 5);

-- The admin API lists by phone, country or status, newest first, and otherwise by time alone.
CREATE INDEX sms_message_phone_created ON sms_message (phone, created_at);
CREATE INDEX sms_message_country_created ON sms_message (country, created_at);
CREATE INDEX sms_message_status_created ON sms_message (status, created_at);
CREATE INDEX sms_message_created ON sms_message (created_at);

-- Spend per UTC day, per phone (scope 'phone', key E.164) and per country (scope 'country', key ISO region).
-- A reservation is one conditional upsert (amount + x <= cap), so concurrent consumers and replicas can never
-- together pass a cap; a message that ends failed gives its amount back.
CREATE TABLE sms_spend (
    day      DATE           NOT NULL,
    scope    VARCHAR(8)     NOT NULL,
    key      VARCHAR(20)    NOT NULL,
    amount   NUMERIC(12, 5) NOT NULL,
    messages INT            NOT NULL,
    PRIMARY KEY (day, scope, key)
);
