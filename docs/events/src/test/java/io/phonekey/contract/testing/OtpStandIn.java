package io.phonekey.contract.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A contract-shaped stand-in for otp-service, so the rules of the services that call it (identity-service, telegram-gateway) are tested
 * against the real PostgreSQL in isolation. It remembers the verifications it created (phone, purpose, metadata),
 * approves {@link #GOOD_CODE} for them or for any phone and purpose, and answers otp-service's problems otherwise. The real otp-service is exercised with identity-service in the end-to-end test.
 */
public class OtpStandIn implements QuarkusTestResourceLifecycleManager {

    public static final String GOOD_CODE = "123456";

    /** A verification the stand-in created: what identity-service asked for. */
    public record Created(String id, String phone, String purpose, JsonNode metadata) {
    }

    /** Every verification created, in order, for tests to see what was (and was not) sent. */
    public static final List<Created> CREATED = new CopyOnWriteArrayList<>();
    /** Every check body received, for tests to see what a caller passed (e.g. the chat in {@code context}). */
    public static final List<JsonNode> CHECKS = new CopyOnWriteArrayList<>();
    private static final Map<String, Created> VERIFICATIONS = new ConcurrentHashMap<>();

    /** Makes the stand-in know a verification created elsewhere (e.g. one a test published on otp.requested). */
    public static void remember(String id, String phone, String purpose) {
        VERIFICATIONS.put(id, new Created(id, phone, purpose, null));
    }

    /** The verifications created for a phone. */
    public static List<Created> createdFor(String phone) {
        return CREATED.stream().filter(c -> c.phone().equals(phone)).toList();
    }
    private static final ObjectMapper JSON = new ObjectMapper();
    private HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/api/v1/verifications", this::handle);
        // Many callers at once, each answered after a few milliseconds, as otp-service answers over the network.
        server.setExecutor(Executors.newFixedThreadPool(32));
        server.start();
        return Map.of("quarkus.rest-client.otp.url", "http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextInt(5, 25));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!"Bearer local-otp-key".equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            send(exchange, 401, Map.of("code", "unauthorized", "status", 401));
            return;
        }
        JsonNode body = JSON.readTree(exchange.getRequestBody());
        boolean check = exchange.getRequestURI().getPath().endsWith("/check");
        if (check) {
            CHECKS.add(body);
        }
        if (check && body.hasNonNull("verification_id")) {
            Created known = VERIFICATIONS.get(body.get("verification_id").asText());
            if (known == null) {
                send(exchange, 404, Map.of("type", "https://phonekey.io/problems/not-found", "title", "Not Found",
                        "status", 404, "detail", "no pending verification", "code", "not_found"));
                return;
            }
            approveOrRefuse(exchange, body, known.id(), known.phone(), known.purpose());
            return;
        }
        String phone = body.path("phone").asText();
        String purpose = body.path("purpose").asText("login");
        if (!phone.matches("\\+[1-9][0-9]{7,14}")) {
            send(exchange, 400, Map.of("type", "https://phonekey.io/problems/invalid-phone", "title", "Bad Request",
                    "status", 400, "detail", "not a valid phone number", "code", "invalid_phone", "field", "phone"));
        } else if (check) {
            approveOrRefuse(exchange, body, UUID.randomUUID().toString(), phone, purpose);
        } else {
            Created created = new Created(UUID.randomUUID().toString(), phone, purpose, body.path("metadata"));
            VERIFICATIONS.put(created.id(), created);
            CREATED.add(created);
            send(exchange, 201, Map.of("id", created.id(), "phone", phone, "channel",
                    body.path("channel").asText("sms"), "purpose", purpose, "status", "pending", "expires_in", 600));
        }
    }

    private static void approveOrRefuse(HttpExchange exchange, JsonNode body, String id, String phone,
            String purpose) throws IOException {
        if (GOOD_CODE.equals(body.path("code").asText())) {
            send(exchange, 200, Map.of("id", id, "phone", phone, "purpose", purpose, "channel", "sms", "status",
                    "approved"));
        } else {
            send(exchange, 422, Map.of("type", "https://phonekey.io/problems/invalid-code", "title",
                    "Unprocessable Content", "status", 422, "detail", "the code is not correct", "code",
                    "invalid_code", "attempts_left", 4));
        }
    }

    private static void send(HttpExchange exchange, int status, Map<String, Object> body) throws IOException {
        answer(exchange, status, status >= 400 ? "application/problem+json" : "application/json",
                JSON.writeValueAsBytes(body));
    }

    /** Writes a stand-in's answer (shared by the stand-ins of every service's tests). */
    public static void answer(HttpExchange exchange, int status, String contentType, byte[] bytes)
            throws IOException {
        exchange.getResponseHeaders().add("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void stop() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }

}
