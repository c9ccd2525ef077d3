package io.phonekey.identity.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

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

    /** The signing keys: encryption at rest and rotation ({@code token/SigningKeys}). */
    Signing signing();

    /** IDENTITY_SIGNING_KEY_SECRET, IDENTITY_SIGNING_KEY_ROTATION, IDENTITY_SIGNING_KEY_PUBLISH_AHEAD. */
    interface Signing {

        /**
         * AES-256 keys (base64, comma-separated) that encrypt the private signing keys in the database: the first
         * encrypts, all decrypt, so this secret can rotate too. Required: a copy of the database alone must not let
         * anybody sign tokens.
         */
        @WithName("secret")
        Optional<List<String>> secretSetting();

        default List<String> secret() {
            return secretSetting().filter(l -> !l.isEmpty()).orElseThrow(() -> new IllegalStateException(
                    "IDENTITY_SIGNING_KEY_SECRET must be set: base64 AES-256 keys, comma-separated"));
        }

        /** A new signing key takes over this often. */
        @WithDefault("30d")
        Duration rotation();

        /**
         * A new key is in the JWKS this long before it signs, so every verifier has fetched it by then (longer than
         * their JWKS refresh interval).
         */
        @WithDefault("2h")
        Duration publishAhead();
    }

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

    /** Operator keys for {@code /api/v1/admin/*} (IDENTITY_ADMIN_API_KEYS, {@code name:key} pairs). */
    @WithDefault("local-admin:local-admin-key")
    String adminApiKeys();

    /** The key this service presents to otp-service. */
    default String otpApiKey() {
        String first = otpApiKeys().split(",")[0].trim();
        return first.substring(first.indexOf(':') + 1);
    }
}
