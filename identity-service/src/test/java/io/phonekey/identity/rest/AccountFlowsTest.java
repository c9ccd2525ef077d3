package io.phonekey.identity.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.phonekey.contract.event.Channel;
import io.phonekey.contract.event.EventType;
import io.phonekey.contract.event.OtpVerified;
import io.phonekey.contract.event.Purpose;
import io.phonekey.contract.testing.ContractProducer;
import io.phonekey.contract.testing.EventSchemas;
import io.phonekey.contract.testing.OtpStandIn;
import io.phonekey.contract.testing.TestPhones;
import io.phonekey.contract.testing.TopicReader;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The account flows against the real PostgreSQL and Kafka: registration with phone activation and
 * consent, password login with brute-force limits and 2FA, password reset, phone change, Telegram linking, and the
 * events each one owes (through the outbox, held to their schemas).
 */
@QuarkusTest
@QuarkusTestResource(OtpStandIn.class)
class AccountFlowsTest {

    private static final String PASSWORD = "correct horse battery";
    private static TopicReader notices;
    private static TopicReader linked;
    private static ContractProducer producer;

    @Inject
    Pool pool;

    @BeforeAll
    static void readTopics() {
        notices = new TopicReader("security.notice");
        linked = new TopicReader("account.linked");
        producer = new ContractProducer();
    }

    @AfterAll
    static void close() {
        notices.close();
        linked.close();
        producer.close();
    }

    static String email() {
        return "user-" + UUID.randomUUID() + "@example.com";
    }

    static Map<String, Object> registration(String email, String phone, boolean verifyPhone) {
        Map<String, Object> body = new HashMap<>();
        body.put("email", email);
        body.put("full_name", "Ana Lima");
        body.put("phone", phone);
        body.put("password", PASSWORD);
        body.put("sms_opt_in", true);
        body.put("tcpa_consent", true);
        body.put("verify_phone", verifyPhone);
        return body;
    }

    static Response post(String path, Object body) {
        return given().contentType(ContentType.JSON).body(body).post(path);
    }

    static JsonPath login(String email, String password) {
        return post("/api/auth/login", Map.of("email", email, "password", password, "device_name", "Laptop")).then()
                .statusCode(200).extract().jsonPath();
    }

    private ConsumerRecord<String, String> notice(String userId, String kind) {
        ConsumerRecord<String, String> r = notices
                .await(x -> x.value().contains(userId) && x.value().contains("\"" + kind + "\""));
        EventSchemas.assertValid(EventType.SECURITY_NOTICE, r.value());
        return r;
    }

    private String status(String phone) {
        return pool.preparedQuery("SELECT status FROM app_user WHERE phone = $1").execute(Tuple.of(phone)).await()
                .indefinitely().iterator().next().getString(0);
    }

