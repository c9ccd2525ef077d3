package io.phonekey.sms.service;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.phonekey.contract.event.EventType;
import io.phonekey.contract.testing.EventSchemas;
import io.phonekey.sms.repository.SmsMessage;
import io.phonekey.sms.support.BrokerFixture;
import io.phonekey.sms.support.Events;
import io.phonekey.sms.support.TwilioSignatures;
import io.phonekey.sms.support.TwilioStandInResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Security notices by SMS: the same one-event-one-message guarantee as codes, and, unlike codes, the opt-out holds.
 * Real broker and database, the real Twilio SDK against the stand-in, STOP through the signed inbound webhook.
 */
@QuarkusTest
@QuarkusTestResource(TwilioStandInResource.class)
class NoticeTest extends BrokerFixture {

    static Map<String, Object> notice(String phone, String kind, Instant occurredAt, String device) throws Exception {
        Map<String, Object> n = new HashMap<>();
        n.put("user_id", UUID.randomUUID().toString());
        n.put("phone", phone);
        n.put("kind", kind);
        n.put("occurred_at", occurredAt.toString());
        n.put("session_id", UUID.randomUUID().toString());
        if (device != null) {
            n.put("device_name", device);
        }
        EventSchemas.assertValid(EventType.SECURITY_NOTICE, JSON.writeValueAsString(n));
        return n;
    }

    static void stop(String phone) throws Exception {
        Map<String, String> form = Map.of("From", phone, "To", "+15005550006", "Body", "STOP", "MessageSid",
                "SM" + UUID.randomUUID().toString().replace("-", ""), "AccountSid", "AC0");
        given().contentType("application/x-www-form-urlencoded").formParams(form)
                .header("X-Twilio-Signature",
                        TwilioSignatures.sign("http://localhost:8084/twilio/inbound", "test-auth-token", form))
                .post("/twilio/inbound").then().statusCode(200);
    }

    @Test
    void aNoticeDeliveredTwiceSendsOneMessageInThePhonesLanguage() throws Exception {
        String phone = Events.freshPhone();
        String ceId = UUID.randomUUID().toString();
        Map<String, Object> n = notice(phone, "new_device_login", Instant.now(), "Pixel 8 (Chrome)");
        events.publishNotice(ceId, n);
        events.publishNotice(ceId, n);
        await().atMost(Duration.ofSeconds(10)).until(() -> twilio().to(phone).size() == 1);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> twilio().to(phone).size() == 1);
        assertEquals("PhoneKey: new sign-in on Pixel 8 (Chrome). If this wasn't you, sign out all sessions and change"
                + " your password.", twilio().to(phone).get(0).form().get("Body"));
        SmsMessage row = row(ceId);
        assertEquals(io.phonekey.contract.event.DeliveryStatus.SENT, row.status);
        assertEquals("notice_new_device_login", row.purpose);

        String russian = "+7912" + phone.substring(phone.length() - 7);
        events.publishNotice(UUID.randomUUID().toString(), notice(russian, "password_reset", Instant.now(), null));
        await().atMost(Duration.ofSeconds(10)).until(() -> twilio().to(russian).size() == 1);
        assertEquals("PhoneKey: ваш пароль был сброшен. Если это были не вы, срочно обратитесь в поддержку.",
                twilio().to(russian).get(0).form().get("Body"));
    }

    @Test
    void afterStopNoNoticeGoesOutButARequestedCodeStillDoes() throws Exception {
        String phone = Events.freshPhone();
        stop(phone);
        String ceId = UUID.randomUUID().toString();
        events.publishNotice(ceId, notice(phone, "phone_changed", Instant.now(), null));
        await().atMost(Duration.ofSeconds(10)).until(
                () -> row(ceId) != null && io.phonekey.contract.event.DeliveryStatus.REFUSED == row(ceId).status);
        assertEquals("opted_out", row(ceId).reason);
        assertTrue(twilio().to(phone).isEmpty(), "nothing sent to a phone that said STOP");

        Map<String, Object> code = Events.requested(phone, "sms", "902113", 600);
        events.publish(UUID.randomUUID().toString(), code);
        delivery((String) code.get("verification_id"), "sent");
        assertEquals(1, twilio().to(phone).size(), "the code the user asked for");
        assertTrue(twilio().to(phone).get(0).form().get("Body").contains("902113"));
    }

    @Test
    void aDeviceNameCannotSmuggleALinkOrANumber() throws Exception {
        String phone = Events.freshPhone();
        events.publishNotice(UUID.randomUUID().toString(),
                notice(phone, "new_device_login", Instant.now(), "Win https://evil.example/x call +44 20 7946"));
        await().atMost(Duration.ofSeconds(10)).until(() -> twilio().to(phone).size() == 1);
        String body = twilio().to(phone).get(0).form().get("Body");
        assertFalse(body.contains("evil.example") || body.contains("://") || body.contains("+44"), body);
    }

    @Test
    void kindsNotConfiguredAndStaleNoticesAreNotSent() throws Exception {
        String phone = Events.freshPhone();
        String revoked = UUID.randomUUID().toString();
        String stale = UUID.randomUUID().toString();
        events.publishNotice(revoked, notice(phone, "sessions_revoked", Instant.now(), null));
        events.publishNotice(stale, notice(phone, "password_reset", Instant.now().minus(Duration.ofDays(2)), null));
        await().atMost(Duration.ofSeconds(10)).until(
                () -> row(stale) != null && io.phonekey.contract.event.DeliveryStatus.DROPPED == row(stale).status);
        assertEquals("expired", row(stale).reason);
        // sessions_revoked is not among the default SMS_NOTICE_KINDS: no row appears, however long we wait.
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> row(revoked) == null);
        assertTrue(twilio().to(phone).isEmpty());
    }
}
