package io.phonekey.telegram.rest;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.ResponseStatus;

import io.phonekey.contract.openapi.OpenApi;
import io.phonekey.contract.openapi.ProblemExamples;
import io.phonekey.contract.problem.Problem;
import io.phonekey.contract.problem.ProblemDocument;
import io.phonekey.telegram.bot.UpdateInbox;
import io.smallrye.mutiny.Uni;

/** Telegram's webhook: the secret header checked in constant time (401 otherwise), the update stored, 200 at once. */
@Path("/telegram/webhook")
@Tag(name = "webhook")
public class WebhookResource {

    private final UpdateInbox inbox;

    public WebhookResource(UpdateInbox inbox) {
        this.inbox = inbox;
    }

    @POST
    @Consumes({MediaType.APPLICATION_JSON, MediaType.WILDCARD})
    @ResponseStatus(200)
    @SecurityRequirement(name = "webhookSecret")
    @Operation(summary = "Receive a bot update",
            description = "Telegram's webhook (TELEGRAM_MODE=webhook). Answers 200 as soon as the update is stored; it is handled afterwards, once per update_id (a redelivered update is dropped, a malformed one logged and answered 200 so Telegram does not retry it).")
    @RequestBody(required = true, description = "A Telegram Bot API Update, as Telegram sends it", content = @Content(
            mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(type = SchemaType.OBJECT,
                    description = "A Telegram Bot API Update (https://core.telegram.org/bots/api#update)"),
            examples = @ExampleObject(name = "start", summary = "A /start message",
                    value = "{\"update_id\": 912345678, \"message\": {\"message_id\": 17, \"date\": 1764590400, \"chat\": {\"id\": 42, \"type\": \"private\"}, \"from\": {\"id\": 42, \"is_bot\": false, \"first_name\": \"Ana\"}, \"text\": \"/start\"}}")))
    @APIResponse(responseCode = "200", description = "Stored (or a duplicate, or malformed and logged)")
    @APIResponse(responseCode = "401",
            description = "X-Telegram-Bot-Api-Secret-Token is missing or is not TELEGRAM_WEBHOOK_SECRET",
            content = @Content(mediaType = OpenApi.PROBLEM_JSON,
                    schema = @Schema(implementation = ProblemDocument.class),
                    examples = @ExampleObject(name = "unauthorized",
                            value = "{\"type\": \"https://phonekey.io/problems/unauthorized\", \"title\": \"Unauthorized\", \"status\": 401, \"detail\": \"the webhook secret is missing or wrong\", \"code\": \"unauthorized\"}")))
    @APIResponse(responseCode = "503", description = "PostgreSQL is down: the update is not stored, Telegram retries",
            content = @Content(mediaType = OpenApi.PROBLEM_JSON,
                    schema = @Schema(implementation = ProblemDocument.class),
                    examples = @ExampleObject(name = ProblemExamples.SERVICE_UNAVAILABLE_NAME,
                            value = ProblemExamples.SERVICE_UNAVAILABLE)))
    @APIResponse(responseCode = "default", ref = "OtherProblem")
    public Uni<Void> update(@Parameter(hidden = true) @HeaderParam("X-Telegram-Bot-Api-Secret-Token") String secret,
            String body) {
        if (!inbox.secretMatches(secret)) {
            throw Problem.unauthorized("the webhook secret is missing or wrong");
        }
        return inbox.receive(body == null ? "" : body);
    }
}
