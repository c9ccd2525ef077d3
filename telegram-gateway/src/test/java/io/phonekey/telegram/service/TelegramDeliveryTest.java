package io.phonekey.telegram.service;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.phonekey.contract.event.Channel;
import io.phonekey.contract.event.EventType;
import io.phonekey.contract.event.OtpRequested;
import io.phonekey.contract.testing.ContractProducer;
import io.phonekey.contract.testing.EventSchemas;
import io.phonekey.contract.testing.TestPhones;
import io.phonekey.contract.testing.TopicReader;
import io.quarkus.test.junit.QuarkusTest;

/** Telegram-channel codes with the bot off, on the real broker and PostgreSQL: failure reported, SMS fallback once. */
@QuarkusTest
class TelegramDeliveryTest {

    private static final ObjectMapper JSON = ContractProducer.JSON;
    /** A key of the test's own: the gateway forwards the sealed code without opening it. */
    private static final List<String> KEY = List.of(Base64.getEncoder().encodeToString(new byte[32]));
    private static ContractProducer producer;
    private static TopicReader requested;
    private static TopicReader deliveries;

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

    static OtpRequested event(Channel channel) {
        return ContractProducer.requested(KEY, TestPhones.fresh(), channel, "123456", 600);
    }

    static void publish(String ceId, OtpRequested payload) {
        producer.publish(EventType.OTP_REQUESTED, ceId, payload.getPhone(), payload);
    }

    @Test
    void autoFallsBackToSmsOnceWithTheSameSealedCode() throws Exception {
        OtpRequested auto = event(Channel.AUTO);
        String id = auto.getVerificationId();
        String ceId = UUID.randomUUID().toString();
        publish(ceId, auto);
        publish(ceId, auto);

        ConsumerRecord<String, String> failed = deliveries.await(r -> r.value().contains(id));
        EventSchemas.assertValid(EventType.OTP_DELIVERY, failed.value());
        assertEquals("bot_off", JSON.readTree(failed.value()).get("reason").asText());

        ConsumerRecord<String, String> fallback = requested
                .await(r -> r.value().contains(id) && r.value().contains("fallback_from"));
        EventSchemas.assertValid(EventType.OTP_REQUESTED, fallback.value());
        JsonNode payload = JSON.readTree(fallback.value());
        assertEquals("sms", payload.get("channel").asText());
        assertEquals("telegram", payload.get("fallback_from").asText());
        assertEquals(auto.getCode().getCiphertext(), payload.at("/code/ciphertext").asText());
        assertEquals(auto.getPhone(), fallback.key());
        String fallbackId = TopicReader.headers(fallback).get("ce_id");
        assertTrue(!ceId.equals(fallbackId), "the fallback is a new event");

        List<ConsumerRecord<String, String>> all = requested.drain(Duration.ofSeconds(2));
        assertEquals(1, all.stream().filter(r -> r.value().contains(id) && r.value().contains("fallback_from"))
                .map(r -> TopicReader.headers(r).get("ce_id")).distinct().count(),
                "one fallback however often redelivered");
    }

    @Test
    void telegramOnlyCodesAreReportedNotFallenBack() throws Exception {
        OtpRequested telegram = event(Channel.TELEGRAM);
        String id = telegram.getVerificationId();
        publish(UUID.randomUUID().toString(), telegram);
        deliveries.await(r -> r.value().contains(id));
        assertTrue(requested.drain(Duration.ofSeconds(2)).stream()
                .noneMatch(r -> r.value().contains(id) && r.value().contains("fallback_from")));
    }

    @Test
    void healthChecksItsStores() {
        given().get("/q/health/ready").then().statusCode(200);
    }
}
