package io.phonekey.contract.problem;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Failures the HTTP layer raises before a resource is reached (a body over {@code quarkus.http.limits.max-body-size}:
 * 413) answer problem+json like every other error, instead of the framework's empty page.
 */
@Singleton
public class HttpLimits {

    private static final ObjectMapper JSON = new ObjectMapper();

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).failureHandler(ctx -> {
            if (ctx.statusCode() != 413 || ctx.response().headWritten()) {
                ctx.next();
                return;
            }
            answer(ctx, new Problem(413, "body_too_large", "Content Too Large",
                    "the request body is larger than this service accepts"));
        });
    }

    /** Answers a problem from a Vert.x route, before RESTEasy (and its mappers) would see the request. */
    public static void answer(RoutingContext ctx, Problem p) {
        String body;
        try {
            body = JSON.writeValueAsString(p.body());
        } catch (Exception e) {
            ctx.fail(p.status());
            return;
        }
        ctx.response().setStatusCode(p.status()).putHeader("Content-Type", Problem.JSON).end(body);
    }
}
