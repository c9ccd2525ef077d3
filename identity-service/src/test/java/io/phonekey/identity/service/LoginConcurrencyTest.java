package io.phonekey.identity.service;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.phonekey.contract.testing.OtpStandIn;
import io.phonekey.contract.testing.TestPhones;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The login path under concurrency, against the real PostgreSQL: 64 first logins of distinct phones and 20 logins of
 * one phone at once. Every answer is 200, the one phone has one user and 20 sessions, nothing is logged as an error,
 * no connection is left in a transaction, and the service is still ready afterwards. (The Hibernate Reactive version
 * wedged here: a foreign-key error, connections left idle in transaction, then every request hung.)
 */
@QuarkusTest
@QuarkusTestResource(OtpStandIn.class)
class LoginConcurrencyTest {

    @TestHTTPResource("/api/auth/verify-otp")
    URI verifyOtp;

    @Inject
    Pool pool;

    private final List<LogRecord> errors = new CopyOnWriteArrayList<>();
    private final Handler errorCatcher = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.SEVERE.intValue()) {
                errors.add(record);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void watchErrors() {
        Logger.getLogger("").addHandler(errorCatcher);
    }

    @AfterEach
    void stopWatching() {
        Logger.getLogger("").removeHandler(errorCatcher);
    }

    private CompletableFuture<HttpResponse<String>> login(HttpClient http, String phone, String device) {
        String body = "{\"phone\":\"" + phone + "\",\"otp_code\":\"" + OtpStandIn.GOOD_CODE + "\",\"device_name\":\""
                + device + "\"}";
        return http.sendAsync(HttpRequest.newBuilder(verifyOtp).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void dozensOfConcurrentLoginsAllSucceedAndLeaveTheServiceReady() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        String shared = TestPhones.fresh();
        List<CompletableFuture<HttpResponse<String>>> distinct = new ArrayList<>();
        List<CompletableFuture<HttpResponse<String>>> same = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            distinct.add(login(http, TestPhones.fresh(), "phone-" + i));
            if (i < 20) {
                same.add(login(http, shared, "device-" + i));
            }
        }
        List<HttpResponse<String>> all = new ArrayList<>();
        distinct.forEach(f -> all.add(f.join()));
        List<String> sameUsers = new ArrayList<>();
        long newUsers = 0;
        for (CompletableFuture<HttpResponse<String>> f : same) {
            HttpResponse<String> r = f.join();
            all.add(r);
            if (r.statusCode() == 200) {
                JsonPath json = new JsonPath(r.body());
                sameUsers.add(json.getString("user_id"));
                newUsers += json.getBoolean("is_new_user") ? 1 : 0;
            }
        }
        for (HttpResponse<String> r : all) {
            assertEquals(200, r.statusCode(), r.body());
        }
        assertEquals(1, sameUsers.stream().distinct().count(), "one phone, one user");
        assertEquals(1, newUsers, "exactly one of the racing first logins created the user");
        long sessions = pool.preparedQuery("SELECT count(*) FROM user_session s JOIN app_user u ON u.id = s.user_id "
                + "WHERE u.phone = $1").execute(Tuple.of(shared)).await().indefinitely().iterator().next().getLong(0);
        assertEquals(20, sessions, "a session per login");
        assertTrue(errors.isEmpty(), () -> "errors logged: " + errors.stream().map(LogRecord::getMessage).toList());
        long stuck = pool.query("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                + "AND state = 'idle in transaction'").execute().await().indefinitely().iterator().next().getLong(0);
        assertEquals(0, stuck, "no connection left inside a transaction");
        given().get("/q/health/ready").then().statusCode(200);
        // And the service still serves a login after the storm.
        login(http, TestPhones.fresh(), "after").thenAccept(r -> assertEquals(200, r.statusCode(), r.body())).join();
    }
}
