package io.phonekey.identity.service;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

import io.phonekey.contract.problem.Problem;
import io.smallrye.mutiny.Uni;

/**
 * Password hashes: Argon2id (BouncyCastle) with OWASP's minimum parameters (19 MiB, 2 passes, 1 lane), stored in the
 * PHC string format so parameters can be raised later without breaking old hashes. Hashing takes tens of
 * milliseconds of CPU by design, so it runs on threads of its own, never on the event loop. An unknown account is
 * checked against a dummy hash, so "no such email" and "wrong password" take the same time.
 *
 * <p>Each hash holds its 19 MiB for its whole run, so hashes run at most one per core ({@link #HASHERS}, CPU-bound:
 * more would not be faster), the others wait in a bounded queue, and beyond it a call is refused at once with 503.
 * On the shared worker pool (up to 200 threads) a burst of password logins ran a dozen hashes at once and the
 * 256 MiB heap ran out: the identity crash check got 11 OutOfMemoryError 500s in CI.
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

    /** Hashes run at once: one per core. */
    static final int HASHERS = Math.max(1, Runtime.getRuntime().availableProcessors());
    /** Hashes waiting for a hasher: a few seconds of work at most on a small machine. */
    static final int QUEUE = 128;

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final AtomicInteger RUNNING = new AtomicInteger();
    private static final AtomicInteger PEAK = new AtomicInteger();

    private final ThreadPoolExecutor hashing = new ThreadPoolExecutor(HASHERS, HASHERS, 0, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(QUEUE), r -> {
                Thread t = new Thread(r, "password-hashing");
                t.setDaemon(true);
                return t;
            });
    private final String dummy = hashNow("not a password anyone has: " + RANDOM.nextLong());

    /** Refuses a password too short to resist guessing, or so long that hashing it is a denial of service. */
    public static String acceptable(String password) {
        if (password == null || password.length() < MIN_LENGTH || password.length() > MAX_LENGTH) {
            return "password must have " + MIN_LENGTH + " to " + MAX_LENGTH + " characters";
        }
        return null;
    }

    public Uni<String> hash(String password) {
        return bounded(() -> hashNow(password));
    }

    /** Whether the password matches; with a null hash (no such account) it checks the dummy and answers false. */
    public Uni<Boolean> verify(String password, String stored) {
        return bounded(() -> {
            boolean match = matches(password == null ? "" : password, stored == null ? dummy : stored);
            return stored != null && match;
        });
    }

    /** Runs a hash on the hashing threads; a 503 at once when {@link #QUEUE} hashes already wait. */
    private <T> Uni<T> bounded(Supplier<T> work) {
        return Uni.createFrom().emitter(emitter -> {
            try {
                hashing.execute(() -> {
                    try {
                        emitter.complete(work.get());
                    } catch (RuntimeException e) {
                        emitter.fail(e);
                    }
                });
            } catch (RejectedExecutionException e) {
                emitter.fail(new Problem(503, "service_unavailable", "Service Unavailable",
                        "too many password checks at once: try again in a few seconds"));
            }
        });
    }

    /** The most hashes that ran at once in this process (for tests). */
    static int peakConcurrency() {
        return PEAK.get();
    }

    @PreDestroy
    void stop() {
        hashing.shutdownNow();
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
        PEAK.accumulateAndGet(RUNNING.incrementAndGet(), Math::max);
        try {
            return deriveNow(password, salt, memoryKib, iterations, lanes, length);
        } finally {
            RUNNING.decrementAndGet();
        }
    }

    private static byte[] deriveNow(String password, byte[] salt, int memoryKib, int iterations, int lanes,
            int length) {
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withSalt(salt).withMemoryAsKB(memoryKib).withIterations(iterations).withParallelism(lanes).build());
        byte[] out = new byte[length];
        generator.generateBytes(password.getBytes(StandardCharsets.UTF_8), out);
        return out;
    }
}
