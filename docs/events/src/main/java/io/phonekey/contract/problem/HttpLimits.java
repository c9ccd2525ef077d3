package io.phonekey.contract.problem;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.vertx.ext.web.Router;

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
            Problem p = new Problem(413, "body_too_large", "Content Too Large",
                    "the request body is larger than this service accepts");
            try {
                ctx.response().setStatusCode(413).putHeader("Content-Type", Problem.JSON)
                        .end(JSON.writeValueAsString(p.body()));
            } catch (Exception e) {
                ctx.next();
            }
        });
    }
}
