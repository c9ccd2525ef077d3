-- The chat registry: which Telegram chat (and Telegram user) belongs to which phone and, once linked, which user.
CREATE TABLE telegram_chat (
    chat_id          BIGINT       PRIMARY KEY,
    telegram_user_id BIGINT       NOT NULL,
    phone            VARCHAR(20)  UNIQUE,
    user_id          UUID,
    blocked          BOOLEAN      NOT NULL DEFAULT FALSE,
    created_at       TIMESTAMPTZ  NOT NULL,
    updated_at       TIMESTAMPTZ  NOT NULL
);

-- Events already handled, by CloudEvents id: a redelivered event does nothing twice.
CREATE TABLE processed_event (
    ce_id        VARCHAR(200) PRIMARY KEY,
    processed_at TIMESTAMPTZ  NOT NULL
);
