package io.phonekey.otp.rest;

import java.util.Map;

/** Body of {@code POST /api/v1/verifications/check}: the code and either the verification id or the phone. */
public record CheckVerificationRequest(
        String code,
        String verificationId,
        String phone,
        String region,
        String purpose,
        Map<String, Object> context,
        String amount,
        String payee) {
}
