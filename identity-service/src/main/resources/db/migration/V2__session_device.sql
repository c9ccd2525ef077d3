-- What a session shows of its device: the user agent and the IP it signed in from.
ALTER TABLE user_session ADD COLUMN user_agent VARCHAR(400);
ALTER TABLE user_session ADD COLUMN ip VARCHAR(64);
CREATE INDEX user_session_user_device ON user_session (user_id, device_name);
