package io.phonekey.contract.testing;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import io.phonekey.contract.crypto.CodeSeal;
import io.phonekey.contract.event.Channel;
import io.phonekey.contract.event.EventType;
import io.phonekey.contract.event.OtpRequested;
import io.phonekey.contract.event.Purpose;
import io.phonekey.contract.messaging.Publisher;

/**
 * Publishes events to the real test broker as PhoneKey's producers do, after holding each payload to its schema: a
 * consumer's test input is as valid as production's. {@link #publishRaw} is the one way around it, for poison records.
 */
public final class ContractProducer implements AutoCloseable {

    public static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private final KafkaProducer<String, String> producer;

    public ContractProducer() {
        this(ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
    }

    public ContractProducer(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }

    /** An otp.requested for a new verification, its code sealed under the first of {@code eventKeys}. */
    public static OtpRequested requested(List<String> eventKeys, String phone, Channel channel, String code,
            long expiresInSeconds) {
        String id = UUID.randomUUID().toString();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        return new OtpRequested().withVerificationId(id).withPhone(phone).withChannel(channel)
                .withPurpose(Purpose.LOGIN).withCodeLength((long) code.length())
                .withCode(new CodeSeal(eventKeys).seal(id, phone, code)).withRequestedAt(now)
                .withExpiresAt(now.plusSeconds(expiresInSeconds)).withMetadata(Map.of());
    }

    /** Validates, then publishes as a binary-mode CloudEvent with the given id; waits for the broker's ack. */
    public void publish(EventType type, String ceId, String phone, Object payload) {
        publish(type, ceId, phone, payload, Map.of());
    }

    /** As {@link #publish(EventType, String, String, Object)}, with more headers (a {@code traceparent}, say). */
    public void publish(EventType type, String ceId, String phone, Object payload, Map<String, String> headers) {
        String json;
        try {
            json = JSON.writeValueAsString(payload);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
        EventSchemas.assertValid(type, json);
        ProducerRecord<String, String> record = new ProducerRecord<>(type.topic(), phone, json);
        record.headers().add("ce_specversion", bytes("1.0"));
        record.headers().add("ce_id", bytes(ceId));
        record.headers().add("ce_type", bytes(type.type()));
        record.headers().add("ce_source", bytes(Publisher.source("test").toString()));
        record.headers().add("ce_time", bytes(Instant.now().toString()));
        record.headers().add("content-type", bytes("application/json"));
        headers.forEach((k, v) -> record.headers().add(k, bytes(v)));
        send(record);
    }

    /** A record that bypasses the contract (for poison-message tests). */
    public void publishRaw(String topic, String key, String value) {
        send(new ProducerRecord<>(topic, key, value));
    }

    private void send(ProducerRecord<String, String> record) {
        try {
            producer.send(record).get();
        } catch (Exception e) {
            throw new IllegalStateException("the test broker did not take the record", e);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        producer.close();
    }
}
