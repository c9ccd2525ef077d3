package io.phonekey.telegram.repository;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The chat registry in plain SQL on the reactive client; only this service writes it. A phone is registered to at
 * most one chat: registering it from another chat moves it there (a device switch), keeps its account link, and
 * records the move.
 */
@ApplicationScoped
public class Chats {

    /** A registry row. */
    public record Chat(long chatId, long telegramUserId, String phone, UUID userId, boolean blocked, String language) {

        static Chat of(Row r) {
            return new Chat(r.getLong("chat_id"), r.getLong("telegram_user_id"), r.getString("phone"),
                    r.getUUID("user_id"), r.getBoolean("blocked"), r.getString("language"));
        }

        public boolean linked() {
            return userId != null;
        }
    }

    /** Who a chat is, as Telegram tells us with each message. */
    public record Who(long chatId, long telegramUserId, String username, String firstName, String lastName,
            String language) {
    }

    /** The chat that had the phone before (to be told), or null. */
    public record Moved(Long fromChatId) {
    }

    private static final String COLUMNS = "chat_id, telegram_user_id, phone, user_id, blocked, language";

    private final Pool pool;

    public Chats(Pool pool) {
        this.pool = pool;
    }

    public Pool pool() {
        return pool;
    }

    static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }

    public Uni<Chat> byChat(SqlClient db, long chatId) {
        return one(db, "SELECT " + COLUMNS + " FROM telegram_chat WHERE chat_id = $1", Tuple.of(chatId));
    }

    public Uni<Chat> byPhone(SqlClient db, String phone) {
        return one(db, "SELECT " + COLUMNS + " FROM telegram_chat WHERE phone = $1", Tuple.of(phone));
    }

    private static Uni<Chat> one(SqlClient db, String sql, Tuple args) {
        return db.preparedQuery(sql).execute(args)
                .map(rows -> rows.iterator().hasNext() ? Chat.of(rows.iterator().next()) : null);
    }

    /**
     * Creates or refreshes the chat's row (names, language) without touching its phone or link. A message from the
     * user (names known) clears the blocked flag; a link made from an event (names unknown) keeps what was stored.
     */
    public Uni<Void> seen(SqlClient db, Who who) {
        OffsetDateTime now = now();
        return db.preparedQuery("""
                INSERT INTO telegram_chat (chat_id, telegram_user_id, username, first_name, last_name, language,
                                           blocked, created_at, updated_at)
                VALUES ($1, $2, $3, $4, $5, $6, false, $7, $7)
                ON CONFLICT (chat_id) DO UPDATE SET telegram_user_id = EXCLUDED.telegram_user_id,
                  username = COALESCE(EXCLUDED.username, telegram_chat.username),
                  first_name = COALESCE(EXCLUDED.first_name, telegram_chat.first_name),
                  last_name = COALESCE(EXCLUDED.last_name, telegram_chat.last_name),
                  language = COALESCE(EXCLUDED.language, telegram_chat.language), updated_at = EXCLUDED.updated_at,
                  blocked = telegram_chat.blocked AND EXCLUDED.username IS NULL AND EXCLUDED.first_name IS NULL
                """).execute(Tuple.tuple().addLong(who.chatId()).addLong(who.telegramUserId())
                .addString(who.username()).addString(who.firstName()).addString(who.lastName())
                .addString(who.language()).addOffsetDateTime(now)).replaceWithVoid();
    }

    /**
     * Registers the phone to this chat, in the caller's transaction. If another chat had it, the phone and its
     * account link move here and that chat is returned to be told.
     */
    public Uni<Moved> register(SqlConnection tx, Who who, String phone) {
        OffsetDateTime now = now();
        return seen(tx, who)
                .chain(() -> tx.preparedQuery("SELECT chat_id, user_id, linked_at FROM telegram_chat "
                        + "WHERE phone = $1 AND chat_id <> $2 FOR UPDATE").execute(Tuple.of(phone, who.chatId())))
                .flatMap(rows -> {
                    if (!rows.iterator().hasNext()) {
                        return tx.preparedQuery("UPDATE telegram_chat SET phone = $2, updated_at = $3 "
                                + "WHERE chat_id = $1 AND phone IS DISTINCT FROM $2 RETURNING chat_id")
                                .execute(Tuple.of(who.chatId(), phone, now))
                                .flatMap(changed -> changed.rowCount() == 0
                                        ? Uni.createFrom().item(new Moved(null))
                                        : move(tx, phone, null, who.chatId(), "registered", now)
                                                .replaceWith(new Moved(null)));
                    }
                    Row old = rows.iterator().next();
                    long from = old.getLong("chat_id");
                    return tx.preparedQuery("UPDATE telegram_chat SET phone = NULL, user_id = NULL, linked_at = NULL, "
                            + "updated_at = $2 WHERE chat_id = $1").execute(Tuple.of(from, now))
                            .chain(() -> tx.preparedQuery("UPDATE telegram_chat SET phone = $2, user_id = $3, "
                                    + "linked_at = $4, updated_at = $5 WHERE chat_id = $1")
                                    .execute(Tuple.tuple().addLong(who.chatId()).addString(phone)
                                            .addUUID(old.getUUID("user_id"))
                                            .addOffsetDateTime(old.getOffsetDateTime("linked_at"))
                                            .addOffsetDateTime(now)))
                            .chain(() -> move(tx, phone, from, who.chatId(), "device_switch", now))
                            .replaceWith(new Moved(from));
                });
    }

    /**
     * Links the chat that proved the phone to the user (account.linked): the chat gets the phone (moving it from any
     * other chat) and the user id. Idempotent.
     */
    public Uni<Moved> link(SqlConnection tx, long chatId, long telegramUserId, String phone, UUID userId) {
        OffsetDateTime now = now();
        return tx.preparedQuery("INSERT INTO telegram_chat (chat_id, telegram_user_id, blocked, created_at, "
                + "updated_at) VALUES ($1, $2, false, $3, $3) ON CONFLICT (chat_id) DO NOTHING")
                .execute(Tuple.of(chatId, telegramUserId, now))
                .chain(() -> byChat(tx, chatId))
                .flatMap(chat -> register(tx, new Who(chatId, telegramUserId, null, null, null, chat.language()),
                        phone))
                .call(moved -> tx.preparedQuery("UPDATE telegram_chat SET user_id = $2, linked_at = $3, "
                        + "updated_at = $3 WHERE chat_id = $1").execute(Tuple.of(chatId, userId, now)))
                .call(moved -> move(tx, phone, null, chatId, "linked", now));
    }

    /** Unlinks the account from the chat; the phone stays registered for codes. False when nothing was linked. */
    public Uni<Boolean> unlink(SqlConnection tx, long chatId, String phone) {
        OffsetDateTime now = now();
        return tx.preparedQuery("UPDATE telegram_chat SET user_id = NULL, linked_at = NULL, updated_at = $2 "
                + "WHERE chat_id = $1 AND user_id IS NOT NULL").execute(Tuple.of(chatId, now))
                .flatMap(rows -> rows.rowCount() == 0
                        ? Uni.createFrom().item(false)
                        : move(tx, phone, chatId, null, "unlinked", now).replaceWith(true));
    }

    /** Telegram answered 403 for this chat: the user blocked the bot. A new message from the chat clears it. */
    public Uni<Void> blocked(long chatId) {
        return pool.preparedQuery("UPDATE telegram_chat SET blocked = true, updated_at = $2 WHERE chat_id = $1")
                .execute(Tuple.of(chatId, now())).replaceWithVoid();
    }

    private static Uni<Void> move(SqlConnection tx, String phone, Long from, Long to, String reason,
            OffsetDateTime at) {
        return tx.preparedQuery("INSERT INTO chat_move (phone, from_chat_id, to_chat_id, reason, moved_at) "
                + "VALUES ($1, $2, $3, $4, $5)").execute(Tuple.tuple().addString(phone).addLong(from).addLong(to)
                        .addString(reason).addOffsetDateTime(at))
                .replaceWithVoid();
    }
}
