-- The full number is needed to key otp.delivery events for status callbacks (and, later, to honour opt-outs).
-- It is never logged or returned by the API; the masked form stays for display.
ALTER TABLE sms_message ADD COLUMN phone VARCHAR(20);
