package io.phonekey.identity.rest;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import io.phonekey.contract.testing.OtpStandIn;
import io.phonekey.contract.testing.TopicReader;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A broker that stalls loses no security notice and delays no answer: logout-all commits its notice to the outbox in
 * the same transaction and answers at once; the relay publishes it once the broker is back. The real test broker is
 * paused (SIGSTOP) for 12 s, longer than the producers' delivery timeout, and resumed. {@code deploy/local/stack test}
 * passes the broker's pid (PHONEKEY_TEST_BROKER_PID); without it, there is no broker of ours to pause.
 */
@QuarkusTest
@QuarkusTestResource(OtpStandIn.class)
class OutboxOutageTest {

    static void signal(String signal, String pid) throws Exception {
        assertEquals(0, new ProcessBuilder("kill", "-" + signal, pid).inheritIO().start().waitFor());
    }

    @Test
    void aNoticeCommittedWhileTheBrokerStallsIsPublishedOnceWhenItIsBack() throws Exception {
        String pid = System.getenv("PHONEKEY_TEST_BROKER_PID");
        Assumptions.assumeTrue(pid != null && !pid.isBlank(), "PHONEKEY_TEST_BROKER_PID is not set");
        try (TopicReader notices = new TopicReader("security.notice")) {
            var session = AuthResourceTest.login(AuthResourceTest.freshPhone(), "Phone");
            String userId = session.getString("user_id");
            String token = session.getString("access_token");
            signal("STOP", pid);
            try {
                long t0 = System.nanoTime();
                given().auth().oauth2(token).post("/api/auth/logout-all").then().statusCode(204);
                long millis = (System.nanoTime() - t0) / 1_000_000;
                assertTrue(millis < 2_000, "logout-all waited " + millis + " ms on the stalled broker");
                AuthResourceTest.me(token).statusCode(401);
                Thread.sleep(12_000);
            } finally {
                signal("CONT", pid);
            }
            ConsumerRecord<String, String> told = notices.await(r -> r.value().contains(userId)
                    && r.value().contains("\"sessions_revoked\""));
            assertTrue(told.value().contains(userId));
            List<String> ids = notices.drain(Duration.ofSeconds(3)).stream()
                    .filter(r -> r.value().contains(userId) && r.value().contains("\"sessions_revoked\""))
                    .map(r -> TopicReader.headers(r).get("ce_id")).distinct().toList();
            assertEquals(1, ids.size(), "one notice (redeliveries share their ce_id): " + ids);
        }
        given().get("/q/health/ready").then().statusCode(200);
    }
}
