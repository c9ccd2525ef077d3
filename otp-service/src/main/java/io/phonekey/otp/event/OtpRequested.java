package io.phonekey.otp.event;

import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Payload of {@code otp.requested} (schema: docs/events/otp-requested.v1.json). The code travels only encrypted. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OtpRequested(
        String verificationId,
        String phone,
        String channel,
        String purpose,
        String locale,
        int codeLength,
        EncryptedCode code,
        Instant requestedAt,
        Instant expiresAt,
        String linkTemplate,
        Map<String, Object> metadata,
        String amount,
        String payee,
        String fallbackFrom) {

    public static final String TYPE = "io.phonekey.otp.requested.v1";
}
