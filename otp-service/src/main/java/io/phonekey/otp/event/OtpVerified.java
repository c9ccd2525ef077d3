package io.phonekey.otp.event;

import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Payload of {@code otp.verified} (schema: docs/events/otp-verified.v1.json). Never carries the code. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OtpVerified(
        String verificationId,
        String phone,
        String channel,
        String purpose,
        Instant verifiedAt,
        Map<String, Object> metadata,
        Map<String, Object> context) {

    public static final String TYPE = "io.phonekey.otp.verified.v1";
}
