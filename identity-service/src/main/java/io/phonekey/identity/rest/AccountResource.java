package io.phonekey.identity.rest;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirements;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.ResponseStatus;

import io.phonekey.contract.openapi.OpenApi;
import io.phonekey.contract.openapi.ProblemExamples;
import io.phonekey.contract.problem.Problem;
import io.phonekey.contract.problem.ProblemDocument;
import io.phonekey.identity.service.AccountService;
import io.phonekey.identity.service.Answers;
import io.phonekey.identity.service.SessionOpener;
import io.phonekey.identity.service.SessionService;
import io.phonekey.identity.service.TokenResponse;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;

/** Registration, password login with 2FA, password reset and phone change. Thin: the services hold the rules. */
@Path("/api/auth")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "accounts")
public class AccountResource {

    private final AccountService accounts;
    private final SessionService sessions;

    @Inject
    JsonWebToken jwt;

    public AccountResource(AccountService accounts, SessionService sessions) {
        this.accounts = accounts;
        this.sessions = sessions;
    }

    /** The device a login opens a session for; every login call comes through here, so the name is checked once. */
    static SessionOpener.Device device(HttpServerRequest request, String name) {
        if (name != null && name.length() > 200) {
            throw Problem.field("device_name", "device_name is at most 200 characters");
        }
        String agent = request.getHeader("User-Agent");
        return new SessionOpener.Device(name,
                agent == null ? null : agent.substring(0, Math.min(agent.length(), 400)),
                request.remoteAddress().hostAddress());
    }

