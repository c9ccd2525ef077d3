package io.phonekey.contract.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.phonekey.contract.event.AccountLinked;
import io.phonekey.contract.event.Channel;
import io.phonekey.contract.event.DeliveryChannel;
import io.phonekey.contract.event.DeliveryStatus;
import io.phonekey.contract.event.EventType;
import io.phonekey.contract.event.NoticeKind;
import io.phonekey.contract.event.OtpDeliveryStatus;
import io.phonekey.contract.event.OtpRequested;
import io.phonekey.contract.event.Purpose;
import io.phonekey.contract.event.SecurityNotice;
import io.phonekey.contract.testing.ContractProducer;
import io.phonekey.contract.testing.EventSchemas;

/** The generated types write what the schemas accept, read it back, and never print a phone or a code. */
class GeneratedEventsTest {

    private static final ObjectMapper JSON = ContractProducer.JSON;

    private static String key() {
        byte[] raw = new byte[32];
        new SecureRandom().nextBytes(raw);
        return Base64.getEncoder().encodeToString(raw);
    }

    @Test
    void otpRequestedRoundTripsThroughItsSchema() throws Exception {
        OtpRequested event = ContractProducer.requested(List.of(key()), "+447400123456", Channel.AUTO, "012345", 600)
                .withPurpose(Purpose.TWO_FA).withLocale("ru").withMetadata(Map.of("order", 42));
        String json = JSON.writeValueAsString(event);
        EventSchemas.assertValid(EventType.OTP_REQUESTED, json);
        assertTrue(json.contains("\"verification_id\""), json);
        assertTrue(json.contains("\"purpose\":\"2fa\""), json);
        assertFalse(json.contains("fallback_from"), "absent optional fields are left out: " + json);
        OtpRequested back = new Inbox(JSON).read(EventType.OTP_REQUESTED, OtpRequested.class, json);
        assertEquals(event, back);
    }

    @Test
    void noGeneratedTypePrintsItsFields() {
        OtpRequested event = ContractProducer.requested(List.of(key()), "+447400123456", Channel.SMS, "123456", 60);
        assertFalse(event.toString().contains("447400123456"));
        assertFalse(event.getCode().toString().contains(event.getCode().getCiphertext()));
        SecurityNotice notice = new SecurityNotice().withPhone("+447400123456");
        assertFalse(notice.toString().contains("447400123456"));
    }

    @Test
    void everyEventTypeHasItsSchemaAndClass() throws Exception {
        Instant now = Instant.parse("2026-12-01T10:00:00Z");
        Map<EventType, Object> samples = Map.of(
                EventType.OTP_DELIVERY,
                new OtpDeliveryStatus().withVerificationId("v").withPhone("+447400123456")
                        .withChannel(DeliveryChannel.TELEGRAM).withStatus(DeliveryStatus.FAILED)
                        .withReason("no_chat").withOccurredAt(now),
                EventType.ACCOUNT_LINKED,
                new AccountLinked().withUserId("6f1c2b8e-9a47-4c1e-8f3a-1d2e3f4a5b6c").withPhone("+447400123456")
                        .withChatId(-1001234567890L).withTelegramUserId(987654321L).withLinkedAt(now),
                EventType.SECURITY_NOTICE,
                new SecurityNotice().withUserId("6f1c2b8e-9a47-4c1e-8f3a-1d2e3f4a5b6c").withPhone("+447400123456")
                        .withKind(NoticeKind.NEW_DEVICE_LOGIN).withOccurredAt(now));
        for (Map.Entry<EventType, Object> sample : samples.entrySet()) {
            assertEquals(sample.getKey().payload(), sample.getValue().getClass());
            EventSchemas.assertValid(sample.getKey(), JSON.writeValueAsString(sample.getValue()));
        }
    }

    @Test
    void readerRefusesWhatCanNeverBeDeliveredButToleratesNewFields() {
        Inbox inbox = new Inbox(JSON);
        String base = "{\"verification_id\":\"v\",\"phone\":\"+447400123456\",\"channel\":\"sms\","
                + "\"status\":\"sent\",\"occurred_at\":\"2026-12-01T10:00:00Z\"";
        assertEquals(DeliveryStatus.SENT,
                inbox.read(EventType.OTP_DELIVERY, OtpDeliveryStatus.class, base + ",\"new_field\":1}").getStatus());
        assertThrows(IllegalArgumentException.class,
                () -> inbox.read(EventType.OTP_DELIVERY, OtpDeliveryStatus.class, base.replace("sent", "lost") + "}"));
        assertThrows(IllegalArgumentException.class,
                () -> inbox.read(EventType.OTP_DELIVERY, OtpDeliveryStatus.class, "{\"phone\":\"+447400123456\"}"));
        assertThrows(IllegalArgumentException.class,
                () -> inbox.read(EventType.OTP_DELIVERY, OtpDeliveryStatus.class, "not json"));
        assertThrows(AssertionError.class,
                () -> EventSchemas.assertValid(EventType.OTP_DELIVERY, base + ",\"new_field\":1}"));
    }
}
