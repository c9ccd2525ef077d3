package io.phonekey.sms.event;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * This service's reading of {@code security.notice} (docs/events/security-notice.v1.json): something the account
 * holder must be told about, such as a sign-in on a new device. Never carries a code, token or password.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SecurityNotice(String userId, String phone, String kind, Instant occurredAt, String sessionId,
        String deviceName) {

    /** Whether the fields this service needs are present. */
    public boolean complete() {
        return userId != null && phone != null && kind != null && occurredAt != null;
    }
}
