package io.phonekey.otp.service;

import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The public view of a verification, as the API answers it. Never holds the code, except the opt-in debug copy. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Verification(
        String id,
        String phone,
        String channel,
        String purpose,
        String status,
        Instant expiresAt,
        Long expiresIn,
        Integer attemptsLeft,
        Long resendAfter,
        Instant verifiedAt,
        Map<String, Object> metadata,
        String debugCode) {
}
