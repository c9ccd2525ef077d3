package io.phonekey.sms.support;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Signs webhook requests the way Twilio does, independently of the SDK the service validates them with. */
public final class TwilioSignatures {

    private TwilioSignatures() {
    }

    /** Twilio's algorithm: base64 HMAC-SHA1 of the URL followed by the sorted parameters' names and values. */
    public static String sign(String url, String token, Map<String, String> params) throws Exception {
        StringBuilder data = new StringBuilder(url);
        new TreeMap<>(params).forEach((k, v) -> data.append(k).append(v));
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(token.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        return Base64.getEncoder().encodeToString(mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8)));
    }
}
