package io.phonekey.telegram.service;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.phonekey.contract.event.Channel;
import io.phonekey.contract.event.EventType;
import io.phonekey.contract.event.OtpCanceled;
import io.phonekey.contract.event.OtpRequested;
import io.phonekey.contract.event.OtpVerified;
import io.phonekey.contract.event.Purpose;
import io.phonekey.contract.testing.ContractProducer;
import io.phonekey.contract.testing.EventSchemas;
import io.phonekey.contract.testing.OtpStandIn;
import io.phonekey.contract.testing.TestPhones;
import io.phonekey.contract.testing.TopicReader;
import io.phonekey.telegram.support.TelegramStandIn;
import io.phonekey.telegram.support.Updates;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Codes by Telegram on the real broker and PostgreSQL, with the real bot library and a stand-in Bot API and Gateway
 * API: into the chat, paced, 403 and 429 handled, and the {@code auto} cascade bot → Gateway API → SMS with its
 * timing, each step on otp.delivery.
 */
@QuarkusTest
@QuarkusTestResource(TelegramStandIn.class)
@QuarkusTestResource(OtpStandIn.class)
class TelegramDeliveryTest {

    private static final ObjectMapper JSON = ContractProducer.JSON;
    private static ContractProducer producer;
    private static TopicReader requested;
    private static TopicReader deliveries;

    @Inject
    Pool pool;

    @BeforeAll
    static void setUp() {
        producer = new ContractProducer();
        requested = new TopicReader("otp.requested");
        deliveries = new TopicReader("otp.delivery");
    }

    @AfterAll
    static void tearDown() {
        producer.close();
        requested.close();
        deliveries.close();
    }

    static List<String> keys() {
        return List.of(ConfigProvider.getConfig().getValue("telegram.event-key", String.class).split(","));
    }

    static OtpRequested event(String phone, Channel channel, String code, long seconds) {
        return ContractProducer.requested(keys(), phone, channel, code, seconds);
    }

    static String publish(OtpRequested event) {
        String ceId = UUID.randomUUID().toString();
        producer.publish(EventType.OTP_REQUESTED, ceId, event.getPhone(), event);
        return ceId;
    }

    static JsonNode delivery(String verificationId, String status) throws Exception {
        ConsumerRecord<String, String> r = deliveries.await(x -> x.value().contains(verificationId)
                && x.value().contains("\"status\":\"" + status + "\""));
        EventSchemas.assertValid(EventType.OTP_DELIVERY, r.value());
        return JSON.readTree(r.value());
    }

    static ConsumerRecord<String, String> smsFallback(String verificationId) {
        ConsumerRecord<String, String> r = requested.await(x -> x.value().contains(verificationId)
                && x.value().contains("fallback_from"));
        EventSchemas.assertValid(EventType.OTP_REQUESTED, r.value());
        return r;
    }

