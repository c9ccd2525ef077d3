package io.phonekey.sms.repository;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.phonekey.contract.event.DeliveryStatus;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The courier's steps on the message log as single SQL statements on the reactive pool (prepared once per connection,
 * no ORM session): the claim, the cost reservation ({@code sms_reserve}, db/migration/V6__reserve.sql) and the common
 * outcomes. Each statement commits on its own; a first delivery's claim and reservation are one call
 * ({@code sms_claim}, V8__claim.sql), so a message costs two short round trips to PostgreSQL. The rarer
 * steps that also move spend (a failure's release, a reported price) stay with {@link SmsMessage} and
 * {@link SpendLedger} in one transaction.
 */
@ApplicationScoped
public class MessageStore {

    private static final String CLAIM = """
            INSERT INTO sms_message (id, ce_id, verification_id, phone_masked, phone, country, channel, purpose,
                provider, status, send_count, expires_at, created_at, updated_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'queued', 1, $10, $11, $11)
            ON CONFLICT (ce_id) DO NOTHING RETURNING id""";
    private static final String EXISTING = """
            SELECT id, verification_id, phone_masked, phone, country, channel, purpose, provider, status, send_count,
                cost_estimate, reason, error_code, provider_message_id, expires_at, created_at, updated_at
            FROM sms_message WHERE ce_id = $1""";
    /** Claims a row left queued again, only if nobody else did since it was read. */
    private static final String RECLAIM = """
            UPDATE sms_message SET send_count = send_count + 1, updated_at = $2
            WHERE id = $1 AND status = 'queued' AND send_count = $3 AND updated_at = $4""";
    private static final String RENEW = """
            UPDATE sms_message SET updated_at = $2 WHERE id = $1 AND status = 'queued' AND updated_at = $3""";
    private static final String RESERVE = "SELECT sms_reserve($1, $2, $3, $4, $5, $6, $7, $8)";
    private static final String CLAIM_BOOKING = """
            SELECT sms_claim($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)""";

    /** {@link #claimNewBooking}: the row was claimed and the estimate booked. */
    public static final String BOOKED = "booked";
    /** {@link #claimNewBooking}: a row with this ce_id exists already; nothing claimed, nothing booked. */
    public static final String EXISTS = "exists";
    private static final String OUTCOME = """
            UPDATE sms_message SET status = $2, reason = $3, error_code = $4, body_redacted = $5,
                segments = COALESCE($6, segments), provider_message_id = COALESCE($7, provider_message_id),
                updated_at = $8, sent_at = COALESCE($9, sent_at)
            WHERE id = $1""";

    private final Pool pool;

    public MessageStore(Pool pool) {
        this.pool = pool;
    }

    /**
     * Stores a first delivery as {@code queued} with one send counted; completes with true, or with false when a row
     * with this {@code ce_id} exists already (committed, or committed by the concurrent insert this one waited for).
     */
    public Uni<Boolean> claimNew(SmsMessage row) {
        return pool.preparedQuery(CLAIM)
                .execute(Tuple.from(new Object[]{row.id, row.ceId, row.verificationId, row.phoneMasked, row.phone,
                        row.country, row.channel, row.purpose, row.provider, offset(row.expiresAt),
                        offset(row.createdAt)}))
                .map(rows -> rows.size() == 1);
    }

    /**
     * {@link #claimNew} and {@link #reserve} in one statement and one transaction: completes with {@link #BOOKED},
     * {@link #EXISTS} (nothing done), or the refusing cap ({@code cost_cap_phone}, {@code cost_cap_country}: the row
     * is claimed, nothing booked). On {@link #BOOKED} the row's segments and estimate are set.
     */
    public Uni<String> claimNewBooking(SmsMessage row, LocalDate day, String countryKey, BigDecimal amount,
            int segments, Optional<BigDecimal> phoneCap, Optional<BigDecimal> countryCap) {
        return pool.preparedQuery(CLAIM_BOOKING)
                .execute(Tuple.from(new Object[]{row.id, row.ceId, row.verificationId, row.phoneMasked, row.phone,
                        row.country, row.channel, row.purpose, row.provider, offset(row.expiresAt),
                        offset(row.createdAt), day, countryKey, amount, segments, phoneCap.orElse(null),
                        countryCap.orElse(null)}))
                .map(rows -> {
                    String outcome = rows.iterator().next().getString(0);
                    if (BOOKED.equals(outcome)) {
                        row.segments = segments;
                        row.costEstimate = amount;
                    }
                    return outcome;
                });
    }

    /** The row of an event, as stored; null when there is none. */
    public Uni<SmsMessage> byCeId(String ceId) {
        return pool.preparedQuery(EXISTING).execute(Tuple.of(ceId)).map(rows -> {
            if (rows.size() == 0) {
                return null;
            }
            Row r = rows.iterator().next();
            SmsMessage m = new SmsMessage();
            m.id = r.getUUID("id");
            m.ceId = ceId;
            m.verificationId = r.getString("verification_id");
            m.phoneMasked = r.getString("phone_masked");
            m.phone = r.getString("phone");
            m.country = r.getString("country");
            m.channel = r.getString("channel");
            m.purpose = r.getString("purpose");
            m.provider = r.getString("provider");
            m.status = DeliveryStatus.fromValue(r.getString("status"));
            m.sendCount = r.getInteger("send_count");
            m.costEstimate = r.getBigDecimal("cost_estimate");
            m.reason = r.getString("reason");
            m.errorCode = r.getString("error_code");
            m.providerMessageId = r.getString("provider_message_id");
            m.expiresAt = instant(r.getOffsetDateTime("expires_at"));
            m.createdAt = instant(r.getOffsetDateTime("created_at"));
            m.updatedAt = instant(r.getOffsetDateTime("updated_at"));
            return m;
        });
    }

    /**
     * Counts one more send on a row a crash left queued and claims it now; false when another consumer claimed it
     * first (the row changed since {@code row} was read).
     */
    public Uni<Boolean> reclaim(SmsMessage row, Instant now) {
        return pool.preparedQuery(RECLAIM)
                .execute(Tuple.of(row.id, offset(now), row.sendCount, offset(row.updatedAt)))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Renews the claim of a message its consumer still works on, only if nobody claimed it since. */
    public Uni<Boolean> renew(SmsMessage row, Instant now) {
        return pool.preparedQuery(RENEW).execute(Tuple.of(row.id, offset(now), offset(row.updatedAt)))
                .map(rows -> rows.rowCount() == 1);
    }

    /**
     * The check step: books the estimate against the day's phone and country spend unless either would pass its cap
     * (empty: none), and stores the estimate and segments on the row. Completes with null when booked, else with the
     * refusing cap ({@code cost_cap_phone}, {@code cost_cap_country}).
     */
    public Uni<String> reserve(UUID message, LocalDate day, String phone, String countryKey, BigDecimal amount,
            int segments, Optional<BigDecimal> phoneCap, Optional<BigDecimal> countryCap) {
        return pool.preparedQuery(RESERVE)
                .execute(Tuple.from(new Object[]{message, day, phone, countryKey, amount, segments,
                        phoneCap.orElse(null), countryCap.orElse(null)}))
                .map(rows -> rows.iterator().next().getString(0));
    }

    /**
     * An outcome that moves no spend: sent without a reported price (the provider accepted it now: its
     * {@code sent_at}), dropped or refused.
     */
    public Uni<Void> outcome(UUID id, DeliveryStatus status, String reason, String errorCode, String bodyRedacted,
            Integer segments, String providerMessageId, Instant now) {
        return pool.preparedQuery(OUTCOME)
                .execute(Tuple.from(new Object[]{id, status.value(), reason, errorCode, bodyRedacted, segments,
                        providerMessageId, offset(now), status == DeliveryStatus.SENT ? offset(now) : null}))
                .replaceWithVoid();
    }

    private static OffsetDateTime offset(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
