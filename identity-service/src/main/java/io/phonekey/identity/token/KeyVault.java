package io.phonekey.identity.token;

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

/**
 * Encrypts the private signing keys for the database with AES-256-GCM (IDENTITY_SIGNING_KEY_SECRET), bound to the
 * key's {@code kid} as associated data, so a row copied under another kid does not open. Stored as
 * {@code aesgcm:<secret id>:<base64 iv|ciphertext>}; the secret id (a digest prefix) says which secret to use, so the
 * secret can rotate: the first encrypts, all decrypt.
 */
public final class KeyVault {

    static final String PREFIX = "aesgcm:";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String current;
    private final Map<String, SecretKeySpec> secrets;

    private KeyVault(String current, Map<String, SecretKeySpec> secrets) {
        this.current = current;
        this.secrets = secrets;
    }

    /** The vault for these base64 secrets; refuses anything but 32-byte keys, naming the variable. */
    public static KeyVault of(List<String> base64Secrets) {
        Map<String, SecretKeySpec> secrets = new LinkedHashMap<>();
        for (String b64 : base64Secrets) {
            byte[] raw;
            try {
                raw = Base64.getDecoder().decode(b64.strip());
            } catch (IllegalArgumentException e) {
                raw = new byte[0];
            }
            if (raw.length != 32) {
                throw new IllegalStateException("every IDENTITY_SIGNING_KEY_SECRET entry must be 32 bytes in base64");
            }
            secrets.put(id(raw), new SecretKeySpec(raw, "AES"));
        }
        if (secrets.isEmpty()) {
            throw new IllegalStateException("IDENTITY_SIGNING_KEY_SECRET must be set");
        }
        return new KeyVault(secrets.keySet().iterator().next(), secrets);
    }

    public String seal(String kid, byte[] privateKey) {
        try {
            byte[] iv = new byte[12];
            RANDOM.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, secrets.get(current), new GCMParameterSpec(128, iv));
            cipher.updateAAD(kid.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(privateKey);
            byte[] out = new byte[iv.length + sealed.length];
            System.arraycopy(iv, 0, out, 0, iv.length);
            System.arraycopy(sealed, 0, out, iv.length, sealed.length);
            return PREFIX + current + ":" + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether a stored value is sealed (rows written before encryption hold the plain PKCS#8 in base64). */
    public static boolean sealed(String stored) {
        return stored.startsWith(PREFIX);
    }

    /** Whether it is sealed with the current secret (else it is sealed again on the next load). */
    public boolean current(String stored) {
        return stored.startsWith(PREFIX + current + ":");
    }

    public byte[] open(String kid, String stored) {
        if (!sealed(stored)) {
            return Base64.getDecoder().decode(stored);
        }
        String[] parts = stored.split(":", 3);
        SecretKeySpec secret = parts.length == 3 ? secrets.get(parts[1]) : null;
        if (secret == null) {
            throw new IllegalStateException("signing key " + kid + " is sealed with a secret that "
                    + "IDENTITY_SIGNING_KEY_SECRET no longer holds");
        }
        try {
            byte[] in = Base64.getDecoder().decode(parts[2]);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, secret, new GCMParameterSpec(128, in, 0, 12));
            cipher.updateAAD(kid.getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(in, 12, in.length - 12);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("signing key " + kid + " does not open with IDENTITY_SIGNING_KEY_SECRET",
                    e);
        }
    }

    private static String id(byte[] raw) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(raw), 0, 4);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
