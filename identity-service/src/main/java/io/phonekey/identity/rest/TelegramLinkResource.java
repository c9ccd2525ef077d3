package io.phonekey.identity.rest;

import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.phonekey.identity.service.SessionService;
import io.phonekey.identity.service.TelegramLinks;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;

/** The start of linking a Telegram chat to the signed-in account (seed 000). */
@Path("/api/telegram")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class TelegramLinkResource {

    private final SessionService sessions;
    private final TelegramLinks links;

    @Inject
    JsonWebToken jwt;

    public TelegramLinkResource(SessionService sessions, TelegramLinks links) {
        this.sessions = sessions;
        this.links = links;
    }

    @POST
    @Path("/send-verification-code")
    @Authenticated
    public Uni<Map<String, Object>> sendTelegramCode(AccountRequests.TelegramCode body,
            @Context HttpServerRequest request) {
        if (body == null) {
            throw io.phonekey.contract.problem.Problem.badRequest("missing_body", "a JSON body is required");
        }
        return sessions.current(jwt).flatMap(c -> links.sendCode(c.user().id, c.user().phone, body.phoneNumber(),
                body.region(), request.remoteAddress().hostAddress()));
    }
}
