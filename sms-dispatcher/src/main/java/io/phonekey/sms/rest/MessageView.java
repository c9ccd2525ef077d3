package io.phonekey.sms.rest;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

import io.phonekey.sms.repository.SmsMessage;

/** A message as the admin API shows it: the phone masked, the text with its code redacted. */
public record MessageView(
        UUID id,
        String verificationId,
        String phone,
        String country,
        String channel,
        String purpose,
        String provider,
        String providerMessageId,
        String status,
        String errorCode,
        String reason,
        Integer segments,
        BigDecimal price,
        String priceUnit,
        BigDecimal costEstimate,
        int sendCount,
        String body,
        Instant createdAt,
        Instant updatedAt,
        Instant expiresAt) {

    static MessageView of(SmsMessage m) {
        return new MessageView(m.id, m.verificationId, m.phoneMasked, m.country, m.channel, m.purpose, m.provider,
                m.providerMessageId, m.status == null ? null : m.status.value(), m.errorCode, m.reason, m.segments,
                m.price, m.priceUnit, m.costEstimate,
                m.sendCount, m.bodyRedacted, m.createdAt, m.updatedAt, m.expiresAt);
    }
}
