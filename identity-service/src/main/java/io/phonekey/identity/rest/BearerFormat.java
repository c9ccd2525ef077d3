package io.phonekey.identity.rest;

import java.util.regex.Pattern;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import io.phonekey.contract.problem.HttpLimits;
import io.phonekey.contract.problem.Problem;
import io.vertx.ext.web.Router;

/**
 * A bearer token must be a compact JWS in its one canonical spelling: three base64url segments, no padding, nothing
 * else. Base64 decoders are lenient ({@code ==} appended to a signature still decodes, and the parsed token
 * re-serialises without it), so the header itself is checked, before authentication reads it. The admin API's
 * Bearer is an API key, not a token ({@link AdminKeys}).
 */
@Singleton
public class BearerFormat {

    private static final Pattern COMPACT_JWS = Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE + 1).handler(ctx -> {
            String header = ctx.request().getHeader("Authorization");
            if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)
                    || COMPACT_JWS.matcher(header.substring(7)).matches()
                    || ctx.normalizedPath().startsWith(AdminKeys.ADMIN_PATHS)) {
                ctx.next();
                return;
            }
            HttpLimits.answer(ctx, Problem.unauthorized("the access token is not a compact JWS"));
        });
    }
}
