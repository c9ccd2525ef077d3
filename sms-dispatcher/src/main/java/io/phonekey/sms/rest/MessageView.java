package io.phonekey.sms.rest;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.phonekey.sms.repository.SmsMessage;

/** A message as the admin API shows it: the phone masked, the text with its code redacted. */
@Schema(name = "Message", description = "A message as the admin API shows it: the phone masked, the text with its "
        + "code redacted; never a full phone number or a code. Every member is present, null when unknown.")
public record MessageView(
        @Schema(description = "The message id", required = true,
                example = "7e2c4b1a-9d3f-4e8a-b5c6-1f2e3d4c5b6a") UUID id,
        @Schema(description = "The verification it carries a code of; null for a notice", required = true,
                nullable = true, example = "0b9f5a3e-6f0e-4a53-9a43-3d4b1f2c7e10") String verificationId,
        @Schema(description = "The phone, masked", required = true, example = "+44******3456") String phone,
        @Schema(description = "ISO 3166 alpha-2", required = true, nullable = true, example = "GB") String country,
        @Schema(description = "sms or whatsapp", required = true, example = "sms") String channel,
        @Schema(description = "A code's purpose, or notice_<kind>", required = true, example = "login") String purpose,
        @Schema(description = "The provider that sent it", required = true, nullable = true,
                example = "twilio") String provider,
        @Schema(description = "The provider's id (Twilio's MessageSid)", required = true, nullable = true,
                example = "SM0123456789abcdef0123456789abcdef") String providerMessageId,
        @Schema(description = "Where it stands", required = true,
                enumeration = {
                        "queued", "sent", "delivered", "undelivered", "failed", "dropped", "refused"},
                example = "delivered") String status,
        @Schema(description = "The provider's error code", required = true, nullable = true,
                example = "30003") String errorCode,
        @Schema(description = "Why it was dropped, refused or failed", required = true, nullable = true,
                example = "cost_cap_phone") String reason,
        @Schema(description = "SMS segments", required = true, nullable = true, example = "1") Integer segments,
        @Schema(description = "The price the provider reported", required = true, nullable = true,
                example = "0.0079") BigDecimal price,
        @Schema(description = "Its currency", required = true, nullable = true, example = "USD") String priceUnit,
        @Schema(description = "The cost reserved against the caps", required = true, nullable = true,
                example = "0.0079") BigDecimal costEstimate,
        @Schema(description = "Sends tried", required = true, example = "1") int sendCount,
        @Schema(description = "The text with the code redacted", required = true, nullable = true,
                example = "Your PhoneKey login verification code is: ******") String body,
        @Schema(description = "When it was queued", required = true,
                example = "2026-12-01T12:00:00.120Z") Instant createdAt,
        @Schema(description = "The last change", required = true,
                example = "2026-12-01T12:00:03.884Z") Instant updatedAt,
        @Schema(description = "When its code dies", required = true, nullable = true,
                example = "2026-12-01T12:10:00.120Z") Instant expiresAt){

    static MessageView of(SmsMessage m) {
        return new MessageView(m.id, m.verificationId, m.phoneMasked, m.country, m.channel, m.purpose, m.provider,
                m.providerMessageId, m.status == null ? null : m.status.value(), m.errorCode, m.reason, m.segments,
                m.price, m.priceUnit, m.costEstimate,
                m.sendCount, m.bodyRedacted, m.createdAt, m.updatedAt, m.expiresAt);
    }
}
