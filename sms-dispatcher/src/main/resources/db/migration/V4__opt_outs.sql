-- Consent from incoming messages (STOP/START keywords). sms_opt_out holds the current state per phone, across
-- channels; sms_consent_event is the append-only history. A webhook Twilio retries carries the same MessageSid, which
-- is unique in the history, so it is recorded once and changes the state once.
CREATE TABLE sms_opt_out (
    phone       VARCHAR(20) PRIMARY KEY,
    channel     VARCHAR(16) NOT NULL,
    opted_out   BOOLEAN     NOT NULL,
    keyword     VARCHAR(32) NOT NULL,
    source      VARCHAR(32) NOT NULL,
    message_sid VARCHAR(64),
    changed_at  TIMESTAMPTZ NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL
);

CREATE TABLE sms_consent_event (
    id          UUID PRIMARY KEY,
    phone       VARCHAR(20) NOT NULL,
    channel     VARCHAR(16) NOT NULL,
    action      VARCHAR(16) NOT NULL CHECK (action IN ('opt_out', 'opt_in')),
    keyword     VARCHAR(32) NOT NULL,
    source      VARCHAR(32) NOT NULL,
    message_sid VARCHAR(64) NOT NULL UNIQUE,
    at          TIMESTAMPTZ NOT NULL
);

CREATE INDEX sms_consent_event_phone ON sms_consent_event (phone, at);
