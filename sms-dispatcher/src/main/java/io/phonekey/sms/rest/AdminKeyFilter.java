package io.phonekey.sms.rest;

import jakarta.ws.rs.container.ContainerRequestContext;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.phonekey.contract.problem.Problem;

/** Requires {@code Authorization: Bearer <admin key>} on every {@code /api/} call; Twilio's webhooks sign instead. */
public class AdminKeyFilter {

    private final AdminKeys keys;

    public AdminKeyFilter(AdminKeys keys) {
        this.keys = keys;
    }

    @ServerRequestFilter
    public void authenticate(ContainerRequestContext ctx) {
        if (!ctx.getUriInfo().getPath().startsWith("/api/")) {
            return;
        }
        if (keys.ring().nameOfBearer(ctx.getHeaderString("Authorization")).isEmpty()) {
            throw Problem.unauthorized("a valid admin API key is required: Authorization: Bearer <key>");
        }
    }
}
