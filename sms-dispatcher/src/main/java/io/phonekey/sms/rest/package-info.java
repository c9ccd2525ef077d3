/**
 * The REST resources, and the OpenAPI document's frame: info, servers, tags, the security scheme and the problem
 * answers several calls share. The operations are described on the resources; {@code mvn package} writes the document
 * to target/openapi.
 */
@OpenAPIDefinition(info = @Info(title = "PhoneKey sms-dispatcher", version = "1.0",
        description = "SMS and WhatsApp delivery through Twilio: the webhooks Twilio calls (signed with "
                + "X-Twilio-Signature) and the operators' admin API over the message log and the day's spend."),
        servers = @Server(url = "/", description = "This service, where the document is served from (the local "
                + "stack: http://localhost:8084)"),
        tags = {@Tag(name = "admin", description = "The message log and the spend, for operators (admin key)"),
                @Tag(name = "twilio", description = "Twilio's webhooks: status callbacks and incoming messages")},
        components = @Components(securitySchemes = @SecurityScheme(securitySchemeName = OpenApi.ADMIN_KEY,
                type = SecuritySchemeType.HTTP, scheme = "bearer", description = "admin API key: the key part of "
                        + "a name:key pair of SMS_ADMIN_API_KEYS (local stack: local-sms-admin-key)"),
                responses = {
                        @APIResponse(name = "Unauthorized", description = "No admin key, or any other key",
                                content = @Content(mediaType = OpenApi.PROBLEM_JSON,
                                        schema = @Schema(implementation = ProblemDocument.class),
                                        examples = @ExampleObject(name = ProblemExamples.UNAUTHORIZED_NAME,
                                                value = ProblemExamples.UNAUTHORIZED))),
                        @APIResponse(name = "InvalidSignature", description = "X-Twilio-Signature is missing or "
                                + "does not match SMS_PUBLIC_URL + the path (or no TWILIO_AUTH_TOKEN is "
                                + "configured); nothing changes",
                                content = @Content(mediaType = OpenApi.PROBLEM_JSON,
                                        schema = @Schema(implementation = ProblemDocument.class),
                                        examples = @ExampleObject(name = ProblemExamples.INVALID_SIGNATURE_NAME,
                                                value = ProblemExamples.INVALID_SIGNATURE))),
                        @APIResponse(name = "ServiceUnavailable", description = "PostgreSQL is down or timing "
                                + "out: nothing was done; retry later",
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
package io.phonekey.sms.rest;

import org.eclipse.microprofile.openapi.annotations.Components;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
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
