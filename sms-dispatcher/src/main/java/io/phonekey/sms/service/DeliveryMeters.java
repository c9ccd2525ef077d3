package io.phonekey.sms.service;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.phonekey.contract.event.DeliveryStatus;
import io.phonekey.sms.repository.SmsMessage;
import io.phonekey.sms.repository.SpendLedger;

/**
 * What happened to the messages, as Prometheus sees it (README, "Metrics"). Every label has a bounded set of values:
 * the status and the reason come from fixed sets, the country is the number's ISO region ({@code ZZ} when it has
 * none), the purpose one of the contract's or {@code notice_<kind>}, the provider and channel this service's own.
 * <ul>
 * <li>{@code phonekey.sms.outcomes} (counter): each outcome once, when it is stored: {@code sent} (the provider
 * accepted it), {@code refused} (opt-out or cost cap), {@code dropped} (expired before it could go out),
 * {@code failed} at sending ({@code provider_rejected}, {@code provider_unavailable}), {@code abandoned} (two
 * interrupted sends); then from the provider's status callbacks {@code delivered}, {@code undelivered} and
 * {@code failed}.</li>
 * <li>{@code phonekey.sms.delivery.latency} (timer): from the provider's acceptance to its {@code delivered}
 * callback.</li>
 * <li>{@code phonekey.sms.recovered} (counter): messages a send interrupted by a crash had already left at the
 * provider, found there before a resend and so not sent again.</li>
 * <li>{@code phonekey.sms.spend} (counter, USD): what a message sent commits, as the day's spend books it at that
 * moment: the provider's price when its answer carries one in USD, else the estimate.</li>
 * </ul>
 */
@ApplicationScoped
public class DeliveryMeters {

    /** The reasons an outcome may carry; anything else is counted as {@code other}. */
    static final Set<String> REASONS = Set.of("none", "expired", "opted_out", "cost_cap_phone", "cost_cap_country",
            "provider_rejected", "provider_unavailable", "provider_error", "abandoned");

    private final MeterRegistry registry;
    private final Map<Outcome, Counter> outcomes = new ConcurrentHashMap<>();
    private final Map<Route, Timer> latency = new ConcurrentHashMap<>();
    private final Map<String, Counter> spend = new ConcurrentHashMap<>();

    public DeliveryMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    private record Outcome(String status, String reason, String country, String provider, String purpose,
            String channel) {
    }

    private record Route(String country, String provider, String channel) {
    }

    /** A stored outcome of the courier's (sent, refused, dropped, failed at sending); a sent message's spend too. */
    public void settled(SmsMessage row, DeliveryStatus status, String reason) {
        count(status.value(), reason, row);
        if (status == DeliveryStatus.SENT) {
            BigDecimal booked = SpendLedger.booked(row);
            if (booked != null && booked.signum() > 0) {
                spend.computeIfAbsent(country(row), c -> Counter.builder("phonekey.sms.spend")
                        .description("What the messages sent commit, in USD (the provider's price or the estimate)")
                        .tag("country", c).register(registry)).increment(booked.doubleValue());
            }
        }
    }

    /** A message found at the provider after an interrupted send: not sent again (then settled as sent). */
    public void recovered(SmsMessage row) {
        Counter.builder("phonekey.sms.recovered")
                .description("Messages an interrupted send had left at the provider, found there instead of resent")
                .tag("provider", label(row.provider)).tag("channel", label(row.channel)).register(registry)
                .increment();
    }

    /** A message given up after two interrupted sends. */
    public void abandoned(SmsMessage row) {
        count("abandoned", "abandoned", row);
    }

    /**
     * A status callback that changed the message's status to an end (delivered, undelivered, failed); a delivered
     * one's latency from the provider's acceptance.
     */
    public void callback(SmsMessage row, DeliveryStatus status, String reason, java.time.Instant now) {
        count(status.value(), reason, row);
        if (status == DeliveryStatus.DELIVERED && row.sentAt != null && !now.isBefore(row.sentAt)) {
            Route route = new Route(country(row), label(row.provider), label(row.channel));
            latency.computeIfAbsent(route, r -> Timer.builder("phonekey.sms.delivery.latency")
                    .description("From the provider accepting a message to its delivered status callback")
                    .tag("country", r.country()).tag("provider", r.provider()).tag("channel", r.channel())
                    .register(registry)).record(Duration.between(row.sentAt, now));
        }
    }

    private void count(String status, String reason, SmsMessage row) {
        Outcome key = new Outcome(status, reason(reason), country(row), label(row.provider), label(row.purpose),
                label(row.channel));
        outcomes.computeIfAbsent(key, k -> Counter.builder("phonekey.sms.outcomes")
                .description("Messages by outcome: sent, refused, dropped, failed, abandoned, delivered, undelivered")
                .tag("status", k.status()).tag("reason", k.reason()).tag("country", k.country())
                .tag("provider", k.provider()).tag("purpose", k.purpose()).tag("channel", k.channel())
                .register(registry)).increment();
    }

    static String reason(String reason) {
        if (reason == null) {
            return "none";
        }
        return REASONS.contains(reason) ? reason : "other";
    }

    private static String country(SmsMessage row) {
        return SpendLedger.countryKey(row.country);
    }

    private static String label(String value) {
        return value == null || value.isBlank() ? "unknown" : value;
    }
}
