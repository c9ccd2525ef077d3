/**
 * The REST resources, and the OpenAPI document's frame: info, servers, tags, the security schemes and the problem answers every call shares.
 * The operations are described on the resources; {@code mvn package} writes the document to target/openapi.
 */
@OpenAPIDefinition(info = @Info(title = "PhoneKey otp-service", version = "1.0",
        description = "The Verify API: send a one-time code by SMS, WhatsApp or Telegram and check it. For trusted "
                + "backends only (it trusts the client_ip you pass and sends messages that cost money)."),
        servers = @Server(url = "/",
                description = "This service, where the document is served from (the local stack: http://localhost:8081)"),
        tags = {
                @Tag(name = "verifications", description = "Send, check, read and cancel codes (backend key)"),
                @Tag(name = "conversion watch", description = "Blocked and flagged number prefixes against SMS "
                        + "pumping (admin key)")},
        components = @Components(securitySchemes = {
                @SecurityScheme(securitySchemeName = OpenApi.API_KEY, type = SecuritySchemeType.HTTP, scheme = "bearer",
                        description = "backend API key: the key part of a name:key pair of "
                                + "OTP_API_KEYS (local stack: local-otp-key)"),
                @SecurityScheme(securitySchemeName = OpenApi.ADMIN_KEY, type = SecuritySchemeType.HTTP,
                        scheme = "bearer", description = "admin API key: the key part of a name:key pair of "
                                + "OTP_ADMIN_API_KEYS (local stack: local-admin-key)")},
                responses = {
                        @APIResponse(name = "Unauthorized", description = "No API key, or not a known one",
                                content = @Content(mediaType = OpenApi.PROBLEM_JSON,
                                        schema = @Schema(implementation = ProblemDocument.class),
                                        examples = @ExampleObject(name = ProblemExamples.UNAUTHORIZED_NAME,
                                                value = ProblemExamples.UNAUTHORIZED))),
                        @APIResponse(name = "ServiceUnavailable", description = "Redis or Kafka is down or timing "
                                + "out: nothing was done; retry later",
                                content = @Content(mediaType = OpenApi.PROBLEM_JSON,
                                        schema = @Schema(implementation = ProblemDocument.class),
                                        examples = @ExampleObject(name = ProblemExamples.SERVICE_UNAVAILABLE_NAME,
                                                value = ProblemExamples.SERVICE_UNAVAILABLE))),
                        @APIResponse(name = "OtherProblem", description = "What the HTTP layer refuses (405, 406, "
                                + "413 body_too_large, 415 unsupported_media_type) and 500 internal_error",
                                content = @Content(mediaType = OpenApi.PROBLEM_JSON,
                                        schema = @Schema(implementation = ProblemDocument.class), examples = {
                                                @ExampleObject(name = ProblemExamples.UNSUPPORTED_MEDIA_TYPE_NAME,
                                                        value = ProblemExamples.UNSUPPORTED_MEDIA_TYPE),
                                                @ExampleObject(name = ProblemExamples.INTERNAL_ERROR_NAME,
                                                        value = ProblemExamples.INTERNAL_ERROR)}))}))
package io.phonekey.otp.rest;

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
