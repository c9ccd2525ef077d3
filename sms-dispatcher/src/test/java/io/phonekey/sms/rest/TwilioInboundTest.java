package io.phonekey.sms.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.phonekey.sms.repository.SmsConsentEvent;
import io.phonekey.sms.repository.SmsOptOut;
import io.phonekey.sms.service.OptOuts;
import io.phonekey.sms.support.Events;
import io.phonekey.sms.support.TwilioSignatures;
import io.phonekey.sms.support.TwilioStandInResource;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.response.ValidatableResponse;
import io.smallrye.mutiny.Uni;

/** Incoming messages: signatures, STOP/START/HELP keywords, the stored consent and its history, retried webhooks. */
@QuarkusTest
@QuarkusTestResource(TwilioStandInResource.class)
class TwilioInboundTest {

    private static final String URL = "http://localhost:8084/twilio/inbound";
    private static final String TOKEN = "test-auth-token";
    private static final String EMPTY = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>";

    @Inject
    OptOuts optOuts;

    static Map<String, String> message(String from, String body, String sid) {
        return Map.of("From", from, "To", "+15005550006", "Body", body, "MessageSid", sid, "AccountSid",
                "AC00000000000000000000000000000test", "NumMedia", "0");
    }

    static String sid() {
        return "SM" + UUID.randomUUID().toString().replace("-", "");
    }

    static ValidatableResponse post(String token, Map<String, String> params) throws Exception {
        return given().contentType("application/x-www-form-urlencoded").formParams(params)
                .header("X-Twilio-Signature", TwilioSignatures.sign(URL, token, params)).post("/twilio/inbound")
                .then();
    }

    /** Posts a signed message from the phone; expects 200 TwiML and returns its body. */
    static String send(String from, String body, String sid) throws Exception {
        return post(TOKEN, message(from, body, sid)).statusCode(200).contentType(containsString("application/xml"))
                .extract().asString();
    }

