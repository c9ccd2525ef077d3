package io.phonekey.identity.token;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.lang.JoseException;

import io.phonekey.identity.config.IdentityConfig;
import io.phonekey.identity.repository.User;
import io.phonekey.identity.repository.UserSession;

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

    /**
     * Signs with jose4j directly: the smallrye-jwt builder looks its signing settings up in the configuration on every
     * token, which showed among the hottest frames of the login benchmark (docs/performance.md).
     */
    public String accessToken(UUID userId, String tenantId, String phone, boolean phoneVerified, UUID sessionId) {
        SigningKeys.Active key = keys.active();
        long now = System.currentTimeMillis() / 1000;
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(config.issuer());
        claims.setSubject(userId.toString());
        claims.setAudience(config.audience());
        claims.setIssuedAt(NumericDate.fromSeconds(now));
        claims.setExpirationTime(NumericDate.fromSeconds(now + config.accessTokenTtl().toSeconds()));
        claims.setJwtId(UUID.randomUUID().toString());
        claims.setClaim("sid", sessionId.toString());
        claims.setClaim("phone_number", phone);
        claims.setClaim("phone_number_verified", phoneVerified);
        claims.setClaim("tenant_id", tenantId);
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key.privateKey());
        jws.setKeyIdHeaderValue(key.kid());
        jws.setHeader("typ", "JWT");
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException("signing an access token failed", e);
        }
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
