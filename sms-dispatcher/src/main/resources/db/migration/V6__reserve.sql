-- The courier's check step in one call: books a message's estimate against its phone's and then its country's spend
-- of the day, each only while the total stays within its cap (NULL: no cap), and stores the estimate on the message.
-- Answers NULL when booked, else the cap that refuses it ('cost_cap_phone' or 'cost_cap_country'), having booked
-- nothing. Rows are locked phone first, then country (as SpendLedger does), so concurrent calls cannot deadlock; a
-- concurrent booking waits for the row lock and sees the committed total, so consumers and replicas together never
-- pass a cap. One statement, so the country's row (shared by every message in flight to that country) stays locked
-- only for the rest of this call and its commit, never across a round trip.
CREATE FUNCTION sms_reserve(p_message UUID, p_day DATE, p_phone VARCHAR, p_country VARCHAR, p_amount NUMERIC,
                            p_segments INT, p_phone_cap NUMERIC, p_country_cap NUMERIC) RETURNS VARCHAR
LANGUAGE plpgsql AS $$
BEGIN
    IF p_phone_cap IS NOT NULL AND p_amount > p_phone_cap THEN
        RETURN 'cost_cap_phone';
    END IF;
    IF p_country_cap IS NOT NULL AND p_amount > p_country_cap THEN
        RETURN 'cost_cap_country';
    END IF;
    INSERT INTO sms_spend AS s (day, scope, key, amount, messages) VALUES (p_day, 'phone', p_phone, p_amount, 1)
    ON CONFLICT (day, scope, key) DO UPDATE SET amount = s.amount + EXCLUDED.amount, messages = s.messages + 1
        WHERE p_phone_cap IS NULL OR s.amount + EXCLUDED.amount <= p_phone_cap;
    IF NOT FOUND THEN
        RETURN 'cost_cap_phone';
    END IF;
    INSERT INTO sms_spend AS s (day, scope, key, amount, messages) VALUES (p_day, 'country', p_country, p_amount, 1)
    ON CONFLICT (day, scope, key) DO UPDATE SET amount = s.amount + EXCLUDED.amount, messages = s.messages + 1
        WHERE p_country_cap IS NULL OR s.amount + EXCLUDED.amount <= p_country_cap;
    IF NOT FOUND THEN
        -- Give the phone's booking back: its row is still locked by this transaction, so nobody saw it.
        UPDATE sms_spend SET amount = amount - p_amount, messages = messages - 1
        WHERE day = p_day AND scope = 'phone' AND key = p_phone;
        RETURN 'cost_cap_country';
    END IF;
    UPDATE sms_message SET segments = p_segments, cost_estimate = p_amount WHERE id = p_message;
    RETURN NULL;
END;
$$;
