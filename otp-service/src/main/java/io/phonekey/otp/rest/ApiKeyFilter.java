package io.phonekey.otp.rest;

import jakarta.ws.rs.container.ContainerRequestContext;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

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
        String header = ctx.getHeaderString("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw Problem.unauthorized("an API key is required: Authorization: Bearer <key>");
        }
        String name = keys.nameOf(header.substring(7).trim())
                .orElseThrow(() -> Problem.unauthorized("the API key is not valid"));
        caller.name(name);
    }
}
