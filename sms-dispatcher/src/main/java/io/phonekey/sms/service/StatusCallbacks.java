package io.phonekey.sms.service;

import java.time.Instant;
import java.util.List;
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
        List<String> lower = RANK.entrySet().stream().filter(e -> e.getValue() < nextRank).map(Map.Entry::getKey)
                .toList();
        // One conditional update decides: concurrent or late callbacks can never move the status backwards.
        return Panache.withTransaction(() -> SmsMessage.update(
                "status = ?1, errorCode = ?2, updatedAt = ?3 where providerMessageId = ?4 and status in (?5)", next,
                errorCode, Instant.now(), messageSid, lower)
                .flatMap(changed -> changed == 0
                        ? Uni.createFrom().<SmsMessage>nullItem()
                        : SmsMessage.findByProviderMessageId(messageSid)))
                .flatMap(row -> row == null
                        ? Uni.createFrom().item(false)
                        : deliveries.publish(new OtpDelivery(row.verificationId, row.phone, row.channel, next,
                                row.provider, row.providerMessageId, errorCode == null ? null : "provider_error",
                                errorCode, row.sendCount, Instant.now())).replaceWith(true));
    }
}
