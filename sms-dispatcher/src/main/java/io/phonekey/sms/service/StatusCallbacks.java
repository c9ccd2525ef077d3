package io.phonekey.sms.service;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.phonekey.contract.event.DeliveryChannel;
import io.phonekey.contract.event.DeliveryStatus;
import io.phonekey.contract.event.OtpDeliveryStatus;
import io.phonekey.sms.event.DeliveryPublisher;
import io.phonekey.sms.provider.SendResult;
import io.phonekey.sms.repository.SmsMessage;
import io.phonekey.sms.repository.SpendLedger;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * Applies Twilio status callbacks to the message log. A status only moves forward (queued &lt; sent &lt; delivered |
 * undelivered | failed), so late, out-of-order or repeated callbacks change nothing; each real change is published on
 * {@code otp.delivery}. A message that ends failed gives back its reserved spend; segments and a price are stored when
 * a callback carries them (Twilio's usually do not).
 */
@ApplicationScoped
public class StatusCallbacks {

    /** Twilio's statuses as ours; the ones before "sent" are all "queued" to us. */
    private static final Map<String, DeliveryStatus> TWILIO = Map.of("accepted", DeliveryStatus.QUEUED, "scheduled",
            DeliveryStatus.QUEUED, "queued", DeliveryStatus.QUEUED, "sending", DeliveryStatus.QUEUED, "sent",
            DeliveryStatus.SENT, "delivered", DeliveryStatus.DELIVERED, "undelivered", DeliveryStatus.UNDELIVERED,
            "failed", DeliveryStatus.FAILED, "read", DeliveryStatus.DELIVERED);
    /** Forward only: queued, then sent, then one of the ends. */
    private static final Map<DeliveryStatus, Integer> RANK = Map.of(DeliveryStatus.QUEUED, 0, DeliveryStatus.SENT, 1,
            DeliveryStatus.DELIVERED, 2, DeliveryStatus.UNDELIVERED, 2, DeliveryStatus.FAILED, 2);

    private final DeliveryPublisher deliveries;
    private final SpendLedger ledger;
    private final DeliveryMeters meters;

    public StatusCallbacks(DeliveryPublisher deliveries, SpendLedger ledger, DeliveryMeters meters) {
        this.deliveries = deliveries;
        this.ledger = ledger;
        this.meters = meters;
    }

    /**
     * Applies a callback (message id, status and what it reported of the cost); completes with whether the message's
     * status changed. Unknown messages are ignored.
     */
    public Uni<Boolean> apply(SendResult report, String errorCode) {
        String messageSid = report.providerMessageId();
        DeliveryStatus next = report.status() == null ? null : TWILIO.get(report.status());
        if (messageSid == null || next == null) {
            return Uni.createFrom().item(false);
        }
        int nextRank = RANK.get(next);
        List<DeliveryStatus> lower = RANK.entrySet().stream().filter(e -> e.getValue() < nextRank)
                .map(Map.Entry::getKey).toList();
        // One conditional update decides: concurrent or late callbacks can never move the status backwards. A "sent"
        // that comes before the courier stored its own outcome marks the provider's acceptance (sent_at).
        Instant now = Instant.now();
        String set = next == DeliveryStatus.SENT
                ? "status = ?1, errorCode = ?2, updatedAt = ?3, sentAt = ?3"
                : "status = ?1, errorCode = ?2, updatedAt = ?3";
        String reason = errorCode == null ? null : "provider_error";
        return Panache.withTransaction(() -> SmsMessage.update(
                set + " where providerMessageId = ?4 and status in (?5)", next, errorCode, now, messageSid, lower)
                .flatMap(changed -> changed == 0
                        ? Uni.createFrom().<SmsMessage>nullItem()
                        : SmsMessage.findByProviderMessageId(messageSid))
                .call(row -> row == null ? Uni.createFrom().voidItem() : account(row, next, report)))
                // Counted once, when the change is committed ("sent" is the courier's to count: it stored it too).
                .invoke(row -> {
                    if (row != null && next != DeliveryStatus.SENT) {
                        meters.callback(row, next, reason, now);
                    }
                })
                .flatMap(row -> row == null
                        ? Uni.createFrom().item(false)
                        // otp.delivery follows verifications; a notice's status stays in the message log.
                        : !row.isVerificationCode()
                                ? Uni.createFrom().item(true)
                                : deliveries.publish(new OtpDeliveryStatus().withVerificationId(row.verificationId)
                                        .withPhone(row.phone).withChannel(DeliveryChannel.fromValue(row.channel))
                                        .withStatus(next).withProvider(row.provider)
                                        .withProviderMessageId(row.providerMessageId)
                                        .withReason(reason)
                                        .withErrorCode(errorCode).withAttempts((long) row.sendCount)
                                        .withOccurredAt(Instant.now())).replaceWith(true));
    }

    private Uni<Void> account(SmsMessage row, DeliveryStatus status, SendResult report) {
        row.segments = report.segments() == null ? row.segments : report.segments();
        return status == DeliveryStatus.FAILED
                ? ledger.release(row)
                : ledger.priced(row, report.price(), report.priceUnit());
    }
}
