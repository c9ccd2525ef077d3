-- The chat registry as the bot fills it: who the chat is, in which language it is answered, and when it was linked.
ALTER TABLE telegram_chat ADD COLUMN username   VARCHAR(64);
ALTER TABLE telegram_chat ADD COLUMN first_name VARCHAR(128);
ALTER TABLE telegram_chat ADD COLUMN last_name  VARCHAR(128);
ALTER TABLE telegram_chat ADD COLUMN language   VARCHAR(16);
ALTER TABLE telegram_chat ADD COLUMN linked_at  TIMESTAMPTZ;

-- Every move of a phone from one chat to another (a device switch), and every unlink: the registry's history.
CREATE TABLE chat_move (
    id           BIGSERIAL PRIMARY KEY,
    phone        VARCHAR(20) NOT NULL,
    from_chat_id BIGINT,
    to_chat_id   BIGINT,
    reason       VARCHAR(32) NOT NULL,
    moved_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX chat_move_phone ON chat_move (phone);

-- Telegram updates as received: the webhook stores each update_id once and answers at once; the bot works from here,
-- so an update acknowledged to Telegram is never lost, and a redelivered one is never handled twice.
CREATE TABLE telegram_update (
    update_id    BIGINT PRIMARY KEY,
    payload      TEXT        NOT NULL,
    received_at  TIMESTAMPTZ NOT NULL,
    processed_at TIMESTAMPTZ
);
CREATE INDEX telegram_update_pending ON telegram_update (received_at) WHERE processed_at IS NULL;

-- link_telegram codes seen on otp.requested: a 6-digit message in the chat of that phone is checked against them.
CREATE TABLE pending_link (
    verification_id VARCHAR(64) PRIMARY KEY,
    phone           VARCHAR(20) NOT NULL,
    expires_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX pending_link_phone ON pending_link (phone, expires_at);

-- The Telegram Gateway API step of `auto`: one row per code sent that way, until it is delivered or falls back to SMS.
CREATE TABLE gateway_request (
    request_id      VARCHAR(128) PRIMARY KEY,
    verification_id VARCHAR(64)  NOT NULL,
    ce_id           VARCHAR(200) NOT NULL,
    phone           VARCHAR(20)  NOT NULL,
    event           TEXT         NOT NULL,
    status          VARCHAR(32)  NOT NULL,
    cost            NUMERIC(12, 6),
    fallback_at     TIMESTAMPTZ  NOT NULL,
    created_at      TIMESTAMPTZ  NOT NULL,
    updated_at      TIMESTAMPTZ  NOT NULL
);
CREATE INDEX gateway_request_verification ON gateway_request (verification_id);
CREATE INDEX gateway_request_due ON gateway_request (fallback_at) WHERE status = 'sent';
