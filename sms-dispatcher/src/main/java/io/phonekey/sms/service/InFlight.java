package io.phonekey.sms.service;

import java.util.ArrayDeque;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * The bound on messages the courier works on at once ({@code SMS_MAX_IN_FLIGHT}): an asynchronous semaphore. A
 * consumer asks for a place before it takes its next record; while none is free its request waits, so the connector
 * stops asking Kafka for more and pauses the partition. A waiter is resumed on the Vert.x context it asked from.
 */
final class InFlight {

    private final int limit;
    private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
    private int used;
    private boolean closed;

    InFlight(int limit) {
        if (limit < 1) {
            throw new IllegalStateException("SMS_MAX_IN_FLIGHT must be at least 1, not " + limit);
        }
        this.limit = limit;
    }

    /** Completes when a place is taken; {@link #release()} gives it back. */
    Uni<Void> acquire() {
        return Uni.createFrom().emitter(emitter -> {
            Context context = Vertx.currentContext();
            synchronized (this) {
                if (closed) {
                    return; // stopping: the record stays unacknowledged for the partition's next owner
                }
                if (used < limit) {
                    used++;
                    emitter.complete(null);
                    return;
                }
                waiting.add(context == null
                        ? () -> emitter.complete(null)
                        : () -> context.runOnContext(v -> emitter.complete(null)));
            }
        });
    }

    /** Gives a place back: to the longest waiter, if any. */
    void release() {
        Runnable next;
        synchronized (this) {
            next = closed ? null : waiting.poll();
            if (next == null) {
                used--;
            }
        }
        if (next != null) {
            next.run();
        }
    }

    /**
     * Stops admitting: no waiting or later request is ever given a place (the consumers stop taking records), while
     * the places taken are released as their messages settle.
     */
    synchronized void close() {
        closed = true;
        waiting.clear();
    }

    /** Whether {@link #close()} was called: the process is stopping. */
    synchronized boolean closed() {
        return closed;
    }

    /** Places taken now. */
    synchronized int used() {
        return used;
    }
}
