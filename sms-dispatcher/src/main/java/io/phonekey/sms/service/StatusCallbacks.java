package io.phonekey.sms.service;

import java.time.Instant;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.phonekey.sms.event.DeliveryPublisher;
import io.phonekey.sms.event.OtpDelivery;
import io.phonekey.sms.repository.SmsMessage;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * Applies Twilio status callbacks to the message log. A status only moves forward (queued &lt; sent &lt; delivered |
 * undelivered | failed), so late, out-of-order or repeated callbacks change nothing; each real change is published on
 * {@code otp.delivery}.
 */
@ApplicationScoped
public class StatusCallbacks {

    private static final Map<String, Integer> RANK = Map.of("accepted", 0, "scheduled", 0, "queued", 0,
            "sending", 0, "sent", 1, "delivered", 2, "undelivered", 2, "failed", 2, "read", 2);

    private final DeliveryPublisher deliveries;

    public StatusCallbacks(DeliveryPublisher deliveries) {
        this.deliveries = deliveries;
    }

    /** Applies a callback; completes with whether the message's status changed. Unknown messages are ignored. */
    public Uni<Boolean> apply(String messageSid, String status, String errorCode) {
        String next = "read".equals(status) ? "delivered" : status;
        Integer nextRank = RANK.get(status);
        if (messageSid == null || nextRank == null) {
            return Uni.createFrom().item(false);
        }
        return Panache.withTransaction(() -> SmsMessage.findByProviderMessageId(messageSid).map(row -> {
            if (row == null || RANK.getOrDefault(row.status, 2) >= nextRank) {
                return null;
            }
            row.status = next;
            row.errorCode = errorCode;
            row.reason = errorCode == null ? row.reason : "provider_error";
            row.updatedAt = Instant.now();
            return row;
        })).flatMap(row -> row == null
                ? Uni.createFrom().item(false)
                : deliveries.publish(new OtpDelivery(row.verificationId, row.phone, row.channel, row.status,
                        row.provider, row.providerMessageId, row.reason, row.errorCode, row.sendCount, Instant.now()))
                        .replaceWith(true));
    }
}
