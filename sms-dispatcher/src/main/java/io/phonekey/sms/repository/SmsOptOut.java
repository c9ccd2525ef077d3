package io.phonekey.sms.repository;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/**
 * The current consent of one phone (E.164), across channels: opted out or back in, and the incoming message that
 * last changed it. The history is {@link SmsConsentEvent}. Never logged or shown with the full number.
 */
@Entity
@Table(name = "sms_opt_out")
public class SmsOptOut extends PanacheEntityBase {

    @Id
    public String phone;

    /** The channel of the message that last changed the state: {@code sms} or {@code whatsapp}. */
    public String channel;

    @Column(name = "opted_out")
    public boolean optedOut;

    /** The keyword that last changed the state, upper case ({@code STOP}, {@code START}...). */
    public String keyword;

    /** Where the change came from: {@code twilio_inbound}. */
    public String source;

    /** The provider's id of that message (Twilio's MessageSid). */
    @Column(name = "message_sid")
    public String messageSid;

    /** When the state last changed: a repeated keyword that changes nothing leaves it. */
    @Column(name = "changed_at")
    public Instant changedAt;

    @Column(name = "created_at")
    public Instant createdAt;

    @Override
    public String toString() {
        return "SmsOptOut[optedOut=" + optedOut + ", keyword=" + keyword + ", changedAt=" + changedAt + "]";
    }
}
