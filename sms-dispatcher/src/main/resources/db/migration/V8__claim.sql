-- The courier's claim and its check step in one call, so that a first delivery costs one round trip and one commit
-- to PostgreSQL instead of two: stores the message as queued with one send counted, unless a row with its ce_id
-- exists ('exists': committed, or committed by the concurrent insert this one waited for), then books its estimate
-- as sms_reserve does (V6) and answers 'booked', or the cap that refuses it ('cost_cap_phone', 'cost_cap_country';
-- the row stays claimed, nothing booked). Claim and booking commit together: a message that is to be sent is never
-- claimed without its booking. (Expired codes and notices to opted-out phones are claimed with a plain insert.)
CREATE FUNCTION sms_claim(p_id UUID, p_ce_id VARCHAR, p_verification_id VARCHAR, p_phone_masked VARCHAR,
                          p_phone VARCHAR, p_country VARCHAR, p_channel VARCHAR, p_purpose VARCHAR,
                          p_provider VARCHAR, p_expires_at TIMESTAMPTZ, p_now TIMESTAMPTZ, p_day DATE,
                          p_country_key VARCHAR, p_amount NUMERIC, p_segments INT, p_phone_cap NUMERIC,
                          p_country_cap NUMERIC) RETURNS VARCHAR
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO sms_message (id, ce_id, verification_id, phone_masked, phone, country, channel, purpose, provider,
                             status, send_count, expires_at, created_at, updated_at)
    VALUES (p_id, p_ce_id, p_verification_id, p_phone_masked, p_phone, p_country, p_channel, p_purpose, p_provider,
            'queued', 1, p_expires_at, p_now, p_now)
    ON CONFLICT (ce_id) DO NOTHING;
    IF NOT FOUND THEN
        RETURN 'exists';
    END IF;
    RETURN COALESCE(sms_reserve(p_id, p_day, p_phone, p_country_key, p_amount, p_segments, p_phone_cap,
                                p_country_cap), 'booked');
END;
$$;
