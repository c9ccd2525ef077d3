package io.phonekey.telegram.gateway;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.phonekey.telegram.config.TelegramConfig;
import io.smallrye.mutiny.Uni;

/**
 * The Telegram Gateway API (https://core.telegram.org/gateway/api): {@code sendVerificationMessage} with our own
 * code, {@code revokeVerificationMessage}, and the integrity check of its delivery reports. Answers are
 * {@code {"ok":true,"result":...}} or {@code {"ok":false,"error":"CODE"}}, read whatever the HTTP status.
 */
@ApplicationScoped
public class GatewayApi {

    /** An answer: the result on success, the error code otherwise. */
    public record Answer(JsonNode result, String error) {

        public boolean ok() {
            return error == null;
        }
    }

    private final TelegramConfig config;
    private final ObjectMapper mapper;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public GatewayApi(TelegramConfig config, ObjectMapper mapper) {
        this.config = config;
        this.mapper = mapper;
    }

    public boolean enabled() {
        return config.gateway().token().filter(t -> !t.isBlank()).isPresent();
    }

    /** Sends our code; {@code ttl} in seconds (the Gateway accepts 30 to 3600). */
    public Uni<Answer> sendVerificationMessage(String phone, String code, long ttl, String callbackUrl,
            String payload) {
        return call("sendVerificationMessage", Map.of("phone_number", phone, "code", code, "ttl",
                Math.max(30, Math.min(3600, ttl)), "callback_url", callbackUrl, "payload", payload));
    }

    public Uni<Answer> revokeVerificationMessage(String requestId) {
        return call("revokeVerificationMessage", Map.of("request_id", requestId));
    }

    private Uni<Answer> call(String method, Map<String, Object> body) {
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create(strip(config.gateway().url()) + "/" + method))
                    .timeout(Duration.ofSeconds(10))
                    .header("Authorization", "Bearer " + config.gateway().token().orElseThrow())
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(mapper.writeValueAsString(body))).build();
        } catch (Exception e) {
            return Uni.createFrom().failure(e);
        }
        return Uni.createFrom().completionStage(() -> http.sendAsync(request, HttpResponse.BodyHandlers.ofString()))
                .map(response -> {
                    JsonNode json;
                    try {
                        json = mapper.readTree(response.body());
                    } catch (Exception e) {
                        return new Answer(null, "HTTP_" + response.statusCode());
                    }
                    return json != null && json.path("ok").asBoolean(false)
                            ? new Answer(json.get("result"), null)
                            : new Answer(null, json == null ? "EMPTY" : json.path("error").asText("UNKNOWN"));
                });
    }

    /**
     * Whether a delivery report is the Gateway's: {@code hex(HMAC-SHA256(key = SHA-256(token), timestamp + "\n" +
     * body))} equals the signature (constant time), and the timestamp is within the allowed skew of now.
     */
    public boolean reportIsAuthentic(String timestamp, String signature, byte[] body, long nowSeconds) {
        if (!enabled() || timestamp == null || signature == null || !timestamp.matches("[0-9]{1,12}")) {
            return false;
        }
        if (Math.abs(nowSeconds - Long.parseLong(timestamp)) > config.gateway().reportMaxSkew().toSeconds()) {
            return false;
        }
        try {
            byte[] key = MessageDigest.getInstance("SHA-256")
                    .digest(config.gateway().token().get().getBytes(StandardCharsets.UTF_8));
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update((timestamp + "\n").getBytes(StandardCharsets.UTF_8));
            byte[] expected = HexFormat.of().formatHex(mac.doFinal(body)).getBytes(StandardCharsets.US_ASCII);
            return MessageDigest.isEqual(expected,
                    signature.strip().toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
        } catch (Exception e) {
            return false;
        }
    }

    private static String strip(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
