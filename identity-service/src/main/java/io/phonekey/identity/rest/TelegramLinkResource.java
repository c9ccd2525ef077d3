package io.phonekey.identity.rest;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.phonekey.contract.openapi.OpenApi;
import io.phonekey.contract.openapi.ProblemExamples;
import io.phonekey.contract.problem.ProblemDocument;
import io.phonekey.identity.service.Answers;
import io.phonekey.identity.service.SessionService;
import io.phonekey.identity.service.TelegramLinks;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;

/** The start of linking a Telegram chat to the signed-in account. */
@Path("/api/telegram")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "telegram")
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
    @SecurityRequirement(name = OpenApi.JWT)
    @Operation(summary = "Send a Telegram link code",
            description = "Sends a link_telegram code by SMS to the account's own phone, with a link to telegram-gateway's WebApp page, where the code links the chat that opens it.")
    @RequestBody(required = true,
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = AccountRequests.TelegramCode.class),
                    examples = @ExampleObject(name = "own_phone", summary = "The account's phone",
                            value = "{\"phone_number\": \"+447400123456\"}")))
    @APIResponse(responseCode = "200", description = "The code is on its way", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Answers.TelegramCodeSent.class),
            examples = @ExampleObject(name = "sent",
                    value = "{\"success\": true, \"message\": \"Verification code sent\", \"phone_number\": \"+447400123456\", \"expires_in\": 600, \"verification_id\": \"0b9f5a3e-6f0e-4a53-9a43-3d4b1f2c7e10\"}")))
    @APIResponse(responseCode = "400", description = "No body, a bad phone_number, or not the account's phone",
            content = @Content(mediaType = OpenApi.PROBLEM_JSON,
                    schema = @Schema(implementation = ProblemDocument.class),
                    examples = {
                            @ExampleObject(name = ProblemExamples.MISSING_BODY_NAME,
                                    value = ProblemExamples.MISSING_BODY),
                            @ExampleObject(name = "invalid_phone",
                                    value = "{\"type\": \"https://phonekey.io/problems/invalid-phone\", \"title\": \"Bad Request\", \"status\": 400, \"detail\": \"phone_number must be a valid number in E.164, e.g. +447400123456\", \"code\": \"invalid_phone\", \"field\": \"phone_number\"}"),
                            @ExampleObject(name = ProblemExamples.PHONE_MISMATCH_NAME,
                                    value = ProblemExamples.PHONE_MISMATCH)}))
    @APIResponse(responseCode = "401", ref = "Unauthorized")
    @APIResponse(responseCode = "403", description = "otp-service refused the code: the country is not allowed",
            content = @Content(mediaType = OpenApi.PROBLEM_JSON,
                    schema = @Schema(implementation = ProblemDocument.class),
                    examples = @ExampleObject(name = ProblemExamples.COUNTRY_NOT_ALLOWED_NAME,
                            value = ProblemExamples.COUNTRY_NOT_ALLOWED)))
    @APIResponse(responseCode = "429", ref = "RateLimited")
    @APIResponse(responseCode = "503", ref = "ServiceUnavailable")
    @APIResponse(responseCode = "default", ref = "OtherProblem")
    public Uni<Answers.TelegramCodeSent> sendTelegramCode(AccountRequests.TelegramCode body,
            @Context HttpServerRequest request) {
        if (body == null) {
            throw io.phonekey.contract.problem.Problem.badRequest("missing_body", "a JSON body is required");
        }
        return sessions.current(jwt).flatMap(c -> links.sendCode(c.user().id, c.user().phone, body.phoneNumber(),
                body.region(), request.remoteAddress().hostAddress()));
    }
}
