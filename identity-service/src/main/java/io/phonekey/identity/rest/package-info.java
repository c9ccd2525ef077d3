/**
 * The REST resources, and the OpenAPI document's frame: info, servers, tags, the security scheme and the problem answers several calls share.
 * The operations are described on the resources; {@code mvn package} writes the document to target/openapi.
 */
@OpenAPIDefinition(info = @Info(title = "PhoneKey identity-service", version = "1.0",
        description = "Users, sessions and tokens for end-user apps: passwordless sign-in by phone code, accounts "
                + "with email and password (optional 2FA), ES256 JWT access tokens with rotating refresh tokens, "
                + "Telegram linking. Problems from otp-service are passed on unchanged (status, code, "
                + "attempts_left, limit, Retry-After)."),
        servers = @Server(url = "/",
                description = "This service, where the document is served from (the local stack: http://localhost:8082)"),
        tags = {@Tag(name = "sign-in", description = "Passwordless sign-in by phone code, and token refresh"),
                @Tag(name = "accounts", description = "Accounts with email and password: registration, password "
                        + "sign-in with an optional second factor, password reset, phone change"),
                @Tag(name = "sessions", description = "The signed-in user and its sessions (access token)"),
                @Tag(name = "telegram", description = "Linking a Telegram chat to the account (access token)"),
                @Tag(name = "discovery", description = "The keys and metadata token verifiers need"),
                @Tag(name = "admin", description = "For operators (admin API key): the signing keys")},
        components = @Components(securitySchemes = {@SecurityScheme(securitySchemeName = OpenApi.JWT,
                type = SecuritySchemeType.HTTP, scheme = "bearer", bearerFormat = "JWT",
                description = "access token: the ES256 JWT a sign-in or refresh answered (15 minutes); a revoked "
                        + "session's token is refused at once"),
                @SecurityScheme(securitySchemeName = OpenApi.ADMIN_KEY, type = SecuritySchemeType.HTTP,
                        scheme = "bearer", description = "admin API key: the key part of a name:key pair of "
                                + "IDENTITY_ADMIN_API_KEYS (local stack: local-admin-key)")},
                responses = {
                        @APIResponse(name = "Unauthorized", description = "No access token, or one that is malformed, "
                                + "expired, wrongly signed, of a revoked session or a disabled account",
                                content = @Content(mediaType = OpenApi.PROBLEM_JSON,
                                        schema = @Schema(implementation = ProblemDocument.class),
                                        examples = @ExampleObject(name = ProblemExamples.UNAUTHORIZED_NAME,
                                                value = "{\"type\": \"https://phonekey.io/problems/unauthorized\", "
                                                        + "\"title\": \"Unauthorized\", \"status\": 401, "
                                                        + "\"detail\": \"the session has ended\", "
                                                        + "\"code\": \"unauthorized\"}"))),
                        @APIResponse(name = "AdminUnauthorized", description = "No admin key, a wrong one, or "
                                + "an access token",
                                content = @Content(mediaType = OpenApi.PROBLEM_JSON,
                                        schema = @Schema(implementation = ProblemDocument.class),
                                        examples = @ExampleObject(name = ProblemExamples.UNAUTHORIZED_NAME,
                                                value = "{\"type\": \"https://phonekey.io/problems/unauthorized\", "
                                                        + "\"title\": \"Unauthorized\", \"status\": 401, "
                                                        + "\"detail\": \"the API key is not valid\", "
                                                        + "\"code\": \"unauthorized\"}"))),
                        @APIResponse(name = "NoPendingCode", description = "No pending verification for this code "
                                + "(expired, used, cancelled, replaced, another phone or purpose, unknown)",
                                content = @Content(mediaType = OpenApi.PROBLEM_JSON,
                                        schema = @Schema(implementation = ProblemDocument.class),
                                        examples = @ExampleObject(name = ProblemExamples.NOT_FOUND_NAME,
                                                value = ProblemExamples.NOT_FOUND))),
                        @APIResponse(name = "InvalidCode", description = "The code is wrong; `attempts_left` after "
                                + "this one",
                                content = @Content(mediaType = OpenApi.PROBLEM_JSON,
                                        schema = @Schema(implementation = ProblemDocument.class),
                                        examples = @ExampleObject(name = ProblemExamples.INVALID_CODE_NAME,
                                                value = ProblemExamples.INVALID_CODE))),
                        @APIResponse(name = "MaxAttempts", description = "The code's attempts are spent (ask for a "
                                + "new one), or the phone is locked after too many wrong codes",
                                headers = @Header(name = OpenApi.RETRY_AFTER,
                                        description = OpenApi.RETRY_AFTER_DESCRIPTION, required = true,
                                        schema = @Schema(type = SchemaType.INTEGER, minimum = "1")),
                                content = @Content(mediaType = OpenApi.PROBLEM_JSON,
                                        schema = @Schema(implementation = ProblemDocument.class),
                                        examples = @ExampleObject(name = ProblemExamples.MAX_ATTEMPTS_REACHED_NAME,
                                                value = ProblemExamples.MAX_ATTEMPTS_REACHED))),
                        @APIResponse(name = "RateLimited", description = "otp-service's send limits refused the "
                                + "code; `limit` says which",
                                headers = @Header(name = OpenApi.RETRY_AFTER,
                                        description = OpenApi.RETRY_AFTER_DESCRIPTION, required = true,
                                        schema = @Schema(type = SchemaType.INTEGER, minimum = "1")),
                                content = @Content(mediaType = OpenApi.PROBLEM_JSON,
                                        schema = @Schema(implementation = ProblemDocument.class),
                                        examples = @ExampleObject(name = ProblemExamples.RATE_LIMITED_NAME,
                                                value = ProblemExamples.RATE_LIMITED))),
                        @APIResponse(name = "ServiceUnavailable", description = "PostgreSQL or otp-service is down, "
                                + "failing or timing out: nothing was done; retry later",
                                content = @Content(mediaType = OpenApi.PROBLEM_JSON,
                                        schema = @Schema(implementation = ProblemDocument.class),
                                        examples = @ExampleObject(name = ProblemExamples.SERVICE_UNAVAILABLE_NAME,
                                                value = ProblemExamples.SERVICE_UNAVAILABLE))),
                        @APIResponse(name = "OtherProblem", description = "What the HTTP layer refuses (405, 406 "
                                + "not_acceptable, 413 body_too_large, 415 unsupported_media_type) and 500 "
                                + "internal_error",
                                content = @Content(mediaType = OpenApi.PROBLEM_JSON,
                                        schema = @Schema(implementation = ProblemDocument.class),
                                        examples = {
                                                @ExampleObject(name = ProblemExamples.UNSUPPORTED_MEDIA_TYPE_NAME,
                                                        value = ProblemExamples.UNSUPPORTED_MEDIA_TYPE),
                                                @ExampleObject(name = ProblemExamples.INTERNAL_ERROR_NAME,
                                                        value = ProblemExamples.INTERNAL_ERROR)}))}))
package io.phonekey.identity.rest;

import org.eclipse.microprofile.openapi.annotations.Components;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
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
