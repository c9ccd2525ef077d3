package io.phonekey.telegram.webapp;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Telegram WebApp {@code initData}, validated as https://core.telegram.org/bots/webapps documents it: secret key =
 * HMAC-SHA256(key "WebAppData", bot token); hash = hex HMAC-SHA256(secret key, every received field except
 * {@code hash}, URL-decoded, sorted, {@code key=value} lines joined by newlines), compared in constant time;
 * {@code auth_date} neither older than the allowed age nor in the future.
 */
public final class InitData {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The Telegram user who opened the page. */
    public record WebAppUser(long id, String languageCode) {
    }

    private InitData() {
    }

    /** The user, or null when the data is not Telegram's for this bot, is stale, or is malformed. */
    public static WebAppUser validate(String initData, String botToken, long maxAgeSeconds, long nowSeconds) {
        if (initData == null || initData.isBlank() || initData.length() > 8192 || botToken == null) {
            return null;
        }
        Map<String, String> fields = new TreeMap<>();
        for (String pair : initData.split("&")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                return null;
            }
            String key = URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8);
            if (fields.put(key, URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8)) != null) {
                return null;
            }
        }
        String hash = fields.remove("hash");
        if (hash == null || !hash.matches("[0-9a-fA-F]{64}")) {
            return null;
        }
        String checkString = fields.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("\n"));
        byte[] expected = hmac(hmac("WebAppData".getBytes(StandardCharsets.UTF_8),
                botToken.getBytes(StandardCharsets.UTF_8)), checkString.getBytes(StandardCharsets.UTF_8));
        if (!MessageDigest.isEqual(HexFormat.of().formatHex(expected).getBytes(StandardCharsets.US_ASCII),
                hash.toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII))) {
            return null;
        }
        String authDate = fields.get("auth_date");
        if (authDate == null || !authDate.matches("[0-9]{1,12}")) {
            return null;
        }
        long age = nowSeconds - Long.parseLong(authDate);
        if (age > maxAgeSeconds || age < -60) {
            return null;
        }
        try {
            JsonNode user = JSON.readTree(fields.getOrDefault("user", "null"));
            if (user == null || !user.path("id").canConvertToLong() || user.path("id").asLong() <= 0) {
                return null;
            }
            return new WebAppUser(user.path("id").asLong(), user.path("language_code").asText(null));
        } catch (Exception e) {
            return null;
        }
    }

    static byte[] hmac(byte[] key, byte[] message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(message);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Signs fields as Telegram does (for tests and local development only). */
    public static String sign(Map<String, String> fields, String botToken) {
        String checkString = new TreeMap<>(fields).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("\n"));
        String hash = HexFormat.of().formatHex(hmac(hmac("WebAppData".getBytes(StandardCharsets.UTF_8),
                botToken.getBytes(StandardCharsets.UTF_8)), checkString.getBytes(StandardCharsets.UTF_8)));
        return fields.entrySet().stream().map(e -> e.getKey() + "="
                + java.net.URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"))
                + "&hash=" + hash;
    }
}
