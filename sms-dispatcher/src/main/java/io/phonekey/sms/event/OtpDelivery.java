package io.phonekey.sms.event;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Payload of {@code otp.delivery} (docs/events/otp-delivery.v1.json): what became of a code's message. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OtpDelivery(
        String verificationId,
        String phone,
        String channel,
        String status,
        String provider,
        String providerMessageId,
        String reason,
        String errorCode,
        Integer attempts,
        Instant occurredAt) {

    public static final String TYPE = "io.phonekey.otp.delivery.v1";
}
