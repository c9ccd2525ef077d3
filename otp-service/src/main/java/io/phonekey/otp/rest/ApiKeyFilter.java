package io.phonekey.otp.rest;

import jakarta.ws.rs.container.ContainerRequestContext;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.phonekey.contract.problem.Problem;

/** Requires {@code Authorization: Bearer <api key>} on every {@code /api/} call. */
public class ApiKeyFilter {

    private final ApiKeys keys;
    private final ApiCaller caller;

    public ApiKeyFilter(ApiKeys keys, ApiCaller caller) {
        this.keys = keys;
        this.caller = caller;
    }

    @ServerRequestFilter
    public void authenticate(ContainerRequestContext ctx) {
        if (!ctx.getUriInfo().getPath().startsWith("/api/")) {
            return;
        }
        String name = keys.ring().nameOfBearer(ctx.getHeaderString("Authorization"))
                .orElseThrow(() -> Problem.unauthorized("a valid API key is required: Authorization: Bearer <key>"));
        caller.name(name);
    }
}
