package io.phonekey.sms.support;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Publishes {@code otp.requested} CloudEvents to the real broker the way otp-service does: the code sealed with
 * AES-256-GCM under the test key, bound to the verification id and phone.
 */
public final class Events implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final KafkaProducer<String, String> producer;

    public Events() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }

    public static String freshPhone() {
        return "+447400" + String.format("%06d", ThreadLocalRandom.current().nextInt(1_000_000));
    }

    /** An otp.requested payload for a new verification, expiring in the given number of seconds. */
    public static Map<String, Object> requested(String phone, String channel, String code, long expiresInSeconds)
            throws Exception {
        String id = UUID.randomUUID().toString();
        byte[] raw = Base64.getDecoder()
                .decode(ConfigProvider.getConfig().getValue("sms.event-key", String.class).split(",")[0]);
        byte[] iv = new byte[12];
        new SecureRandom().nextBytes(iv);
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(raw, "AES"), new GCMParameterSpec(128, iv));
        byte[] idBytes = id.getBytes(StandardCharsets.UTF_8);
        byte[] phoneBytes = phone.getBytes(StandardCharsets.UTF_8);
        cipher.updateAAD(ByteBuffer.allocate(8 + idBytes.length + phoneBytes.length).putInt(idBytes.length)
                .put(idBytes).putInt(phoneBytes.length).put(phoneBytes).array());
        byte[] sealed = cipher.doFinal(code.getBytes(StandardCharsets.UTF_8));
        String kid = java.util.HexFormat.of()
                .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(raw), 0, 4);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("verification_id", id);
        event.put("phone", phone);
        event.put("channel", channel);
        event.put("purpose", "login");
        event.put("code_length", code.length());
        event.put("code", Map.of("alg", "A256GCM", "kid", kid, "iv", Base64.getEncoder().encodeToString(iv),
                "ciphertext", Base64.getEncoder().encodeToString(sealed)));
        event.put("requested_at", now.toString());
        event.put("expires_at", now.plusSeconds(expiresInSeconds).toString());
        event.put("metadata", Map.of());
        return event;
    }

    /** Publishes the payload as a binary-mode CloudEvent with the given id; waits for the broker's ack. */
    public void publish(String ceId, Map<String, Object> payload) throws Exception {
        publish("otp.requested", "/phonekey/otp-service", ceId, payload);
    }

    /** Publishes a security.notice as identity-service will. */
    public void publishNotice(String ceId, Map<String, Object> payload) throws Exception {
        publish("security.notice", "/phonekey/identity-service", ceId, payload);
    }

    private void publish(String topic, String source, String ceId, Map<String, Object> payload) throws Exception {
        ProducerRecord<String, String> record = new ProducerRecord<>(topic, (String) payload.get("phone"),
                JSON.writeValueAsString(payload));
        record.headers().add("ce_specversion", "1.0".getBytes(StandardCharsets.UTF_8));
        record.headers().add("ce_id", ceId.getBytes(StandardCharsets.UTF_8));
        record.headers().add("ce_type", ("io.phonekey." + topic + ".v1").getBytes(StandardCharsets.UTF_8));
        record.headers().add("ce_source", source.getBytes(StandardCharsets.UTF_8));
        record.headers().add("ce_time", Instant.now().toString().getBytes(StandardCharsets.UTF_8));
        record.headers().add("content-type", "application/json".getBytes(StandardCharsets.UTF_8));
        producer.send(record).get();
    }

    /** Publishes a raw record (for poison-message tests). */
    public void publishRaw(String key, String value) throws Exception {
        producer.send(new ProducerRecord<>("otp.requested", key, value)).get();
    }

    @Override
    public void close() {
        producer.close();
    }
}
