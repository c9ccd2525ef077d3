package io.phonekey.telegram.gateway;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.phonekey.contract.event.DeliveryStatus;
import io.phonekey.contract.event.EventType;
import io.phonekey.contract.event.OtpCanceled;
import io.phonekey.contract.event.OtpRequested;
import io.phonekey.contract.event.OtpVerified;
import io.phonekey.contract.messaging.Inbox;
import io.phonekey.telegram.service.TelegramDelivery;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * What follows a code sent through the Gateway API: its delivery reports (delivered: done; expired: SMS now), the
 * fallback to SMS when no report came within TELEGRAM_GATEWAY_FALLBACK_AFTER (a sweeper, so a restart does not lose
 * it), and {@code revokeVerificationMessage} once the code was used or canceled ({@link Revocations}).
 */
@ApplicationScoped
public class GatewayRequests {

    private final Pool pool;
    private final ObjectMapper mapper;
    private final TelegramDelivery delivery;
    private final Vertx vertx;
    private final Inbox inbox;
    private final Revocations revocations;
    private final AtomicBoolean sweeping = new AtomicBoolean();

    public GatewayRequests(Pool pool, ObjectMapper mapper, TelegramDelivery delivery, Vertx vertx,
            Revocations revocations) {
        this.revocations = revocations;
        this.pool = pool;
        this.mapper = mapper;
        this.delivery = delivery;
        this.vertx = vertx;
        this.inbox = new Inbox(mapper);
    }

    void start(@Observes StartupEvent start) {
        vertx.setPeriodic(1000, id -> sweep());
    }

    /** A delivery report whose signature was checked. */
    public Uni<Void> report(JsonNode status) {
        String requestId = status.path("request_id").asText(null);
        String delivered = status.at("/delivery_status/status").asText("");
        if (requestId == null) {
            return Uni.createFrom().voidItem();
        }
        return switch (delivered) {
            case "delivered", "read" -> settle(requestId, "delivered", DeliveryStatus.DELIVERED, null, false);
            case "expired" -> settle(requestId, "expired", DeliveryStatus.FAILED, "gateway_expired", true);
            case "revoked" -> settle(requestId, "revoked", DeliveryStatus.FAILED, "gateway_revoked", false);
            default -> Uni.createFrom().voidItem();
        };
    }

    /** Moves a sent request on, once: only a row still {@code sent} is settled, so a repeated report does nothing. */
    private Uni<Void> settle(String requestId, String to, DeliveryStatus reported, String reason, boolean fallBack) {
        return pool.withTransaction(tx -> tx.preparedQuery("UPDATE gateway_request SET status = $2, updated_at = now() "
                + "WHERE request_id = $1 AND status = 'sent' RETURNING ce_id, event")
                .execute(Tuple.of(requestId, to)).flatMap(rows -> {
                    if (!rows.iterator().hasNext()) {
                        return Uni.createFrom().voidItem();
                    }
                    Row row = rows.iterator().next();
                    OtpRequested event = read(row.getString("event"));
                    String ceId = row.getString("ce_id");
                    Uni<Void> told = delivery.report(ceId, "gateway-report", event, reported, "telegram_gateway",
                            reason, null);
                    return fallBack ? told.chain(() -> delivery.toSms(ceId, event, reason)) : told;
                }));
    }

    /** Sent through the Gateway, no report in time: SMS. Published inside the claim, so none is lost to a crash. */
    void sweep() {
        if (!sweeping.compareAndSet(false, true)) {
            return;
        }
        pool.withTransaction(this::fallBackDue).onTermination().invoke(() -> sweeping.set(false)).subscribe().with(
                n -> {
                }, e -> Log.debugf("gateway fallback sweep failed (retried): %s", e.toString()));
    }

    private Uni<Integer> fallBackDue(SqlConnection tx) {
        return tx.preparedQuery("SELECT request_id, ce_id, event FROM gateway_request WHERE status = 'sent' "
                + "AND fallback_at < now() ORDER BY fallback_at LIMIT 50 FOR UPDATE SKIP LOCKED").execute()
                .flatMap(rows -> {
                    List<Row> due = new ArrayList<>();
                    rows.forEach(due::add);
                    return Multi.createFrom().iterable(due).onItem().transformToUniAndConcatenate(row -> {
                        OtpRequested event = read(row.getString("event"));
                        String ceId = row.getString("ce_id");
                        Uni<Void> sms = event.getExpiresAt().isBefore(Instant.now())
                                ? Uni.createFrom().voidItem()
                                : delivery.report(ceId, "gateway-timeout", event, DeliveryStatus.FAILED,
                                        "telegram_gateway", "gateway_no_report", null)
                                        .chain(() -> delivery.toSms(ceId, event, "gateway_no_report"));
                        return sms.chain(() -> tx.preparedQuery("UPDATE gateway_request SET status = 'fallen_back', "
                                + "updated_at = now() WHERE request_id = $1").execute(Tuple.of(
                                        row.getString(
                                                "request_id"))))
                                .replaceWithVoid();
                    }).collect().asList().map(List::size);
                });
    }

    /** A code was used: its Gateway messages are revoked. */
    @Incoming("otp-verified")
    public Uni<Void> onVerified(Message<String> message) {
        return inbox.receive(message, EventType.OTP_VERIFIED, OtpVerified.class,
                (ceId, event) -> revocations.revoke(event.getVerificationId()));
    }

    /** A code was canceled: its Gateway messages are revoked and no SMS follows them. */
    @Incoming("otp-canceled")
    public Uni<Void> onCanceled(Message<String> message) {
        return inbox.receive(message, EventType.OTP_CANCELED, OtpCanceled.class,
                (ceId, event) -> revocations.revoke(event.getVerificationId()));
    }

    private OtpRequested read(String json) {
        try {
            return mapper.readValue(json, OtpRequested.class);
        } catch (Exception e) {
            throw new IllegalStateException("stored otp.requested unreadable", e);
        }
    }
}
