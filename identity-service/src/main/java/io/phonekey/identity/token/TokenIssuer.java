package io.phonekey.identity.token;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.phonekey.identity.config.IdentityConfig;
import io.phonekey.identity.repository.User;
import io.phonekey.identity.repository.UserSession;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;

/** Mints ES256 access tokens with the contract's claims, and opaque refresh tokens. */
@ApplicationScoped
public class TokenIssuer {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final IdentityConfig config;
    private final SigningKeys keys;

    public TokenIssuer(IdentityConfig config, SigningKeys keys) {
        this.config = config;
        this.keys = keys;
    }

    public String accessToken(User user, UserSession session) {
        return accessToken(user.id, user.tenantId, user.phone, user.phoneVerified, session.id);
    }

    public String accessToken(UUID userId, String tenantId, String phone, boolean phoneVerified, UUID sessionId) {
        SigningKeys.Active key = keys.active();
        return Jwt.issuer(config.issuer())
                .subject(userId.toString())
                .audience(config.audience())
                .issuedAt(System.currentTimeMillis() / 1000)
                .expiresIn(config.accessTokenTtl())
                .claim("jti", UUID.randomUUID().toString())
                .claim("sid", sessionId.toString())
                .claim("phone_number", phone)
                .claim("phone_number_verified", phoneVerified)
                .claim("tenant_id", tenantId)
                .jws().keyId(key.kid()).algorithm(SignatureAlgorithm.ES256)
                .sign(key.privateKey());
    }

    public long accessTokenSeconds() {
        return config.accessTokenTtl().toSeconds();
    }

    /** 256 random bits, URL-safe. */
    public static String newRefreshToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** What is stored for a refresh token. */
    public static String hash(String refreshToken) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(refreshToken.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
