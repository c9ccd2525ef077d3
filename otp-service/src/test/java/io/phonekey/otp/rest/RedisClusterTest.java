package io.phonekey.otp.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.phonekey.otp.repository.VerificationStore;
import io.phonekey.otp.support.RedisCluster;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * otp-service on a real 3-master Redis Cluster (support/RedisCluster: redis-server on :17101-17103, the cluster client):
 * every call of the Verify API and the admin view, the limits and the conversion watch, under concurrency too, with
 * the keys spread over the masters. The cluster is fresh for this class, so its numbers are its own.
 */
@QuarkusTest
@TestProfile(RedisClusterTest.OnCluster.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisClusterTest {

    static final String TEST_NUMBER = "+447400999001";

    /**
     * Production-like limits with a 1 s gap (so a replacement needs only a short wait), a per-IP limit of 3, 8 codes
     * per prefix, the watch blocking below 50 % after 5 sends; codes exposed so the test can approve them.
     */
    public static class OnCluster implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.ofEntries(Map.entry("otp.limit.phone-gap", "1s"), Map.entry("otp.limit.phone-15m", "3"),
                    Map.entry("otp.limit.ip-1h", "3"), Map.entry("otp.limit.prefix-1h", "8"),
                    Map.entry("otp.fraud.mode", "block"), Map.entry("otp.fraud.min-sends", "5"),
                    Map.entry("otp.fraud.min-conversion", "0.5"), Map.entry("otp.expose-code", "true"),
                    Map.entry("otp.test-numbers", TEST_NUMBER + ":424242"));
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(RedisCluster.class));
        }
    }

    /** Number prefixes +44759ddd, one per use: the prefix limit and the watch judge only what a test sends. */
    private static final AtomicInteger PREFIXES = new AtomicInteger(ThreadLocalRandom.current().nextInt(1_000));
    private static ExecutorService pool;

    @BeforeAll
    static void threads() {
        pool = Executors.newFixedThreadPool(30);
    }

    @AfterAll
    static void stopThreads() {
        pool.shutdownNow();
    }

    static String freshPrefix() {
        return "+44759" + String.format("%03d", Math.floorMod(PREFIXES.getAndIncrement(), 1_000));
    }

    static String freshPhone() {
        return freshPrefix() + "0001";
    }

    static RequestSpecification api() {
        return given().auth().oauth2("local-otp-key").contentType(ContentType.JSON);
    }

    static RequestSpecification admin() {
        return given().auth().oauth2("local-admin-key").contentType(ContentType.JSON);
    }

    static JsonPath create(String phone) {
        return api().body(Map.of("phone", phone)).post("/api/v1/verifications").then().statusCode(201).extract()
                .jsonPath();
    }

    static void approve(JsonPath created) {
        api().body(Map.of("verification_id", created.getString("id"), "code", created.getString("debug_code")))
                .post("/api/v1/verifications/check").then().statusCode(200).body("status", equalTo("approved"));
    }

    static String status(String id) {
        return api().get("/api/v1/verifications/" + id).then().statusCode(200).extract().path("status");
    }

    static void pause(long millis) throws InterruptedException {
        Thread.sleep(millis);
    }

    /** Runs {@code n} calls at once (released together) and returns their answers. */
    static List<Response> atOnce(int n, java.util.function.IntFunction<Response> call) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<Response>> calls = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int k = i;
            calls.add(CompletableFuture.supplyAsync(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return call.apply(k);
            }, pool));
        }
        start.countDown();
        List<Response> out = new ArrayList<>();
        for (CompletableFuture<Response> c : calls) {
            out.add(c.get());
        }
        return out;
    }

    static long count(List<Response> answers, int status) {
        return answers.stream().filter(r -> r.statusCode() == status).count();
    }

    @Test
    @Order(1)
    void aCodeIsCheckedWrongThenRightAndAttemptsRunOut() {
        JsonPath v = create(freshPhone());
        String wrong = v.getString("debug_code").equals("000000") ? "111111" : "000000";
        api().body(Map.of("verification_id", v.getString("id"), "code", wrong)).post("/api/v1/verifications/check")
                .then().statusCode(422).body("code", equalTo("invalid_code")).body("attempts_left", equalTo(4));
        api().body(Map.of("phone", v.getString("phone"), "code", v.getString("debug_code")))
                .post("/api/v1/verifications/check").then().statusCode(200).body("id", equalTo(v.getString("id")));
        api().body(Map.of("verification_id", v.getString("id"), "code", v.getString("debug_code")))
                .post("/api/v1/verifications/check").then().statusCode(404);
        assertEquals("approved", status(v.getString("id")));

        JsonPath spent = create(freshPhone());
        for (int left = 4; left >= 0; left--) {
            api().body(Map.of("verification_id", spent.getString("id"), "code", wrong))
                    .post("/api/v1/verifications/check").then().statusCode(422).body("attempts_left", equalTo(left));
        }
        api().body(Map.of("verification_id", spent.getString("id"), "code", spent.getString("debug_code")))
                .post("/api/v1/verifications/check").then().statusCode(429)
                .body("code", equalTo("max_attempts_reached"));
        assertEquals("max_attempts_reached", status(spent.getString("id")));
    }

    @Test
    @Order(2)
    void aNewCodeReplacesThePendingOneAndACanceledCodeIsDead() throws Exception {
        String phone = freshPhone();
        JsonPath first = create(phone);
        // The 1 s gap holds between the two.
        api().body(Map.of("phone", phone)).post("/api/v1/verifications").then().statusCode(429)
                .body("limit", equalTo("phone_gap"));
        pause(1_100);
        JsonPath second = create(phone);
        assertEquals("canceled", status(first.getString("id")));
        api().body(Map.of("verification_id", first.getString("id"), "code", first.getString("debug_code")))
                .post("/api/v1/verifications/check").then().statusCode(404);
        approve(second);

        JsonPath third = create(freshPhone());
        api().delete("/api/v1/verifications/" + third.getString("id")).then().statusCode(204);
        api().delete("/api/v1/verifications/" + third.getString("id")).then().statusCode(404);
        api().body(Map.of("phone", third.getString("phone"), "code", third.getString("debug_code")))
                .post("/api/v1/verifications/check").then().statusCode(404);
        assertEquals("canceled", status(third.getString("id")));
    }

    @Test
    @Order(3)
    void theFifteenMinuteCountAndThePrefixCapHold() throws Exception {
        String phone = freshPhone();
        for (int i = 0; i < 3; i++) {
            approve(create(phone));
            pause(1_100);
        }
        api().body(Map.of("phone", phone)).post("/api/v1/verifications").then().statusCode(429)
                .body("limit", equalTo("phone_15m"));

        // Codes that are used (the watch sees full conversion), but more than 8 for one number range in an hour.
        String prefix = freshPrefix();
        for (int i = 1; i <= 8; i++) {
            approve(create(prefix + String.format("%04d", i)));
        }
        api().body(Map.of("phone", prefix + "0009")).post("/api/v1/verifications").then().statusCode(429)
                .body("limit", equalTo("prefix"));
    }

    @Test
    @Order(4)
    void aRetriedCreateWithTheSameIdempotencyKeySendsNothingNew() {
        String phone = freshPhone();
        String key = "order-" + phone;
        String first = api().header("Idempotency-Key", key).body(Map.of("phone", phone))
                .post("/api/v1/verifications").then().statusCode(201).extract().path("id");
        String again = api().header("Idempotency-Key", key).body(Map.of("phone", phone))
                .post("/api/v1/verifications").then().statusCode(201).body("status", equalTo("pending")).extract()
                .path("id");
        assertEquals(first, again);
        api().header("Idempotency-Key", key).body(Map.of("phone", freshPhone())).post("/api/v1/verifications")
                .then().statusCode(422).body("code", equalTo("idempotency_key_reused"));
    }

    @Test
    @Order(5)
    void aPrefixWhoseCodesAreNotUsedIsBlockedListedAndLifted() {
        String prefix = freshPrefix();
        approve(create(prefix + "0001"));
        for (int i = 2; i <= 5; i++) {
            create(prefix + "000" + i);
        }
        // 5 sent, 1 approved: 20 % is below the 50 % minimum.
        api().body(Map.of("phone", prefix + "0009")).post("/api/v1/verifications").then().statusCode(429)
                .body("limit", equalTo("fraud_prefix"));
        api().body(Map.of("phone", prefix + "4321")).post("/api/v1/verifications").then().statusCode(429)
                .body("limit", equalTo("fraud_prefix"));

        JsonPath view = admin().get("/api/v1/admin/fraud").then().statusCode(200).extract().jsonPath();
        Map<String, Object> blocked = view.getMap("blocked.find { it.prefix == '" + prefix + "' }");
        assertNotNull(blocked, "blocked prefix listed: " + view.prettify());
        assertEquals("GB", blocked.get("country"));
        org.hamcrest.MatcherAssert.assertThat((String) blocked.get("reason"),
                containsString("5 codes sent, 1 approved (20.0 %)"));
        org.hamcrest.MatcherAssert.assertThat(view.getList("countries.country"), hasItem("GB"));

        admin().delete("/api/v1/admin/fraud/blocks/{prefix}", prefix).then().statusCode(204);
        create(prefix + "0009");
        org.hamcrest.MatcherAssert.assertThat(
                admin().get("/api/v1/admin/fraud").then().extract().jsonPath().getList("blocked.prefix"),
                not(hasItem(prefix)));
        admin().delete("/api/v1/admin/fraud/blocks/" + prefix.substring(1)).then().statusCode(404);
    }

    @Test
    @Order(6)
    void concurrentCreatesForOnePhoneLeaveExactlyOnePendingCode() throws Exception {
        // A test number: no limit applies, so all 30 creates race to replace each other's code.
        List<Response> answers = atOnce(30,
                i -> api().body(Map.of("phone", TEST_NUMBER)).post("/api/v1/verifications"));
        assertEquals(30, count(answers, 201), () -> answers.get(0).asString());
        List<String> statuses = answers.stream().map(r -> status(r.path("id"))).toList();
        assertEquals(1, statuses.stream().filter("pending"::equals).count(), statuses.toString());
        assertEquals(29, statuses.stream().filter("canceled"::equals).count(), statuses.toString());
        api().body(Map.of("phone", TEST_NUMBER, "code", "424242")).post("/api/v1/verifications/check").then()
                .statusCode(200);

        // A real number: the 1 s gap lets one of 30 simultaneous creates through (one more per second they take on a
        // slow machine), and of those only the last is pending.
        String phone = freshPhone();
        List<Response> sends = atOnce(30, i -> api().body(Map.of("phone", phone)).post("/api/v1/verifications"));
        List<Response> sent = sends.stream().filter(r -> r.statusCode() == 201)
                .sorted(java.util.Comparator.comparing(r -> r.<String>path("expires_at"))).toList();
        assertTrue(!sent.isEmpty() && sent.size() <= 3,
                () -> sends.stream().map(Response::asString).toList().toString());
        for (int i = 1; i < sent.size(); i++) {
            long apart = java.time.Duration.between(java.time.Instant.parse(sent.get(i - 1).path("expires_at")),
                    java.time.Instant.parse(sent.get(i).path("expires_at"))).toMillis();
            assertTrue(apart >= 900, "two codes " + apart + " ms apart under a 1 s gap");
        }
        assertTrue(sends.stream().filter(r -> r.statusCode() != 201)
                .allMatch(r -> r.statusCode() == 429 && "phone_gap".equals(r.path("limit"))));
        assertEquals(1, sent.stream().filter(r -> "pending".equals(status(r.path("id")))).count());
    }

    @Test
    @Order(7)
    void limitsHoldUnderConcurrentCreatesAcrossPhones() throws Exception {
        // One client IP, 20 phones in 20 ranges at once: exactly the IP's 3 get codes.
        String ip = "198.51.100." + ThreadLocalRandom.current().nextInt(1, 250);
        List<String> phones = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            phones.add(freshPhone());
        }
        List<Response> viaIp = atOnce(20, i -> api().body(Map.of("phone", phones.get(i), "client_ip", ip))
                .post("/api/v1/verifications"));
        assertEquals(3, count(viaIp, 201));
        assertTrue(viaIp.stream().filter(r -> r.statusCode() != 201).allMatch(r -> "ip".equals(r.path("limit"))));
        // The refused creates gave their phone limits back: those phones can get a code right away.
        String refused = phones.get(viaIp.indexOf(viaIp.stream().filter(r -> r.statusCode() == 429).findFirst()
                .orElseThrow()));
        create(refused);

        // 20 numbers of one range at once, none used: the watch lets exactly min_sends (5) through, then blocks.
        String prefix = freshPrefix();
        List<Response> range = atOnce(20, i -> api().body(Map.of("phone", prefix + String.format("%04d", i + 1)))
                .post("/api/v1/verifications"));
        assertEquals(5, count(range, 201), () -> range.stream().map(Response::asString).toList().toString());
        assertTrue(range.stream().filter(r -> r.statusCode() != 201)
                .allMatch(r -> "fraud_prefix".equals(r.path("limit"))));
    }

    @Test
    @Order(99)
    void theKeysAreSpreadOverTheMastersAndReadinessIsUp() {
        int withVerifications = 0;
        for (int port : RedisCluster.PORTS) {
            String info = RedisCluster.cli(port, "info", "replication");
            assertTrue(info.contains("role:master"), info);
            String scan = RedisCluster.cli(port, "--scan", "--pattern", "otp:{*}:v:*");
            if (!scan.isBlank()) {
                withVerifications++;
            }
        }
        // Dozens of phones, so their tags fall on every master; one master with all of them means one slot for all.
        assertTrue(withVerifications >= 2, "verifications on " + withVerifications + " of 3 masters");
        int port = RedisCluster.PORTS.get(0);
        assertEquals(RedisCluster.cli(port, "cluster", "keyslot", VerificationStore.pointerKey(TEST_NUMBER, "login")),
                RedisCluster.cli(port, "cluster", "keyslot",
                        VerificationStore.verificationKey(VerificationStore.newId(TEST_NUMBER))),
                "a phone's verification ids share its slot");

        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.find { it.name == 'redis' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'redis' }.data.mode", equalTo("cluster"));
    }
}
