/**
 * The REST resources, and the OpenAPI document's frame: info, servers, tags, the security scheme and the problem
 * answers several calls share. The operations are described on the resources; {@code mvn package} writes the document
 * to target/openapi.
 */
@OpenAPIDefinition(info = @Info(title = "PhoneKey telegram-gateway", version = "1.0",
        description = "The Telegram side of PhoneKey: Telegram's webhook for the bot, the WebApp page and call that "
                + "link a chat to an account, and the delivery reports of the Telegram Gateway API. The bot itself "
                + "has no HTTP API."),
        servers = @Server(url = "/", description = "This service, where the document is served from (the local "
                + "stack: http://localhost:8083)"),
        tags = {@Tag(name = "webhook", description = "Calls Telegram makes: bot updates, Gateway API reports"),
                @Tag(name = "linking", description = "The WebApp page and the call it makes to link a chat")},
        components = @Components(securitySchemes = @SecurityScheme(securitySchemeName = "webhookSecret",
                type = SecuritySchemeType.APIKEY, in = SecuritySchemeIn.HEADER,
                apiKeyName = "X-Telegram-Bot-Api-Secret-Token",
                description = "TELEGRAM_WEBHOOK_SECRET, which Telegram sends with every update (setWebhook's "
                        + "secret_token)"),
                responses = {
                        @APIResponse(name = "ServiceUnavailable", description = "PostgreSQL or otp-service is down "
                                + "or timing out: nothing was done; retry later",
                                content = @Content(mediaType = OpenApi.PROBLEM_JSON,
                                        schema = @Schema(implementation = ProblemDocument.class),
                                        examples = @ExampleObject(name = ProblemExamples.SERVICE_UNAVAILABLE_NAME,
                                                value = ProblemExamples.SERVICE_UNAVAILABLE))),
                        @APIResponse(name = "OtherProblem", description = "What the HTTP layer refuses (405, 406, "
                                + "413 body_too_large, 415 unsupported_media_type) and 500 internal_error",
                                content = @Content(mediaType = OpenApi.PROBLEM_JSON,
                                        schema = @Schema(implementation = ProblemDocument.class),
                                        examples = {
                                                @ExampleObject(name = ProblemExamples.UNSUPPORTED_MEDIA_TYPE_NAME,
                                                        value = ProblemExamples.UNSUPPORTED_MEDIA_TYPE),
                                                @ExampleObject(name = ProblemExamples.INTERNAL_ERROR_NAME,
                                                        value = ProblemExamples.INTERNAL_ERROR)}))}))
package io.phonekey.telegram.rest;

import org.eclipse.microprofile.openapi.annotations.Components;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeIn;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.servers.Server;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.phonekey.contract.openapi.OpenApi;
import io.phonekey.contract.openapi.ProblemExamples;
import io.phonekey.contract.problem.ProblemDocument;
