package io.phonekey.identity.service;

import java.time.Duration;
import java.util.regex.Pattern;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.phonekey.contract.problem.Problem;

/**
 * What a verified signature does not prove and we still require of an access token. It is spelled one way only:
 * three base64url segments without padding (decoders are lenient, so {@code ==} after a valid signature would
 * otherwise be a second spelling of the same token). It lives no longer than we issue tokens for, and was not issued
 * in the future: a signed token with {@code exp} ten years away is a stolen key's, not ours.
 */
public final class TokenRules {

    /** The clock skew allowed between this service and the token's issuer (the same service, in practice). */
    public static final long SKEW_SECONDS = 60;
    private static final Pattern COMPACT_JWS = Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");

    private TokenRules() {
    }

    public static void check(JsonWebToken jwt, Duration lifetime) {
        String raw = jwt.getRawToken();
        if (raw == null || !COMPACT_JWS.matcher(raw).matches()) {
            throw Problem.unauthorized("the access token is not a compact JWS");
        }
        long now = System.currentTimeMillis() / 1000;
        long iat = jwt.getIssuedAtTime();
        long exp = jwt.getExpirationTime();
        if (iat <= 0 || iat > now + SKEW_SECONDS || exp - iat > lifetime.toSeconds() + SKEW_SECONDS) {
            throw Problem.unauthorized("the access token's lifetime is not one this service issues");
        }
    }
}
