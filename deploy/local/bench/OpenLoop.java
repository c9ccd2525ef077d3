import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * An open-loop load generator: requests leave at a fixed offered rate whatever the server does, and each latency is
 * counted from the moment its request was due, not from when a free connection let it go. A closed-loop tool (wrk,
 * or wrk paced by a delay) sends less when the server slows down and so never sees the queue it caused; this one
 * does (coordinated omission, in Gil Tene's words). JDK only, so it runs as a source file:
 *
 * <pre>
 * java deploy/local/bench/OpenLoop.java --url URL --rate 500 --duration 20 [--header 'K: V']...
 *      [--random-phone | --bodies FILE] [--max-in-flight 4096] [--timeout 10]
 * </pre>
 *
 * {@code --random-phone} posts {@code {"phone":"+4474nnnnnnnn"}} (distinct random UK mobiles); {@code --bodies} posts
 * each line of FILE once, in order, and the run ends early when they run out. A request that cannot start because
 * {@code --max-in-flight} are already waiting counts as an error ({@code shed}), as does a timeout: neither is left
 * out of the percentiles' denominator silently. Prints one summary line per run.
 */
public final class OpenLoop {

    public static void main(String[] args) throws Exception {
        String url = null;
        double rate = 100;
        int seconds = 10;
        int maxInFlight = 4096;
        int timeout = 10;
        boolean randomPhone = false;
        List<String> bodies = null;
        List<String[]> headers = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--url" -> url = args[++i];
                case "--rate" -> rate = Double.parseDouble(args[++i]);
                case "--duration" -> seconds = Integer.parseInt(args[++i]);
                case "--max-in-flight" -> maxInFlight = Integer.parseInt(args[++i]);
                case "--timeout" -> timeout = Integer.parseInt(args[++i]);
                case "--random-phone" -> randomPhone = true;
                case "--bodies" -> bodies = Files.readAllLines(Path.of(args[++i]));
                case "--header" -> headers.add(args[++i].split(":\\s*", 2));
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (url == null || (randomPhone == (bodies != null))) {
            throw new IllegalArgumentException("--url and exactly one of --random-phone, --bodies are required");
        }
        int planned = (int) Math.round(rate * seconds);
        if (bodies != null) {
            planned = Math.min(planned, bodies.size());
        }
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(timeout)).executor(Executors.newFixedThreadPool(2)).build();
        AtomicLongArray latencyMicros = new AtomicLongArray(planned);
        Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
        Semaphore inFlight = new Semaphore(maxInFlight);
        AtomicInteger done = new AtomicInteger();
        long periodNanos = (long) (1e9 / rate);
        long start = System.nanoTime() + 50_000_000;
        long maxBehind = 0;
        for (int i = 0; i < planned; i++) {
            long due = start + i * periodNanos;
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            maxBehind = Math.max(maxBehind, -wait);
            int n = i;
            if (!inFlight.tryAcquire()) {
                latencyMicros.set(n, Long.MAX_VALUE);
                outcomes.computeIfAbsent("shed", k -> new AtomicInteger()).incrementAndGet();
                done.incrementAndGet();
                continue;
            }
            String body = randomPhone
                    ? "{\"phone\":\"+4474" + String.format("%08d", ThreadLocalRandom.current().nextInt(100_000_000)) + "\"}"
                    : bodies.get(n);
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(timeout))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
            headers.forEach(h -> request.header(h[0], h[1]));
            client.sendAsync(request.build(), HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
                Throwable cause = error instanceof CompletionException ? error.getCause() : error;
                String outcome = error == null ? String.valueOf(response.statusCode())
                        : cause instanceof HttpTimeoutException ? "timeout" : "error";
                latencyMicros.set(n, error == null ? Math.max(1, (System.nanoTime() - due) / 1000) : Long.MAX_VALUE);
                outcomes.computeIfAbsent(outcome, k -> new AtomicInteger()).incrementAndGet();
                inFlight.release();
                done.incrementAndGet();
            });
        }
        double offeredSeconds = (System.nanoTime() - start) / 1e9;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeout + 5L);
        while (done.get() < planned && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        long[] sorted = new long[planned];
        for (int i = 0; i < planned; i++) {
            sorted[i] = latencyMicros.get(i) == 0 ? Long.MAX_VALUE : latencyMicros.get(i);
        }
        Arrays.sort(sorted);
        Map<String, Integer> counts = new TreeMap<>();
        outcomes.forEach((k, v) -> counts.put(k, v.get()));
        int ok = counts.entrySet().stream().filter(e -> e.getKey().startsWith("2")).mapToInt(Map.Entry::getValue).sum();
        System.out.printf("offered %.0f/s for %.1f s: %d requests, %d 2xx, %d other %s; latency from the due time:"
                + " p50 %s p90 %s p99 %s p99.9 %s max %s; generator at most %.1f ms behind schedule%n", rate,
                offeredSeconds, planned, ok, planned - ok, counts, pct(sorted, 50), pct(sorted, 90), pct(sorted, 99),
                pct(sorted, 99.9), pct(sorted, 100), maxBehind / 1e6);
        System.exit(0);
    }

    /** A percentile over every planned request; one that never answered (shed, timed out) counts as infinitely slow. */
    private static String pct(long[] sorted, double p) {
        int i = (int) Math.ceil(p / 100 * sorted.length) - 1;
        long v = sorted[Math.max(0, Math.min(sorted.length - 1, i))];
        return v == Long.MAX_VALUE ? "∞" : String.format("%.1fms", v / 1000.0);
    }

    private OpenLoop() {
    }
}
