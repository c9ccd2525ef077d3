package io.phonekey.identity.support;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A contract-shaped stand-in for otp-service, so identity-service's own rules (users, sessions, tokens) are tested
 * against the real PostgreSQL in isolation. It approves {@link #GOOD_CODE} for any phone and answers otp-service's
 * problems otherwise. The real otp-service is exercised with identity-service in the end-to-end test.
 */
public class OtpStandIn implements QuarkusTestResourceLifecycleManager {

    public static final String GOOD_CODE = "123456";
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
        server.start();
        return Map.of("quarkus.rest-client.otp.url", "http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void handle(HttpExchange exchange) throws IOException {
        if (!"Bearer local-otp-key".equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            send(exchange, 401, Map.of("code", "unauthorized", "status", 401));
            return;
        }
        JsonNode body = JSON.readTree(exchange.getRequestBody());
        String phone = body.path("phone").asText();
        if (!phone.matches("\\+[1-9][0-9]{7,14}")) {
            send(exchange, 400, Map.of("type", "https://phonekey.io/problems/invalid-phone", "title", "Bad Request",
                    "status", 400, "detail", "not a valid phone number", "code", "invalid_phone", "field", "phone"));
        } else if (exchange.getRequestURI().getPath().endsWith("/check")) {
            if (GOOD_CODE.equals(body.path("code").asText())) {
                send(exchange, 200, Map.of("id", UUID.randomUUID().toString(), "phone", phone, "purpose", "login",
                        "channel", "sms", "status", "approved"));
            } else {
                send(exchange, 422, Map.of("type", "https://phonekey.io/problems/invalid-code", "title",
                        "Unprocessable Content", "status", 422, "detail", "the code is not correct", "code",
                        "invalid_code", "attempts_left", 4));
            }
        } else {
            send(exchange, 201, Map.of("id", UUID.randomUUID().toString(), "phone", phone, "channel",
                    body.path("channel").asText("sms"), "purpose", "login", "status", "pending", "expires_in", 600));
        }
    }

    private static void send(HttpExchange exchange, int status, Map<String, Object> body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().add("Content-Type",
                status >= 400 ? "application/problem+json" : "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void stop() {
        server.stop(0);
    }

}
