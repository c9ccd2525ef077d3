package io.phonekey.identity.rest;

import java.util.Map;

import jakarta.inject.Singleton;

import io.micrometer.core.instrument.MeterRegistry;
import io.phonekey.contract.security.ApiKeyMechanism;
import io.phonekey.contract.text.ApiKeyRing;
import io.phonekey.identity.config.IdentityConfig;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * Operator keys (IDENTITY_ADMIN_API_KEYS, role {@value #ADMIN}) for {@code /api/v1/admin/*} only. Everywhere else a
 * Bearer is a user's access token, so this mechanism stays out of the way there and smallrye-jwt's decides; on the
 * admin paths it goes first and an access token is not an admin key (401).
 */
@Singleton
public class AdminKeys extends ApiKeyMechanism {

    public static final String ADMIN = "admin";
    static final String ADMIN_PATHS = "/api/v1/admin/";

    public AdminKeys(IdentityConfig config, MeterRegistry metrics) {
        super(Map.of(ADMIN, ApiKeyRing.parse("IDENTITY_ADMIN_API_KEYS", config.adminApiKeys())), metrics);
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identities) {
        return context.normalizedPath().startsWith(ADMIN_PATHS)
                ? super.authenticate(context, identities)
                : Uni.createFrom().nullItem();
    }

    /** Before smallrye-jwt's mechanism (priority 1000), which would take the admin key for a malformed token. */
    @Override
    public int getPriority() {
        return 2000;
    }
}
