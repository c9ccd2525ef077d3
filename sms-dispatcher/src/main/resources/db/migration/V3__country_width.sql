-- libphonenumber names non-geographic numbers (+800, +870, +881...) with the region "001".
ALTER TABLE sms_message ALTER COLUMN country TYPE VARCHAR(3);
