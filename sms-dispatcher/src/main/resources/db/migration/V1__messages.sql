-- One row per otp.requested event this courier handles. ce_id is the de-duplication key: a redelivered event finds
-- its row and sends nothing new. The text is stored with the code redacted; the phone only masked.
CREATE TABLE sms_message (
    id                  UUID PRIMARY KEY,
    ce_id               VARCHAR(200) NOT NULL UNIQUE,
    verification_id     VARCHAR(100) NOT NULL,
    phone_masked        VARCHAR(32)  NOT NULL,
    country             VARCHAR(2),
    channel             VARCHAR(16)  NOT NULL,
    purpose             VARCHAR(32),
    provider            VARCHAR(32)  NOT NULL,
    provider_message_id VARCHAR(100),
    status              VARCHAR(16)  NOT NULL,
    error_code          VARCHAR(32),
    reason              VARCHAR(200),
    send_count          INT          NOT NULL DEFAULT 0,
    body_redacted       TEXT,
    expires_at          TIMESTAMPTZ  NOT NULL,
    created_at          TIMESTAMPTZ  NOT NULL,
    updated_at          TIMESTAMPTZ  NOT NULL
);

CREATE INDEX sms_message_verification ON sms_message (verification_id);
CREATE INDEX sms_message_provider_id ON sms_message (provider_message_id);
