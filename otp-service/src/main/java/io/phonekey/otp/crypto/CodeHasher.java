package io.phonekey.otp.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;

import io.phonekey.otp.config.OtpConfig;

/**
 * Stores only {@code HMAC-SHA256(pepper, verification id ‖ code)}. The stored form is {@code <pepper id>:<base64 mac>}
 * so that peppers rotate: the first configured pepper signs, every configured pepper verifies.
 */
@ApplicationScoped
public class CodeHasher {

    private final List<Pepper> peppers;

    public CodeHasher(OtpConfig config) {
        this.peppers = config.codePeppers().stream().map(Pepper::of).toList();
    }

    /** The value to store for this verification's code. */
    public String hash(String verificationId, String code) {
        Pepper signer = peppers.get(0);
        return signer.id + ":" + Base64.getEncoder().encodeToString(signer.mac(verificationId, code));
    }

    /** Constant-time check of a candidate code against a stored value. */
    public boolean matches(String stored, String verificationId, String candidate) {
        int colon = stored.indexOf(':');
        if (colon < 0) {
            return false;
        }
        String pepperId = stored.substring(0, colon);
        byte[] expected = Base64.getDecoder().decode(stored.substring(colon + 1));
        for (Pepper pepper : peppers) {
            if (pepper.id.equals(pepperId)) {
                return MessageDigest.isEqual(expected, pepper.mac(verificationId, candidate));
            }
        }
        return false;
    }

    private record Pepper(String id, SecretKeySpec key) {

        static Pepper of(String secret) {
            byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
            try {
                byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
                return new Pepper(HexFormat.of().formatHex(digest, 0, 4), new SecretKeySpec(bytes, "HmacSHA256"));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        byte[] mac(String verificationId, String code) {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(key);
                mac.update(verificationId.getBytes(StandardCharsets.UTF_8));
                mac.update((byte) 0);
                return mac.doFinal(code.getBytes(StandardCharsets.UTF_8));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
