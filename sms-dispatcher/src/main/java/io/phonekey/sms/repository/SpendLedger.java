package io.phonekey.sms.repository;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * Spend per UTC day in table {@code sms_spend}, per phone number and per country (USD). A message's amount is booked
 * when the courier reserves it (its estimate: with the claim of a first delivery, {@code sms_claim} through
 * {@link MessageStore#claimNewBooking}, else {@code sms_reserve} through {@link MessageStore#reserve}), moved to the
 * provider's price when one is reported, and given back when the message ends {@code failed}. Every method runs inside the caller's transaction; rows are always locked phone
 * first, then country, so concurrent bookings cannot deadlock.
 */
@ApplicationScoped
public class SpendLedger {

    public static final String PHONE = "phone";
    public static final String COUNTRY = "country";

    private static final String REBOOK = """
            UPDATE sms_spend SET amount = GREATEST(amount + :delta, 0), messages = GREATEST(messages + :messages, 0)
            WHERE day = :day AND scope = :scope AND key = :key""";
    private static final String DAY = """
            SELECT key, amount, messages FROM sms_spend WHERE day = :day AND scope = :scope
            ORDER BY amount DESC, key""";

    /** One key's spend on one day. */
    public record Spend(String key, BigDecimal amount, int messages) {
    }

    /** The spend key of a message's country: its region, or {@code ZZ} when its number has none. */
    public static String countryKey(String country) {
        return country == null || country.isBlank() ? "ZZ" : country;
    }

    /** The UTC day a message's spend counts on: the day its row was created. */
    public static LocalDate day(Instant createdAt) {
        return LocalDate.ofInstant(createdAt, ZoneOffset.UTC);
    }

    /** Gives back what a message had booked: it ended failed, so it costs nothing. */
    public Uni<Void> release(SmsMessage row) {
        BigDecimal booked = booked(row);
        return booked == null ? Uni.createFrom().voidItem() : rebook(row, booked.negate(), -1);
    }

    /**
     * Stores the provider's price (absolute; null when it reported none) and, when it is in USD, books it in place of
     * what the message had booked.
     */
    public Uni<Void> priced(SmsMessage row, BigDecimal price, String unit) {
        if (price == null) {
            return Uni.createFrom().voidItem();
        }
        BigDecimal before = booked(row);
        row.price = price;
        row.priceUnit = unit;
        BigDecimal after = booked(row);
        return before == null || after == null || before.compareTo(after) == 0
                ? Uni.createFrom().voidItem()
                : rebook(row, after.subtract(before), 0);
    }

    /** One day's spend of a scope, largest first. */
    public Uni<List<Spend>> day(LocalDate day, String scope) {
        return Panache.getSession()
                .flatMap(s -> s.createNativeQuery(DAY, Object[].class)
                        .setParameter("day", day)
                        .setParameter("scope", scope)
                        .getResultList())
                .map(rows -> rows.stream()
                        .map(r -> new Spend((String) r[0], (BigDecimal) r[1], ((Number) r[2]).intValue()))
                        .toList());
    }

    /** What a message has booked: its price when known in USD, else its estimate; null when it reserved nothing. */
    public static BigDecimal booked(SmsMessage row) {
        if (row.costEstimate == null) {
            return null;
        }
        return row.price != null && "USD".equals(row.priceUnit) ? row.price : row.costEstimate;
    }

    private Uni<Void> rebook(SmsMessage row, BigDecimal delta, int messages) {
        LocalDate day = day(row.createdAt);
        return rebook(day, PHONE, row.phone, delta, messages)
                .flatMap(x -> rebook(day, COUNTRY, countryKey(row.country), delta, messages));
    }

    private Uni<Void> rebook(LocalDate day, String scope, String key, BigDecimal delta, int messages) {
        return Panache.getSession()
                .flatMap(s -> s.createNativeQuery(REBOOK)
                        .setParameter("day", day)
                        .setParameter("scope", scope)
                        .setParameter("key", key)
                        .setParameter("delta", delta)
                        .setParameter("messages", messages)
                        .executeUpdate())
                .replaceWithVoid();
    }
}
