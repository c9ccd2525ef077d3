package io.phonekey.contract.health;

import java.time.Duration;
import java.util.Map;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;

/**
 * Readiness of the Kafka broker, answered within {@link #TIMEOUT_MS} whatever the broker does. Quarkus's own Kafka
 * check waits on the admin client's default API timeout (60 s): with a paused broker the probe hung instead of
 * saying DOWN, and Kubernetes would time the probe out rather than take the pod out cleanly. Every service uses this
 * one instead ({@code quarkus.kafka.health.enabled=false}).
 */
@Readiness
@ApplicationScoped
public class BrokerReadiness implements AsyncHealthCheck {

    static final int TIMEOUT_MS = 2_000;

    private final String bootstrap;
    private volatile Admin admin;

    public BrokerReadiness(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap) {
        this.bootstrap = bootstrap;
    }

    /** Non-blocking: the admin client's future, bounded by the same timeout, never a thread waiting on it. */
    @Override
    public Uni<HealthCheckResponse> call() {
        return Uni.createFrom()
                .completionStage(() -> admin().describeCluster(new DescribeClusterOptions().timeoutMs(TIMEOUT_MS))
                        .nodes().toCompletionStage())
                .ifNoItem().after(Duration.ofMillis(TIMEOUT_MS + 500L)).fail()
                .map(nodes -> HealthCheckResponse.named("kafka").status(!nodes.isEmpty())
                        .withData("nodes", nodes.size()).build())
                .onFailure().recoverWithItem(e -> HealthCheckResponse.named("kafka").down()
                        .withData("error", e.getClass().getSimpleName()).build());
    }

    private Admin admin() {
        Admin a = admin;
        if (a == null) {
            synchronized (this) {
                if (admin == null) {
                    admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, TIMEOUT_MS,
                            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, TIMEOUT_MS,
                            AdminClientConfig.CLIENT_ID_CONFIG, "readiness"));
                }
                a = admin;
            }
        }
        return a;
    }

    @PreDestroy
    void close() {
        if (admin != null) {
            admin.close(java.time.Duration.ofSeconds(1));
        }
    }
}
