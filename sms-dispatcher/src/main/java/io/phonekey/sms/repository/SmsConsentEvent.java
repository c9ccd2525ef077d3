package io.phonekey.sms.repository;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/**
 * One consent change as it arrived (append-only): {@code opt_out} or {@code opt_in}, with its keyword and the
 * provider's message id, which is unique so that a retried webhook is recorded once.
 */
@Entity
@Table(name = "sms_consent_event")
public class SmsConsentEvent extends PanacheEntityBase {

    @Id
    public UUID id;

    public String phone;
    public String channel;

    /** {@code opt_out} or {@code opt_in}. */
    public String action;

    public String keyword;
    public String source;

    @Column(name = "message_sid")
    public String messageSid;

    public Instant at;

    @Override
    public String toString() {
        return "SmsConsentEvent[action=" + action + ", keyword=" + keyword + ", at=" + at + "]";
    }
}
