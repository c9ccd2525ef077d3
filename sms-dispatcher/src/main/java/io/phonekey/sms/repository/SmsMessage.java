package io.phonekey.sms.repository;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.phonekey.contract.event.DeliveryStatus;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;

/**
 * A message this courier was asked to send, with its state: {@code queued → sent → delivered | undelivered | failed},
 * or {@code dropped} (expired before it could go out) or {@code refused} (over a daily cost cap). Holds no code;
 * the full phone number only for keying events and spend, never shown.
 */
@Entity
@Table(name = "sms_message")
public class SmsMessage extends PanacheEntityBase {

    /** Every status a message can have. */
    public static final Set<String> STATUSES = java.util.Arrays.stream(DeliveryStatus.values())
            .map(DeliveryStatus::value).collect(java.util.stream.Collectors.toUnmodifiableSet());

    @Id
    public UUID id;

    @Column(name = "ce_id")
    public String ceId;

    @Column(name = "verification_id")
    public String verificationId;

    @Column(name = "phone_masked")
    public String phoneMasked;

    /** E.164; only for keying events and matching opt-outs, never logged or shown. */
    public String phone;

    public String country;
    public String channel;
    public String purpose;
    public String provider;

    @Column(name = "provider_message_id")
    public String providerMessageId;

    public DeliveryStatus status;

    @Column(name = "error_code")
    public String errorCode;

    public String reason;

    @Column(name = "send_count")
    public int sendCount;

    @Column(name = "body_redacted")
    public String bodyRedacted;

    /** Segments: the provider's count when it reports one, else this service's (GSM-7 or UCS-2). */
    public Integer segments;

    /** The provider's price of the message (absolute), when it reports one. */
    public BigDecimal price;

    @Column(name = "price_unit")
    public String priceUnit;

    /** What the courier reserved against the daily caps before sending (USD); null when it reserved nothing. */
    @Column(name = "cost_estimate")
    public BigDecimal costEstimate;

    @Column(name = "expires_at")
    public Instant expiresAt;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;

    /** When the provider accepted the message (it became {@code sent}); null before, or if it never was. */
    @Column(name = "sent_at")
    public Instant sentAt;

    /** A verification code's message (its outcomes go on otp.delivery), not a security notice ({@code notice_*}). */
    public boolean isVerificationCode() {
        return purpose == null || !purpose.startsWith("notice_");
    }

    public static Uni<SmsMessage> findByProviderMessageId(String providerMessageId) {
        return find("providerMessageId", providerMessageId).firstResult();
    }

    public static Uni<SmsMessage> findByCeId(String ceId) {
        return find("ceId", ceId).firstResult();
    }

    /** Messages newest first, each filter applied when not null: E.164 phone, status, created at or after. */
    public static Uni<List<SmsMessage>> search(String phone, String status, Instant since, int limit) {
        List<String> where = new ArrayList<>();
        Parameters params = new Parameters();
        if (phone != null) {
            where.add("phone = :phone");
            params.and("phone", phone);
        }
        if (status != null) {
            where.add("status = :status");
            params.and("status", DeliveryStatus.fromValue(status));
        }
        if (since != null) {
            where.add("createdAt >= :since");
            params.and("since", since);
        }
        Sort newestFirst = Sort.descending("createdAt", "id");
        return (where.isEmpty() ? findAll(newestFirst) : find(String.join(" and ", where), newestFirst, params))
                .range(0, limit - 1)
                .list();
    }

    @Override
    public String toString() {
        return "SmsMessage[id=" + id + ", status=" + status + ", to=" + phoneMasked + "]";
    }
}
