package io.phonekey.otp.rest;

import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Body of {@code POST /api/v1/verifications/check}: the code and either the verification id or the phone. */
@Schema(description = "A code to check, with `verification_id` or `phone` (or both: then the phone must be the "
        + "verification's).")
public record CheckVerificationRequest(
        @Schema(description = "The code the user typed: 4 to 10 digits", required = true, pattern = "^[0-9]{4,10}$",
                example = "123456") String code,
        @Schema(description = "The `id` the create answered; this or `phone` is required",
                example = "0b9f5a3e-6f0e-4a53-9a43-3d4b1f2c7e10") String verificationId,
        @Schema(description = "The number the code was sent to (any format); the pending verification of this phone "
                + "and `purpose` is checked", example = "+447400123456") String phone,
        @Schema(description = "ISO 3166 alpha-2 region for a national `phone`", example = "GB") String region,
        @Schema(description = "The purpose the code was sent for (default login when checking by phone)",
                enumeration = {
                        "login", "signup", "link_telegram", "password_reset", "2fa",
                        "transaction"},
                example = "2fa") String purpose,
        @Schema(description = "Any JSON object, carried in the otp.verified event",
                example = "{\"chat_id\": 42}") Map<String, Object> context,
        @Schema(description = "With purpose transaction: must equal the amount the code was sent with",
                example = "129.99 EUR") String amount,
        @Schema(description = "With purpose transaction: must equal the payee the code was sent with",
                example = "ACME Books") String payee){
}
