package io.phonekey.otp.rest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.phonekey.otp.config.OtpConfig;

/** The configured API keys (OTP_API_KEYS, {@code name:key} pairs); lookups compare every key in constant time. */
@ApplicationScoped
public class ApiKeys {

    private final Map<String, byte[]> keys = new LinkedHashMap<>();

    public ApiKeys(OtpConfig config) {
        for (String pair : config.apiKeys().split(",")) {
            String trimmed = pair.trim();
            int colon = trimmed.indexOf(':');
            if (colon <= 0 || colon == trimmed.length() - 1) {
                throw new IllegalStateException("OTP_API_KEYS must be comma-separated name:key pairs");
            }
            keys.put(trimmed.substring(0, colon), trimmed.substring(colon + 1).getBytes(StandardCharsets.UTF_8));
        }
    }

    /** The name of the key that matches, if any. */
    public Optional<String> nameOf(String presented) {
        byte[] candidate = presented.getBytes(StandardCharsets.UTF_8);
        String matched = null;
        for (Map.Entry<String, byte[]> key : keys.entrySet()) {
            if (MessageDigest.isEqual(key.getValue(), candidate)) {
                matched = key.getKey();
            }
        }
        return Optional.ofNullable(matched);
    }
}
