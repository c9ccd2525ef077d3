package io.phonekey.identity.token;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Sealing the private signing keys: bound to their kid, openable across a rotation of the secret. */
class KeyVaultTest {

    static final String ONE = Base64.getEncoder().encodeToString(new byte[32]);
    static final String TWO = Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes());

    @Test
    void aSealedKeyOpensOnlyUnderItsKidAndWithItsSecret() {
        byte[] key = "pkcs8-bytes".getBytes();
        KeyVault vault = KeyVault.of(List.of(ONE));
        String sealed = vault.seal("kid-1", key);
        assertTrue(KeyVault.sealed(sealed));
        assertArrayEquals(key, vault.open("kid-1", sealed));
        assertThrows(IllegalStateException.class, () -> vault.open("kid-2", sealed));
        assertThrows(IllegalStateException.class, () -> KeyVault.of(List.of(TWO)).open("kid-1", sealed));
        // Rotation of the secret: the new one seals, the old one still opens.
        KeyVault rotated = KeyVault.of(List.of(TWO, ONE));
        assertArrayEquals(key, rotated.open("kid-1", sealed));
        assertTrue(!rotated.current(sealed) && rotated.current(rotated.seal("kid-1", key)));
    }

    @Test
    void aSecretThatIsNotAnAes256KeyIsRefusedByName() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> KeyVault.of(List.of("short")));
        assertTrue(e.getMessage().contains("IDENTITY_SIGNING_KEY_SECRET"));
    }
}
