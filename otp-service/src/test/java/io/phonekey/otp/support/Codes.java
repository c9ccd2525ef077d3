package io.phonekey.otp.support;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.eclipse.microprofile.config.ConfigProvider;

import com.fasterxml.jackson.databind.JsonNode;

import io.phonekey.otp.crypto.CodeCipher;

/** Test helpers: fresh phone numbers, and the code recovered from an event the way a delivery service does. */
public final class Codes {

    private Codes() {
    }

    /** A valid UK mobile number no other test uses. */
    public static String freshPhone() {
        return "+447400" + String.format("%06d", ThreadLocalRandom.current().nextInt(1_000_000));
    }

    public static String decrypt(JsonNode event) throws Exception {
        String key = ConfigProvider.getConfig().getValue("otp.event-key", String.class);
        JsonNode code = event.get("code");
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(Base64.getDecoder().decode(key), "AES"),
                new GCMParameterSpec(128, Base64.getDecoder().decode(code.get("iv").asText())));
        cipher.updateAAD(CodeCipher.associatedData(event.get("verification_id").asText(), event.get("phone").asText()));
        return new String(cipher.doFinal(Base64.getDecoder().decode(code.get("ciphertext").asText())),
                StandardCharsets.UTF_8);
    }
}
