-- Users are keyed by phone (unique, E.164) but identified by an immutable id: tokens carry the id, never the phone.
CREATE TABLE app_user (
    id               UUID PRIMARY KEY,
    tenant_id        VARCHAR(64)  NOT NULL,
    phone            VARCHAR(20)  NOT NULL UNIQUE,
    phone_verified   BOOLEAN      NOT NULL DEFAULT FALSE,
    email            VARCHAR(320) UNIQUE,
    full_name        VARCHAR(200),
    password_hash    VARCHAR(200),
    status           VARCHAR(32)  NOT NULL,
    telegram_linked  BOOLEAN      NOT NULL DEFAULT FALSE,
    created_at       TIMESTAMPTZ  NOT NULL,
    updated_at       TIMESTAMPTZ  NOT NULL
);

-- One row per login on a device. A revoked session's access tokens are refused at once.
CREATE TABLE user_session (
    id             UUID PRIMARY KEY,
    user_id        UUID         NOT NULL REFERENCES app_user (id),
    device_name    VARCHAR(200),
    created_at     TIMESTAMPTZ  NOT NULL,
    last_seen_at   TIMESTAMPTZ  NOT NULL,
    expires_at     TIMESTAMPTZ  NOT NULL,
    revoked_at     TIMESTAMPTZ,
    revoked_reason VARCHAR(64)
);
CREATE INDEX user_session_user ON user_session (user_id);

-- Opaque refresh tokens, stored as SHA-256; rotated on every use. A spent token presented again revokes its session.
CREATE TABLE refresh_token (
    token_hash     VARCHAR(64)  PRIMARY KEY,
    session_id     UUID         NOT NULL REFERENCES user_session (id),
    issued_at      TIMESTAMPTZ  NOT NULL,
    idle_expires_at TIMESTAMPTZ NOT NULL,
    spent_at       TIMESTAMPTZ
);
CREATE INDEX refresh_token_session ON refresh_token (session_id);

-- ES256 signing keys. The newest active key signs; every key not yet past retire_after is published in the JWKS.
CREATE TABLE signing_key (
    kid           VARCHAR(64)  PRIMARY KEY,
    private_key   TEXT         NOT NULL,
    public_jwk    TEXT         NOT NULL,
    created_at    TIMESTAMPTZ  NOT NULL,
    retire_after  TIMESTAMPTZ
);
