package io.phonekey.sms.repository;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;

/**
 * A message this courier was asked to send, with its state: {@code queued → sent → delivered | undelivered | failed},
 * or {@code dropped} (expired before it could go out). Holds no code and no full phone number.
 */
@Entity
@Table(name = "sms_message")
public class SmsMessage extends PanacheEntityBase {

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

    public String status;

    @Column(name = "error_code")
    public String errorCode;

    public String reason;

    @Column(name = "send_count")
    public int sendCount;

    @Column(name = "body_redacted")
    public String bodyRedacted;

    @Column(name = "expires_at")
    public Instant expiresAt;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;

    public static Uni<SmsMessage> findByProviderMessageId(String providerMessageId) {
        return find("providerMessageId", providerMessageId).firstResult();
    }

    public static Uni<SmsMessage> findByCeId(String ceId) {
        return find("ceId", ceId).firstResult();
    }

    @Override
    public String toString() {
        return "SmsMessage[id=" + id + ", status=" + status + ", to=" + phoneMasked + "]";
    }
}