    @Test
    void registrationWithPhoneActivationAndConsent() {
        String phone = TestPhones.fresh();
        String email = email();
        String userId = post("/api/auth/register", registration(email, phone, true)).then().statusCode(201)
                .body("status", equalTo("pending_verification")).body("verification_id", notNullValue())
                .extract().path("user_id");
        assertEquals("signup", OtpStandIn.createdFor(phone).get(0).purpose());
        // Inactive until the phone is verified: neither a code login nor a password login gets in.
        post("/api/auth/verify-otp", Map.of("phone", phone, "otp_code", OtpStandIn.GOOD_CODE)).then().statusCode(403)
                .body("code", equalTo("account_not_verified"));
        post("/api/auth/login", Map.of("email", email, "password", PASSWORD)).then().statusCode(401);

        // Registering the unverified phone again (a lost or expired code, or somebody else's unproven claim on the
        // number) takes the pending account over with a new code; it stays inactive until that code is entered.
        String retaken = email();
        post("/api/auth/register", registration(retaken, phone, true)).then().statusCode(201)
                .body("user_id", equalTo(userId)).body("status", equalTo("pending_verification"))
                .body("verification_id", notNullValue());
        assertEquals(2, OtpStandIn.createdFor(phone).size(), "a new signup code");
        post("/api/auth/register", registration(retaken.toUpperCase(), TestPhones.fresh(), true)).then()
                .statusCode(409).contentType("application/problem+json").body("code", equalTo("already_registered"));

        JsonPath tokens = post("/api/auth/register/verify", Map.of("phone", phone, "otp_code", OtpStandIn.GOOD_CODE))
                .then().statusCode(200).extract().jsonPath();
        assertEquals(userId, tokens.getString("user_id"));
        AuthResourceTest.me(tokens.getString("access_token")).statusCode(200).body("status", equalTo("active"))
                .body("phone_verified", equalTo(true)).body("email", equalTo(retaken));
        login(retaken, PASSWORD);
        post("/api/auth/login", Map.of("email", email, "password", PASSWORD)).then().statusCode(401);
        // Verified now: the phone's account is nobody's to take over any more.
        post("/api/auth/register", registration(email(), phone, true)).then().statusCode(409)
                .body("code", equalTo("already_registered"));

        long consents = pool.preparedQuery("SELECT count(*) FROM consent WHERE user_id = $1 AND ip IS NOT NULL")
                .execute(Tuple.of(UUID.fromString(userId))).await().indefinitely().iterator().next().getLong(0);
        assertEquals(4, consents, "TCPA consent and SMS opt-in recorded with the IP, for each registration");

        post("/api/auth/register", Map.of("email", email(), "full_name", "X", "phone", TestPhones.fresh(),
                "password", PASSWORD, "tcpa_consent", false)).then().statusCode(400)
                .body("field", equalTo("tcpa_consent"));
        post("/api/auth/register", registration("not-an-email", TestPhones.fresh(), false)).then().statusCode(400)
                .body("field", equalTo("email"));
        Map<String, Object> weak = registration(email(), TestPhones.fresh(), false);
        weak.put("password", "short");
        post("/api/auth/register", weak).then().statusCode(400).body("field", equalTo("password"));
    }

