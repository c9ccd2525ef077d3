-- A code the bot handed to Telegram, recorded before its outcome is published: when that publish fails (the broker
-- down) the event comes back, and its redelivery announces the stored outcome again instead of sending the code twice.
-- (A Gateway API send is recorded the same way by its gateway_request row.)
CREATE TABLE delivery_step (
    ce_id   VARCHAR(200) PRIMARY KEY,
    step    VARCHAR(20)  NOT NULL,
    sent_at TIMESTAMPTZ  NOT NULL
);
CREATE INDEX gateway_request_ce_id ON gateway_request (ce_id);
