import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

/**
 * An open-loop load generator: requests leave at a fixed offered rate whatever the server does, and each latency is
 * counted from the moment its request was due, not from when a free connection let it go. A closed-loop tool (wrk,
 * or wrk paced by a delay) sends less when the server slows down and so never sees the queue it caused; this one
 * does (coordinated omission, in Gil Tene's words).
 *
 * <p>
 * Requests go out on Vert.x's HTTP client, on one event loop: a 1 ms timer sends every request that is due. The JDK's
 * HttpClient, which the first version used, took up to a core at 200-400 requests/s, a large share of two cores; the
 * event loop costs a fraction of that. The classpath is the Vert.x and Netty jars a packaged service carries
 * ({@code otp-service/target/quarkus-app/lib/main}; {@code deploy/local/bench/open-loop} sets it):
 *
 * <pre>
 * java -cp 'otp-service/target/quarkus-app/lib/main/*' deploy/local/bench/OpenLoop.java --url URL --rate 500
 *      --duration 20 [--header 'K: V']... [--random-phone | --bodies FILE] [--max-in-flight 4096]
 *      [--connections 256] [--timeout 10]
 * </pre>
 *
 * {@code --random-phone} posts {@code {"phone":"+4474nnnnnnnn"}} (distinct random UK mobiles); {@code --bodies} posts
 * each line of FILE once, in order, and the run ends early when they run out. At most {@code --connections} are open
 * at once; a request waits for one, and that wait counts in its latency. A request that cannot start because
 * {@code --max-in-flight} are already under way counts as an error ({@code shed}), as does a timeout: neither is left
 * out of the percentiles' denominator silently. Prints one summary line per run.
 */
public final class OpenLoop {

    public static void main(String[] args) throws Exception {
        String url = null;
        double rate = 100;
        int seconds = 10;
        int maxInFlight = 4096;
        int connections = 256;
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
                case "--connections" -> connections = Integer.parseInt(args[++i]);
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
        URI target = URI.create(url);
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1)
                .setInternalBlockingPoolSize(1));
        HttpClient client = vertx.createHttpClient(
                new HttpClientOptions().setKeepAlive(true).setConnectTimeout(timeout * 1000),
                new PoolOptions().setHttp1MaxSize(connections).setMaxWaitQueueSize(-1));
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost(target.getHost())
                .setPort(target.getPort()).setURI(target.getRawPath()).setIdleTimeout(timeout * 1000L)
                .putHeader("Content-Type", "application/json");
        headers.forEach(h -> options.putHeader(h[0], h[1]));

        // One GET of the server's liveness first, untimed (any answer will do; it changes nothing): the HTTP client's
        // classes load and a connection opens before the clock starts. Loading them on the event loop held the first
        // run's schedule back by 350 ms.
        client.request(new RequestOptions(options).setMethod(HttpMethod.GET).setURI("/q/health/live"))
                .compose(request -> request.send()).compose(response -> response.body())
                .toCompletionStage().toCompletableFuture().get(timeout, TimeUnit.SECONDS);
        AtomicLongArray latencyMicros = new AtomicLongArray(planned);
        Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
        AtomicInteger inFlight = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(planned);
        long periodNanos = (long) (1e9 / rate);
        long start = System.nanoTime() + 50_000_000;
        long[] next = {0};
        long[] maxBehind = {0};
        int total = planned;
        List<String> lines = bodies;
        boolean random = randomPhone;
        int ceiling = maxInFlight;
        // One timer on the event loop sends whatever is due; latencies count from each request's due time, so the
        // timer's own lateness (and any wait for a connection) is in them.
        vertx.setPeriodic(1, id -> {
            long now = System.nanoTime();
            while (next[0] < total && start + next[0] * periodNanos <= now) {
                int n = (int) next[0]++;
                long due = start + n * periodNanos;
                maxBehind[0] = Math.max(maxBehind[0], now - due);
                if (inFlight.incrementAndGet() > ceiling) {
                    inFlight.decrementAndGet();
                    latencyMicros.set(n, Long.MAX_VALUE);
                    outcomes.computeIfAbsent("shed", k -> new AtomicInteger()).incrementAndGet();
                    done.countDown();
                    continue;
                }
                String body = random
                        ? "{\"phone\":\"+4474" + String.format("%08d", ThreadLocalRandom.current().nextInt(100_000_000))
                                + "\"}"
                        : lines.get(n);
                client.request(options)
                        .compose(request -> request.send(Buffer.buffer(body)))
                        .compose(response -> response.body().map(b -> response.statusCode()))
                        .onComplete(result -> {
                            String outcome = result.succeeded() ? String.valueOf(result.result())
                                    : result.cause() instanceof TimeoutException
                                            || String.valueOf(result.cause().getMessage()).contains("timeout")
                                                    ? "timeout"
                                                    : "error";
                            latencyMicros.set(n, result.succeeded()
                                    ? Math.max(1, (System.nanoTime() - due) / 1000)
                                    : Long.MAX_VALUE);
                            outcomes.computeIfAbsent(outcome, k -> new AtomicInteger()).incrementAndGet();
                            inFlight.decrementAndGet();
                            done.countDown();
                        });
            }
            if (next[0] >= total) {
                vertx.cancelTimer(id);
            }
        });
        long offerNanos = (long) (planned * (double) periodNanos);
        done.await(TimeUnit.NANOSECONDS.toSeconds(offerNanos) + timeout + 5L, TimeUnit.SECONDS);
        double offeredSeconds = offerNanos / 1e9;
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
                pct(sorted, 99.9), pct(sorted, 100), maxBehind[0] / 1e6);
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
