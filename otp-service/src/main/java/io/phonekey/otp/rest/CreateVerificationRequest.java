package io.phonekey.otp.rest;

import java.util.Map;

/** Body of {@code POST /api/v1/verifications}. */
public record CreateVerificationRequest(
        String phone,
        String region,
        String channel,
        String purpose,
        String locale,
        Map<String, Object> metadata,
        String clientIp,
        String amount,
        String payee) {
}
