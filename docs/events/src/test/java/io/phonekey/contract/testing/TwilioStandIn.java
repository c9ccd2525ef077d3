package io.phonekey.contract.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * Twilio's Messages API as the real Twilio SDK of a packaged sms-dispatcher reaches it in the end-to-end tests:
 * {@code POST /2010-04-01/Accounts/<sid>/Messages.json}, form-encoded, answered 201 with a message SID after
 * 100-300 ms (Twilio's own latency). It keeps every message's form so a test can read the SMS a user would get.
 */
public final class TwilioStandIn implements AutoCloseable {

    private final List<Map<String, String>> messages = new CopyOnWriteArrayList<>();
    private final HttpServer server;
    private final ExecutorService pool = Executors.newFixedThreadPool(16);

    public TwilioStandIn(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.setExecutor(pool);
        server.createContext("/2010-04-01/Accounts/", this::message);
        server.start();
    }

    private void message(HttpExchange exchange) throws IOException {
        Map<String, String> form = new HashMap<>();
        for (String pair : new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8).split("&")) {
            String[] kv = pair.split("=", 2);
            form.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                    kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
        }
        try {
            Thread.sleep(ThreadLocalRandom.current().nextInt(100, 300));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        messages.add(form);
        OtpStandIn.answer(exchange, 201, "application/json",
                ("{\"sid\":\"SM" + UUID.randomUUID().toString().replace("-", "") + "\",\"status\":\"queued\"}")
                        .getBytes(StandardCharsets.UTF_8));
    }

    /** Every message sent to this phone so far, oldest first. */
    public List<Map<String, String>> to(String phone) {
        return messages.stream().filter(m -> phone.equals(m.get("To"))).toList();
    }

    /** Waits for the n-th (1-based) message to this phone and returns it. */
    public Map<String, String> await(String phone, int n, Duration within) {
        long deadline = System.currentTimeMillis() + within.toMillis();
        while (System.currentTimeMillis() < deadline) {
            List<Map<String, String>> seen = to(phone);
            if (seen.size() >= n) {
                return seen.get(n - 1);
            }
            sleep(100);
        }
        throw new AssertionError("no SMS #" + n + " to " + phone + " within " + within);
    }

    /** The first message to this phone, if one came. */
    public Optional<Map<String, String>> first(String phone) {
        return to(phone).stream().findFirst();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