    static long registeredChat(String phone) {
        long chat = Updates.newChat();
        Updates.register(chat, phone);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> TelegramStandIn.messagesTo(chat).size() >= 1);
        return chat;
    }

    @Test
    void aTelegramCodeGoesToThePhonesChatOnceWithItsExpiry() throws Exception {
        String phone = TestPhones.fresh();
        long chat = registeredChat(phone);
        OtpRequested event = event(phone, Channel.TELEGRAM, "048213", 600);
        String ceId = UUID.randomUUID().toString();
        producer.publish(EventType.OTP_REQUESTED, ceId, phone, event);
        producer.publish(EventType.OTP_REQUESTED, ceId, phone, event);
        JsonNode sent = delivery(event.getVerificationId(), "sent");
        assertEquals("telegram_bot", sent.get("provider").asText());
        List<TelegramStandIn.Call> messages = TelegramStandIn.messagesTo(chat);
        String text = messages.get(messages.size() - 1).param("text");
        assertTrue(text.contains("048213") && text.contains("10 minutes") && text.contains("Do not share"), text);
        Thread.sleep(1500);
        assertEquals(2, TelegramStandIn.messagesTo(chat).size(), "a redelivered event sends no second message");
    }

    @Test
    void aCodeTheBotSentWhoseReportDidNotGoOutIsAnnouncedAgainNotSentTwice() throws Exception {
        String phone = TestPhones.fresh();
        long chat = registeredChat(phone);
        OtpRequested event = event(phone, Channel.TELEGRAM, "048214", 600);
        String ceId = UUID.randomUUID().toString();
        // The state a send leaves when its report could not be published (the broker down): the code is in the chat,
        // the step recorded, the event not marked done, so Kafka delivers it again.
        pool.preparedQuery("INSERT INTO delivery_step (ce_id, step, sent_at) VALUES ($1, 'bot', now())")
                .execute(Tuple.of(ceId)).await().atMost(Duration.ofSeconds(5));
        producer.publish(EventType.OTP_REQUESTED, ceId, phone, event);
        JsonNode sent = delivery(event.getVerificationId(), "sent");
        assertEquals("telegram_bot", sent.get("provider").asText());
        Thread.sleep(1500);
        assertEquals(1, TelegramStandIn.messagesTo(chat).size(), "the code is not sent a second time");
    }

    @Test
    void aDeadCodeIsNotSent() throws Exception {
        String phone = TestPhones.fresh();
        long chat = registeredChat(phone);
        OtpRequested event = event(phone, Channel.TELEGRAM, "111111", 2);
        publish(event.withExpiresAt(Instant.now().minusSeconds(1)));
        assertEquals("expired", delivery(event.getVerificationId(), "dropped").get("reason").asText());
        assertEquals(1, TelegramStandIn.messagesTo(chat).size());
    }

    @Test
    void retryAfterIsHonouredAndNothingIsDropped() throws Exception {
        String phone = TestPhones.fresh();
        long chat = registeredChat(phone);
        TelegramStandIn.script(chat, "{\"ok\":false,\"error_code\":429,\"description\":\"Too Many Requests: retry "
                + "after 2\",\"parameters\":{\"retry_after\":2}}");
        OtpRequested event = event(phone, Channel.TELEGRAM, "222333", 600);
        publish(event);
        delivery(event.getVerificationId(), "sent");
        List<TelegramStandIn.Call> tries = TelegramStandIn.messagesTo(chat);
        TelegramStandIn.Call refused = tries.get(tries.size() - 2);
        TelegramStandIn.Call accepted = tries.get(tries.size() - 1);
        assertEquals(refused.param("text"), accepted.param("text"));
        assertTrue(accepted.at() - refused.at() >= 2000, "waited retry_after: " + (accepted.at() - refused.at()));
    }

    @Test
    void messagesIntoOneChatAreSpacedASecondApart() throws Exception {
        String phone = TestPhones.fresh();
        long chat = registeredChat(phone);
        OtpRequested a = event(phone, Channel.TELEGRAM, "300001", 600);
        OtpRequested b = event(phone, Channel.TELEGRAM, "300002", 600);
        OtpRequested c = event(phone, Channel.TELEGRAM, "300003", 600);
        publish(a);
        publish(b);
        publish(c);
        delivery(c.getVerificationId(), "sent");
        delivery(a.getVerificationId(), "sent");
        delivery(b.getVerificationId(), "sent");
        List<TelegramStandIn.Call> codes = TelegramStandIn.messagesTo(chat).subList(1, 4);
        // Sent a second apart; they arrive at the stand-in a second apart give or take its 100-300 ms latency.
        for (int i = 1; i < codes.size(); i++) {
            assertTrue(codes.get(i).at() - codes.get(i - 1).at() >= 750,
                    "paced: " + (codes.get(i).at() - codes.get(i - 1).at()));
        }
    }

    @Test
    void aBlockedBotIsRecordedAndAutoMovesOnToTheGateway() throws Exception {
        String phone = TestPhones.fresh();
        long chat = registeredChat(phone);
        TelegramStandIn.script(chat, "{\"ok\":false,\"error_code\":403,\"description\":\"Forbidden: bot was blocked "
                + "by the user\"}");
        OtpRequested event = event(phone, Channel.AUTO, "404404", 600);
        publish(event);
        assertEquals("bot_blocked", delivery(event.getVerificationId(), "failed").get("reason").asText());
        JsonNode viaGateway = delivery(event.getVerificationId(), "sent");
        assertEquals("telegram_gateway", viaGateway.get("provider").asText());
        assertEquals(0.01, viaGateway.get("cost").asDouble(), 1e-9);
        boolean blocked = pool.preparedQuery("SELECT blocked FROM telegram_chat WHERE chat_id = $1")
                .execute(Tuple.of(chat)).await().indefinitely().iterator().next().getBoolean(0);
        assertTrue(blocked);
    }

    @Test
    void autoWithoutAChatUsesTheGatewayThenSmsWhenNoReportComes() throws Exception {
        String phone = TestPhones.fresh();
        OtpRequested event = event(phone, Channel.AUTO, "505050", 600);
        long published = System.currentTimeMillis();
        publish(event);
        assertEquals("no_chat", delivery(event.getVerificationId(), "failed").get("reason").asText());
        delivery(event.getVerificationId(), "sent");
        TelegramStandIn.Call call = TelegramStandIn.GATEWAY_CALLS.stream()
                .filter(c -> phone.equals(c.param("phone_number"))).findFirst().orElseThrow();
        assertEquals("505050", call.param("code"), "our own code, not one the Gateway makes up");
        assertTrue(Long.parseLong(call.param("ttl")) <= 600, "no longer than the code lives");
        assertTrue(call.param("callback_url").endsWith("/telegram/gateway/report"));
        ConsumerRecord<String, String> sms = smsFallback(event.getVerificationId());
        long waited = System.currentTimeMillis() - published;
        assertTrue(waited <= 2000 + 5000, "SMS within FALLBACK_AFTER + 5 s: " + waited);
        JsonNode fallback = JSON.readTree(sms.value());
        assertEquals("sms", fallback.get("channel").asText());
        assertEquals(event.getCode().getCiphertext(), fallback.at("/code/ciphertext").asText(), "the same sealed code");
        deliveries.await(x -> x.value().contains(event.getVerificationId()) && x.value().contains("gateway_no_report"));
        Thread.sleep(2500);
        assertEquals(1, requested.drain(Duration.ofMillis(500)).stream()
                .filter(r -> r.value().contains(event.getVerificationId()) && r.value().contains("fallback_from"))
                .count(), "one SMS");
    }

    @Test
    void aSignedDeliveryReportSettlesTheCodeAndAForgedOneIsRefused() throws Exception {
        String phone = TestPhones.fresh();
        OtpRequested event = event(phone, Channel.AUTO, "606060", 600);
        publish(event);
        delivery(event.getVerificationId(), "sent");
        String requestId = requestIdOf(event.getVerificationId());
        String body = "{\"request_id\":\"" + requestId + "\",\"phone_number\":\"" + phone + "\",\"request_cost\":0.01,"
                + "\"delivery_status\":{\"status\":\"delivered\",\"updated_at\":1700000000}}";
        String ts = String.valueOf(System.currentTimeMillis() / 1000);
        // The genuine report first, well within FALLBACK_AFTER (2 s here) even on a loaded machine.
        given().header("X-Request-Timestamp", ts).header("X-Request-Signature", sign(ts, body)).body(body)
                .contentType("application/json").post("/telegram/gateway/report").then().statusCode(200);
        delivery(event.getVerificationId(), "delivered");
        // Forged and stale reports of an "expired" message are refused and change nothing: an accepted one would
        // send the code by SMS.
        String expired = body.replace("\"delivered\"", "\"expired\"");
        given().header("X-Request-Timestamp", ts).header("X-Request-Signature", sign(ts, expired + " "))
                .body(expired).post("/telegram/gateway/report").then().statusCode(403);
        given().header("X-Request-Timestamp", ts).header("X-Request-Signature", sign(ts, body)).body(expired)
                .post("/telegram/gateway/report").then().statusCode(403);
        String stale = String.valueOf(System.currentTimeMillis() / 1000 - 3600);
        given().header("X-Request-Timestamp", stale).header("X-Request-Signature", sign(stale, expired))
                .body(expired).post("/telegram/gateway/report").then().statusCode(403);
        Thread.sleep(3500);
        assertTrue(requested.drain(Duration.ofMillis(500)).stream()
                .noneMatch(r -> r.value().contains(event.getVerificationId()) && r.value().contains("fallback_from")),
                "a delivered code does not fall back to SMS");

        // The code is used: the Gateway message is revoked.
        producer.publish(EventType.OTP_VERIFIED, UUID.randomUUID().toString(), phone, new OtpVerified()
                .withVerificationId(event.getVerificationId()).withPhone(phone).withChannel(Channel.AUTO)
                .withPurpose(Purpose.LOGIN).withVerifiedAt(Instant.now()));
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> TelegramStandIn.GATEWAY_CALLS.stream()
                .anyMatch(c -> c.method().equals("revokeVerificationMessage")
                        && requestId.equals(c.param("request_id"))));
    }

    @Test
    void aCanceledOrReplacedCodesGatewayMessageIsRevokedAndNoSmsFollows() throws Exception {
        String phone = TestPhones.fresh();
        OtpRequested canceled = event(phone, Channel.AUTO, "424242", 600);
        publish(canceled);
        delivery(canceled.getVerificationId(), "sent");
        String first = requestIdOf(canceled.getVerificationId());
        producer.publish(EventType.OTP_CANCELED, UUID.randomUUID().toString(), phone, new OtpCanceled()
                .withVerificationId(canceled.getVerificationId()).withPhone(phone).withChannel(Channel.AUTO)
                .withPurpose(Purpose.LOGIN).withCanceledAt(Instant.now()));
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> revoked(first));

        // A newer code for the phone names the one it replaced: that one's Gateway message is withdrawn too.
        OtpRequested older = event(phone, Channel.AUTO, "434343", 600);
        publish(older);
        delivery(older.getVerificationId(), "sent");
        String second = requestIdOf(older.getVerificationId());
        OtpRequested newer = event(phone, Channel.SMS, "444444", 600).withReplaces(older.getVerificationId());
        publish(newer);
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> revoked(second));

        // Past FALLBACK_AFTER (2 s here) neither withdrawn code went on to SMS.
        Thread.sleep(3500);
        assertTrue(requested.drain(Duration.ofMillis(500)).stream().noneMatch(r -> r.value().contains("fallback_from")
                && (r.value().contains(canceled.getVerificationId()) || r.value().contains(older.getVerificationId()))),
                "a withdrawn code does not fall back to SMS");
        assertEquals(1, TelegramStandIn.GATEWAY_CALLS.stream().filter(c -> c.method()
                .equals("revokeVerificationMessage") && first.equals(c.param("request_id"))).count(),
                "revoked once");
    }

    private String requestIdOf(String verificationId) {
        return pool.preparedQuery("SELECT request_id FROM gateway_request WHERE verification_id = $1")
                .execute(Tuple.of(verificationId)).await().indefinitely().iterator().next().getString(0);
    }

    private static boolean revoked(String requestId) {
        return TelegramStandIn.GATEWAY_CALLS.stream().anyMatch(c -> c.method().equals("revokeVerificationMessage")
                && requestId.equals(c.param("request_id")));
    }

    @Test
    void aNumberTheGatewayCannotReachGoesBySmsAtOnce() throws Exception {
        String phone = TestPhones.fresh();
        TelegramStandIn.GATEWAY_UNREACHABLE.add(phone);
        OtpRequested event = event(phone, Channel.AUTO, "707070", 600);
        long published = System.currentTimeMillis();
        publish(event);
        smsFallback(event.getVerificationId());
        assertTrue(System.currentTimeMillis() - published < 2000 + 2000, "no wait for a report that cannot come");
        deliveries.await(x -> x.value().contains(event.getVerificationId())
                && x.value().contains("\"reason\":\"gateway_phone_number_not_available\""));
    }

    @Test
    void telegramOnlyCodesAreReportedNotFallenBack() throws Exception {
        OtpRequested telegram = event(TestPhones.fresh(), Channel.TELEGRAM, "123456", 600);
        publish(telegram);
        assertEquals("no_chat", delivery(telegram.getVerificationId(), "failed").get("reason").asText());
        assertTrue(requested.drain(Duration.ofSeconds(2)).stream()
                .noneMatch(
                        r -> r.value().contains(telegram.getVerificationId()) && r.value().contains("fallback_from")));
    }

    static String sign(String ts, String body) throws Exception {
        byte[] key = MessageDigest.getInstance("SHA-256").digest(TelegramStandIn.GATEWAY_TOKEN
                .getBytes(StandardCharsets.UTF_8));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal((ts + "\n" + body).getBytes(StandardCharsets.UTF_8)));
    }
}
