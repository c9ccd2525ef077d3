package io.phonekey.telegram.e2e;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import io.phonekey.contract.testing.EventSchemas;
import io.phonekey.contract.testing.TestPhones;
import io.phonekey.contract.testing.TopicReader;
import io.phonekey.contract.testing.TwilioStandIn;
import io.phonekey.telegram.support.TelegramStandIn;
import io.phonekey.telegram.support.TelegramStandIn.Call;
import io.phonekey.telegram.support.Updates;
import io.phonekey.telegram.webapp.InitData;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * Telegram across the four packaged services, as `deploy/local/stack test` runs them with Telegram's Bot API and
 * Gateway API and Twilio played by stand-ins (100-300 ms per call): a code by Telegram logs a user in through
 * identity-service; a new sign-in is told in the chat; an account is linked through the WebApp page from the link in
 * the SMS, confirmed in the chat and announced on account.linked; `auto` falls from the Gateway API to an SMS with
 * the same code when no delivery report comes, and the used code's Gateway message is revoked.
 */
@EnabledIfSystemProperty(named = "e2e", matches = "true")
class TelegramFlowsE2ETest {

    private static final Pattern CODE = Pattern.compile("(?<!\\d)(\\d{6})(?!\\d)");
    private static final Pattern LINK = Pattern.compile("(https?://\\S+/telegram/app/verify\\?v=([^&\\s]+)&c=(\\d+))");
    private static TelegramStandIn telegram;
    private static TwilioStandIn twilio;
    private static String identity;
    private static String gateway;
    private static String kafka;

    @BeforeAll
    static void start() throws IOException {
        identity = System.getProperty("phonekey.e2e.identity", "http://localhost:18082");
        gateway = System.getProperty("phonekey.e2e.telegram", "http://localhost:18083");
        kafka = System.getProperty("phonekey.e2e.kafka", "127.0.0.1:19092");
        telegram = new TelegramStandIn(Integer.getInteger("phonekey.e2e.telegram-port", 18998));
        telegram.start();
        twilio = new TwilioStandIn(Integer.getInteger("phonekey.e2e.twilio-port", 18999));
        // The gateway started before this stand-in existed: it keeps retrying setWebhook until Telegram answers.
        Call setWebhook = awaitCall(TelegramStandIn.BOT_CALLS, c -> c.method().equals("setWebhook"),
                Duration.ofSeconds(45), "setWebhook");
        assertEquals(TelegramStandIn.SECRET, setWebhook.param("secret_token"));
    }

    @AfterAll
    static void stop() {
        if (twilio != null) {
            twilio.close();
        }
        if (telegram != null) {
            telegram.stop();
        }
    }

    @Test
    void aTelegramCodeLogsInAndANewSignInIsToldInTheChat() {
        String phone = TestPhones.fresh();
        long chat = Updates.newChat();
        webhook(Updates.contact(Updates.newUpdateId(), chat, chat, chat, phone.substring(1), false, "private"));
        awaitMessage(chat, text -> text.startsWith("Done:"), "the registration reply");

        try (TopicReader delivery = new TopicReader("otp.delivery", kafka)) {
            String id = requestOtp(phone, "telegram");
            String code = codeIn(awaitMessage(chat, text -> text.contains("verification code is"), "the code"));
            assertTrue(twilio.to(phone).isEmpty(), "a telegram code is not also sent by SMS");
            JsonPath first = verifyOtp(phone, code, "phone");
            assertTrue(first.getBoolean("is_new_user"));
            ConsumerRecord<String, String> sent = delivery.await(r -> r.value().contains(id));
            EventSchemas.assertValid("otp.delivery", sent.value());
            assertTrue(sent.value().contains("\"provider\":\"telegram_bot\""), sent.value());
            assertFalse(sent.value().contains(code), "otp.delivery never carries the code");
        }

        String second = codeIn(awaitMessage(chat, t -> t.contains("verification code is"), "the code",
                () -> requestOtp(phone, "telegram")));
        verifyOtp(phone, second, "laptop");
        awaitMessage(chat, text -> text.startsWith("New sign-in") && text.contains("\"laptop\""),
                "the new sign-in notice");
    }

