package io.phonekey.sms.support;

import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.ConfigProvider;

import com.fasterxml.jackson.core.type.TypeReference;

import io.phonekey.contract.event.Channel;
import io.phonekey.contract.event.EventType;
import io.phonekey.contract.testing.ContractProducer;
import io.phonekey.contract.testing.TestPhones;

/**
 * This service's test inputs, through the contract's producer: every payload is held to its schema before it is
 * published, and the code is sealed with the contract's codec under the test key, as otp-service seals it.
 */
public final class Events implements AutoCloseable {

    private final ContractProducer producer = new ContractProducer();

    public static String freshPhone() {
        return TestPhones.fresh();
    }

    /** An otp.requested payload for a new verification, expiring in the given number of seconds. */
    public static Map<String, Object> requested(String phone, String channel, String code, long expiresInSeconds) {
        List<String> keys = List.of(
                ConfigProvider.getConfig().getValue("sms.event-key", String.class).split(","));
        return ContractProducer.JSON.convertValue(
                ContractProducer.requested(keys, phone, Channel.fromValue(channel), code, expiresInSeconds),
                new TypeReference<Map<String, Object>>() {
                });
    }

    /** Publishes an otp.requested with the given id; waits for the broker's ack. */
    public void publish(String ceId, Map<String, Object> payload) {
        producer.publish(EventType.OTP_REQUESTED, ceId, (String) payload.get("phone"), payload);
    }

    /** Publishes an otp.requested with the given id and a W3C {@code traceparent}, as otp-service's tracing does. */
    public void publish(String ceId, Map<String, Object> payload, String traceparent) {
        producer.publish(EventType.OTP_REQUESTED, ceId, (String) payload.get("phone"), payload,
                Map.of("traceparent", traceparent));
    }

    /** Publishes a security.notice as identity-service does. */
    public void publishNotice(String ceId, Map<String, Object> payload) {
        producer.publish(EventType.SECURITY_NOTICE, ceId, (String) payload.get("phone"), payload);
    }

    /** Publishes a raw record that bypasses the contract (for poison-message tests). */
    public void publishRaw(String key, String value) {
        producer.publishRaw(EventType.OTP_REQUESTED.topic(), key, value);
    }

    @Override
    public void close() {
        producer.close();
    }
}
