package io.phonekey.sms.support;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A local stand-in for Twilio's Messages API that the real Twilio SDK talks to (TWILIO_API_BASE_URL). It records every
 * request and answers 201 unless a test scripted other answers for the next requests. Like Twilio on create, a 201
 * has {@code price: null}; a test may script the cost fields of the next 201 ({@link #priceNext}). Like Twilio's API
 * it takes its time: every answer leaves {@link #latency()} after the request arrived (200 ms unless the system
 * property {@code twilio.standin.latency-ms} or {@link #latency(Duration)} says otherwise), with requests served
 * concurrently, and it counts how many were in its hands at once ({@link #maxConcurrent()}). Like Twilio, a message
 * exists from the moment its create arrives, and the Messages list ({@code GET .../Messages.json?To=&From=}, newest
 * first, {@code date_created} to the second) shows it; a test may put a message there that an earlier, interrupted
 * process sent ({@link #alreadyHolds}).
 */
public final class TwilioStandIn implements AutoCloseable {

    /** A received message: the form parameters, the Authorization header and when it arrived. */
    public record Received(Map<String, String> form, String authorization, Instant at) {
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "twilio-standin");
        t.setDaemon(true);
        return t;
    });
    private final ConcurrentLinkedQueue<Received> received = new ConcurrentLinkedQueue<>();
    /** Every message the list shows: those created through this stand-in and those a test put there. */
    private final ConcurrentLinkedQueue<Listed> listed = new ConcurrentLinkedQueue<>();

    /** Twilio's date form (RFC 2822, to the second), as its SDK parses it. */
    private static final java.time.format.DateTimeFormatter TWILIO_DATE = java.time.format.DateTimeFormatter
            .ofPattern("EEE, dd MMM yyyy HH:mm:ss Z", java.util.Locale.US);

    private record Listed(String sid, String to, String from, String body, Instant created) {
    }
    private final AtomicInteger concurrent = new AtomicInteger();
    private final AtomicInteger maxConcurrent = new AtomicInteger();
    private final AtomicInteger listReads = new AtomicInteger();
    /** Reads of the Messages list per recipient ({@code To} filter). */
    private final Map<String, AtomicInteger> listReadsTo = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile Duration latency = Duration.ofMillis(Long.getLong("twilio.standin.latency-ms", 200));
    /** Scripted answers per recipient ({@code To}): tests run against one stand-in, each with its own numbers. */
    private final Map<String, Deque<Integer>> script = new HashMap<>();
    private final Map<String, String> nextCost = new HashMap<>();
    /** Retry-After (seconds) of scripted 429 answers per recipient. */
    private final Map<String, Integer> retryAfter = new HashMap<>();
    /** Delays of the next creates per recipient, instead of the latency (a slow Twilio). */
    private final Map<String, Deque<Slow>> slow = new HashMap<>();

    /**
     * A slow create, answered {@code answerAfter} after its request arrived; listed at once, or, when
     * {@code afterALook}, only once its recipient's list has been read since then.
     */
    private record Slow(Duration answerAfter, boolean afterALook) {
    }

    public TwilioStandIn(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 1024);
        server.createContext("/2010-04-01/Accounts/", this::handle);
        server.setExecutor(threads);
        server.start();
    }

    /** How long each answer takes. */
    public Duration latency() {
        return latency;
    }

    public void latency(Duration latency) {
        this.latency = latency;
    }

    /** The most requests that were being answered at the same moment, since the last {@link #resetConcurrency()}. */
    public int maxConcurrent() {
        return maxConcurrent.get();
    }

    public void resetConcurrency() {
        maxConcurrent.set(concurrent.get());
    }

    /**
     * The next {@code times} requests to {@code to} answer 429 (Twilio 20429, too many requests) with
     * {@code Retry-After: retryAfterSeconds}.
     */
    public synchronized void throttleNext(String to, int times, int retryAfterSeconds) {
        for (int i = 0; i < times; i++) {
            script.computeIfAbsent(to, k -> new ArrayDeque<>()).add(429);
        }
        retryAfter.put(to, retryAfterSeconds);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /**
     * The next create to {@code to} is taken at once, as any, and answered only after {@code delay}: Twilio slow to
     * answer, not down. A client that stops waiting before then has still sent the message.
     */
    public synchronized void slowNext(String to, Duration delay) {
        slow.computeIfAbsent(to, k -> new ArrayDeque<>()).add(new Slow(delay, false));
    }

    /**
     * The next create to {@code to} is slow to be created, not only to be answered: its message appears in the list
     * only after the recipient's list was read once since the request arrived (so that read cannot find it, whatever
     * the timing: Twilio's front end still holding it); the answer comes after {@code answerAfter}, by when the
     * message is listed in any case.
     */
    public synchronized void slowCreateNext(String to, Duration answerAfter) {
        slow.computeIfAbsent(to, k -> new ArrayDeque<>()).add(new Slow(answerAfter, true));
    }

    /** The SIDs of the messages to {@code to} that Twilio created, as its Messages list shows them. */
    public List<String> sidsTo(String to) {
        return listed.stream().filter(m -> to.equals(m.to())).map(Listed::sid).toList();
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

    /** Every received message by recipient, in arrival order. */
    public Map<String, List<Received>> byRecipient() {
        Map<String, List<Received>> by = new HashMap<>();
        for (Received r : received) {
            by.computeIfAbsent(r.form().get("To"), k -> new java.util.ArrayList<>()).add(r);
        }
        return by;
    }

    /** Messages sent to one phone number. */
    public List<Received> to(String phone) {
        return received.stream().filter(r -> phone.equals(r.form().get("To"))).toList();
    }

    /** The list shows a message to {@code to} created at {@code created}, as a process that died after sending leaves it. */
    public String alreadyHolds(String to, String from, String body, Instant created) {
        String sid = "SM" + java.util.UUID.randomUUID().toString().replace("-", "");
        listed.add(new Listed(sid, to, from, body, created));
        return sid;
    }

    /** How many times the Messages list was read. */
    public int listReads() {
        return listReads.get();
    }

    /** How many times the Messages list was read for the recipient {@code to}. */
    public int listReadsTo(String to) {
        AtomicInteger reads = listReadsTo.get(to);
        return reads == null ? 0 : reads.get();
    }

    public synchronized void reset() {
        received.clear();
        listed.clear();
        script.clear();
        nextCost.clear();
        retryAfter.clear();
        slow.clear();
    }

    private void handle(HttpExchange exchange) throws IOException {
        int now = concurrent.incrementAndGet();
        maxConcurrent.accumulateAndGet(now, Math::max);
        try {
            if ("GET".equals(exchange.getRequestMethod())) {
                list(exchange);
            } else {
                answer(exchange);
            }
        } finally {
            concurrent.decrementAndGet();
        }
    }

    private void answer(HttpExchange exchange) throws IOException {
        Instant arrived = Instant.now();
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Map<String, String> form = pairs(body);
        received.add(new Received(form, exchange.getRequestHeaders().getFirst("Authorization"), arrived));
        String sid = "SM" + java.util.UUID.randomUUID().toString().replace("-", "");
        int status;
        Integer wait = null;
        Duration answerAfter;
        boolean afterALook = false;
        int readsAtArrival = listReadsTo(form.get("To"));
        String cost = ",\"price\":null,\"price_unit\":\"USD\"";
        synchronized (this) {
            Deque<Integer> scripted = script.get(form.get("To"));
            Integer next = scripted == null ? null : scripted.poll();
            status = next == null ? 201 : next;
            String scriptedCost = status < 400 ? nextCost.remove(form.get("To")) : null;
            cost = scriptedCost == null ? cost : scriptedCost;
            wait = status == 429 ? retryAfter.get(form.get("To")) : null;
            Deque<Slow> delays = slow.get(form.get("To"));
            Slow delay = delays == null ? null : delays.poll();
            answerAfter = delay == null ? latency : delay.answerAfter();
            afterALook = delay != null && delay.afterALook();
        }
        if (status < 400) {
            // Created on arrival (or once a slow create is through), whether or not the client waits for the answer.
            while (afterALook && listReadsTo(form.get("To")) == readsAtArrival
                    && Instant.now().isBefore(arrived.plus(answerAfter))) {
                sleepUntil(Instant.now().plusMillis(10));
            }
            listed.add(new Listed(sid, form.get("To"), form.get("From"), form.get("Body"), Instant.now()));
        }
        sleepUntil(arrived.plus(answerAfter));
        String answer = status < 400
                ? "{\"sid\":\"" + sid + "\",\"status\":\"queued\"" + cost + "}"
                : "{\"code\":" + (status == 400 ? 21211 : status == 429 ? 20429 : 20500)
                        + ",\"message\":\"stand-in error\",\"status\":"
                        + status
                        + "}";
        byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        if (wait != null) {
            exchange.getResponseHeaders().add("Retry-After", wait.toString());
        }
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static void sleepUntil(Instant then) {
        long left = Duration.between(Instant.now(), then).toMillis();
        if (left > 0) {
            try {
                Thread.sleep(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The pairs of a form body or a query string ({@code a=1&b=2}, URL-encoded); empty for null. */
    private static Map<String, String> pairs(String encoded) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : encoded == null ? new String[0] : encoded.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    /** Twilio's Messages list: filtered by To and From, newest first, one page. */
    private void list(HttpExchange exchange) throws IOException {
        Map<String, String> query = pairs(exchange.getRequestURI().getRawQuery());
        java.util.List<Listed> found = new java.util.ArrayList<>();
        for (Listed m : listed) {
            if ((query.get("To") == null || query.get("To").equals(m.to()))
                    && (query.get("From") == null || query.get("From").equals(m.from()))) {
                found.add(0, m);
            }
        }
        // Counted once the page is read: a slow create waiting for this read is listed after it, not in it.
        listReads.incrementAndGet();
        if (query.get("To") != null) {
            listReadsTo.computeIfAbsent(query.get("To"), k -> new AtomicInteger()).incrementAndGet();
        }
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        java.util.List<Map<String, Object>> messages = new java.util.ArrayList<>();
        for (Listed m : found) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("sid", m.sid());
            one.put("to", m.to());
            one.put("from", m.from());
            one.put("body", m.body());
            one.put("status", "queued");
            one.put("num_segments", "1");
            one.put("price", null);
            one.put("price_unit", "USD");
            one.put("date_created", TWILIO_DATE.format(m.created().atZone(java.time.ZoneOffset.UTC)));
            messages.add(one);
        }
        String path = exchange.getRequestURI().getPath();
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("messages", messages);
        page.put("uri", path);
        page.put("first_page_uri", path);
        page.put("next_page_uri", null);
        page.put("previous_page_uri", null);
        page.put("page", 0);
        page.put("page_size", messages.size());
        byte[] bytes = json.writeValueAsBytes(page);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
