package io.phonekey.contract.security;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.jboss.logging.MDC;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.phonekey.contract.text.ApiKeyRing;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * Quarkus Security for {@code Authorization: Bearer <api key>}: each configured ring of {@code name:key} pairs grants
 * one role (backend, admin), and the key's name becomes the principal, so {@code @RolesAllowed} decides who may call
 * what and a backend key on an admin path is a 403, not a 401. A service subclasses this as a bean with its own rings.
 * <p>
 * The presented key is compared with every key of every ring by digest in constant time ({@link ApiKeyRing}), so
 * neither which ring matched nor the key's length shows in the answer time. No header means anonymous (the endpoint's
 * annotation answers 401); a header with a wrong key fails authentication (401) and counts as
 * {@code phonekey.api.rejected}. Each accepted call counts on {@code phonekey.api.authenticated} by role and key name.
 */
public abstract class ApiKeyMechanism implements HttpAuthenticationMechanism {

    /** The MDC key that log lines show the caller's key name under ({@code %X{caller}} in the log format). */
    public static final String CALLER = "caller";

    private final Map<String, ApiKeyRing> rolesToRings;
    private final MeterRegistry metrics;
    /** One counter per configured key: bounded by the configuration, never by what callers send. */
    private final Map<String, Counter> calls = new ConcurrentHashMap<>();

    protected ApiKeyMechanism(Map<String, ApiKeyRing> rolesToRings, MeterRegistry metrics) {
        this.rolesToRings = new LinkedHashMap<>(rolesToRings);
        this.metrics = metrics;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identities) {
        String authorization = context.request().getHeader("Authorization");
        if (authorization == null) {
            return Uni.createFrom().nullItem();
        }
        Optional<SecurityIdentity> identity = identify(authorization);
        if (identity.isEmpty()) {
            metrics.counter("phonekey.api.rejected").increment();
            return Uni.createFrom().failure(new AuthenticationFailedException("the API key is not valid"));
        }
        String name = identity.get().getPrincipal().getName();
        String role = identity.get().getRoles().iterator().next();
        MDC.put(CALLER, name);
        calls.computeIfAbsent(role + '|' + name,
                k -> metrics.counter("phonekey.api.authenticated", "role", role, "caller", name)).increment();
        return Uni.createFrom().item(identity.get());
    }

    /** The identity an {@code Authorization} header value proves, if any. */
    public Optional<SecurityIdentity> identify(String authorization) {
        String role = null;
        String name = null;
        for (Map.Entry<String, ApiKeyRing> ring : rolesToRings.entrySet()) {
            Optional<String> matched = ring.getValue().nameOfBearer(authorization);
            if (matched.isPresent() && role == null) { // every ring is still compared
                role = ring.getKey();
                name = matched.get();
            }
        }
        if (role == null) {
            return Optional.empty();
        }
        return Optional.of(QuarkusSecurityIdentity.builder().setPrincipal(new QuarkusPrincipal(name)).addRole(role)
                .build());
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", "Bearer"));
    }
}
