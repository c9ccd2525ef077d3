package io.phonekey.sms.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

/** The sender's rate ceiling, its pause after a 429, and the per-phone line, without the rest of the service. */
class SenderLimitsTest {

    private static Vertx vertx;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() {
        vertx.close();
    }

    /** Asks for n sends at once and answers when each was let through, in ms after the start. */
    private static List<Long> letThrough(SenderLimits limits, String sender, int n) {
        long start = System.nanoTime();
        List<Uni<Long>> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            all.add(limits.acquire(sender).map(x -> TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)));
        }
        return Uni.join().all(all).andFailFast().await().atMost(Duration.ofSeconds(30));
    }

    @Test
    void aSenderGetsNoMoreThanItsMessagesPerSecond() {
        SenderLimits limits = new SenderLimits(vertx, 50);
        List<Long> at = letThrough(limits, "+15005550006", 150);
        // One second's worth at once, then 50 a second: the 150th waits two seconds.
        assertTrue(at.get(49) < 200, "the first 50 go at once: " + at.get(49));
        assertTrue(Collections.max(at) >= 1900, "150 at 50/s after a burst of 50 take 2 s: " + Collections.max(at));
        assertTrue(Collections.max(at) < 4000, "and not much longer: " + Collections.max(at));
        // Another sender has its own bucket.
        assertTrue(letThrough(limits, "whatsapp:+15005550006", 50).stream().allMatch(t -> t < 200));
    }

    @Test
    void aPauseHoldsEverySendOfTheSender() {
        SenderLimits limits = new SenderLimits(vertx, 1000);
        limits.pause("MG1", Duration.ofMillis(700));
        List<Long> at = letThrough(limits, "MG1", 10);
        // Timed from just after the pause began.
        assertTrue(at.stream().allMatch(t -> t >= 650), "held for the Retry-After: " + at);
        assertTrue(letThrough(limits, "MG2", 10).stream().allMatch(t -> t < 200), "other senders go on");
    }

    @Test
    void aPhonesWorkRunsInOrderOneAtATimeWhileOtherPhonesRunAlongside() throws Exception {
        PhoneQueue queue = new PhoneQueue();
        List<String> done = Collections.synchronizedList(new ArrayList<>());
        List<CompletionStage<Void>> all = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < 5; i++) {
            for (String phone : List.of("+441", "+442", "+443")) {
                String name = phone + "#" + i;
                all.add(queue.submit(phone, () -> {
                    CompletableFuture<Void> f = new CompletableFuture<>();
                    vertx.setTimer(100, id -> {
                        done.add(name);
                        f.complete(null);
                    });
                    return f;
                }));
            }
        }
        CompletableFuture.allOf(all.stream().map(CompletionStage::toCompletableFuture)
                .toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        for (String phone : List.of("+441", "+442", "+443")) {
            assertEquals(List.of(phone + "#0", phone + "#1", phone + "#2", phone + "#3", phone + "#4"),
                    done.stream().filter(n -> n.startsWith(phone)).toList());
        }
        assertTrue(ms >= 500 && ms < 1400, "three phones side by side, five 100 ms steps each: " + ms);
        assertEquals(0, queue.keys(), "no entry left once a phone's work is done");
    }

    @Test
    void placesInFlightAreBoundedAndHandedOnInOrder() {
        InFlight inFlight = new InFlight(2);
        inFlight.acquire().await().indefinitely();
        inFlight.acquire().await().indefinitely();
        CompletableFuture<Void> third = inFlight.acquire().subscribeAsCompletionStage();
        assertTrue(!third.isDone(), "no third place");
        inFlight.release();
        assertTrue(third.isDone(), "a released place goes to the waiter");
        assertEquals(2, inFlight.used());
        inFlight.release();
        inFlight.release();
        assertEquals(0, inFlight.used());
    }
}