    @Test
    void theSignupApprovalOnKafkaActivatesThePendingAccountOnce() {
        String phone = TestPhones.fresh();
        post("/api/auth/register", registration(email(), phone, true)).then().statusCode(201);
        String verificationId = OtpStandIn.createdFor(phone).get(0).id();
        OtpVerified approved = new OtpVerified().withVerificationId(verificationId).withPhone(phone)
                .withChannel(Channel.SMS).withPurpose(Purpose.SIGNUP).withVerifiedAt(Instant.now());
        String ceId = UUID.randomUUID().toString();
        producer.publish(EventType.OTP_VERIFIED, ceId, phone, approved);
        producer.publish(EventType.OTP_VERIFIED, ceId, phone, approved);
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> "active".equals(status(phone)));
        long handled = pool.preparedQuery("SELECT count(*) FROM processed_event WHERE ce_id = $1")
                .execute(Tuple.of(ceId)).await().indefinitely().iterator().next().getLong(0);
        assertEquals(1, handled);
    }

    @Test
    void unknownEmailAndWrongPasswordAnswerAlikeAndGuessingIsLimited() {
        String email = email();
        post("/api/auth/register", registration(email, TestPhones.fresh(), false)).then().statusCode(201)
                .body("status", equalTo("active"));
        Response wrong = post("/api/auth/login", Map.of("email", email, "password", "wrong password!"));
        Response unknown = post("/api/auth/login", Map.of("email", email(), "password", "wrong password!"));
        assertEquals(401, wrong.statusCode());
        assertEquals(wrong.statusCode(), unknown.statusCode());
        assertEquals(wrong.asString(), unknown.asString(), "byte for byte the same answer");
        assertEquals("invalid_credentials", wrong.jsonPath().getString("code"));

        for (int i = 1; i < 10; i++) {
            post("/api/auth/login", Map.of("email", email, "password", "guess " + i)).then().statusCode(401);
        }
        // Ten failures: even the right password is refused until the window passes.
        post("/api/auth/login", Map.of("email", email, "password", PASSWORD)).then().statusCode(429)
                .header("Retry-After", notNullValue()).body("code", equalTo("too_many_attempts"));
    }

    @Test
    void aSecondFactorByCodeAfterThePassword() {
        String phone = TestPhones.fresh();
        String email = email();
        post("/api/auth/register", registration(email, phone, false)).then().statusCode(201);
        String token = login(email, PASSWORD).getString("access_token");
        given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("enabled", true)).put("/api/auth/mfa")
                .then().statusCode(200).body("mfa_enabled", equalTo(true));

        JsonPath challenge = login(email, PASSWORD);
        assertTrue(challenge.getBoolean("mfa_required"));
        assertFalse(challenge.getMap("$").containsKey("access_token"), "no tokens before the second factor");
        String verificationId = challenge.getString("verification_id");
        List<OtpStandIn.Created> sent = OtpStandIn.createdFor(phone);
        assertEquals("2fa", sent.get(sent.size() - 1).purpose());

        post("/api/auth/login/verify", Map.of("verification_id", verificationId, "otp_code", "000000")).then()
                .statusCode(422).body("code", equalTo("invalid_code"));
        JsonPath tokens = post("/api/auth/login/verify",
                Map.of("verification_id", verificationId, "otp_code", OtpStandIn.GOOD_CODE)).then().statusCode(200)
                .extract().jsonPath();
        AuthResourceTest.me(tokens.getString("access_token")).statusCode(200);
        post("/api/auth/login/verify", Map.of("verification_id", verificationId, "otp_code", OtpStandIn.GOOD_CODE))
                .then().statusCode(404);
        post("/api/auth/login/verify", Map.of("verification_id", UUID.randomUUID().toString(), "otp_code",
                OtpStandIn.GOOD_CODE)).then().statusCode(404);
    }

    @Test
    void passwordResetAnswersAlikeAndEndsEverySession() {
        String phone = TestPhones.fresh();
        String email = email();
        String userId = post("/api/auth/register", registration(email, phone, false)).then().statusCode(201)
                .extract().path("user_id");
        String token = login(email, PASSWORD).getString("access_token");

        String stranger = TestPhones.fresh();
        Response known = post("/api/auth/password-reset", Map.of("phone", phone));
        Response unknown = post("/api/auth/password-reset", Map.of("phone", stranger));
        assertEquals(202, known.statusCode());
        assertEquals(known.statusCode(), unknown.statusCode());
        assertEquals(known.asString(), unknown.asString(), "byte for byte the same answer");
        assertEquals(List.of(), OtpStandIn.createdFor(stranger), "no code to a phone without an account");
        assertEquals("password_reset",
                OtpStandIn.createdFor(phone).get(OtpStandIn.createdFor(phone).size() - 1).purpose());

        post("/api/auth/password-reset/confirm", Map.of("phone", phone, "otp_code", OtpStandIn.GOOD_CODE,
                "new_password", "x")).then().statusCode(400).body("field", equalTo("new_password"));
        post("/api/auth/password-reset/confirm", Map.of("phone", phone, "otp_code", OtpStandIn.GOOD_CODE,
                "new_password", "a brand new passphrase")).then().statusCode(204);
        AuthResourceTest.me(token).statusCode(401);
        post("/api/auth/login", Map.of("email", email, "password", PASSWORD)).then().statusCode(401);
        login(email, "a brand new passphrase");
        notice(userId, "password_reset");
    }

    @Test
    void phoneChangeProvesTheNewNumberAndTellsTheOldOne() {
        String phone = TestPhones.fresh();
        String email = email();
        String userId = post("/api/auth/register", registration(email, phone, false)).then().statusCode(201)
                .extract().path("user_id");
        String token = login(email, PASSWORD).getString("access_token");
        String otherDevice = login(email, PASSWORD).getString("access_token");
        String taken = TestPhones.fresh();
        post("/api/auth/register", registration(email(), taken, false)).then().statusCode(201);

        given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("new_phone", taken))
                .post("/api/auth/phone-change").then().statusCode(409).body("code", equalTo("phone_taken"));
        String next = TestPhones.fresh();
        given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("new_phone", next))
                .post("/api/auth/phone-change").then().statusCode(202).body("verification_id", notNullValue());
        given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("new_phone", next, "otp_code", OtpStandIn.GOOD_CODE))
                .post("/api/auth/phone-change/confirm")
                .then().statusCode(204);
        AuthResourceTest.me(token).statusCode(200).body("phone", equalTo(next));
        // A new authenticator: every other session ends at once, the one that proved the new number goes on.
        AuthResourceTest.me(otherDevice).statusCode(401);
        ConsumerRecord<String, String> told = notice(userId, "phone_changed");
        assertEquals(phone, told.key(), "the notice goes to the old number");
    }

    @Test
    void aPhoneChangeThatLosesTheRaceRollsBackAndAnnouncesNothing() {
        String phone = TestPhones.fresh();
        String email = email();
        String userId = post("/api/auth/register", registration(email, phone, false)).then().statusCode(201)
                .extract().path("user_id");
        String token = login(email, PASSWORD).getString("access_token");
        String next = TestPhones.fresh();
        given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("new_phone", next))
                .post("/api/auth/phone-change").then().statusCode(202);
        // Someone else registers the number between the request and the confirmation.
        post("/api/auth/register", registration(email(), next, false)).then().statusCode(201);
        given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("new_phone", next, "otp_code", OtpStandIn.GOOD_CODE))
                .post("/api/auth/phone-change/confirm")
                .then().statusCode(409);
        AuthResourceTest.me(token).statusCode(200).body("phone", equalTo(phone));
        long queued = pool.preparedQuery("SELECT count(*) FROM outbox WHERE payload LIKE $1 AND payload LIKE $2")
                .execute(Tuple.of("%" + userId + "%", "%phone_changed%")).await().indefinitely().iterator().next()
                .getLong(0);
        assertEquals(0, queued, "no event for a rolled-back change");
    }

    @Test
    void aNewDeviceAndLoggingOutEverywhereAreAnnounced() {
        String phone = TestPhones.fresh();
        JsonPath first = AuthResourceTest.login(phone, "Phone");
        String userId = first.getString("user_id");
        AuthResourceTest.login(phone, "Laptop");
        ConsumerRecord<String, String> newDevice = notice(userId, "new_device_login");
        assertTrue(newDevice.value().contains("Laptop"));
        String token = AuthResourceTest.login(phone, "Laptop").getString("access_token");
        given().auth().oauth2(token).post("/api/auth/logout-all").then().statusCode(204);
        notice(userId, "sessions_revoked");
        long laptopNotices = notices.drain(Duration.ofSeconds(1)).stream()
                .filter(r -> r.value().contains(userId) && r.value().contains("new_device_login")).count();
        assertEquals(1, laptopNotices, "a device seen before is not new");
    }

    @Test
    void telegramLinkingLinksTheChatToTheUserWhoAskedAndNobodyElse() {
        String phone = TestPhones.fresh();
        JsonPath session = AuthResourceTest.login(phone, "Phone");
        String token = session.getString("access_token");
        String userId = session.getString("user_id");
        given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("phone_number", TestPhones.fresh()))
                .post("/api/telegram/send-verification-code").then().statusCode(400)
                .body("code", equalTo("phone_mismatch"));
        String verificationId = given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("phone_number", phone)).post("/api/telegram/send-verification-code").then()
                .statusCode(200).body("success", equalTo(true)).body("phone_number", equalTo(phone))
                .body("expires_in", equalTo(600)).extract().path("verification_id");
        assertEquals("link_telegram", OtpStandIn.createdFor(phone).get(OtpStandIn.createdFor(phone).size() - 1)
                .purpose());

        // An approval of a verification nobody here started links nothing.
        producer.publish(EventType.OTP_VERIFIED, UUID.randomUUID().toString(), phone, new OtpVerified()
                .withVerificationId(UUID.randomUUID().toString()).withPhone(phone).withChannel(Channel.SMS)
                .withPurpose(Purpose.LINK_TELEGRAM).withVerifiedAt(Instant.now())
                .withContext(Map.of("chat_id", 111L, "telegram_user_id", 111L)));
        producer.publish(EventType.OTP_VERIFIED, UUID.randomUUID().toString(), phone, new OtpVerified()
                .withVerificationId(verificationId).withPhone(phone).withChannel(Channel.SMS)
                .withPurpose(Purpose.LINK_TELEGRAM).withVerifiedAt(Instant.now())
                .withContext(Map.of("chat_id", 987654321L, "telegram_user_id", 987654321L)));
        ConsumerRecord<String, String> event = linked.await(r -> r.value().contains(userId));
        EventSchemas.assertValid(EventType.ACCOUNT_LINKED, event.value());
        assertTrue(event.value().contains("987654321"));
        assertEquals(phone, event.key());
        AuthResourceTest.me(token).statusCode(200).body("telegram_linked", equalTo(true));
        assertEquals(1, linked.drain(Duration.ofSeconds(1)).stream().filter(r -> r.value().contains(userId)).count());
    }
}
