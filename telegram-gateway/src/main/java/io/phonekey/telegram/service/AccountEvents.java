package io.phonekey.telegram.service;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.phonekey.contract.event.AccountLinked;
import io.phonekey.contract.event.EventType;
import io.phonekey.contract.event.SecurityNotice;
import io.phonekey.contract.messaging.Inbox;
import io.phonekey.telegram.bot.BotClient;
import io.phonekey.telegram.bot.Texts;
import io.phonekey.telegram.repository.Chats;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * identity-service's events, told in the chat: {@code account.linked} records chat ↔ user in the registry and says
 * "Account linked"; {@code security.notice} (new sign-in, password reset, phone change, sessions revoked) goes to the
 * chat registered for the phone. Each {@code ce_id} is handled once.
 */
@ApplicationScoped
public class AccountEvents {

    private final Pool pool;
    private final Chats chats;
    private final BotClient bot;
    private final Texts texts;
    private final Inbox inbox;

    public AccountEvents(Pool pool, Chats chats, BotClient bot, Texts texts, ObjectMapper mapper) {
        this.pool = pool;
        this.chats = chats;
        this.bot = bot;
        this.texts = texts;
        this.inbox = new Inbox(mapper);
    }

    @Incoming("account-linked")
    public Uni<Void> onLinked(Message<String> message) {
        return inbox.receive(message, EventType.ACCOUNT_LINKED, AccountLinked.class, this::linked);
    }

    @Incoming("security-notice")
    public Uni<Void> onNotice(Message<String> message) {
        return inbox.receive(message, EventType.SECURITY_NOTICE, SecurityNotice.class, this::notice);
    }

    Uni<Void> linked(String ceId, AccountLinked event) {
        return pool.withTransaction(tx -> firstTime(tx, ceId).flatMap(first -> first
                ? chats.link(tx, event.getChatId(), event.getTelegramUserId(), event.getPhone(),
                        UUID.fromString(event.getUserId())).replaceWith(true)
                : Uni.createFrom().item(false)))
                .chain(fresh -> !fresh
                        ? Uni.createFrom().voidItem()
                        : chats.byChat(pool, event.getChatId())
                                .chain(chat -> tell(event.getChatId(), texts.get(chat == null ? null : chat.language(),
                                        "linked", "name",
                                        event.getDisplayName() == null ? "none" : event.getDisplayName()))));
    }

    Uni<Void> notice(String ceId, SecurityNotice event) {
        return pool.withTransaction(tx -> firstTime(tx, ceId)).chain(first -> !first
                ? Uni.createFrom().voidItem()
                : chats.byPhone(pool, event.getPhone()).chain(chat -> chat == null || chat.blocked() || !bot.enabled()
                        ? Uni.createFrom().voidItem()
                        : tell(chat.chatId(), texts.get(chat.language(), "notice_" + event.getKind().value(), "device",
                                event.getDeviceName() == null ? "none" : event.getDeviceName()))));
    }

    private static Uni<Boolean> firstTime(io.vertx.mutiny.sqlclient.SqlConnection tx, String ceId) {
        return tx.preparedQuery("INSERT INTO processed_event (ce_id, processed_at) VALUES ($1, $2) "
                + "ON CONFLICT DO NOTHING").execute(Tuple.of(ceId, OffsetDateTime.now(ZoneOffset.UTC)))
                .map(rows -> rows.rowCount() == 1);
    }

    /** A message that cannot be delivered is logged; a 403 marks the chat blocked. Never a reason to redeliver. */
    private Uni<Void> tell(long chatId, String text) {
        if (!bot.enabled()) {
            return Uni.createFrom().voidItem();
        }
        return bot.send(chatId, new com.pengrad.telegrambot.request.SendMessage(chatId, text)).replaceWithVoid()
                .onFailure(BotClient.CallFailed.class).recoverWithUni(e -> {
                    BotClient.CallFailed f = (BotClient.CallFailed) e;
                    Log.warnf("message to chat not delivered: %d", f.errorCode());
                    return f.blocked() ? chats.blocked(chatId) : Uni.createFrom().voidItem();
                });
    }
}
