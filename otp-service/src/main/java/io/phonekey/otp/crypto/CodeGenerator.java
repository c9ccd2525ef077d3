package io.phonekey.otp.crypto;

import java.security.SecureRandom;

import jakarta.enterprise.context.ApplicationScoped;

/** Uniform random numeric codes from {@link SecureRandom}; leading zeros are kept. */
@ApplicationScoped
public class CodeGenerator {

    private static final long[] POWERS = {1L, 10L, 100L, 1_000L, 10_000L, 100_000L, 1_000_000L, 10_000_000L,
            100_000_000L, 1_000_000_000L, 10_000_000_000L};

    private final SecureRandom random = new SecureRandom();

    public String generate(int length) {
        if (length < 4 || length > 10) {
            throw new IllegalArgumentException("code length must be 4 to 10");
        }
        long value = random.nextLong(POWERS[length]);
        return String.format("%0" + length + "d", value);
    }
}
