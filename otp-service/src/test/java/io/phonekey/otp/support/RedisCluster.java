package io.phonekey.otp.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A real 3-master Redis Cluster from the OS {@code redis-server} (no replicas, nothing persisted) on 127.0.0.1:17101-
 * 17103, each node in a temporary directory; otp-service is pointed at it with the cluster client. The nodes are
 * killed and their directories removed when the tests end (and on JVM exit, should the end never come).
 */
public class RedisCluster implements QuarkusTestResourceLifecycleManager {

    public static final List<Integer> PORTS = List.of(17101, 17102, 17103);
    static final String SERVER = System.getProperty("phonekey.redis-server", "/usr/bin/redis-server");
    static final String CLI = System.getProperty("phonekey.redis-cli", "/usr/bin/redis-cli");

    private final List<Process> nodes = new ArrayList<>();
    private final List<Path> dirs = new ArrayList<>();
    private final Thread reaper = new Thread(this::kill, "redis-cluster-reaper");

    @Override
    public Map<String, String> start() {
        try {
            for (int port : PORTS) {
                if (listening(port)) {
                    throw new IllegalStateException("port " + port + " is taken: an earlier RedisCluster run left a "
                            + "node behind? (redis-cli -p " + port + " shutdown nosave)");
                }
            }
            Runtime.getRuntime().addShutdownHook(reaper);
            for (int port : PORTS) {
                Path dir = Files.createTempDirectory("phonekey-redis-cluster-" + port + "-");
                dirs.add(dir);
                nodes.add(new ProcessBuilder(SERVER, "--port", Integer.toString(port), "--bind", "127.0.0.1",
                        "--cluster-enabled", "yes", "--cluster-config-file", dir.resolve("nodes.conf").toString(),
                        "--cluster-node-timeout", "5000", "--dir", dir.toString(), "--appendonly", "no", "--save", "",
                        "--daemonize", "no", "--logfile", dir.resolve("redis.log").toString())
                        .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start());
            }
            for (int port : PORTS) {
                await("node :" + port, () -> listening(port));
            }
            List<String> create = new ArrayList<>(List.of(CLI, "--cluster", "create"));
            PORTS.forEach(p -> create.add("127.0.0.1:" + p));
            create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
            String out = run(create);
            if (!out.contains("[OK] All 16384 slots covered")) {
                throw new IllegalStateException("redis-cli --cluster create failed:\n" + out);
            }
            for (int port : PORTS) {
                await("cluster_state:ok on :" + port, () -> cli(port, "cluster", "info").contains("cluster_state:ok"));
            }
        } catch (IOException e) {
            kill();
            throw new IllegalStateException("could not start the Redis Cluster", e);
        } catch (RuntimeException e) {
            kill();
            throw e;
        }
        String hosts = PORTS.stream().map(p -> "redis://127.0.0.1:" + p).collect(Collectors.joining(","));
        return Map.of("quarkus.redis.client-type", "cluster", "quarkus.redis.hosts", hosts);
    }

    @Override
    public void stop() {
        kill();
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException | IllegalArgumentException e) {
            // already shutting down, or never added
        }
    }

    private synchronized void kill() {
        for (Process p : nodes) {
            p.destroy();
        }
        for (Process p : nodes) {
            try {
                if (!p.waitFor(5, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        nodes.clear();
        for (Path dir : dirs) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (IOException e) {
                // a temporary directory: the OS cleans it eventually
            }
        }
        dirs.clear();
    }

    /** redis-cli against one node (not following redirects): its answer as text. */
    public static String cli(int port, String... args) {
        List<String> cmd = new ArrayList<>(List.of(CLI, "-h", "127.0.0.1", "-p", Integer.toString(port)));
        cmd.addAll(List.of(args));
        return run(cmd);
    }

    private static String run(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(30, TimeUnit.SECONDS);
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void await(String what, java.util.function.BooleanSupplier ready) {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!ready.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new IllegalStateException("Redis Cluster: no " + what + " after 30 s");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
