package io.phonekey.contract.testing;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Valid mobile numbers that no other test of this run uses: UK mobiles {@code +447400nnnnnn}, unique per run and
 * process, so tests sharing the real stores and the broker never take each other's limits or messages.
 */
public final class TestPhones {

    private static final AtomicInteger NEXT = new AtomicInteger(
            (int) ((System.nanoTime() ^ ProcessHandle.current().pid() * 7919) & 0x7ffff) * 2);

    private TestPhones() {
    }

    public static String fresh() {
        return "+447400" + String.format("%06d", Math.floorMod(NEXT.getAndIncrement(), 1_000_000));
    }
}
