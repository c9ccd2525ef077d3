package io.phonekey.otp.service;

import java.time.Instant;
import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The public view of a verification, as the API answers it. Never holds the code, except the opt-in debug copy. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(description = "A verification. Which fields are present depends on the call: the create answers "
        + "`expires_in` and `resend_after`, a check `verified_at` and `metadata`, a read `attempts_left` and "
        + "`verified_at` once approved; absent fields are left out, never null.")
public record Verification(
        @Schema(description = "The verification id (UUID)", required = true,
                example = "0b9f5a3e-6f0e-4a53-9a43-3d4b1f2c7e10") String id,
        @Schema(description = "The number in E.164", required = true, example = "+447400123456") String phone,
        @Schema(description = "The delivery channel", required = true, enumeration = {
                "sms", "whatsapp", "telegram", "auto"}, example = "sms") String channel,
        @Schema(description = "What the code is for", required = true, enumeration = {"login", "signup",
                "link_telegram", "password_reset", "2fa", "transaction"}, example = "2fa") String purpose,
        @Schema(description = "Where the verification stands", required = true, enumeration = {"pending", "approved",
                "canceled", "max_attempts_reached", "expired"}, example = "pending") String status,
        @Schema(description = "When the code stops working", example = "2026-12-01T12:10:00.123Z") Instant expiresAt,
        @Schema(description = "The code's life in seconds (create only)", example = "600") Long expiresIn,
        @Schema(description = "Checks still allowed", example = "5") Integer attemptsLeft,
        @Schema(description = "Seconds before another code to this phone is accepted (create only)",
                example = "30") Long resendAfter,
        @Schema(description = "When a check approved the code",
                example = "2026-12-01T12:02:41.512Z") Instant verifiedAt,
        @Schema(description = "The metadata given at create (`{}` when none); answered by a successful check",
                example = "{\"order_id\": \"A-1001\"}") Map<String, Object> metadata,
        @Schema(description = "The code itself, only with OTP_EXPOSE_CODE=true (development; refused in prod)",
                example = "123456") String debugCode){
}
