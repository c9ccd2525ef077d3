package io.phonekey.identity.rest;

import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirements;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.ResponseStatus;

import io.phonekey.contract.openapi.OpenApi;
import io.phonekey.contract.openapi.ProblemExamples;
import io.phonekey.contract.problem.ProblemDocument;
import io.phonekey.identity.service.Answers;
import io.phonekey.identity.service.AuthService;
import io.phonekey.identity.service.SessionService;
import io.phonekey.identity.service.TokenResponse;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;

/** Phone login, tokens and sessions. Thin: the services hold the rules. */
@Path("/api/auth")
@Produces(MediaType.APPLICATION_JSON)
public class AuthResource {

    private final AuthService auth;
    private final SessionService sessions;

    @Inject
    JsonWebToken jwt;

    public AuthResource(AuthService auth, SessionService sessions) {
        this.auth = auth;
        this.sessions = sessions;
    }

    @POST
    @Path("/request-otp")
    @Consumes(MediaType.APPLICATION_JSON)
    @ResponseStatus(202)
    @SecurityRequirements({})
    @Tag(name = "sign-in")
    @Operation(summary = "Send a login code",
            description = "Asks otp-service for a login code to the phone. The answer is the same whether or not the phone has an account; the user is created on the first verify-otp.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = AuthRequests.RequestOtp.class),
            examples = {@ExampleObject(name = "sms", summary = "By SMS", value = "{\"phone\": \"+447400123456\"}"),
                    @ExampleObject(name = "telegram", summary = "Into the Telegram bot chat",
                            value = "{\"phone\": \"07400 123456\", \"region\": \"GB\", \"channel\": \"telegram\"}")}))
    @APIResponse(responseCode = "202", description = "The code is on its way", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Answers.OtpSent.class),
            examples = @ExampleObject(name = "sent",
                    value = "{\"message\": \"Verification code sent\", \"delivery_method\": \"sms\", \"verification_id\": \"0b9f5a3e-6f0e-4a53-9a43-3d4b1f2c7e10\", \"expires_in\": 600}")))
    @APIResponse(responseCode = "400", description = "No phone, a bad phone, region or channel", content = @Content(
            mediaType = OpenApi.PROBLEM_JSON, schema = @Schema(implementation = ProblemDocument.class),
            examples = {@ExampleObject(name = "invalid_phone",
                    value = "{\"type\": \"https://phonekey.io/problems/invalid-phone\", \"title\": \"Bad Request\", \"status\": 400, \"detail\": \"phone must be a valid number in E.164, e.g. +447400123456\", \"code\": \"invalid_phone\", \"field\": \"phone\"}"),
                    @ExampleObject(name = "invalid_field",
                            value = "{\"type\": \"https://phonekey.io/problems/invalid-field\", \"title\": \"Bad Request\", \"status\": 400, \"detail\": \"phone is required\", \"code\": \"invalid_field\", \"field\": \"phone\"}"),
                    @ExampleObject(name = ProblemExamples.MALFORMED_JSON_NAME,
                            value = ProblemExamples.MALFORMED_JSON)}))
    @APIResponse(responseCode = "403",
            description = "The number's country is not in otp-service's OTP_ALLOWED_COUNTRIES",
            content = @Content(mediaType = OpenApi.PROBLEM_JSON,
                    schema = @Schema(implementation = ProblemDocument.class),
                    examples = @ExampleObject(name = ProblemExamples.COUNTRY_NOT_ALLOWED_NAME,
                            value = ProblemExamples.COUNTRY_NOT_ALLOWED)))
    @APIResponse(responseCode = "429", ref = "RateLimited")
    @APIResponse(responseCode = "503", ref = "ServiceUnavailable")
    @APIResponse(responseCode = "default", ref = "OtherProblem")
    public Uni<Answers.OtpSent> requestOtp(AuthRequests.RequestOtp body, @Context HttpServerRequest request) {
        return auth.requestOtp(body, request.remoteAddress().hostAddress());
    }

    @POST
    @Path("/verify-otp")
    @Consumes(MediaType.APPLICATION_JSON)
    @SecurityRequirements({})
    @Tag(name = "sign-in")
    @Operation(summary = "Sign in with the login code",
            description = "Checks the code; on approval finds or creates the user by phone and opens a session for this device.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = AuthRequests.VerifyOtp.class),
            examples = @ExampleObject(name = "code", summary = "The code and a device name",
                    value = "{\"phone\": \"+447400123456\", \"otp_code\": \"123456\", \"device_name\": \"Ana's phone\"}")))
    @APIResponse(responseCode = "200",
            description = "Signed in: is_new_user is true when the phone's user was created now",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = TokenResponse.class),
                    examples = @ExampleObject(name = "tokens",
                            value = "{\"access_token\": \"eyJhbGciOiJFUzI1NiIsImtpZCI6IjNmYTEifQ.eyJzdWIiOiI1YzBkIn0.c2lnbmF0dXJl\", \"token_type\": \"bearer\", \"expires_in\": 900, \"refresh_token\": \"Q2b7hV0m9kX3c1pLr8sT5wYz4aB6dE2fG0hJ1kL3mN4\", \"user_id\": \"5c0d6a8e-2b1f-4b7e-9e7a-0a9d7c3b1f22\", \"tenant_id\": \"default\", \"is_new_user\": true}")))
    @APIResponse(responseCode = "400", description = "No phone, a malformed code or device_name, a bad phone",
            content = @Content(mediaType = OpenApi.PROBLEM_JSON,
                    schema = @Schema(implementation = ProblemDocument.class),
                    examples = {@ExampleObject(name = "invalid_field",
                            value = "{\"type\": \"https://phonekey.io/problems/invalid-field\", \"title\": \"Bad Request\", \"status\": 400, \"detail\": \"otp_code must be 4 to 10 digits\", \"code\": \"invalid_field\", \"field\": \"otp_code\"}"),
                            @ExampleObject(name = "invalid_phone",
                                    value = "{\"type\": \"https://phonekey.io/problems/invalid-phone\", \"title\": \"Bad Request\", \"status\": 400, \"detail\": \"phone must be a valid number in E.164, e.g. +447400123456\", \"code\": \"invalid_phone\", \"field\": \"phone\"}")}))
    @APIResponse(responseCode = "403",
            description = "The account waits for its phone to be verified (use register/verify), or is disabled",
            content = @Content(mediaType = OpenApi.PROBLEM_JSON,
                    schema = @Schema(implementation = ProblemDocument.class),
                    examples = {
                            @ExampleObject(name = ProblemExamples.ACCOUNT_NOT_VERIFIED_NAME,
                                    value = ProblemExamples.ACCOUNT_NOT_VERIFIED),
                            @ExampleObject(name = ProblemExamples.ACCOUNT_DISABLED_NAME,
                                    value = ProblemExamples.ACCOUNT_DISABLED)}))
    @APIResponse(responseCode = "404", ref = "NoPendingCode")
    @APIResponse(responseCode = "422", ref = "InvalidCode")
    @APIResponse(responseCode = "429", ref = "MaxAttempts")
    @APIResponse(responseCode = "503", ref = "ServiceUnavailable")
    @APIResponse(responseCode = "default", ref = "OtherProblem")
    public Uni<TokenResponse> verifyOtp(AuthRequests.VerifyOtp body, @Context HttpServerRequest request) {
        return auth.verifyOtp(body, AccountResource.device(request, body == null ? null : body.deviceName()));
    }

    @POST
    @Path("/refresh")
    @Consumes(MediaType.APPLICATION_JSON)
    @SecurityRequirements({})
    @Tag(name = "sign-in")
    @Operation(summary = "Refresh the tokens",
            description = "Spends the refresh token and answers new tokens. Of concurrent refreshes with one token exactly one succeeds; a spent token presented again revokes its session.")
    @RequestBody(required = true,
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = AuthRequests.Refresh.class),
                    examples = @ExampleObject(name = "refresh", summary = "The last refresh token",
                            value = "{\"refresh_token\": \"Q2b7hV0m9kX3c1pLr8sT5wYz4aB6dE2fG0hJ1kL3mN4\"}")))
    @APIResponse(responseCode = "200", description = "New tokens (is_new_user false)", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TokenResponse.class),
            examples = @ExampleObject(name = "tokens",
                    value = "{\"access_token\": \"eyJhbGciOiJFUzI1NiIsImtpZCI6IjNmYTEifQ.eyJzdWIiOiI1YzBkIn0.c2lnbmF0dXJl\", \"token_type\": \"bearer\", \"expires_in\": 900, \"refresh_token\": \"Q2b7hV0m9kX3c1pLr8sT5wYz4aB6dE2fG0hJ1kL3mN4\", \"user_id\": \"5c0d6a8e-2b1f-4b7e-9e7a-0a9d7c3b1f22\", \"tenant_id\": \"default\", \"is_new_user\": false}")))
    @APIResponse(responseCode = "400", description = "No refresh_token", content = @Content(
            mediaType = OpenApi.PROBLEM_JSON, schema = @Schema(implementation = ProblemDocument.class),
            examples = @ExampleObject(name = "invalid_field",
                    value = "{\"type\": \"https://phonekey.io/problems/invalid-field\", \"title\": \"Bad Request\", \"status\": 400, \"detail\": \"refresh_token is required\", \"code\": \"invalid_field\", \"field\": \"refresh_token\"}")))
    @APIResponse(responseCode = "401",
            description = "Unknown, expired or already spent refresh token, an ended session or an inactive account",
            content = @Content(mediaType = OpenApi.PROBLEM_JSON,
                    schema = @Schema(implementation = ProblemDocument.class),
                    examples = @ExampleObject(name = "unauthorized",
                            value = "{\"type\": \"https://phonekey.io/problems/unauthorized\", \"title\": \"Unauthorized\", \"status\": 401, \"detail\": \"refresh token already used; the session is revoked\", \"code\": \"unauthorized\"}")))
    @APIResponse(responseCode = "503", ref = "ServiceUnavailable")
    @APIResponse(responseCode = "default", ref = "OtherProblem")
    public Uni<TokenResponse> refresh(AuthRequests.Refresh body) {
        return auth.refresh(body);
    }

    @GET
    @Path("/me")
    @Authenticated
    @SecurityRequirement(name = OpenApi.JWT)
    @Tag(name = "sessions")
    @Operation(summary = "The signed-in user",
            description = "The user of the access token. Other services may ask it to learn about a revocation within the token's 15 minutes.")
    @APIResponse(responseCode = "200", description = "The user", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Answers.Me.class),
            examples = @ExampleObject(name = "me",
                    value = "{\"user_id\": \"5c0d6a8e-2b1f-4b7e-9e7a-0a9d7c3b1f22\", \"phone\": \"+447400123456\", \"phone_verified\": true, \"email\": null, \"full_name\": null, \"tenant_id\": \"default\", \"status\": \"active\", \"telegram_linked\": false, \"created_at\": \"2026-11-20T09:14:02.318Z\"}")))
    @APIResponse(responseCode = "401", ref = "Unauthorized")
    @APIResponse(responseCode = "503", ref = "ServiceUnavailable")
    @APIResponse(responseCode = "default", ref = "OtherProblem")
    public Uni<Answers.Me> me() {
        return sessions.me(jwt);
    }

    @POST
    @Path("/logout")
    @Authenticated
    @ResponseStatus(204)
    @SecurityRequirement(name = OpenApi.JWT)
    @Tag(name = "sessions")
    @Operation(summary = "Sign out this session",
            description = "This session ends: its access and refresh tokens stop working at once.")
    @APIResponse(responseCode = "204", description = "The session has ended")
    @APIResponse(responseCode = "401", ref = "Unauthorized")
    @APIResponse(responseCode = "503", ref = "ServiceUnavailable")
    @APIResponse(responseCode = "default", ref = "OtherProblem")
    public Uni<Void> logout() {
        return sessions.logout(jwt);
    }

    @POST
    @Path("/logout-all")
    @Authenticated
    @ResponseStatus(204)
    @SecurityRequirement(name = OpenApi.JWT)
    @Tag(name = "sessions")
    @Operation(summary = "Sign out every session",
            description = "Every session of the user ends; the account holder gets a sessions_revoked notice.")
    @APIResponse(responseCode = "204", description = "Every session has ended")
    @APIResponse(responseCode = "401", ref = "Unauthorized")
    @APIResponse(responseCode = "503", ref = "ServiceUnavailable")
    @APIResponse(responseCode = "default", ref = "OtherProblem")
    public Uni<Void> logoutAll() {
        return sessions.logoutAll(jwt);
    }

    @GET
    @Path("/sessions")
    @Authenticated
    @SecurityRequirement(name = OpenApi.JWT)
    @Tag(name = "sessions")
    @Operation(summary = "List the open sessions", description = "The user's open sessions, newest first.")
    @APIResponse(responseCode = "200", description = "The open sessions", content = @Content(
            mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(type = SchemaType.ARRAY, implementation = Answers.SessionView.class),
            examples = @ExampleObject(name = "two",
                    value = "[{\"id\": \"9d4e1f0a-7c2b-4a8e-b1d3-5f6a7b8c9d0e\", \"device_name\": \"Ana's phone\", \"created_at\": \"2026-12-01T12:00:00.000Z\", \"last_seen_at\": \"2026-12-01T12:14:31.204Z\", \"current\": true}, {\"id\": \"1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d\", \"device_name\": null, \"created_at\": \"2026-11-28T08:30:00.000Z\", \"last_seen_at\": \"2026-11-28T08:30:00.000Z\", \"current\": false}]")))
    @APIResponse(responseCode = "401", ref = "Unauthorized")
    @APIResponse(responseCode = "503", ref = "ServiceUnavailable")
    @APIResponse(responseCode = "default", ref = "OtherProblem")
    public Uni<List<Answers.SessionView>> sessions() {
        return sessions.sessions(jwt);
    }

    @DELETE
    @Path("/sessions/{id}")
    @Authenticated
    @ResponseStatus(204)
    @SecurityRequirement(name = OpenApi.JWT)
    @Tag(name = "sessions")
    @Operation(summary = "End one session", description = "Ends a session of the user (another device, or this one).")
    @APIResponse(responseCode = "204", description = "The session has ended")
    @APIResponse(responseCode = "401", ref = "Unauthorized")
    @APIResponse(responseCode = "404", description = "Not a session of the user, already ended, or not a UUID",
            content = @Content(mediaType = OpenApi.PROBLEM_JSON,
                    schema = @Schema(implementation = ProblemDocument.class),
                    examples = @ExampleObject(name = "not_found",
                            value = "{\"type\": \"https://phonekey.io/problems/not-found\", \"title\": \"Not Found\", \"status\": 404, \"detail\": \"no such session\", \"code\": \"not_found\"}")))
    @APIResponse(responseCode = "503", ref = "ServiceUnavailable")
    @APIResponse(responseCode = "default", ref = "OtherProblem")
    public Uni<Void> revoke(@Parameter(description = "The session id",
            example = "9d4e1f0a-7c2b-4a8e-b1d3-5f6a7b8c9d0e") @PathParam("id") String id) {
        return sessions.revoke(jwt, id);
    }
}
