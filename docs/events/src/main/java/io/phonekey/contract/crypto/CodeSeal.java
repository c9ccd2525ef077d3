package io.phonekey.contract.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import io.phonekey.contract.event.SealedCode;

/**
 * The sealed code of {@code otp.requested}: AES-256-GCM under OTP_EVENT_KEY, which only otp-service and the two
 * delivery services hold. The first key seals, every key opens (so keys rotate); a key is named by the first 8 hex
 * digits of its SHA-256. The verification id and phone are the associated data, so a ciphertext replayed into another
 * verification's event does not open.
 */
public final class CodeSeal {

    public static final String ALG = "A256GCM";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int TAG_BITS = 128;

    private final Map<String, SecretKeySpec> keys = new LinkedHashMap<>();
    private final String sealingKeyId;

    /** @param base64Keys the keys, each 32 bytes base64-encoded; the first one seals. */
    public CodeSeal(List<String> base64Keys) {
        if (base64Keys == null || base64Keys.isEmpty()) {
            throw new IllegalStateException("OTP_EVENT_KEY must hold at least one key");
        }
        String first = null;
        for (String encoded : base64Keys) {
            byte[] raw;
            try {
                raw = Base64.getDecoder().decode(encoded.strip());
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("OTP_EVENT_KEY must be base64", e);
            }
            if (raw.length != 32) {
                throw new IllegalStateException("OTP_EVENT_KEY must be 32 bytes, base64-encoded");
            }
            String kid = keyId(raw);
            keys.putIfAbsent(kid, new SecretKeySpec(raw, "AES"));
            first = first == null ? kid : first;
        }
        this.sealingKeyId = first;
    }

    /** The key id of a raw key: the first 8 hex digits of its SHA-256. */
    public static String keyId(byte[] raw) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(raw), 0, 4);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public SealedCode seal(String verificationId, String phone, String code) {
        byte[] iv = new byte[12];
        RANDOM.nextBytes(iv);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, keys.get(sealingKeyId), new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(associatedData(verificationId, phone));
            byte[] sealed = cipher.doFinal(code.getBytes(StandardCharsets.UTF_8));
            Base64.Encoder b64 = Base64.getEncoder();
            return new SealedCode().withAlg(ALG).withKid(sealingKeyId).withIv(b64.encodeToString(iv))
                    .withCiphertext(b64.encodeToString(sealed));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The plaintext code; {@link IllegalArgumentException} for an unknown key, another algorithm, or a code sealed for
     * another verification or phone (such an event can never be delivered: it belongs on the dead-letter topic).
     */
    public String open(String verificationId, String phone, SealedCode sealed) {
        if (sealed == null || sealed.getKid() == null || sealed.getIv() == null || sealed.getCiphertext() == null) {
            throw new IllegalArgumentException("no sealed code");
        }
        SecretKeySpec key = keys.get(sealed.getKid());
        if (key == null || !ALG.equals(sealed.getAlg())) {
            throw new IllegalArgumentException("no key for code key id " + sealed.getKid());
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key,
                    new GCMParameterSpec(TAG_BITS, Base64.getDecoder().decode(sealed.getIv())));
            cipher.updateAAD(associatedData(verificationId, phone));
            return new String(cipher.doFinal(Base64.getDecoder().decode(sealed.getCiphertext())),
                    StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("the sealed code does not open", e);
        }
    }

    /** Associated data: the verification id and the phone, each prefixed by its length. */
    static byte[] associatedData(String verificationId, String phone) {
        byte[] id = verificationId.getBytes(StandardCharsets.UTF_8);
        byte[] ph = phone.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + id.length + ph.length).putInt(id.length).put(id).putInt(ph.length).put(ph)
                .array();
    }
}
