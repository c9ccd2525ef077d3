-- A key is published (in the JWKS) from created_at and signs from activates_at, so every verifier has it before the
-- first token it signed arrives. private_key now holds the key sealed with IDENTITY_SIGNING_KEY_SECRET.
ALTER TABLE signing_key ADD COLUMN activates_at TIMESTAMPTZ;
UPDATE signing_key SET activates_at = created_at;
ALTER TABLE signing_key ALTER COLUMN activates_at SET NOT NULL;
