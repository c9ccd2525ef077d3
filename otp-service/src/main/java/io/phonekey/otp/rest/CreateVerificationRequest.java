package io.phonekey.otp.rest;

import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Body of {@code POST /api/v1/verifications}. */
@Schema(description = "A code to send. Only `phone` is required; `amount` and `payee` with purpose transaction.")
public record CreateVerificationRequest(
        @Schema(description = "The number, international (+ and country code, any punctuation) or national with "
                + "`region`; at most 32 characters", required = true, example = "+447400123456") String phone,
        @Schema(description = "ISO 3166 alpha-2 region for a national number", example = "GB") String region,
        @Schema(description = "How the code is delivered", enumeration = {
                "sms", "whatsapp", "telegram", "auto"}, defaultValue = "sms", example = "sms") String channel,
        @Schema(description = "What the code is for; each purpose's codes are checked only for it", enumeration = {
                "login", "signup", "link_telegram", "password_reset", "2fa",
                "transaction"}, defaultValue = "login", example = "2fa") String purpose,
        @Schema(description = "Language tag that picks the message language (default: the phone's country)",
                example = "en") String locale,
        @Schema(description = "Any JSON object, at most 4 KiB; stored with the verification, returned by a "
                + "successful check and carried in the events",
                example = "{\"order_id\": \"A-1001\"}") Map<String, Object> metadata,
        @Schema(description = "The end user's IPv4 or IPv6 address, counted by the per-IP limit",
                example = "203.0.113.7") String clientIp,
        @Schema(description = "Required with purpose transaction: the amount as shown to the user",
                example = "129.99 EUR") String amount,
        @Schema(description = "Required with purpose transaction: the payee as shown to the user",
                example = "ACME Books") String payee){
}
