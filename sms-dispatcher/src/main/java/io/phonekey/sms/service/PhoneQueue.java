package io.phonekey.sms.service;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * One line per phone: the work submitted for one key runs one at a time, in the order it was submitted, while work
 * for other keys runs alongside. The courier submits each record as its consumer receives it (one partition's records
 * in offset order, and one phone's events share a partition), so two messages to one phone go out in event order.
 * A key's entry lives only while it has work.
 */
final class PhoneQueue {

    private final ConcurrentHashMap<String, CompletableFuture<Void>> tails = new ConcurrentHashMap<>();

    /**
     * Runs {@code work} once every earlier work of {@code key} has completed (successfully or not); completes when it
     * has. Calls for one key must come in order (from one thread at a time, as a consumer does).
     */
    CompletionStage<Void> submit(String key, Supplier<CompletionStage<Void>> work) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        CompletableFuture<Void> previous = tails.put(key, done);
        Runnable start = () -> {
            CompletionStage<Void> running;
            try {
                running = work.get();
            } catch (RuntimeException e) {
                running = CompletableFuture.failedFuture(e);
            }
            running.whenComplete((ok, failure) -> {
                tails.remove(key, done);
                if (failure == null) {
                    done.complete(null);
                } else {
                    done.completeExceptionally(failure);
                }
            });
        };
        if (previous == null) {
            start.run();
        } else {
            previous.whenComplete((ok, failure) -> start.run());
        }
        return done;
    }

    /** Keys with work queued or running. */
    int keys() {
        return tails.size();
    }
}
