package io.phonekey.sms.event;

import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** This service's reading of {@code otp.requested} (docs/events/otp-requested.v1.json); unknown fields are ignored. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record OtpRequested(
        String verificationId,
        String phone,
        String channel,
        String purpose,
        String locale,
        EncryptedCode code,
        Instant expiresAt,
        String linkTemplate,
        Map<String, Object> metadata,
        String amount,
        String payee,
        String fallbackFrom) {

    /** The sealed code. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record EncryptedCode(String alg, String kid, String iv, String ciphertext) {
    }

    /** Whether the fields this service needs are present. */
    public boolean complete() {
        return verificationId != null && phone != null && channel != null && code != null && expiresAt != null;
    }
}
