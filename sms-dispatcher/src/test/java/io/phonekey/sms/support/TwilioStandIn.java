package io.phonekey.sms.support;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A local stand-in for Twilio's Messages API that the real Twilio SDK talks to (TWILIO_API_BASE_URL). It records every
 * request and answers 201 unless a test scripted other answers for the next requests. Like Twilio on create, a 201
 * has {@code price: null}; a test may script the cost fields of the next 201 ({@link #priceNext}).
 */
public final class TwilioStandIn implements AutoCloseable {

    /** A received message: the form parameters and the Authorization header. */
    public record Received(Map<String, String> form, String authorization) {
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    /** Scripted answers per recipient ({@code To}): tests run against one stand-in, each with its own numbers. */
    private final Map<String, Deque<Integer>> script = new HashMap<>();
    private final Map<String, String> nextCost = new HashMap<>();

    public TwilioStandIn(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/2010-04-01/Accounts/", this::handle);
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The next requests to {@code to} answer these HTTP statuses, in order (with Twilio-shaped JSON error bodies). */
    public synchronized void answerNext(String to, int... statuses) {
        for (int s : statuses) {
            script.computeIfAbsent(to, k -> new ArrayDeque<>()).add(s);
        }
    }

    /** The next 201 for {@code to} reports this price (Twilio's form: negative), currency and segment count. */
    public synchronized void priceNext(String to, String price, String unit, int segments) {
        nextCost.put(to, ",\"price\":\"" + price + "\",\"price_unit\":\"" + unit + "\",\"num_segments\":\""
                + segments + "\"");
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    /** Messages sent to one phone number. */
    public List<Received> to(String phone) {
        return received.stream().filter(r -> phone.equals(r.form().get("To"))).toList();
    }

    public synchronized void reset() {
        received.clear();
        script.clear();
        nextCost.clear();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        received.add(new Received(form, exchange.getRequestHeaders().getFirst("Authorization")));
        int status;
        String cost = ",\"price\":null,\"price_unit\":\"USD\"";
        synchronized (this) {
            Deque<Integer> scripted = script.get(form.get("To"));
            Integer next = scripted == null ? null : scripted.poll();
            status = next == null ? 201 : next;
            String scriptedCost = status < 400 ? nextCost.remove(form.get("To")) : null;
            cost = scriptedCost == null ? cost : scriptedCost;
        }
        String answer = status < 400
                ? "{\"sid\":\"SM" + java.util.UUID.randomUUID().toString().replace("-", "")
                        + "\",\"status\":\"queued\"" + cost + "}"
                : "{\"code\":" + (status == 400 ? 21211 : 20500) + ",\"message\":\"stand-in error\",\"status\":"
                        + status
                        + "}";
        byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