    @Test
    void anAccountIsLinkedFromTheSmsLinkThroughTheWebAppPage() {
        String phone = TestPhones.fresh();
        String code = codeIn(twilioBody(phone, 1, () -> requestOtp(phone, "sms")));
        JsonPath tokens = verifyOtp(phone, code, "phone");
        String access = tokens.getString("access_token");
        String userId = tokens.getString("user_id");

        long chat = Updates.newChat();
        try (TopicReader linked = new TopicReader("account.linked", kafka)) {
            given().baseUri(identity).auth().oauth2(access).contentType(ContentType.JSON)
                    .body(Map.of("phone_number", phone)).post("/api/telegram/send-verification-code").then()
                    .statusCode(200).body("success", equalTo(true));
            Matcher link = LINK.matcher(twilio.await(phone, 2, Duration.ofSeconds(30)).get("Body"));
            assertTrue(link.find(), "the link_telegram SMS carries the WebApp link");
            String page = link.group(1).replace("http://localhost:18083", gateway);
            given().get(page).then().statusCode(200).contentType(containsString("text/html"))
                    .body(containsString("telegram-web-app.js"));

            // What the page posts when the user taps "Verify & link" inside Telegram (WebAppPageTest drives the page
            // itself in Chromium): the code from the link, the phone, and the initData Telegram signed for the chat.
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("query_id", "AAE" + chat);
            fields.put("user", "{\"id\":" + chat + ",\"first_name\":\"Ana\",\"language_code\":\"en\"}");
            fields.put("auth_date", String.valueOf(System.currentTimeMillis() / 1000));
            given().baseUri(gateway).contentType(ContentType.JSON).body(Map.of("phone_number", phone,
                    "verification_code", "000000".equals(link.group(3)) ? "111111" : "000000", "init_data",
                    InitData.sign(fields, TelegramStandIn.TOKEN)))
                    .post("/api/telegram/verify-phone-code").then().statusCode(422).body("code",
                            equalTo("invalid_code"));
            given().baseUri(gateway).contentType(ContentType.JSON).body(Map.of("phone_number", phone,
                    "verification_code", link.group(3), "init_data", InitData.sign(fields, TelegramStandIn.TOKEN)))
                    .post("/api/telegram/verify-phone-code").then().statusCode(200).body("status",
                            equalTo("verified"));

            ConsumerRecord<String, String> event = linked.await(r -> r.value().contains(userId));
            EventSchemas.assertValid("account.linked", event.value());
            assertEquals(phone, event.key());
            assertTrue(event.value().contains("\"chat_id\":" + chat), event.value());
        }
        awaitMessage(chat, text -> text.startsWith("Account linked"), "the link confirmation");
        given().baseUri(identity).auth().oauth2(access).get("/api/auth/me").then().statusCode(200)
                .body("telegram_linked", equalTo(true));
        webhook(Updates.text(Updates.newUpdateId(), chat, "en", "/status"));
        awaitMessage(chat, text -> text.contains("is linked to your") && !text.contains(phone.substring(4)),
                "/status, linked and the phone masked");
    }

    @Test
    void autoFallsBackFromTheGatewayApiToSmsWithTheSameCode() {
        String phone = TestPhones.fresh();
        long asked = System.currentTimeMillis();
        String id = requestOtp(phone, "auto");
        Call sent = awaitCall(TelegramStandIn.GATEWAY_CALLS, c -> c.method().equals("sendVerificationMessage")
                && phone.equals(c.param("phone_number")), Duration.ofSeconds(30), "sendVerificationMessage");
        // No chat for this phone and no delivery report: after TELEGRAM_GATEWAY_FALLBACK_AFTER (3 s here) the same
        // code goes by SMS.
        Map<String, String> sms = twilio.await(phone, 1, Duration.ofSeconds(30));
        long after = System.currentTimeMillis() - asked;
        assertTrue(after >= 3_000 && after < 3_000 + 15_000, "the SMS came " + after + " ms after the request");
        String code = codeIn(sms.get("Body"));
        assertEquals(sent.param("code"), code, "the SMS carries the code the Gateway was given");
        int revokesBefore = revokes();
        verifyOtp(phone, code, "phone");
        awaitNewRevoke(revokesBefore, "the used code's Gateway message is revoked");
        assertEquals(1, twilio.to(phone).size(), "one SMS for verification " + id);
    }

