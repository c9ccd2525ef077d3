package io.phonekey.identity.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of identity-service; environment variables (docs/operations.md) override them. */
@ConfigMapping(prefix = "identity")
public interface IdentityConfig {

    /** The {@code iss} of every token (JWT_ISSUER). */
    @WithDefault("http://localhost:8082")
    String issuer();

    /** The {@code aud} of every access token. */
    @WithDefault("phonekey")
    String audience();

    /** Access token lifetime; at most 15 minutes. */
    @WithDefault("15m")
    Duration accessTokenTtl();

    /** A refresh token unused for this long is dead. */
    @WithDefault("7d")
    Duration refreshIdleTimeout();

    /** A session ends this long after login, however active. */
    @WithDefault("30d")
    Duration sessionMaxAge();

    /** How new users get their tenant (IDENTITY_TENANCY): {@code shared} or {@code per-user}. */
    @WithDefault("shared")
    TenancyMode tenancy();

    /** The tenancy modes; see {@code Tenancy}. */
    enum TenancyMode {
        SHARED, PER_USER
    }

    /** Tenant of every user in {@code shared} tenancy. */
    @WithDefault("default")
    String defaultTenant();

    /** otp-service API keys (OTP_API_KEYS, {@code name:key} pairs); this service calls with the first. */
    @WithDefault("local:local-otp-key")
    String otpApiKeys();

    /** The key this service presents to otp-service. */
    default String otpApiKey() {
        String first = otpApiKeys().split(",")[0].trim();
        return first.substring(first.indexOf(':') + 1);
    }
}
