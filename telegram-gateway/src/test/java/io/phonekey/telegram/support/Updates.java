package io.phonekey.telegram.support;

import static io.restassured.RestAssured.given;

import java.util.concurrent.atomic.AtomicLong;

import io.restassured.http.ContentType;

/** Telegram updates as the Bot API posts them to the webhook (the JSON shapes of core.telegram.org/bots/api). */
public final class Updates {

    private static final AtomicLong NEXT_ID = new AtomicLong(System.nanoTime() % 1_000_000_000L);
    private static final AtomicLong NEXT_CHAT = new AtomicLong(5_000_000_000L + System.nanoTime() % 1_000_000_000L);

    private Updates() {
    }

    public static long newUpdateId() {
        return NEXT_ID.incrementAndGet();
    }

    /** A fresh private chat id (equal to the user's id, as for a real private chat). */
    public static long newChat() {
        return NEXT_CHAT.incrementAndGet();
    }

    static String from(long userId, String lang) {
        return "{\"id\":" + userId + ",\"is_bot\":false,\"first_name\":\"Ana\",\"username\":\"ana" + userId
                + "\",\"language_code\":\"" + lang + "\"}";
    }

    public static String text(long updateId, long chatId, String lang, String text) {
        String entities = text.startsWith("/")
                ? ",\"entities\":[{\"offset\":0,\"length\":" + text.split(" ")[0].length()
                        + ",\"type\":\"bot_command\"}]"
                : "";
        return "{\"update_id\":" + updateId + ",\"message\":{\"message_id\":1,\"date\":1700000000,\"from\":"
                + from(chatId, lang) + ",\"chat\":{\"id\":" + chatId + ",\"first_name\":\"Ana\",\"type\":\"private\"},"
                + "\"text\":\"" + text + "\"" + entities + "}}";
    }

    /** A shared contact; {@code contactUserId} null for a contact card without a Telegram user. */
    public static String contact(long updateId, long chatId, long fromId, Long contactUserId, String phone,
            boolean forwarded, String chatType) {
        return "{\"update_id\":" + updateId + ",\"message\":{\"message_id\":2,\"date\":1700000000,\"from\":"
                + from(fromId, "en") + ",\"chat\":{\"id\":" + chatId + ",\"type\":\"" + chatType + "\"},"
                + (forwarded
                        ? "\"forward_origin\":{\"type\":\"user\",\"sender_user\":" + from(fromId + 1, "en")
                                + ",\"date\":1700000000},"
                        : "")
                + "\"contact\":{\"phone_number\":\"" + phone + "\",\"first_name\":\"Ana\""
                + (contactUserId == null ? "" : ",\"user_id\":" + contactUserId) + "}}}";
    }

    /** Posts an update to the webhook with the right secret; the answer must be 200. */
    public static void post(String update) {
        given().contentType(ContentType.JSON).header("X-Telegram-Bot-Api-Secret-Token", TelegramStandIn.SECRET)
                .body(update).post("/telegram/webhook").then().statusCode(200);
    }

    /** Registers a chat for a phone by sharing its own contact (phone without +, as Telegram may send it). */
    public static void register(long chatId, String e164) {
        post(contact(newUpdateId(), chatId, chatId, chatId, e164.substring(1), false, "private"));
    }
}
