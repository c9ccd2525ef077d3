package io.phonekey.contract.testing;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Valid mobile numbers that no other test of this run uses: UK mobiles {@code +4474bbnnnnnn}, unique per run and
 * process, so tests sharing the real stores and the broker never take each other's limits or messages.
 * <p>
 * {@code bb} is the module's own block (system property {@code phonekey.test-phones.block}, set per module in its
 * pom): every module's tests share one test broker, and sms-dispatcher's tests read the {@code otp.requested} that
 * otp-service's tests published before them. With one range for all, two processes' random starts could meet and a
 * test would count another module's message as its own (seen once: three provider calls for one phone).
 */
public final class TestPhones {

    private static final String BLOCK = block(System.getProperty("phonekey.test-phones.block", "00"));

    private static final AtomicInteger NEXT = new AtomicInteger(
            (int) ((System.nanoTime() ^ ProcessHandle.current().pid() * 7919) & 0x7ffff) * 2);

    private TestPhones() {
    }

    public static String fresh() {
        return "+4474" + BLOCK + String.format("%06d", Math.floorMod(NEXT.getAndIncrement(), 1_000_000));
    }

    /** The same number written as a UK caller would: {@code 074bb nnnnnn}. */
    public static String national(String fresh) {
        return "0" + fresh.substring(3, 7) + " " + fresh.substring(7);
    }

    // UK mobiles 074xx are valid for xx in 00-49 and 60-99 (libphonenumber's metadata; 745x is partly unassigned).
    private static String block(String value) {
        if (!value.matches("[0-46-9][0-9]")) {
            throw new IllegalArgumentException("phonekey.test-phones.block must be 00-49 or 60-99: " + value);
        }
        return value;
    }
}
