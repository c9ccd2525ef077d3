package io.phonekey.contract.text;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A set of named API keys given as comma-separated {@code name:key} pairs (OTP_API_KEYS, SMS_ADMIN_API_KEYS, …). A
 * presented key is compared with every key by SHA-256 digest in constant time, so neither its content nor its length
 * shows in the answer time.
 */
public final class ApiKeyRing {

    private final Map<String, byte[]> digests;
    private final Set<String> rawKeys;

    private ApiKeyRing(Map<String, byte[]> digests, Set<String> rawKeys) {
        this.digests = digests;
        this.rawKeys = rawKeys;
    }

    /** Parses {@code spec}; {@code variable} names the setting in the error a malformed value gets. */
    public static ApiKeyRing parse(String variable, String spec) {
        Map<String, byte[]> digests = new LinkedHashMap<>();
        Set<String> raw = new java.util.HashSet<>();
        if (spec == null || spec.isBlank()) {
            throw new IllegalStateException(variable + " must hold at least one name:key pair");
        }
        for (String pair : spec.split(",")) {
            String trimmed = pair.strip();
            int colon = trimmed.indexOf(':');
            if (colon <= 0 || colon == trimmed.length() - 1) {
                throw new IllegalStateException(variable + " must be comma-separated name:key pairs");
            }
            String name = trimmed.substring(0, colon).strip();
            String key = trimmed.substring(colon + 1).strip();
            if (name.isEmpty() || key.isEmpty()) {
                throw new IllegalStateException(variable + " must be comma-separated name:key pairs");
            }
            if (digests.containsKey(name)) {
                throw new IllegalStateException(variable + " names the key '" + name + "' twice");
            }
            digests.put(name, digest(key));
            raw.add(key);
        }
        return new ApiKeyRing(Collections.unmodifiableMap(digests), Collections.unmodifiableSet(raw));
    }

    /** The name of the key that matches, if any; every key is compared, whatever matched first. */
    public Optional<String> nameOf(String presented) {
        if (presented == null) {
            return Optional.empty();
        }
        byte[] candidate = digest(presented);
        String matched = null;
        for (Map.Entry<String, byte[]> key : digests.entrySet()) {
            if (MessageDigest.isEqual(key.getValue(), candidate)) {
                matched = key.getKey();
            }
        }
        return Optional.ofNullable(matched);
    }

    /**
     * The name of the key an {@code Authorization: Bearer <key>} header presents, or a 401 problem's detail when it
     * presents none or a wrong one (the caller raises it in its own way).
     */
    public Optional<String> nameOfBearer(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        return nameOf(authorization.substring(7).strip());
    }

    /** Whether one of the keys is exactly {@code key} (for start-up checks against development defaults). */
    public boolean holds(String key) {
        return rawKeys.contains(key);
    }

    public Set<String> names() {
        return digests.keySet();
    }

    private static byte[] digest(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
