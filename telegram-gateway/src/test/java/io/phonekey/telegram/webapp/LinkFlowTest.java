package io.phonekey.telegram.webapp;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.phonekey.contract.event.AccountLinked;
import io.phonekey.contract.event.Channel;
import io.phonekey.contract.event.EventType;
import io.phonekey.contract.event.NoticeKind;
import io.phonekey.contract.event.Purpose;
import io.phonekey.contract.event.SecurityNotice;
import io.phonekey.contract.testing.ContractProducer;
import io.phonekey.contract.testing.OtpStandIn;
import io.phonekey.contract.testing.TestPhones;
import io.phonekey.telegram.support.TelegramStandIn;
import io.phonekey.telegram.support.Updates;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Linking: initData validated (a known answer, forgeries refused), the code checked with otp-service with
 * the chat in context, the link recorded from account.linked and confirmed in the chat, notices told there.
 */
@QuarkusTest
@QuarkusTestResource(TelegramStandIn.class)
@QuarkusTestResource(OtpStandIn.class)
class LinkFlowTest {

    private static ContractProducer producer;

    @Inject
    Pool pool;

    @BeforeAll
    static void setUp() {
        producer = new ContractProducer();
    }

    @AfterAll
    static void tearDown() {
        producer.close();
    }

    static String initData(long userId, long authDate, String token) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("query_id", "AAH" + userId);
        fields.put("user", "{\"id\":" + userId + ",\"first_name\":\"Ana\",\"language_code\":\"en\"}");
        fields.put("auth_date", String.valueOf(authDate));
        return InitData.sign(fields, token);
    }

    @Test
    void theDocumentedExampleValidates() {
        // The widely published example of Telegram's algorithm (a real bot token of the example, long revoked).
        String token = "5768337691:AAH5YkoiEuPk8-FZa32hStHTqXiLPtAEhx8";
        String data = "query_id=AAHdF6IQAAAAAN0XohDhrOrc&user=%7B%22id%22%3A279058397%2C%22first_name%22%3A%22Vladislav"
                + "%22%2C%22last_name%22%3A%22Kibenko%22%2C%22username%22%3A%22vdkfrost%22%2C%22language_code%22%3A%22ru"
                + "%22%2C%22is_premium%22%3Atrue%7D&auth_date=1662771648&hash=c501b71e775f74ce10e377dea85a7ea24ecd640b22"
                + "3ea86dfe453e0eaed2e2b2";
        InitData.WebAppUser user = InitData.validate(data, token, 3600, 1662771648 + 10);
        assertNotNull(user);
        assertEquals(279058397L, user.id());
        assertNull(InitData.validate(data, token, 3600, 1662771648 + 7200), "stale");
        assertNull(InitData.validate(data.replace("Vladislav", "Vladimir"), token, 3600, 1662771648 + 10), "tampered");
        assertNull(InitData.validate(data, token.replace('5', '6'), 3600, 1662771648 + 10), "another bot");
        assertNull(InitData.validate(data.replace("hash=c", "hash=d"), token, 3600, 1662771648 + 10));
        assertNull(InitData.validate(data + "&hash=c501", token, 3600, 1662771648 + 10), "a field twice");
    }

    @Test
    void theWebAppCallChecksTheCodeWithTheChatAndRefusesForgedInitData() {
        String phone = TestPhones.fresh();
        long user = Updates.newChat();
        long now = Instant.now().getEpochSecond();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("phone_number", phone);
        body.put("verification_code", OtpStandIn.GOOD_CODE);
        for (String forged : new String[]{initData(user, now, "999:other-bot"), initData(user, now - 7200,
                TelegramStandIn.TOKEN), initData(user, now, TelegramStandIn.TOKEN).replace("Ana", "Bob"), "", "x=y"}) {
            body.put("init_data", forged);
            given().contentType(ContentType.JSON).body(body).post("/api/telegram/verify-phone-code").then()
                    .statusCode(401).contentType("application/problem+json").body("code", equalTo("invalid_init_data"));
        }
        body.put("init_data", initData(user, now, TelegramStandIn.TOKEN));
        body.put("verification_code", "000000");
        given().contentType(ContentType.JSON).body(body).post("/api/telegram/verify-phone-code").then().statusCode(422)
                .body("code", equalTo("invalid_code")).body("attempts_left", equalTo(4));
        body.put("verification_code", OtpStandIn.GOOD_CODE);
        given().contentType(ContentType.JSON).body(body).post("/api/telegram/verify-phone-code").then().statusCode(200)
                .body("success", equalTo(true)).body("status", equalTo("verified"));
        JsonNode check = OtpStandIn.CHECKS.get(OtpStandIn.CHECKS.size() - 1);
        assertEquals("link_telegram", check.get("purpose").asText());
        assertEquals(phone, check.get("phone").asText());
        assertEquals(user, check.at("/context/chat_id").asLong());
        assertEquals(user, check.at("/context/telegram_user_id").asLong());
    }

    @Test
    void theLinkIsRecordedAndConfirmedInTheChatAndNoticesFollow() {
        String phone = TestPhones.fresh();
        long chat = Updates.newChat();
        String userId = UUID.randomUUID().toString();
        AccountLinked linked = new AccountLinked().withUserId(userId).withPhone(phone).withChatId(chat)
                .withTelegramUserId(chat).withLinkedAt(Instant.now()).withDisplayName("Ana Lima");
        String ceId = UUID.randomUUID().toString();
        producer.publish(EventType.ACCOUNT_LINKED, ceId, phone, linked);
        producer.publish(EventType.ACCOUNT_LINKED, ceId, phone, linked);
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> !TelegramStandIn.messagesTo(chat).isEmpty());
        assertEquals("Account linked: Ana Lima. Codes and security notices will come here.",
                TelegramStandIn.messagesTo(chat).get(0).param("text"));
        var row = pool.preparedQuery("SELECT phone, user_id FROM telegram_chat WHERE chat_id = $1")
                .execute(Tuple.of(chat)).await().indefinitely().iterator().next();
        assertEquals(phone, row.getString("phone"));
        assertEquals(userId, row.getUUID("user_id").toString());

        producer.publish(EventType.SECURITY_NOTICE, UUID.randomUUID().toString(), phone, new SecurityNotice()
                .withUserId(userId).withPhone(phone).withKind(NoticeKind.NEW_DEVICE_LOGIN).withOccurredAt(Instant.now())
                .withDeviceName("Pixel 8"));
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> TelegramStandIn.messagesTo(chat).size() >= 2);
        List<TelegramStandIn.Call> messages = TelegramStandIn.messagesTo(chat);
        assertTrue(messages.get(1).param("text").contains("Pixel 8"), messages.get(1).param("text"));
        assertEquals(1, messages.stream().filter(m -> m.param("text").startsWith("Account linked")).count(),
                "a redelivered account.linked confirms once");

        Updates.post(Updates.text(Updates.newUpdateId(), chat, "en", "/status"));
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> TelegramStandIn.messagesTo(chat).size() >= 3);
        assertTrue(TelegramStandIn.messagesTo(chat).get(2).param("text").contains("linked to your"));
    }

    @Test
    void aCodeTypedIntoTheChatWhileALinkIsPendingIsChecked() {
        String phone = TestPhones.fresh();
        long chat = Updates.newChat();
        Updates.register(chat, phone);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> TelegramStandIn.messagesTo(chat).size() >= 1);
        var link = ContractProducer.requested(
                List.of(org.eclipse.microprofile.config.ConfigProvider.getConfig()
                        .getValue("telegram.event-key", String.class).split(",")),
                phone,
                Channel.SMS, "123456", 600).withPurpose(Purpose.LINK_TELEGRAM);
        OtpStandIn.remember(link.getVerificationId(), phone, "link_telegram");
        producer.publish(EventType.OTP_REQUESTED, UUID.randomUUID().toString(), phone, link);
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> pool.preparedQuery(
                "SELECT count(*) FROM pending_link WHERE verification_id = $1")
                .execute(Tuple.of(link.getVerificationId()))
                .await().indefinitely().iterator().next().getLong(0) == 1);
        Updates.post(Updates.text(Updates.newUpdateId(), chat, "en", "123456"));
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> TelegramStandIn.messagesTo(chat).size() >= 2);
        assertEquals("Code accepted. Linking your account...", TelegramStandIn.messagesTo(chat).get(1).param("text"));
        JsonNode check = OtpStandIn.CHECKS.get(OtpStandIn.CHECKS.size() - 1);
        assertEquals(link.getVerificationId(), check.get("verification_id").asText());
        assertEquals(chat, check.at("/context/chat_id").asLong());
    }

    @Test
    void thePageIsServedSelfContained() {
        given().get("/telegram/app/verify?v=abc&c=123456").then().statusCode(200)
                .contentType(containsString("text/html")).header("Referrer-Policy", "no-referrer")
                .body(containsString("telegram-web-app.js")).body(containsString("verify-phone-code"));
    }
}
