package io.phonekey.telegram.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Stand-ins for Telegram's two APIs, reached by the real clients: the Bot API (java-telegram-bot-api, at
 * {@code /bot<token>/<method>}, form-encoded, {@code {"ok":..}} answers with error_code, description and
 * retry_after) and the Gateway API (at {@code /gateway/<method>}, JSON, {@code {"ok":false,"error":"CODE"}}). Each
 * call takes 100-300 ms, as the real ones do over the internet. Tests script failures per chat or phone and read
 * the calls made.
 */
public class TelegramStandIn implements QuarkusTestResourceLifecycleManager {

    public static final String TOKEN = "123456:TEST-bot-token-not-real";
    public static final String SECRET = "webhook-secret-0123456789abcdefABCDEF";
    public static final String GATEWAY_TOKEN = "gateway-token-not-real";

    /** A call the service made. */
    public record Call(String method, Map<String, String> params, long at) {

        public String param(String name) {
            return params.get(name);
        }
    }

    public static final List<Call> BOT_CALLS = new CopyOnWriteArrayList<>();
    public static final List<Call> GATEWAY_CALLS = new CopyOnWriteArrayList<>();
    /** Scripted answers to the next sendMessage calls into a chat (JSON bodies), consumed in order. */
    public static final Map<Long, Queue<String>> NEXT_ANSWERS = new ConcurrentHashMap<>();
    /** Phones the Gateway API cannot reach. */
    public static final Set<String> GATEWAY_UNREACHABLE = ConcurrentHashMap.newKeySet();

    private static final ObjectMapper JSON = new ObjectMapper();
    private final int port;
    private HttpServer server;
    private ExecutorService pool;

    /** On a free port, as a Quarkus test resource. */
    public TelegramStandIn() {
        this(0);
    }

    /** On a given port, for packaged services configured in advance (the end-to-end test). */
    public TelegramStandIn(int port) {
        this.port = port;
    }

    public static void script(long chatId, String answer) {
        NEXT_ANSWERS.computeIfAbsent(chatId, id -> new ConcurrentLinkedQueue<>()).add(answer);
    }

    public static List<Call> messagesTo(long chatId) {
        return BOT_CALLS.stream().filter(c -> c.method().equals("sendMessage"))
                .filter(c -> String.valueOf(chatId).equals(c.param("chat_id"))).toList();
    }

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        pool = Executors.newFixedThreadPool(16);
        server.setExecutor(pool);
        server.createContext("/bot", this::bot);
        server.createContext("/gateway/", this::gateway);
        server.start();
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        Map<String, String> config = new HashMap<>();
        config.put("telegram.mode", "webhook");
        config.put("telegram.bot-token", TOKEN);
        config.put("telegram.api-url", base);
        config.put("telegram.webhook-url", "https://phonekey.example/telegram/webhook");
        config.put("telegram.webhook-secret", SECRET);
        config.put("telegram.gateway.token", GATEWAY_TOKEN);
        config.put("telegram.gateway.url", base + "/gateway");
        config.put("telegram.gateway.fallback-after", "2s");
        return config;
    }

    private static void latency() {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextInt(100, 300));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void bot(HttpExchange exchange) throws IOException {
        latency();
        String path = exchange.getRequestURI().getPath();
        String prefix = "/bot" + TOKEN + "/";
        if (!path.startsWith(prefix)) {
            send(exchange, 401, "{\"ok\":false,\"error_code\":401,\"description\":\"Unauthorized\"}");
            return;
        }
        String method = path.substring(prefix.length());
        Map<String, String> params = form(new String(exchange.getRequestBody().readAllBytes(),
                StandardCharsets.UTF_8));
        BOT_CALLS.add(new Call(method, params, System.currentTimeMillis()));
        switch (method) {
            case "sendMessage" -> {
                long chat = Long.parseLong(params.get("chat_id"));
                Queue<String> scripted = NEXT_ANSWERS.get(chat);
                String answer = scripted == null ? null : scripted.poll();
                if (answer != null) {
                    send(exchange, JSON.readTree(answer).path("error_code").asInt(200), answer);
                } else {
                    send(exchange, 200, "{\"ok\":true,\"result\":{\"message_id\":" + BOT_CALLS.size()
                            + ",\"date\":1700000000,\"chat\":{\"id\":" + chat + ",\"type\":\"private\"},\"text\":"
                            + JSON.writeValueAsString(params.get("text")) + "}}");
                }
            }
            case "getUpdates" -> send(exchange, 200, "{\"ok\":true,\"result\":[]}");
            default -> send(exchange, 200, "{\"ok\":true,\"result\":true}");
        }
    }

    private void gateway(HttpExchange exchange) throws IOException {
        latency();
        String method = exchange.getRequestURI().getPath().substring("/gateway/".length());
        if (!("Bearer " + GATEWAY_TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            send(exchange, 401, "{\"ok\":false,\"error\":\"ACCESS_TOKEN_INVALID\"}");
            return;
        }
        JsonNode body = JSON.readTree(exchange.getRequestBody());
        Map<String, String> params = new HashMap<>();
        body.fields().forEachRemaining(f -> params.put(f.getKey(), f.getValue().asText()));
        GATEWAY_CALLS.add(new Call(method, params, System.currentTimeMillis()));
        if (method.equals("sendVerificationMessage")) {
            String phone = params.get("phone_number");
            if (GATEWAY_UNREACHABLE.contains(phone)) {
                send(exchange, 400, "{\"ok\":false,\"error\":\"PHONE_NUMBER_NOT_AVAILABLE\"}");
                return;
            }
            send(exchange, 200, "{\"ok\":true,\"result\":{\"request_id\":\"" + UUID.randomUUID()
                    + "\",\"phone_number\":\"" + phone + "\",\"request_cost\":0.01,\"remaining_balance\":99.5,"
                    + "\"delivery_status\":{\"status\":\"sent\",\"updated_at\":1700000000},\"payload\":\""
                    + params.get("payload") + "\"}}");
        } else {
            send(exchange, 200, "{\"ok\":true,\"result\":true}");
        }
    }

    private static Map<String, String> form(String body) {
        Map<String, String> out = new HashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        io.phonekey.contract.testing.OtpStandIn.answer(exchange, status, "application/json",
                body.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void stop() {
        server.stop(0);
        pool.shutdownNow();
    }
}
