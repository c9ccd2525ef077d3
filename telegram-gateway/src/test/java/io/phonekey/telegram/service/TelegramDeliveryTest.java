package io.phonekey.telegram.service;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.phonekey.telegram.support.EventSchemas;
import io.phonekey.telegram.support.TopicReader;
import io.quarkus.test.junit.QuarkusTest;

/** Telegram-channel codes with the bot off, on the real broker and PostgreSQL: failure reported, SMS fallback once. */
@QuarkusTest
class TelegramDeliveryTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static KafkaProducer<String, String> producer;
    private static TopicReader requested;
    private static TopicReader deliveries;

    @BeforeAll
    static void setUp() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
        producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
        requested = new TopicReader("otp.requested");
        deliveries = new TopicReader("otp.delivery");
    }

    @AfterAll
    static void tearDown() {
        producer.close();
        requested.close();
        deliveries.close();
    }

    static Map<String, Object> event(String channel) {
        String phone = "+447400" + String.format("%06d", ThreadLocalRandom.current().nextInt(1_000_000));
        Instant now = Instant.now();
        return Map.of("verification_id", UUID.randomUUID().toString(), "phone", phone, "channel", channel,
                "purpose", "login", "code_length", 6,
                "code", Map.of("alg", "A256GCM", "kid", "0a1b2c3d", "iv", "AAAAAAAAAAAAAAAA", "ciphertext", "c2VhbGVk"),
                "requested_at", now.toString(), "expires_at", now.plusSeconds(600).toString(), "metadata", Map.of());
    }

    static void publish(String ceId, Map<String, Object> payload) throws Exception {
        ProducerRecord<String, String> r = new ProducerRecord<>("otp.requested", (String) payload.get("phone"),
                JSON.writeValueAsString(payload));
        r.headers().add("ce_specversion", "1.0".getBytes(StandardCharsets.UTF_8));
        r.headers().add("ce_id", ceId.getBytes(StandardCharsets.UTF_8));
        r.headers().add("ce_type", "io.phonekey.otp.requested.v1".getBytes(StandardCharsets.UTF_8));
        r.headers().add("ce_source", "/phonekey/otp-service".getBytes(StandardCharsets.UTF_8));
        producer.send(r).get();
    }

    @Test
    void autoFallsBackToSmsOnceWithTheSameSealedCode() throws Exception {
        Map<String, Object> auto = event("auto");
        String id = (String) auto.get("verification_id");
        String ceId = UUID.randomUUID().toString();
        publish(ceId, auto);
        publish(ceId, auto);

        ConsumerRecord<String, String> failed = deliveries.await(r -> r.value().contains(id));
        EventSchemas.assertValid("otp-delivery.v1.json", failed.value());
        assertEquals("bot_off", JSON.readTree(failed.value()).get("reason").asText());

        ConsumerRecord<String, String> fallback = requested
                .await(r -> r.value().contains(id) && r.value().contains("fallback_from"));
        EventSchemas.assertValid("otp-requested.v1.json", fallback.value());
        JsonNode payload = JSON.readTree(fallback.value());
        assertEquals("sms", payload.get("channel").asText());
        assertEquals("telegram", payload.get("fallback_from").asText());
        assertEquals("c2VhbGVk", payload.at("/code/ciphertext").asText());
        assertEquals(auto.get("phone"), fallback.key());
        String fallbackId = TopicReader.headers(fallback).get("ce_id");
        assertTrue(!ceId.equals(fallbackId), "the fallback is a new event");

        List<ConsumerRecord<String, String>> all = requested.drain(Duration.ofSeconds(2));
        assertEquals(1, all.stream().filter(r -> r.value().contains(id) && r.value().contains("fallback_from"))
                .map(r -> TopicReader.headers(r).get("ce_id")).distinct().count(),
                "one fallback however often redelivered");
    }

    @Test
    void telegramOnlyCodesAreReportedNotFallenBack() throws Exception {
        Map<String, Object> telegram = event("telegram");
        String id = (String) telegram.get("verification_id");
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
