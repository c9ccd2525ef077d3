-- Accounts beyond phone login: registration with consent, passwords, 2FA, Telegram linking.
ALTER TABLE app_user ADD COLUMN phone_verified_at  TIMESTAMPTZ;
ALTER TABLE app_user ADD COLUMN sms_opt_in         BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE app_user ADD COLUMN mfa_enabled        BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE app_user ADD COLUMN telegram_user_id   BIGINT;
ALTER TABLE app_user ADD COLUMN telegram_linked_at TIMESTAMPTZ;
UPDATE app_user SET phone_verified_at = created_at WHERE phone_verified;

-- What the user agreed to (TCPA consent, SMS opt-in), when and from which IP. Rows are never updated.
CREATE TABLE consent (
    id         UUID PRIMARY KEY,
    user_id    UUID        NOT NULL REFERENCES app_user (id),
    kind       VARCHAR(32) NOT NULL,
    granted    BOOLEAN     NOT NULL,
    wording    VARCHAR(64) NOT NULL,
    ip         VARCHAR(64),
    agreed_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX consent_user ON consent (user_id);

-- A code this service asked for on a user's behalf (2FA login, phone change, Telegram link): the verification id
-- binds the code's approval to that user and nobody else.
CREATE TABLE pending_action (
    verification_id VARCHAR(64) PRIMARY KEY,
    kind            VARCHAR(32) NOT NULL,
    user_id         UUID        NOT NULL REFERENCES app_user (id),
    phone           VARCHAR(20) NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    expires_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX pending_action_user ON pending_action (user_id, kind);

-- Failed password logins per account and per client IP, in fixed windows.
CREATE TABLE login_failure (
    subject      VARCHAR(400) PRIMARY KEY,
    window_start TIMESTAMPTZ  NOT NULL,
    failures     INT          NOT NULL
);

-- The transactional outbox: an event is written in the same transaction as the change it announces, and relayed to
-- Kafka afterwards (at least once; consumers de-duplicate on the id, which is the CloudEvents ce_id).
CREATE TABLE outbox (
    id            UUID PRIMARY KEY,
    topic         VARCHAR(64)  NOT NULL,
    event_key     VARCHAR(32)  NOT NULL,
    payload       TEXT         NOT NULL,
    created_at    TIMESTAMPTZ  NOT NULL,
    claimed_until TIMESTAMPTZ,
    attempts      INT          NOT NULL DEFAULT 0,
    published_at  TIMESTAMPTZ
);
CREATE INDEX outbox_pending ON outbox (created_at) WHERE published_at IS NULL;

-- Events consumed (otp.verified), by ce_id: a redelivery changes nothing.
CREATE TABLE processed_event (
    ce_id        VARCHAR(64) PRIMARY KEY,
    processed_at TIMESTAMPTZ NOT NULL
);
