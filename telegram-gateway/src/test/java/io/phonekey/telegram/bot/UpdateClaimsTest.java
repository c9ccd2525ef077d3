package io.phonekey.telegram.bot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.phonekey.contract.testing.OtpStandIn;
import io.phonekey.telegram.repository.Updates;
import io.phonekey.telegram.support.TelegramStandIn;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The sweeper's claims against the real PostgreSQL: an update left unhandled by a crash is claimed by exactly one of
 * many concurrent sweepers (replicas), and one a live process just stored is claimed by none until its claim ran out.
 */
@QuarkusTest
@QuarkusTestResource(TelegramStandIn.class)
@QuarkusTestResource(OtpStandIn.class)
class UpdateClaimsTest {

    @Inject
    Updates updates;

    @Inject
    Pool pool;

    @Test
    void dozensOfConcurrentSweepersClaimEachStaleUpdateOnce() {
        // One a live process just stored: it is that process's to handle.
        long fresh = io.phonekey.telegram.support.Updates.newUpdateId();
        assertTrue(updates.store(fresh, "{}").await().indefinitely());
        // 60 updates a crashed process stored and never handled: their claim ran out a minute ago.
        List<Long> stale = new ArrayList<>();
        List<Tuple> rows = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            long id = io.phonekey.telegram.support.Updates.newUpdateId();
            stale.add(id);
            rows.add(Tuple.of(id, io.phonekey.telegram.support.Updates.text(id,
                    io.phonekey.telegram.support.Updates.newChat(), "en", "/help")));
        }
        // One batch, then the sweeps at once: the service's own sweeper (every 10 s) has no time to take them first.
        pool.preparedQuery("INSERT INTO telegram_update (update_id, payload, received_at, claimed_until) "
                + "VALUES ($1, $2, now() - interval '2 minutes', now() - interval '1 minute')")
                .executeBatch(rows).await().indefinitely();

        List<CompletableFuture<List<Updates.Stored>>> sweeps = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            sweeps.add(Uni.createFrom().voidItem().chain(() -> updates.claimStale()).subscribeAsCompletionStage());
        }
        List<Long> claimed = new ArrayList<>();
        sweeps.forEach(s -> s.join().forEach(u -> claimed.add(u.updateId())));
        Set<Long> once = new HashSet<>(claimed);
        assertEquals(claimed.size(), once.size(), "an update claimed by two sweepers: " + claimed);
        // Every stale update is claimed now: by these sweeps, or (a few, at most) by the service's own sweeper, which
        // runs every 10 s beside them.
        long held = pool.preparedQuery("SELECT count(*) FROM telegram_update WHERE update_id = ANY($1) "
                + "AND claimed_until > now()").execute(Tuple.of((Object) stale.toArray(Long[]::new)))
                .await().indefinitely().iterator().next().getLong(0);
        assertEquals(60, held, "every stale update claimed");
        assertTrue(once.stream().filter(stale::contains).count() >= 30, "the sweeps claimed the stale updates");
        assertTrue(!once.contains(fresh), "a freshly stored update is its receiver's, not a sweeper's");
        // Claimed now: the next sweep takes none of them again while the claim holds.
        Set<Long> again = new HashSet<>();
        updates.claimStale().await().indefinitely().forEach(u -> again.add(u.updateId()));
        again.retainAll(stale);
        assertEquals(Set.of(), again);
        pool.preparedQuery("UPDATE telegram_update SET processed_at = now() WHERE update_id = ANY($1)")
                .execute(Tuple.of((Object) stale.toArray(Long[]::new))).await().indefinitely();
        updates.processed(fresh).await().indefinitely();
    }
}
