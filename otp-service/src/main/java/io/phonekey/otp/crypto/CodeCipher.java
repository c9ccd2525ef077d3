package io.phonekey.otp.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;

import io.phonekey.otp.config.OtpConfig;
import io.phonekey.otp.event.EncryptedCode;

/**
 * Encrypts a code for {@code otp.requested} with AES-256-GCM under the first OTP_EVENT_KEY. The verification id and
 * phone are the associated data, so a ciphertext cannot be replayed into another verification's event.
 */
@ApplicationScoped
public class CodeCipher {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;
    private final String keyId;

    public CodeCipher(OtpConfig config) {
        byte[] raw = Base64.getDecoder().decode(config.eventKey().get(0).trim());
        if (raw.length != 32) {
            throw new IllegalStateException("OTP_EVENT_KEY must be 32 bytes, base64-encoded");
        }
        this.key = new SecretKeySpec(raw, "AES");
        this.keyId = keyId(raw);
    }

    /** The key id of a raw key: the first 8 hex digits of its SHA-256, as the delivery services compute it too. */
    public static String keyId(byte[] raw) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(raw), 0, 4);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public EncryptedCode encrypt(String verificationId, String phone, String code) {
        byte[] iv = new byte[12];
        RANDOM.nextBytes(iv);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, iv));
            cipher.updateAAD(associatedData(verificationId, phone));
            byte[] sealed = cipher.doFinal(code.getBytes(StandardCharsets.UTF_8));
            Base64.Encoder b64 = Base64.getEncoder();
            return new EncryptedCode("A256GCM", keyId, b64.encodeToString(iv), b64.encodeToString(sealed));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Associated data: the verification id and the phone, each prefixed by its length. */
    public static byte[] associatedData(String verificationId, String phone) {
        byte[] id = verificationId.getBytes(StandardCharsets.UTF_8);
        byte[] ph = phone.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + id.length + ph.length).putInt(id.length).put(id).putInt(ph.length).put(ph)
                .array();
    }
}
