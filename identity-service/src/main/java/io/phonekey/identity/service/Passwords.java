package io.phonekey.identity.service;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

import jakarta.enterprise.context.ApplicationScoped;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * Password hashes: Argon2id (BouncyCastle) with OWASP's minimum parameters (19 MiB, 2 passes, 1 lane), stored in the
 * PHC string format so parameters can be raised later without breaking old hashes. Hashing takes tens of
 * milliseconds of CPU by design, so it runs on a worker thread, never on the event loop. An unknown account is
 * checked against a dummy hash, so "no such email" and "wrong password" take the same time.
 */
// Created at start-up: the dummy hash below takes tens of milliseconds, which must not land on an event loop.
@io.quarkus.runtime.Startup
@ApplicationScoped
public class Passwords {

    static final int MEMORY_KIB = 19 * 1024;
    static final int ITERATIONS = 2;
    static final int LANES = 1;
    static final int MIN_LENGTH = 8;
    static final int MAX_LENGTH = 256;

    private static final SecureRandom RANDOM = new SecureRandom();
    private final String dummy = hashNow("not a password anyone has: " + RANDOM.nextLong());

    /** Refuses a password too short to resist guessing, or so long that hashing it is a denial of service. */
    public static String acceptable(String password) {
        if (password == null || password.length() < MIN_LENGTH || password.length() > MAX_LENGTH) {
            return "password must have " + MIN_LENGTH + " to " + MAX_LENGTH + " characters";
        }
        return null;
    }

    public Uni<String> hash(String password) {
        return Uni.createFrom().item(() -> hashNow(password)).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    /** Whether the password matches; with a null hash (no such account) it checks the dummy and answers false. */
    public Uni<Boolean> verify(String password, String stored) {
        return Uni.createFrom().item(() -> {
            boolean match = matches(password == null ? "" : password, stored == null ? dummy : stored);
            return stored != null && match;
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    static String hashNow(String password) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        byte[] hash = derive(password, salt, MEMORY_KIB, ITERATIONS, LANES, 32);
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return "$argon2id$v=19$m=" + MEMORY_KIB + ",t=" + ITERATIONS + ",p=" + LANES + "$" + b64.encodeToString(salt)
                + "$" + b64.encodeToString(hash);
    }

    static boolean matches(String password, String phc) {
        String[] parts = phc.split("\\$");
        if (parts.length != 6 || !"argon2id".equals(parts[1])) {
            return false;
        }
        int m = 0;
        int t = 0;
        int p = 0;
        for (String kv : parts[3].split(",")) {
            int value = Integer.parseInt(kv.substring(2));
            switch (kv.charAt(0)) {
                case 'm' -> m = value;
                case 't' -> t = value;
                case 'p' -> p = value;
                default -> {
                    return false;
                }
            }
        }
        byte[] salt = Base64.getDecoder().decode(parts[4]);
        byte[] expected = Base64.getDecoder().decode(parts[5]);
        return MessageDigest.isEqual(expected, derive(password, salt, m, t, p, expected.length));
    }

    private static byte[] derive(String password, byte[] salt, int memoryKib, int iterations, int lanes, int length) {
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withSalt(salt).withMemoryAsKB(memoryKib).withIterations(iterations).withParallelism(lanes).build());
        byte[] out = new byte[length];
        generator.generateBytes(password.getBytes(StandardCharsets.UTF_8), out);
        return out;
    }
}
