package io.phonekey.telegram.bot;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.phonekey.contract.testing.OtpStandIn;
import io.phonekey.contract.testing.TestPhones;
import io.phonekey.telegram.support.TelegramStandIn;
import io.phonekey.telegram.support.Updates;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The bot with the real java-telegram-bot-api against a stand-in Bot API, updates through the webhook, the registry
 * in the real PostgreSQL: the secret, duplicates, commands in the user's language, the contact rules, device switch.
 */
@QuarkusTest
@QuarkusTestResource(TelegramStandIn.class)
@QuarkusTestResource(OtpStandIn.class)
class TelegramBotTest {

    @Inject
    Pool pool;

    private static List<TelegramStandIn.Call> awaitMessages(long chat, int count) {
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> TelegramStandIn.messagesTo(chat).size() >= count);
        return TelegramStandIn.messagesTo(chat);
    }

    private Row row(long chat) {
        var rows = pool.preparedQuery("SELECT phone, user_id, blocked, language FROM telegram_chat WHERE chat_id = $1")
                .execute(Tuple.of(chat)).await().indefinitely();
        return rows.iterator().hasNext() ? rows.iterator().next() : null;
    }

    @Test
    void theWebhookWantsItsSecretAndTakesEachUpdateOnce() throws Exception {
        long chat = Updates.newChat();
        String start = Updates.text(Updates.newUpdateId(), chat, "en", "/start");
        given().contentType(ContentType.JSON).body(start).post("/telegram/webhook").then().statusCode(401)
                .contentType("application/problem+json");
        given().contentType(ContentType.JSON).header("X-Telegram-Bot-Api-Secret-Token", "wrong").body(start)
                .post("/telegram/webhook").then().statusCode(401);
        Updates.post(start);
        Updates.post(start);
        List<TelegramStandIn.Call> sent = awaitMessages(chat, 1);
        assertTrue(sent.get(0).param("reply_markup").contains("\"request_contact\":true"), sent.get(0).params()
                .toString());
        assertTrue(sent.get(0).param("text").startsWith("Welcome"));
        Thread.sleep(1500);
        assertEquals(1, TelegramStandIn.messagesTo(chat).size(), "a redelivered update is handled once");
        // A malformed update is answered 200 (Telegram would retry anything else forever) and changes nothing.
        Updates.post("{\"update_id\":\"x\",\"message\":[]}");
        Updates.post("not json at all");
    }

    @Test
    void theBotAnswersInTheUsersLanguage() {
        long chat = Updates.newChat();
        Updates.post(Updates.text(Updates.newUpdateId(), chat, "ru", "/start"));
        assertTrue(awaitMessages(chat, 1).get(0).param("text").startsWith("Добро пожаловать"));
        Updates.post(Updates.text(Updates.newUpdateId(), chat, "ru", "/help"));
        assertTrue(awaitMessages(chat, 2).get(1).param("text").contains("/status"));
        Updates.post(Updates.text(Updates.newUpdateId(), chat, "de-CH", "/status"));
        assertTrue(awaitMessages(chat, 3).get(2).param("text").startsWith("This chat is not registered"));
    }

    @Test
    void onlyTheSendersOwnContactInAPrivateChatRegisters() {
        String phone = TestPhones.fresh();
        long someone = Updates.newChat();
        Updates.post(Updates.contact(Updates.newUpdateId(), someone, someone, someone + 7, phone, false, "private"));
        Updates.post(Updates.contact(Updates.newUpdateId(), someone, someone, null, phone, false, "private"));
        Updates.post(Updates.contact(Updates.newUpdateId(), someone, someone, someone, phone, true, "private"));
        List<TelegramStandIn.Call> replies = awaitMessages(someone, 3);
        replies.forEach(r -> assertTrue(r.param("text").startsWith("Please share your own"), r.param("text")));
        assertEquals(null, row(someone).getString("phone"));

        long group = -Updates.newChat();
        Updates.post(Updates.contact(Updates.newUpdateId(), group, someone, someone, phone, false, "group"));
        assertTrue(awaitMessages(group, 1).get(0).param("text").contains("private chat"));
        assertEquals(null, row(group));

        Updates.register(someone, phone);
        List<TelegramStandIn.Call> done = awaitMessages(someone, 4);
        assertTrue(done.get(3).param("text").contains(phone.substring(0, 3) + "******" + phone.substring(9)),
                done.get(3).param("text"));
        assertEquals(phone, row(someone).getString("phone"), "stored in E.164 though Telegram sent no +");
    }

    @Test
    void theSamePhoneFromANewChatMovesThereAndTheOldChatIsTold() {
        String phone = TestPhones.fresh();
        long oldChat = Updates.newChat();
        long newChat = Updates.newChat();
        Updates.register(oldChat, phone);
        awaitMessages(oldChat, 1);
        Updates.register(newChat, phone);
        awaitMessages(newChat, 1);
        List<TelegramStandIn.Call> told = awaitMessages(oldChat, 2);
        assertTrue(told.get(1).param("text").contains("now go to another Telegram chat"), told.get(1).param("text"));
        assertEquals(phone, row(newChat).getString("phone"));
        assertEquals(null, row(oldChat).getString("phone"));
        long moves = pool.preparedQuery("SELECT count(*) FROM chat_move WHERE phone = $1 AND reason = 'device_switch' "
                + "AND from_chat_id = $2 AND to_chat_id = $3").execute(Tuple.of(phone, oldChat, newChat)).await()
                .indefinitely().iterator().next().getLong(0);
        assertEquals(1, moves, "the history of moves is kept");

        Updates.post(Updates.text(Updates.newUpdateId(), newChat, "en", "/status"));
        assertTrue(awaitMessages(newChat, 2).get(1).param("text").startsWith("This chat receives codes for"));
        Updates.post(Updates.text(Updates.newUpdateId(), newChat, "en", "/unlink"));
        assertTrue(awaitMessages(newChat, 3).get(2).param("text").startsWith("This chat is not linked"));
    }

    @Test
    void readinessAfterAll() {
        given().get("/q/health/ready").then().statusCode(200);
    }
}
