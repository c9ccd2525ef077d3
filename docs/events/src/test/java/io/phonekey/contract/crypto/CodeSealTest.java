package io.phonekey.contract.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.phonekey.contract.event.SealedCode;

class CodeSealTest {

    private static String key() {
        byte[] raw = new byte[32];
        new SecureRandom().nextBytes(raw);
        return Base64.getEncoder().encodeToString(raw);
    }

    private final String k1 = key();
    private final String k2 = key();

    @Test
    void opensWhatItSealedWithLeadingZerosKept() {
        CodeSeal seal = new CodeSeal(List.of(k1));
        SealedCode sealed = seal.seal("v-1", "+447400123456", "004217");
        assertEquals("A256GCM", sealed.getAlg());
        assertEquals("004217", seal.open("v-1", "+447400123456", sealed));
        assertNotEquals("004217", new String(Base64.getDecoder().decode(sealed.getCiphertext())));
    }

    @Test
    void boundToItsVerificationAndPhone() {
        CodeSeal seal = new CodeSeal(List.of(k1));
        SealedCode sealed = seal.seal("v-1", "+447400123456", "123456");
        assertThrows(IllegalArgumentException.class, () -> seal.open("v-2", "+447400123456", sealed));
        assertThrows(IllegalArgumentException.class, () -> seal.open("v-1", "+447400123457", sealed));
    }

    @Test
    void tamperedCiphertextDoesNotOpen() {
        CodeSeal seal = new CodeSeal(List.of(k1));
        SealedCode sealed = seal.seal("v-1", "+447400123456", "123456");
        byte[] c = Base64.getDecoder().decode(sealed.getCiphertext());
        c[0] ^= 1;
        sealed.setCiphertext(Base64.getEncoder().encodeToString(c));
        assertThrows(IllegalArgumentException.class, () -> seal.open("v-1", "+447400123456", sealed));
    }

    @Test
    void rotationTheFirstKeySealsEveryKeyOpens() {
        SealedCode old = new CodeSeal(List.of(k1)).seal("v", "+447400123456", "111111");
        CodeSeal rotated = new CodeSeal(List.of(k2, k1));
        assertEquals("111111", rotated.open("v", "+447400123456", old));
        SealedCode fresh = rotated.seal("v", "+447400123456", "222222");
        assertEquals(CodeSeal.keyId(Base64.getDecoder().decode(k2)), fresh.getKid());
        assertThrows(IllegalArgumentException.class,
                () -> new CodeSeal(List.of(k1)).open("v", "+447400123456", fresh));
    }

    @Test
    void refusesKeysOfTheWrongSize() {
        assertThrows(IllegalStateException.class, () -> new CodeSeal(List.of("c2hvcnQ=")));
        assertThrows(IllegalStateException.class, () -> new CodeSeal(List.of()));
    }
}
