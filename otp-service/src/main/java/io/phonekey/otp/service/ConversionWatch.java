package io.phonekey.otp.service;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.phonekey.contract.problem.Problem;
import io.phonekey.otp.config.OtpConfig;
import io.phonekey.otp.repository.VerificationStore;
import io.phonekey.otp.repository.VerificationStore.Marked;
import io.phonekey.otp.repository.VerificationStore.Watch;
import io.smallrye.mutiny.Uni;

/**
 * The conversion watch against SMS pumping: codes sent versus approved per number prefix and country. The counting and
 * the blocking decision happen inside the create and approve scripts (atomic across replicas); this class holds the
 * settings, the Prometheus counters and the admin view.
 */
@ApplicationScoped
public class ConversionWatch {

    private final Watch settings;
    private final OtpConfig.Fraud config;
    private final VerificationStore store;
    private final MeterRegistry metrics;
    /** Counters by name and tags: looked up once, not built and found in the registry on every request. */
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    public ConversionWatch(OtpConfig config, VerificationStore store, MeterRegistry metrics) {
        this.config = config.fraud();
        // Mode and rate are checked at start-up (StartupChecks).
        String mode = this.config.mode().trim().toLowerCase(Locale.ROOT);
        double rate = this.config.minConversion();
        long bucket = Math.max(1000, this.config.window().toMillis() / Watch.BUCKETS);
        this.settings = new Watch(mode, bucket, Math.max(1, this.config.minSends()), (int) Math.round(rate * 1000),
                this.config.blockDuration().toMillis());
        this.store = store;
        this.metrics = metrics;
    }

    public Watch settings() {
        return settings;
    }

    /** Counts refusals by limit, and new conversion blocks by country. */
    void recordOutcome(String country, VerificationStore.CreateOutcome outcome) {
        if (outcome.result().refused()) {
            counter("phonekey.otp.refused", "limit", outcome.result().limit()).increment();
        }
        if (outcome.newBlock()) {
            counter("phonekey.otp.fraud.blocks", "country", country).increment();
        }
    }

    void recordSend(String country, boolean test) {
        counter("phonekey.otp.sends", "country", country, "test", Boolean.toString(test)).increment();
    }

    void recordApproval(String country, boolean test) {
        counter("phonekey.otp.approvals", "country", String.valueOf(country), "test", Boolean.toString(test))
                .increment();
    }

    private Counter counter(String name, String... tags) {
        return counters.computeIfAbsent(name + '|' + String.join("|", tags), k -> metrics.counter(name, tags));
    }

    /** The admin view: blocked and flagged prefixes with why, watched prefixes and countries, with conversion. */
    public Uni<FraudView> view() {
        int watchFrom = Math.max(1, settings.minSends() / 2);
        return store.fraudView(settings, watchFrom, 500).map(v -> new FraudView(settings.mode(),
                config.window().toSeconds(), settings.minSends(), config.minConversion(),
                config.blockDuration().toSeconds(), v.blocked().stream().map(this::marked).toList(),
                v.flagged().stream().map(this::marked).toList(),
                v.watched().stream()
                        .sorted((a, b) -> Double.compare(rate(a.sends(), a.approved()), rate(b.sends(), b.approved())))
                        .map(t -> new FraudView.PrefixTally(t.key(), t.sends(), t.approved(),
                                rate(t.sends(), t.approved())))
                        .toList(),
                v.countries().stream().map(t -> new FraudView.CountryTally(t.key(), t.sends(), t.approved(),
                        rate(t.sends(), t.approved()))).toList()));
    }

    /** Lifts a block (or flag) on a prefix; 404 when there is none. */
    public Uni<Void> unblock(String given) {
        // A path segment may arrive with its + left out or sent as %2B; both mean the same listed prefix.
        String prefix = given == null ? null : given.startsWith("+") ? given : "+" + given;
        if (prefix == null || !prefix.matches("\\+[0-9]{3,14}")) {
            throw Problem.field("prefix", "prefix must be + and 3 to 14 digits, as listed by the admin view");
        }
        return store.unblock(prefix, settings).invoke(found -> {
            if (!found) {
                throw Problem.notFound("no block or flag on " + prefix);
            }
        }).replaceWithVoid();
    }

    private FraudView.Marked marked(Marked m) {
        return new FraudView.Marked(m.prefix(), m.country(), Instant.ofEpochMilli(m.since()).toString(),
                Instant.now().plus(Duration.ofMillis(Math.max(0, m.remainingMillis())))
                        .truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString(),
                String.format(Locale.ROOT,
                        "%d codes sent, %d approved (%.1f %%) in the window, below the %.1f %% minimum", m.sendsThen(),
                        m.approvedThen(), 100 * rate(m.sendsThen(), m.approvedThen()), 100 * config.minConversion()),
                m.sends(), m.approved(), rate(m.sends(), m.approved()));
    }

    private static double rate(long sends, long approved) {
        return sends == 0 ? 0 : Math.round(1000.0 * approved / sends) / 1000.0;
    }
}
