package io.phonekey.otp.rest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.inject.Singleton;
import jakarta.ws.rs.container.ContainerRequestContext;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.phonekey.otp.config.OtpConfig;

/** Requires {@code Authorization: Bearer <api key>} on every {@code /api/v1} call; keys compare in constant time. */
@Singleton
public class ApiKeyFilter {

    /** Request property holding the name of the key that authenticated the call. */
    public static final String KEY_NAME = "phonekey.api-key-name";

    private final Map<String, byte[]> keys = new LinkedHashMap<>();

    public ApiKeyFilter(OtpConfig config) {
        for (String pair : config.apiKeys().split(",")) {
            String trimmed = pair.trim();
            int colon = trimmed.indexOf(':');
            if (colon <= 0 || colon == trimmed.length() - 1) {
                throw new IllegalStateException("OTP_API_KEYS must be comma-separated name:key pairs");
            }
            keys.put(trimmed.substring(0, colon), trimmed.substring(colon + 1).getBytes(StandardCharsets.UTF_8));
        }
    }

    @ServerRequestFilter
    public void authenticate(ContainerRequestContext ctx) {
        if (!ctx.getUriInfo().getPath().startsWith("/api/")) {
            return;
        }
        String header = ctx.getHeaderString("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw Problem.unauthorized("an API key is required: Authorization: Bearer <key>");
        }
        byte[] presented = header.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        String matched = null;
        for (Map.Entry<String, byte[]> key : keys.entrySet()) {
            if (MessageDigest.isEqual(key.getValue(), presented)) {
                matched = key.getKey();
            }
        }
        if (matched == null) {
            throw Problem.unauthorized("the API key is not valid");
        }
        ctx.setProperty(KEY_NAME, matched);
    }
}
