package io.phonekey.identity.event;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.phonekey.contract.event.EventType;
import io.phonekey.contract.event.OtpVerified;
import io.phonekey.contract.event.Purpose;
import io.phonekey.contract.messaging.Inbox;
import io.phonekey.identity.repository.Accounts;
import io.phonekey.identity.service.TelegramLinks;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Consumes {@code otp.verified}: a {@code signup} approval activates the pending account of that phone; a
 * {@code link_telegram} approval links the chat (see {@link TelegramLinks}). The event's {@code ce_id} is recorded in
 * the same transaction as the change, and the record acknowledged only after the commit: a redelivery changes
 * nothing, a crash before the commit redoes it.
 */
@ApplicationScoped
public class VerifiedConsumer {

    private final Pool pool;
    private final Accounts accounts;
    private final TelegramLinks links;
    private final Inbox inbox;

    public VerifiedConsumer(Pool pool, Accounts accounts, TelegramLinks links, ObjectMapper mapper) {
        this.pool = pool;
        this.accounts = accounts;
        this.links = links;
        this.inbox = new Inbox(mapper);
    }

    @Incoming("otp-verified")
    public Uni<Void> onVerified(Message<String> message) {
        return inbox.receive(message, EventType.OTP_VERIFIED, OtpVerified.class, this::handle);
    }

    Uni<Void> handle(String ceId, OtpVerified event) {
        if (event.getPurpose() != Purpose.SIGNUP && event.getPurpose() != Purpose.LINK_TELEGRAM) {
            return Uni.createFrom().voidItem();
        }
        return pool.withTransaction(tx -> accounts.firstTime(tx, ceId).flatMap(first -> {
            if (!first) {
                return Uni.createFrom().voidItem();
            }
            if (event.getPurpose() == Purpose.SIGNUP) {
                return accounts.activate(tx, event.getPhone()).invoke(id -> {
                    if (id != null) {
                        Log.infof("user %s activated by its signup code", id);
                    }
                }).replaceWithVoid();
            }
            return links.approved(tx, event);
        }));
    }
}
