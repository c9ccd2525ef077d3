package io.phonekey.otp.rest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.phonekey.contract.testing.LogCapture;
import io.phonekey.contract.testing.TopicReader;
import io.phonekey.otp.support.Codes;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * Trace propagation against the real Kafka broker: a create's W3C traceparent reaches its otp.requested record (so the
 * consumers' log lines share the trace id) and its log line; a create without one starts a trace of its own. No log
 * line holds the code or the full phone.
 */
@QuarkusTest
class TracingTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static TopicReader requested;

    @BeforeAll
    static void subscribe() {
        requested = new TopicReader("otp.requested");
    }

    @AfterAll
    static void close() {
        requested.close();
    }

    private static String create(String phone, String traceparent) {
        var request = given().auth().oauth2("local-otp-key").contentType(ContentType.JSON);
        if (traceparent != null) {
            request = request.header("traceparent", traceparent);
        }
        return request.body(Map.of("phone", phone)).post("/api/v1/verifications").then().statusCode(201).extract()
                .path("id");
    }

    @Test
    void aCreatesTraceparentGoesOnWithItsEventAndItsLogLine() throws Exception {
        String traceparent = LogCapture.newTraceparent();
        String traceId = LogCapture.traceId(traceparent);
        String phone = Codes.freshPhone();
        try (LogCapture logs = LogCapture.start()) {
            String id = create(phone, traceparent);
            ConsumerRecord<String, String> record = requested.await(r -> r.value().contains(id));
            String out = TopicReader.headers(record).get("traceparent");
            assertNotNull(out, "otp.requested carries a traceparent");
            assertEquals(traceId, LogCapture.traceId(out), "the request's trace id, on the record");
            assertNotEquals(traceparent, out, "with a span of this service's as its parent");

            await().atMost(Duration.ofSeconds(5)).until(() -> !logs.matching(t -> t.contains(id)).isEmpty());
            List<LogCapture.Line> lines = logs.matching(t -> t.contains(id));
            for (LogCapture.Line line : lines) {
                assertEquals(traceId, line.traceId(), () -> "not in the request's trace: " + line);
            }
            String code = Codes.decrypt(JSON.readTree(record.value()));
            logs.assertNoneContains(code, phone);
        }
    }

    @Test
    void aCreateWithoutTraceparentStartsItsOwnTrace() throws Exception {
        String phone = Codes.freshPhone();
        try (LogCapture logs = LogCapture.start()) {
            String id = create(phone, null);
            ConsumerRecord<String, String> record = requested.await(r -> r.value().contains(id));
            String out = TopicReader.headers(record).get("traceparent");
            assertNotNull(out, "a new trace, on the record");
            String traceId = LogCapture.traceId(out);
            await().atMost(Duration.ofSeconds(5)).until(() -> !logs.matching(t -> t.contains(id)).isEmpty());
            assertEquals(traceId, logs.matching(t -> t.contains(id)).get(0).traceId(), "and on the log line");
            logs.assertNoneContains(Codes.decrypt(JSON.readTree(record.value())), phone);
        }
    }
}
