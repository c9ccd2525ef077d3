package io.phonekey.sms.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;

import io.phonekey.sms.config.SmsConfig;
import io.phonekey.sms.event.OtpRequested;

/**
 * Opens the AES-256-GCM sealed code of an {@code otp.requested} event (docs/events/otp-requested.v1.json): the key is
 * chosen by its id (first 8 hex digits of its SHA-256), the associated data binds it to the verification and phone.
 */
@ApplicationScoped
public class CodeDecryptor {

    private final Map<String, SecretKeySpec> keys = new LinkedHashMap<>();

    public CodeDecryptor(SmsConfig config) {
        for (String encoded : config.eventKey()) {
            byte[] raw = Base64.getDecoder().decode(encoded.trim());
            try {
                keys.put(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(raw), 0, 4),
                        new SecretKeySpec(raw, "AES"));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** The plaintext code; throws {@link IllegalArgumentException} for an unknown key or a tampered event. */
    public String decrypt(OtpRequested event) {
        OtpRequested.EncryptedCode sealed = event.code();
        SecretKeySpec key = keys.get(sealed.kid());
        if (key == null || !"A256GCM".equals(sealed.alg())) {
            throw new IllegalArgumentException("no key for code key id " + sealed.kid());
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, Base64.getDecoder().decode(sealed.iv())));
            byte[] id = event.verificationId().getBytes(StandardCharsets.UTF_8);
            byte[] phone = event.phone().getBytes(StandardCharsets.UTF_8);
            cipher.updateAAD(ByteBuffer.allocate(8 + id.length + phone.length).putInt(id.length).put(id)
                    .putInt(phone.length).put(phone).array());
            return new String(cipher.doFinal(Base64.getDecoder().decode(sealed.ciphertext())), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the sealed code does not open", e);
        }
    }
}