    @Test
    void aCanceledAutoCodeIsRevokedAtTheGatewayAndNeverSentBySms() {
        String phone = TestPhones.fresh();
        String otp = System.getProperty("phonekey.e2e.otp", "http://localhost:18081");
        String id = given().baseUri(otp).auth().oauth2(System.getProperty("phonekey.e2e.otp-key", "local-otp-key"))
                .contentType(ContentType.JSON).body(Map.of("phone", phone, "channel", "auto"))
                .post("/api/v1/verifications").then().statusCode(201).extract().path("id");
        awaitCall(TelegramStandIn.GATEWAY_CALLS, c -> c.method().equals("sendVerificationMessage")
                && phone.equals(c.param("phone_number")), Duration.ofSeconds(30), "sendVerificationMessage");
        int revokesBefore = revokes();
        given().baseUri(otp).auth().oauth2(System.getProperty("phonekey.e2e.otp-key", "local-otp-key"))
                .delete("/api/v1/verifications/" + id).then().statusCode(204);
        awaitNewRevoke(revokesBefore, "the canceled code's Gateway message is revoked");
        sleep(5_000); // past TELEGRAM_GATEWAY_FALLBACK_AFTER (3 s here) and the sweeper's period
        assertTrue(twilio.to(phone).isEmpty(), "a canceled code does not fall back to SMS");
    }

    /** Waits up to 15 s for a revokeVerificationMessage call after the {@code before} there were. */
    private static void awaitNewRevoke(int before, String what) {
        long deadline = System.currentTimeMillis() + 15_000;
        while (revokes() == before && System.currentTimeMillis() < deadline) {
            sleep(100);
        }
        assertTrue(revokes() > before, what);
    }

    private static int revokes() {
        return (int) TelegramStandIn.GATEWAY_CALLS.stream().filter(c -> c.method().equals("revokeVerificationMessage"))
                .count();
    }

    private static void webhook(String update) {
        given().baseUri(gateway).contentType(ContentType.JSON)
                .header("X-Telegram-Bot-Api-Secret-Token", TelegramStandIn.SECRET).body(update)
                .post("/telegram/webhook").then().statusCode(200);
    }

    private static String requestOtp(String phone, String channel) {
        return given().baseUri(identity).contentType(ContentType.JSON).body(Map.of("phone", phone, "channel",
                channel)).post("/api/auth/request-otp").then().statusCode(202).body("delivery_method",
                        equalTo(channel))
                .extract().path("verification_id");
    }

    private static JsonPath verifyOtp(String phone, String code, String device) {
        return given().baseUri(identity).contentType(ContentType.JSON)
                .body(Map.of("phone", phone, "otp_code", code, "device_name", device)).post("/api/auth/verify-otp")
                .then().statusCode(200).extract().jsonPath();
    }

    private static String codeIn(String text) {
        Matcher m = CODE.matcher(text);
        assertTrue(m.find(), "a code in the message");
        return m.group(1);
    }

    private static String twilioBody(String phone, int n, Runnable trigger) {
        trigger.run();
        return twilio.await(phone, n, Duration.ofSeconds(30)).get("Body");
    }

    /** Waits for a message into the chat that matches (among all the chat got). */
    private static String awaitMessage(long chat, Predicate<String> match, String what) {
        return awaitMessage(chat, match, what, 0);
    }

    /** Runs the trigger, then waits for a message into the chat, after those it had, that matches. */
    private static String awaitMessage(long chat, Predicate<String> match, String what, Runnable trigger) {
        int before = TelegramStandIn.messagesTo(chat).size();
        trigger.run();
        return awaitMessage(chat, match, what, before);
    }

    private static String awaitMessage(long chat, Predicate<String> match, String what, int from) {
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            List<Call> calls = TelegramStandIn.messagesTo(chat);
            for (Call c : calls.subList(Math.min(from, calls.size()), calls.size())) {
                if (match.test(c.param("text"))) {
                    return c.param("text");
                }
            }
            sleep(100);
        }
        throw new AssertionError("no " + what + " in chat " + chat + "; the chat got "
                + TelegramStandIn.messagesTo(chat).stream().map(c -> c.param("text")).toList());
    }

    private static Call awaitCall(List<Call> calls, Predicate<Call> match, Duration within, String what) {
        long deadline = System.currentTimeMillis() + within.toMillis();
        while (System.currentTimeMillis() < deadline) {
            for (Call c : calls) {
                if (match.test(c)) {
                    return c;
                }
            }
            sleep(100);
        }
        throw new AssertionError("no " + what + " call within " + within);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