    static <T> T db(Supplier<Uni<T>> query) throws Throwable {
        return VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(query));
    }

    static SmsOptOut state(String phone) throws Throwable {
        return db(() -> SmsOptOut.<SmsOptOut>findById(phone));
    }

    static List<SmsConsentEvent> history(String phone) throws Throwable {
        return db(() -> SmsConsentEvent.<SmsConsentEvent>list("phone = ?1 order by at", phone));
    }

    boolean optedOut(String phone) throws Throwable {
        return VertxContextSupport.subscribeAndAwait(() -> optOuts.isOptedOut(phone));
    }

    @Test
    void stopOptsOutAndAnswers() throws Throwable {
        String phone = Events.freshPhone();
        String sid = sid();
        Instant before = Instant.now();
        String reply = send(phone, "STOP", sid);
        assertEquals("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Message><Body>PhoneKey: you are "
                + "unsubscribed. Only codes you request will be sent. Reply START to resubscribe.</Body></Message>"
                + "</Response>", reply);

        SmsOptOut row = state(phone);
        assertNotNull(row, "an opt-out row");
        assertTrue(row.optedOut);
        assertEquals("sms", row.channel);
        assertEquals("STOP", row.keyword);
        assertEquals("twilio_inbound", row.source);
        assertEquals(sid, row.messageSid);
        assertFalse(row.changedAt.isBefore(before.minusSeconds(1)), "changed_at is now: " + row.changedAt);
        assertFalse(row.changedAt.isAfter(Instant.now().plusSeconds(1)), "changed_at is now: " + row.changedAt);
        List<SmsConsentEvent> events = history(phone);
        assertEquals(1, events.size());
        assertEquals("opt_out", events.get(0).action);
        assertEquals(sid, events.get(0).messageSid);
        assertTrue(optedOut(phone), "OptOuts.isOptedOut after STOP");
        assertFalse(VertxContextSupport.subscribeAndAwait(() -> optOuts.maySend(phone, false)),
                "other messages respect the opt-out");
        assertTrue(VertxContextSupport.subscribeAndAwait(() -> optOuts.maySend(phone, true)),
                "verification codes still go out");
    }

    @Test
    void keywordsAreCaseInsensitiveTrimmedAndMayLeadTheText() throws Throwable {
        String lower = Events.freshPhone();
        send(lower, "  stop \n", sid());
        assertTrue(optedOut(lower), "'stop ' in lower case with spaces");
        assertEquals("STOP", state(lower).keyword);

        String sentence = Events.freshPhone();
        send(sentence, "Unsubscribe me please", sid());
        assertTrue(optedOut(sentence), "the first word counts");
        assertEquals("UNSUBSCRIBE", state(sentence).keyword);

        String inside = Events.freshPhone();
        assertEquals(EMPTY, send(inside, "please stop", sid()), "a keyword that is not the first word is text");
        assertNull(state(inside));
    }

    @Test
    void startOptsBackIn() throws Throwable {
        String phone = Events.freshPhone();
        send(phone, "Cancel", sid());
        assertTrue(optedOut(phone));
        String sid = sid();
        String reply = send(phone, "start", sid);
        assertTrue(reply.contains("<Body>PhoneKey: you are subscribed again."), reply);

        SmsOptOut row = state(phone);
        assertFalse(row.optedOut);
        assertEquals("START", row.keyword);
        assertEquals(sid, row.messageSid);
        assertEquals(List.of("opt_out", "opt_in"), history(phone).stream().map(e -> e.action).toList());
        assertFalse(optedOut(phone), "OptOuts.isOptedOut after START");
        assertTrue(VertxContextSupport.subscribeAndAwait(() -> optOuts.maySend(phone, false)));
    }

    @Test
    void helpAnswersAndChangesNothing() throws Throwable {
        String phone = Events.freshPhone();
        String reply = send(phone, "help", sid());
        assertEquals("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Message><Body>PhoneKey: verification "
                + "codes. Reply STOP to unsubscribe, START to resubscribe.</Body></Message></Response>", reply);
        assertTrue(send(phone, "INFO", sid()).contains("Reply STOP to unsubscribe"));
        assertNull(state(phone));
        assertTrue(history(phone).isEmpty());
    }

    @Test
    void otherTextGetsAnEmptyResponse() throws Throwable {
        String phone = Events.freshPhone();
        assertEquals(EMPTY, send(phone, "what is my code?", sid()));
        assertEquals(EMPTY, send(phone, "", sid()));
        assertNull(state(phone));
        assertTrue(history(phone).isEmpty());
    }

    @Test
    void badSignaturesAre403AndStoreNothing() throws Throwable {
        String phone = Events.freshPhone();
        Map<String, String> stop = message(phone, "STOP", sid());
        post("not-the-token", stop).statusCode(403).contentType("application/problem+json")
                .body(containsString("invalid_signature"));
        given().contentType("application/x-www-form-urlencoded").formParams(stop).post("/twilio/inbound").then()
                .statusCode(403).contentType("application/problem+json");
        // Signed for the status URL, replayed to the inbound one.
        given().contentType("application/x-www-form-urlencoded").formParams(stop)
                .header("X-Twilio-Signature",
                        TwilioSignatures.sign("http://localhost:8084/twilio/status", TOKEN, stop))
                .post("/twilio/inbound").then().statusCode(403);
        assertNull(state(phone));
        assertTrue(history(phone).isEmpty());
        assertFalse(optedOut(phone));
    }

    @Test
    void aRetriedWebhookChangesNothingTwice() throws Throwable {
        String phone = Events.freshPhone();
        String stop = sid();
        String first = send(phone, "STOP", stop);
        assertEquals(first, send(phone, "STOP", stop), "the retry gets the same answer");
        assertEquals(1, history(phone).size(), "one history row for one MessageSid");

        send(phone, "START", sid());
        send(phone, "STOP", stop);
        assertFalse(optedOut(phone), "a late retry of the STOP does not undo the START");
        assertEquals(List.of("opt_out", "opt_in"), history(phone).stream().map(e -> e.action).toList());
    }

    @Test
    void concurrentDeliveriesOfOneMessageAreRecordedOnce() throws Throwable {
        String phone = Events.freshPhone();
        Map<String, String> stop = message(phone, "STOP", sid());
        String signature = TwilioSignatures.sign(URL, TOKEN, stop);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                answers.add(pool.submit(() -> given().contentType("application/x-www-form-urlencoded")
                        .formParams(stop).header("X-Twilio-Signature", signature).post("/twilio/inbound")
                        .statusCode()));
            }
            for (Future<Integer> answer : answers) {
                assertEquals(200, answer.get());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, history(phone).size());
        assertTrue(optedOut(phone));
    }

    @Test
    void whatsappSendersAreStoredByTheirNumber() throws Throwable {
        String phone = Events.freshPhone();
        send("whatsapp:" + phone, "Stop", sid());
        SmsOptOut row = state(phone);
        assertNotNull(row, "stored under the E.164 number, without the prefix");
        assertEquals("whatsapp", row.channel);
        assertTrue(optedOut(phone));
        assertEquals("whatsapp", history(phone).get(0).channel);
    }
}