    @POST
    @Path("/register")
    @ResponseStatus(201)
    @SecurityRequirements({})
    @Operation(summary = "Register an account",
            description = "Creates an account with email, password and phone and records the consents. With verify_phone (the default) the account is pending until the signup code is checked (register/verify). Registering a phone that is still pending again takes that account over with the new details and sends a new code (a lost or expired code, or somebody else's unproven claim, never locks the owner out).")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = AccountRequests.Register.class),
            examples = @ExampleObject(name = "verify_phone", summary = "Pending until the phone is proven",
                    value = "{\"email\": \"ana@example.com\", \"full_name\": \"Ana Lima\", \"phone\": \"+447400123456\", \"password\": \"correct horse battery staple\", \"tcpa_consent\": true, \"sms_opt_in\": false}")))
    @APIResponse(responseCode = "201", description = "The account exists", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Answers.Registered.class),
            examples = {@ExampleObject(name = "pending",
                    value = "{\"user_id\": \"5c0d6a8e-2b1f-4b7e-9e7a-0a9d7c3b1f22\", \"status\": \"pending_verification\", \"verification_id\": \"0b9f5a3e-6f0e-4a53-9a43-3d4b1f2c7e10\", \"expires_in\": 600}"),
                    @ExampleObject(name = "active",
                            value = "{\"user_id\": \"5c0d6a8e-2b1f-4b7e-9e7a-0a9d7c3b1f22\", \"status\": \"active\"}")}))
    @APIResponse(responseCode = "400",
            description = "No body, a bad email, full_name, password or phone, or tcpa_consent not true",
            content = @Content(mediaType = OpenApi.PROBLEM_JSON,
                    schema = @Schema(implementation = ProblemDocument.class),
                    examples = {
                            @ExampleObject(name = ProblemExamples.MISSING_BODY_NAME,
                                    value = ProblemExamples.MISSING_BODY),
                            @ExampleObject(name = "invalid_field",
                                    value = "{\"type\": \"https://phonekey.io/problems/invalid-field\", \"title\": \"Bad Request\", \"status\": 400, \"detail\": \"tcpa_consent must be true: we send codes by SMS to this number\", \"code\": \"invalid_field\", \"field\": \"tcpa_consent\"}"),
                            @ExampleObject(name = "invalid_phone",
                                    value = "{\"type\": \"https://phonekey.io/problems/invalid-phone\", \"title\": \"Bad Request\", \"status\": 400, \"detail\": \"phone must be a valid number in E.164, e.g. +447400123456\", \"code\": \"invalid_phone\", \"field\": \"phone\"}")}))
    @APIResponse(responseCode = "403",
            description = "otp-service refused the signup code: the country is not allowed (the account exists, still pending)",
            content = @Content(mediaType = OpenApi.PROBLEM_JSON,
                    schema = @Schema(implementation = ProblemDocument.class),
                    examples = @ExampleObject(name = ProblemExamples.COUNTRY_NOT_ALLOWED_NAME,
                            value = ProblemExamples.COUNTRY_NOT_ALLOWED)))
    @APIResponse(responseCode = "409", description = "The phone or the email has an account",
            content = @Content(mediaType = OpenApi.PROBLEM_JSON,
                    schema = @Schema(implementation = ProblemDocument.class),
                    examples = @ExampleObject(name = ProblemExamples.ALREADY_REGISTERED_NAME,
                            value = ProblemExamples.ALREADY_REGISTERED)))
    @APIResponse(responseCode = "429", ref = "RateLimited")
    @APIResponse(responseCode = "503", ref = "ServiceUnavailable")
    @APIResponse(responseCode = "default", ref = "OtherProblem")
    public Uni<Answers.Registered> register(AccountRequests.Register body, @Context HttpServerRequest request) {
        return accounts.register(body, request.remoteAddress().hostAddress());
    }

    @POST
    @Path("/register/verify")
    @SecurityRequirements({})
    @Operation(summary = "Activate the account with the signup code",
            description = "Checks the signup code, activates the account and signs it in.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = AccountRequests.RegisterVerify.class),
            examples = @ExampleObject(name = "code", summary = "The signup code",
                    value = "{\"phone\": \"+447400123456\", \"otp_code\": \"123456\", \"device_name\": \"Ana's phone\"}")))
    @APIResponse(responseCode = "200", description = "The account is active and signed in", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TokenResponse.class),
            examples = @ExampleObject(name = "tokens",
                    value = "{\"access_token\": \"eyJhbGciOiJFUzI1NiIsImtpZCI6IjNmYTEifQ.eyJzdWIiOiI1YzBkIn0.c2lnbmF0dXJl\", \"token_type\": \"bearer\", \"expires_in\": 900, \"refresh_token\": \"Q2b7hV0m9kX3c1pLr8sT5wYz4aB6dE2fG0hJ1kL3mN4\", \"user_id\": \"5c0d6a8e-2b1f-4b7e-9e7a-0a9d7c3b1f22\", \"tenant_id\": \"default\", \"is_new_user\": true}")))
    @APIResponse(responseCode = "400", description = "No body, a malformed code, a bad phone", content = @Content(
            mediaType = OpenApi.PROBLEM_JSON, schema = @Schema(implementation = ProblemDocument.class),
            examples = {@ExampleObject(name = ProblemExamples.MISSING_BODY_NAME, value = ProblemExamples.MISSING_BODY),
                    @ExampleObject(name = "invalid_field",
                            value = "{\"type\": \"https://phonekey.io/problems/invalid-field\", \"title\": \"Bad Request\", \"status\": 400, \"detail\": \"otp_code must be 4 to 10 digits\", \"code\": \"invalid_field\", \"field\": \"otp_code\"}"),
                    @ExampleObject(name = "invalid_phone",
                            value = "{\"type\": \"https://phonekey.io/problems/invalid-phone\", \"title\": \"Bad Request\", \"status\": 400, \"detail\": \"phone must be a valid number in E.164, e.g. +447400123456\", \"code\": \"invalid_phone\", \"field\": \"phone\"}")}))
    @APIResponse(responseCode = "403", description = "The account is disabled",
            content = @Content(mediaType = OpenApi.PROBLEM_JSON,
                    schema = @Schema(implementation = ProblemDocument.class),
                    examples = @ExampleObject(name = ProblemExamples.ACCOUNT_DISABLED_NAME,
                            value = ProblemExamples.ACCOUNT_DISABLED)))
    @APIResponse(responseCode = "404", ref = "NoPendingCode")
    @APIResponse(responseCode = "422", ref = "InvalidCode")
    @APIResponse(responseCode = "429", ref = "MaxAttempts")
    @APIResponse(responseCode = "503", ref = "ServiceUnavailable")
    @APIResponse(responseCode = "default", ref = "OtherProblem")
    public Uni<TokenResponse> registerVerify(AccountRequests.RegisterVerify body,
            @Context HttpServerRequest request) {
        return accounts.registerVerify(body, device(request, body == null ? null : body.deviceName()));
    }

    @POST
    @Path("/login")
    @SecurityRequirements({})
    @Operation(summary = "Sign in with email and password",
            description = "Answers tokens, or, when the account has 2FA on, a challenge: a 2fa code is sent to the account's phone and login/verify finishes. An unknown email, a wrong password and an account that may not sign in answer alike.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = AccountRequests.Login.class),
            examples = @ExampleObject(name = "password", summary = "Email and password",
                    value = "{\"email\": \"ana@example.com\", \"password\": \"correct horse battery staple\", \"device_name\": \"Ana's laptop\"}")))
    @APIResponse(responseCode = "200", description = "Tokens, or the second-factor challenge (mfa_required)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(oneOf = {TokenResponse.class, Answers.MfaChallenge.class}),
                    examples = {@ExampleObject(name = "tokens",
                            value = "{\"access_token\": \"eyJhbGciOiJFUzI1NiIsImtpZCI6IjNmYTEifQ.eyJzdWIiOiI1YzBkIn0.c2lnbmF0dXJl\", \"token_type\": \"bearer\", \"expires_in\": 900, \"refresh_token\": \"Q2b7hV0m9kX3c1pLr8sT5wYz4aB6dE2fG0hJ1kL3mN4\", \"user_id\": \"5c0d6a8e-2b1f-4b7e-9e7a-0a9d7c3b1f22\", \"tenant_id\": \"default\", \"is_new_user\": false}"),
                            @ExampleObject(name = "mfa_required",
                                    value = "{\"mfa_required\": true, \"verification_id\": \"0b9f5a3e-6f0e-4a53-9a43-3d4b1f2c7e10\", \"expires_in\": 600}")}))
    @APIResponse(responseCode = "400", description = "No email or no password", content = @Content(
            mediaType = OpenApi.PROBLEM_JSON, schema = @Schema(implementation = ProblemDocument.class),
            examples = @ExampleObject(name = "invalid_field",
                    value = "{\"type\": \"https://phonekey.io/problems/invalid-field\", \"title\": \"Bad Request\", \"status\": 400, \"detail\": \"email and password are required\", \"code\": \"invalid_field\", \"field\": \"email\"}")))
    @APIResponse(responseCode = "401", description = "The email or password is not correct",
            content = @Content(mediaType = OpenApi.PROBLEM_JSON,
                    schema = @Schema(implementation = ProblemDocument.class),
                    examples = @ExampleObject(name = ProblemExamples.INVALID_CREDENTIALS_NAME,
                            value = ProblemExamples.INVALID_CREDENTIALS)))
    @APIResponse(responseCode = "403", description = "otp-service refused the 2fa code: the country is not allowed",
            content = @Content(mediaType = OpenApi.PROBLEM_JSON,
                    schema = @Schema(implementation = ProblemDocument.class),
                    examples = @ExampleObject(name = ProblemExamples.COUNTRY_NOT_ALLOWED_NAME,
                            value = ProblemExamples.COUNTRY_NOT_ALLOWED)))
    @APIResponse(responseCode = "429",
            description = "Too many failed sign-ins of the account (10) or from the IP (100) in 15 minutes, or otp-service's send limits refused the 2fa code",
            headers = @Header(name = OpenApi.RETRY_AFTER, description = OpenApi.RETRY_AFTER_DESCRIPTION,
                    required = true, schema = @Schema(type = SchemaType.INTEGER, minimum = "1")),
            content = @Content(mediaType = OpenApi.PROBLEM_JSON,
                    schema = @Schema(implementation = ProblemDocument.class),
                    examples = {
                            @ExampleObject(name = ProblemExamples.TOO_MANY_ATTEMPTS_NAME,
                                    value = ProblemExamples.TOO_MANY_ATTEMPTS),
                            @ExampleObject(name = ProblemExamples.RATE_LIMITED_NAME,
                                    value = ProblemExamples.RATE_LIMITED)}))
    @APIResponse(responseCode = "503", ref = "ServiceUnavailable")
    @APIResponse(responseCode = "default", ref = "OtherProblem")
    public Uni<Object> login(AccountRequests.Login body, @Context HttpServerRequest request) {
        return accounts.login(body, device(request, body == null ? null : body.deviceName()));
    }

    @POST
    @Path("/login/verify")
    @SecurityRequirements({})
    @Operation(summary = "Finish a sign-in with the 2fa code", description = "The second factor of a password sign-in.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = AccountRequests.LoginVerify.class),
            examples = @ExampleObject(name = "code", summary = "The 2fa code",
                    value = "{\"verification_id\": \"0b9f5a3e-6f0e-4a53-9a43-3d4b1f2c7e10\", \"otp_code\": \"123456\", \"device_name\": \"Ana's laptop\"}")))
    @APIResponse(responseCode = "200", description = "Signed in", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TokenResponse.class),
            examples = @ExampleObject(name = "tokens",
                    value = "{\"access_token\": \"eyJhbGciOiJFUzI1NiIsImtpZCI6IjNmYTEifQ.eyJzdWIiOiI1YzBkIn0.c2lnbmF0dXJl\", \"token_type\": \"bearer\", \"expires_in\": 900, \"refresh_token\": \"Q2b7hV0m9kX3c1pLr8sT5wYz4aB6dE2fG0hJ1kL3mN4\", \"user_id\": \"5c0d6a8e-2b1f-4b7e-9e7a-0a9d7c3b1f22\", \"tenant_id\": \"default\", \"is_new_user\": false}")))
    @APIResponse(responseCode = "400", description = "No verification_id, a malformed code", content = @Content(
            mediaType = OpenApi.PROBLEM_JSON, schema = @Schema(implementation = ProblemDocument.class),
            examples = {@ExampleObject(name = "invalid_field_verification_id",
                    value = "{\"type\": \"https://phonekey.io/problems/invalid-field\", \"title\": \"Bad Request\", \"status\": 400, \"detail\": \"verification_id is required\", \"code\": \"invalid_field\", \"field\": \"verification_id\"}"),
                    @ExampleObject(name = "invalid_field_otp_code",
                            value = "{\"type\": \"https://phonekey.io/problems/invalid-field\", \"title\": \"Bad Request\", \"status\": 400, \"detail\": \"otp_code must be 4 to 10 digits\", \"code\": \"invalid_field\", \"field\": \"otp_code\"}")}))
    @APIResponse(responseCode = "403", description = "The account is disabled",
            content = @Content(mediaType = OpenApi.PROBLEM_JSON,
                    schema = @Schema(implementation = ProblemDocument.class),
                    examples = @ExampleObject(name = ProblemExamples.ACCOUNT_DISABLED_NAME,
                            value = ProblemExamples.ACCOUNT_DISABLED)))
    @APIResponse(responseCode = "404", description = "No pending second factor with that id", content = @Content(
            mediaType = OpenApi.PROBLEM_JSON, schema = @Schema(implementation = ProblemDocument.class),
            examples = @ExampleObject(name = "not_found",
                    value = "{\"type\": \"https://phonekey.io/problems/not-found\", \"title\": \"Not Found\", \"status\": 404, \"detail\": \"no pending second factor\", \"code\": \"not_found\"}")))
    @APIResponse(responseCode = "422", ref = "InvalidCode")
    @APIResponse(responseCode = "429", ref = "MaxAttempts")
    @APIResponse(responseCode = "503", ref = "ServiceUnavailable")
    @APIResponse(responseCode = "default", ref = "OtherProblem")
    public Uni<TokenResponse> loginVerify(AccountRequests.LoginVerify body, @Context HttpServerRequest request) {
        return accounts.loginVerify(body, device(request, body == null ? null : body.deviceName()));
    }

    @PUT
    @Path("/mfa")
    @Authenticated
    @SecurityRequirement(name = OpenApi.JWT)
    @Operation(summary = "Turn the second factor on or off",
            description = "From the next password sign-in on, a code to the account's phone is required (or not).")
    @RequestBody(required = true,
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = AccountRequests.Mfa.class),
                    examples = @ExampleObject(name = "on", summary = "2FA on", value = "{\"enabled\": true}")))
    @APIResponse(responseCode = "200", description = "The setting now",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = Answers.MfaState.class),
                    examples = @ExampleObject(name = "on", value = "{\"mfa_enabled\": true}")))
    @APIResponse(responseCode = "400", description = "enabled missing or not a boolean", content = @Content(
            mediaType = OpenApi.PROBLEM_JSON, schema = @Schema(implementation = ProblemDocument.class),
            examples = @ExampleObject(name = "invalid_field",
                    value = "{\"type\": \"https://phonekey.io/problems/invalid-field\", \"title\": \"Bad Request\", \"status\": 400, \"detail\": \"enabled (true or false) is required\", \"code\": \"invalid_field\", \"field\": \"enabled\"}")))
    @APIResponse(responseCode = "401", ref = "Unauthorized")
    @APIResponse(responseCode = "503", ref = "ServiceUnavailable")
    @APIResponse(responseCode = "default", ref = "OtherProblem")
    public Uni<Answers.MfaState> mfa(AccountRequests.Mfa body) {
        return sessions.current(jwt).flatMap(c -> accounts.setMfa(c.user().id, body));
    }

    @POST
    @Path("/password-reset")
    @ResponseStatus(202)
    @SecurityRequirements({})
    @Operation(summary = "Ask for a password reset code",
            description = "Sends a reset code when the phone has an account, and answers the same 202 either way; otp-service's refusals are not passed on (they would tell which phones have accounts).")
    @RequestBody(required = true,
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = AccountRequests.PasswordReset.class),
                    examples = @ExampleObject(name = "phone", summary = "The account's phone",
                            value = "{\"phone\": \"+447400123456\"}")))
    @APIResponse(responseCode = "202", description = "The same for every phone",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = Answers.Accepted.class),
                    examples = @ExampleObject(name = "accepted",
                            value = "{\"message\": \"If this phone has an account, a reset code is on its way.\"}")))
    @APIResponse(responseCode = "400", description = "No body, a bad phone", content = @Content(
            mediaType = OpenApi.PROBLEM_JSON, schema = @Schema(implementation = ProblemDocument.class),
            examples = {@ExampleObject(name = ProblemExamples.MISSING_BODY_NAME, value = ProblemExamples.MISSING_BODY),
                    @ExampleObject(name = "invalid_phone",
                            value = "{\"type\": \"https://phonekey.io/problems/invalid-phone\", \"title\": \"Bad Request\", \"status\": 400, \"detail\": \"phone must be a valid number in E.164, e.g. +447400123456\", \"code\": \"invalid_phone\", \"field\": \"phone\"}")}))
    @APIResponse(responseCode = "429", description = "Too many reset requests for the phone (10 in 15 minutes)",
            headers = @Header(name = OpenApi.RETRY_AFTER, description = OpenApi.RETRY_AFTER_DESCRIPTION,
                    required = true, schema = @Schema(type = SchemaType.INTEGER, minimum = "1")),
            content = @Content(mediaType = OpenApi.PROBLEM_JSON,
                    schema = @Schema(implementation = ProblemDocument.class),
                    examples = @ExampleObject(name = ProblemExamples.TOO_MANY_ATTEMPTS_NAME,
                            value = ProblemExamples.TOO_MANY_ATTEMPTS)))
    @APIResponse(responseCode = "503", description = "PostgreSQL is down: nothing was done; retry later",
            content = @Content(mediaType = OpenApi.PROBLEM_JSON,
                    schema = @Schema(implementation = ProblemDocument.class),
                    examples = @ExampleObject(name = ProblemExamples.SERVICE_UNAVAILABLE_NAME,
                            value = ProblemExamples.SERVICE_UNAVAILABLE)))
    @APIResponse(responseCode = "default", ref = "OtherProblem")
    public Uni<Answers.Accepted> passwordReset(AccountRequests.PasswordReset body,
            @Context HttpServerRequest request) {
        return accounts.passwordReset(body, request.remoteAddress().hostAddress());
    }

    @POST
    @Path("/password-reset/confirm")
    @ResponseStatus(204)
    @SecurityRequirements({})
    @Operation(summary = "Set a new password with the reset code",
            description = "Changes the password, revokes every session of the account and sends a password_reset notice.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = AccountRequests.PasswordResetConfirm.class),
            examples = @ExampleObject(name = "code", summary = "The reset code and the new password",
                    value = "{\"phone\": \"+447400123456\", \"otp_code\": \"123456\", \"new_password\": \"another horse battery staple\"}")))
    @APIResponse(responseCode = "204", description = "The password is changed; every session is revoked")
    @APIResponse(responseCode = "400", description = "No body, a malformed code, a weak new_password, a bad phone",
            content = @Content(mediaType = OpenApi.PROBLEM_JSON,
                    schema = @Schema(implementation = ProblemDocument.class),
                    examples = {
                            @ExampleObject(name = ProblemExamples.MISSING_BODY_NAME,
                                    value = ProblemExamples.MISSING_BODY),
                            @ExampleObject(name = "invalid_field",
                                    value = "{\"type\": \"https://phonekey.io/problems/invalid-field\", \"title\": \"Bad Request\", \"status\": 400, \"detail\": \"otp_code must be 4 to 10 digits\", \"code\": \"invalid_field\", \"field\": \"otp_code\"}"),
                            @ExampleObject(name = "invalid_phone",
                                    value = "{\"type\": \"https://phonekey.io/problems/invalid-phone\", \"title\": \"Bad Request\", \"status\": 400, \"detail\": \"phone must be a valid number in E.164, e.g. +447400123456\", \"code\": \"invalid_phone\", \"field\": \"phone\"}")}))
    @APIResponse(responseCode = "404", ref = "NoPendingCode")
    @APIResponse(responseCode = "422", ref = "InvalidCode")
    @APIResponse(responseCode = "429", ref = "MaxAttempts")
    @APIResponse(responseCode = "503", ref = "ServiceUnavailable")
    @APIResponse(responseCode = "default", ref = "OtherProblem")
    public Uni<Void> passwordResetConfirm(AccountRequests.PasswordResetConfirm body) {
        return accounts.passwordResetConfirm(body);
    }

    @POST
    @Path("/phone-change")
    @Authenticated
    @ResponseStatus(202)
    @SecurityRequirement(name = OpenApi.JWT)
    @Operation(summary = "Start a phone change",
            description = "Sends a code to the new number; phone-change/confirm moves the account to it.")
    @RequestBody(required = true,
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = AccountRequests.PhoneChange.class),
                    examples = @ExampleObject(name = "new", summary = "The new number",
                            value = "{\"new_phone\": \"+447400654321\"}")))
    @APIResponse(responseCode = "202", description = "A code is on its way to the new number", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Answers.CodeSent.class),
            examples = @ExampleObject(name = "sent",
                    value = "{\"verification_id\": \"0b9f5a3e-6f0e-4a53-9a43-3d4b1f2c7e10\", \"expires_in\": 600}")))
    @APIResponse(responseCode = "400", description = "No body, a bad new_phone, or the account's phone already",
            content = @Content(mediaType = OpenApi.PROBLEM_JSON,
                    schema = @Schema(implementation = ProblemDocument.class),
                    examples = {
                            @ExampleObject(name = ProblemExamples.MISSING_BODY_NAME,
                                    value = ProblemExamples.MISSING_BODY),
                            @ExampleObject(name = "invalid_phone",
                                    value = "{\"type\": \"https://phonekey.io/problems/invalid-phone\", \"title\": \"Bad Request\", \"status\": 400, \"detail\": \"new_phone must be a valid number in E.164, e.g. +447400123456\", \"code\": \"invalid_phone\", \"field\": \"new_phone\"}"),
                            @ExampleObject(name = "invalid_field",
                                    value = "{\"type\": \"https://phonekey.io/problems/invalid-field\", \"title\": \"Bad Request\", \"status\": 400, \"detail\": \"new_phone is the account's phone already\", \"code\": \"invalid_field\", \"field\": \"new_phone\"}")}))
    @APIResponse(responseCode = "401", ref = "Unauthorized")
    @APIResponse(responseCode = "403", description = "otp-service refused the code: the country is not allowed",
            content = @Content(mediaType = OpenApi.PROBLEM_JSON,
                    schema = @Schema(implementation = ProblemDocument.class),
                    examples = @ExampleObject(name = ProblemExamples.COUNTRY_NOT_ALLOWED_NAME,
                            value = ProblemExamples.COUNTRY_NOT_ALLOWED)))
    @APIResponse(responseCode = "409", description = "Another account has this phone", content = @Content(
            mediaType = OpenApi.PROBLEM_JSON, schema = @Schema(implementation = ProblemDocument.class),
            examples = @ExampleObject(name = ProblemExamples.PHONE_TAKEN_NAME, value = ProblemExamples.PHONE_TAKEN)))
    @APIResponse(responseCode = "429", ref = "RateLimited")
    @APIResponse(responseCode = "503", ref = "ServiceUnavailable")
    @APIResponse(responseCode = "default", ref = "OtherProblem")
    public Uni<Answers.CodeSent> phoneChange(AccountRequests.PhoneChange body,
            @Context HttpServerRequest request) {
        return sessions.current(jwt).flatMap(c -> accounts.phoneChange(c.user().id, c.user().phone, body,
                request.remoteAddress().hostAddress()));
    }

    @POST
    @Path("/phone-change/confirm")
    @Authenticated
    @ResponseStatus(204)
    @SecurityRequirement(name = OpenApi.JWT)
    @Operation(summary = "Confirm a phone change with the code",
            description = "Moves the account to the proven number; the old number (and a linked Telegram chat) gets a phone_changed notice. Every other session of the account ends at once; this one goes on.")
    @RequestBody(required = true,
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = AccountRequests.PhoneChangeConfirm.class),
                    examples = @ExampleObject(name = "code", summary = "The code sent to the new number",
                            value = "{\"new_phone\": \"+447400654321\", \"otp_code\": \"123456\"}")))
    @APIResponse(responseCode = "204", description = "The account's phone is the new number")
    @APIResponse(responseCode = "400", description = "No body, a malformed code, a bad new_phone", content = @Content(
            mediaType = OpenApi.PROBLEM_JSON, schema = @Schema(implementation = ProblemDocument.class),
            examples = {@ExampleObject(name = ProblemExamples.MISSING_BODY_NAME, value = ProblemExamples.MISSING_BODY),
                    @ExampleObject(name = "invalid_field",
                            value = "{\"type\": \"https://phonekey.io/problems/invalid-field\", \"title\": \"Bad Request\", \"status\": 400, \"detail\": \"otp_code must be 4 to 10 digits\", \"code\": \"invalid_field\", \"field\": \"otp_code\"}"),
                    @ExampleObject(name = "invalid_phone",
                            value = "{\"type\": \"https://phonekey.io/problems/invalid-phone\", \"title\": \"Bad Request\", \"status\": 400, \"detail\": \"new_phone must be a valid number in E.164, e.g. +447400123456\", \"code\": \"invalid_phone\", \"field\": \"new_phone\"}")}))
    @APIResponse(responseCode = "401", ref = "Unauthorized")
    @APIResponse(responseCode = "404", description = "No pending change to that number, or no pending code",
            content = @Content(mediaType = OpenApi.PROBLEM_JSON,
                    schema = @Schema(implementation = ProblemDocument.class),
                    examples = @ExampleObject(name = "not_found",
                            value = "{\"type\": \"https://phonekey.io/problems/not-found\", \"title\": \"Not Found\", \"status\": 404, \"detail\": \"no pending phone change to this number\", \"code\": \"not_found\"}")))
    @APIResponse(responseCode = "409", description = "Another account took this phone meanwhile", content = @Content(
            mediaType = OpenApi.PROBLEM_JSON, schema = @Schema(implementation = ProblemDocument.class),
            examples = @ExampleObject(name = ProblemExamples.PHONE_TAKEN_NAME, value = ProblemExamples.PHONE_TAKEN)))
    @APIResponse(responseCode = "422", ref = "InvalidCode")
    @APIResponse(responseCode = "429", ref = "MaxAttempts")
    @APIResponse(responseCode = "503", ref = "ServiceUnavailable")
    @APIResponse(responseCode = "default", ref = "OtherProblem")
    public Uni<Void> phoneChangeConfirm(AccountRequests.PhoneChangeConfirm body) {
        return sessions.current(jwt)
                .flatMap(c -> accounts.phoneChangeConfirm(c.user().id, c.session().id, c.user().phone,
                        body));
    }
}
