package io.phonekey.sms.rest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.phonekey.sms.config.SmsConfig;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import io.quarkus.runtime.configuration.ConfigUtils;

/**
 * The admin API's keys (SMS_ADMIN_API_KEYS, {@code name:key} pairs). A presented key is compared with every key, by
 * SHA-256 digest and in constant time, so neither its content nor its length shows in the answer time.
 */
@Startup
@ApplicationScoped
public class AdminKeys {

    static final String LOCAL_KEY = "local-sms-admin-key";

    private final Map<String, byte[]> digests = new LinkedHashMap<>();

    public AdminKeys(SmsConfig config) {
        for (String pair : config.adminApiKeys().split(",")) {
            String trimmed = pair.strip();
            int colon = trimmed.indexOf(':');
            if (colon <= 0 || colon == trimmed.length() - 1) {
                throw new IllegalStateException("SMS_ADMIN_API_KEYS must be comma-separated name:key pairs");
            }
            digests.put(trimmed.substring(0, colon), digest(trimmed.substring(colon + 1)));
            if (LOCAL_KEY.equals(trimmed.substring(colon + 1)) && ConfigUtils.isProfileActive("prod")) {
                Log.warn("SMS_ADMIN_API_KEYS still holds the local development key: set real keys");
            }
        }
    }

    /** The name of the key that matches, if any. */
    public Optional<String> nameOf(String presented) {
        byte[] candidate = digest(presented);
        String matched = null;
        for (Map.Entry<String, byte[]> key : digests.entrySet()) {
            if (MessageDigest.isEqual(key.getValue(), candidate)) {
                matched = key.getKey();
            }
        }
        return Optional.ofNullable(matched);
    }

    private static byte[] digest(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
