package io.phonekey.contract.problem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.phonekey.contract.failure.Failures;
import io.phonekey.contract.text.ApiKeyRing;
import io.phonekey.contract.text.PhoneMask;

class SharedPiecesTest {

    @Test
    void problemBody() {
        Problem p = Problem.tooMany("rate_limited", "slow down", 0).with("limit", "phone_15m");
        assertEquals("https://phonekey.io/problems/rate-limited", p.body().get("type"));
        assertEquals(429, p.body().get("status"));
        assertEquals("phone_15m", p.body().get("limit"));
        assertEquals(1L, p.retryAfterSeconds());
    }

    @Test
    void apiKeys() {
        ApiKeyRing ring = ApiKeyRing.parse("OTP_API_KEYS", "shop: k-1 ,billing:k-2");
        assertEquals(Optional.of("billing"), ring.nameOf("k-2"));
        assertEquals(Optional.empty(), ring.nameOf("k-"));
        assertEquals(Optional.empty(), ring.nameOf(null));
        assertEquals(Optional.of("shop"), ring.nameOf("k-1"));
        assertTrue(ring.holds("k-1"));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ApiKeyRing.parse("SMS_ADMIN_API_KEYS", "nokey"));
        assertTrue(e.getMessage().startsWith("SMS_ADMIN_API_KEYS"));
        assertThrows(IllegalStateException.class, () -> ApiKeyRing.parse("X", "a:1,a:2"));
        assertThrows(IllegalStateException.class, () -> ApiKeyRing.parse("X", " "));
    }

    @Test
    void masking() {
        assertEquals("+44******3456", PhoneMask.mask("+447400123456"));
        assertEquals("***", PhoneMask.mask(null));
    }

    @Test
    void failures() {
        assertTrue(Failures.isOutage(new RuntimeException(new ConnectException("refused"))));
        assertTrue(Failures.isOutage(new IllegalStateException(new IOException("reset"))));
        assertFalse(Failures.isOutage(new IllegalArgumentException("bad")));
        assertFalse(Failures.isUniqueViolation(new IllegalArgumentException("bad")));
    }
}
