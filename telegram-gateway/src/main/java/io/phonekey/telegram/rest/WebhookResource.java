package io.phonekey.telegram.rest;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.ResponseStatus;

import io.phonekey.contract.problem.Problem;
import io.phonekey.telegram.bot.UpdateInbox;
import io.smallrye.mutiny.Uni;

/** Telegram's webhook: the secret header checked in constant time (401 otherwise), the update stored, 200 at once. */
@Path("/telegram/webhook")
public class WebhookResource {

    private final UpdateInbox inbox;

    public WebhookResource(UpdateInbox inbox) {
        this.inbox = inbox;
    }

    @POST
    @Consumes({MediaType.APPLICATION_JSON, MediaType.WILDCARD})
    @ResponseStatus(200)
    public Uni<Void> update(@HeaderParam("X-Telegram-Bot-Api-Secret-Token") String secret, String body) {
        if (!inbox.secretMatches(secret)) {
            throw Problem.unauthorized("the webhook secret is missing or wrong");
        }
        return inbox.receive(body == null ? "" : body);
    }
}
