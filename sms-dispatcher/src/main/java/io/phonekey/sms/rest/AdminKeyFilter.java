package io.phonekey.sms.rest;

import jakarta.ws.rs.container.ContainerRequestContext;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

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
        String header = ctx.getHeaderString("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw Problem.unauthorized("an admin API key is required: Authorization: Bearer <key>");
        }
        if (keys.nameOf(header.substring(7).strip()).isEmpty()) {
            throw Problem.unauthorized("the API key is not valid");
        }
    }
}
