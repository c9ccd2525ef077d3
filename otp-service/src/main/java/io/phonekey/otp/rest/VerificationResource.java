package io.phonekey.otp.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
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
import io.phonekey.contract.problem.ProblemDocument;
import io.phonekey.otp.service.Verification;
import io.phonekey.otp.service.VerificationService;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

/** The Verify API for trusted backends: every call needs a backend key ({@link ApiKeys}). */
@Path("/api/v1/verifications")
@RolesAllowed(ApiKeys.BACKEND)
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "verifications")
@SecurityRequirement(name = OpenApi.API_KEY)
public class VerificationResource {

    static final String CREATED = """
            {"id": "0b9f5a3e-6f0e-4a53-9a43-3d4b1f2c7e10", "phone": "+447400123456", "channel": "sms",
             "purpose": "2fa", "status": "pending", "expires_at": "2026-12-01T12:10:00.123Z", "expires_in": 600,
             "attempts_left": 5, "resend_after": 30}""";
    static final String APPROVED = """
            {"id": "0b9f5a3e-6f0e-4a53-9a43-3d4b1f2c7e10", "phone": "+447400123456", "channel": "sms",
             "purpose": "2fa", "status": "approved", "verified_at": "2026-12-01T12:02:41.512Z",
             "metadata": {"order_id": "A-1001"}}""";
    static final String READ = """
            {"id": "0b9f5a3e-6f0e-4a53-9a43-3d4b1f2c7e10", "phone": "+447400123456", "channel": "sms",
             "purpose": "2fa", "status": "pending", "expires_at": "2026-12-01T12:10:00.123Z", "attempts_left": 4}""";
    static final String FORBIDDEN_DESCRIPTION = "An admin key: the Verify API takes only backend keys";

    private final VerificationService service;
    private final SecurityIdentity caller;

    public VerificationResource(VerificationService service, SecurityIdentity caller) {
        this.service = service;
        this.caller = caller;
    }

    @POST
    @ResponseStatus(201)
    @Operation(summary = "Send a code", description = "Creates a verification and sends a new code to the phone. "
            + "A new code for the same phone and purpose replaces the pending one (its code stops working). 201 "
            + "means the code is stored (as an HMAC) and otp.requested is acknowledged by Kafka. With the same "
            + "Idempotency-Key and the same request, the first verification is answered as it is now and nothing "
            + "is sent.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = CreateVerificationRequest.class), examples = {
                    @ExampleObject(name = "sms", summary = "A login code by SMS",
                            value = "{\"phone\": \"+447400123456\", \"purpose\": \"login\", \"client_ip\": \"203.0.113.7\"}"),
                    @ExampleObject(name = "national", summary = "A national number with its region",
                            value = "{\"phone\": \"07400 123456\", \"region\": \"GB\", \"channel\": \"whatsapp\"}"),
                    @ExampleObject(name = "transaction", summary = "A transaction code naming amount and payee",
                            value = "{\"phone\": \"+447400123456\", \"purpose\": \"transaction\", "
                                    + "\"amount\": \"129.99 EUR\", \"payee\": \"ACME Books\", "
                                    + "\"metadata\": {\"order_id\": \"A-1001\"}}")}))
    @APIResponse(responseCode = "201", description = "The code is on its way (or, for a repeated Idempotency-Key, "
            + "the first verification as it is now)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = Verification.class),
                    examples = @ExampleObject(name = "created", value = CREATED)))
    @APIResponse(responseCode = "400", description = "No body, a bad phone or field, or a bad Idempotency-Key",
            content = @Content(mediaType = OpenApi.PROBLEM_JSON,
                    schema = @Schema(implementation = ProblemDocument.class), examples = {
                            @ExampleObject(name = ProblemExamples.INVALID_PHONE_NAME,
                                    value = ProblemExamples.INVALID_PHONE),
                            @ExampleObject(name = ProblemExamples.INVALID_FIELD_NAME,
                                    value = ProblemExamples.INVALID_FIELD),
                            @ExampleObject(name = ProblemExamples.MISSING_BODY_NAME,
                                    value = ProblemExamples.MISSING_BODY),
                            @ExampleObject(name = ProblemExamples.MALFORMED_JSON_NAME,
                                    value = ProblemExamples.MALFORMED_JSON),
                            @ExampleObject(name = ProblemExamples.INVALID_IDEMPOTENCY_KEY_NAME,
                                    value = ProblemExamples.INVALID_IDEMPOTENCY_KEY)}))
    @APIResponse(responseCode = "401", ref = "Unauthorized")
    @APIResponse(responseCode = "403", description = "The number's country is not in OTP_ALLOWED_COUNTRIES, or an "
            + "admin key was sent",
            content = @Content(mediaType = OpenApi.PROBLEM_JSON,
                    schema = @Schema(implementation = ProblemDocument.class), examples = {
                            @ExampleObject(name = ProblemExamples.COUNTRY_NOT_ALLOWED_NAME,
                                    value = ProblemExamples.COUNTRY_NOT_ALLOWED),
                            @ExampleObject(name = ProblemExamples.FORBIDDEN_NAME, value = ProblemExamples.FORBIDDEN,
                                    description = FORBIDDEN_DESCRIPTION)}))
    @APIResponse(responseCode = "422", description = "The Idempotency-Key was used for a different request",
            content = @Content(mediaType = OpenApi.PROBLEM_JSON,
                    schema = @Schema(implementation = ProblemDocument.class),
                    examples = @ExampleObject(name = ProblemExamples.IDEMPOTENCY_KEY_REUSED_NAME,
                            value = ProblemExamples.IDEMPOTENCY_KEY_REUSED)))
    @APIResponse(responseCode = "429", description = "A send limit, the conversion watch or a phone lock refused; "
            + "`limit` says which",
            headers = @Header(name = OpenApi.RETRY_AFTER, description = OpenApi.RETRY_AFTER_DESCRIPTION,
                    required = true, schema = @Schema(type = SchemaType.INTEGER, minimum = "1")),
            content = @Content(mediaType = OpenApi.PROBLEM_JSON,
                    schema = @Schema(implementation = ProblemDocument.class),
                    examples = @ExampleObject(name = ProblemExamples.RATE_LIMITED_NAME,
                            value = ProblemExamples.RATE_LIMITED)))
    @APIResponse(responseCode = "503", ref = "ServiceUnavailable")
    @APIResponse(responseCode = "default", ref = "OtherProblem")
    public Uni<Verification> create(CreateVerificationRequest request,
            @Parameter(description = "Makes a retried create harmless: 1 to 255 characters (e.g. a UUID per user "
                    + "action), scoped to the calling key's name, kept for the code's life",
                    schema = @Schema(type = SchemaType.STRING, minLength = 1, maxLength = 255),
                    example = "5f1c8e52-3b8e-4d7e-9a0c-6d2f0b3a9e41") @HeaderParam("Idempotency-Key") String idempotencyKey) {
        return service.create(request, caller.getPrincipal().getName(), idempotencyKey);
    }

    @POST
    @Path("/check")
    @Operation(summary = "Check a code", description = "Checks the code against the verification given by id, or "
            + "against the pending verification of the phone and purpose. A code is approved at most once; an "
            + "attempt is counted before the code is compared.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = CheckVerificationRequest.class), examples = {
                    @ExampleObject(name = "by_id", summary = "By verification id",
                            value = "{\"verification_id\": \"0b9f5a3e-6f0e-4a53-9a43-3d4b1f2c7e10\", \"code\": \"123456\"}"),
                    @ExampleObject(name = "by_phone", summary = "By phone and purpose",
                            value = "{\"phone\": \"+447400123456\", \"purpose\": \"2fa\", \"code\": \"123456\"}")}))
    @APIResponse(responseCode = "200", description = "The code is right: the verification is approved",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = Verification.class),
                    examples = @ExampleObject(name = "approved", value = APPROVED)))
    @APIResponse(responseCode = "400", description = "No body, no or a malformed code, neither verification_id nor "
            + "phone, a bad phone, region or purpose",
            content = @Content(mediaType = OpenApi.PROBLEM_JSON,
                    schema = @Schema(implementation = ProblemDocument.class), examples = {
                            @ExampleObject(name = ProblemExamples.INVALID_FIELD_NAME,
                                    value = ProblemExamples.INVALID_FIELD),
                            @ExampleObject(name = ProblemExamples.INVALID_PHONE_NAME,
                                    value = ProblemExamples.INVALID_PHONE),
                            @ExampleObject(name = ProblemExamples.MISSING_BODY_NAME,
                                    value = ProblemExamples.MISSING_BODY)}))
    @APIResponse(responseCode = "401", ref = "Unauthorized")
    @APIResponse(responseCode = "403", description = FORBIDDEN_DESCRIPTION, content = @Content(
            mediaType = OpenApi.PROBLEM_JSON, schema = @Schema(implementation = ProblemDocument.class),
            examples = @ExampleObject(name = ProblemExamples.FORBIDDEN_NAME, value = ProblemExamples.FORBIDDEN)))
    @APIResponse(responseCode = "404", description = "No pending verification: unknown id, expired, already "
            + "approved, cancelled, replaced, or another phone or purpose",
            content = @Content(mediaType = OpenApi.PROBLEM_JSON,
                    schema = @Schema(implementation = ProblemDocument.class),
                    examples = @ExampleObject(name = ProblemExamples.NOT_FOUND_NAME,
                            value = ProblemExamples.NOT_FOUND)))
    @APIResponse(responseCode = "422", description = "The wrong code (for transaction: or another amount or "
            + "payee); `attempts_left` after this one",
            content = @Content(mediaType = OpenApi.PROBLEM_JSON,
                    schema = @Schema(implementation = ProblemDocument.class),
                    examples = @ExampleObject(name = ProblemExamples.INVALID_CODE_NAME,
                            value = ProblemExamples.INVALID_CODE)))
    @APIResponse(responseCode = "429", description = "The verification's attempts are spent (ask for a new code), "
            + "or the phone is locked after too many wrong codes (`limit: phone_locked`)",
            headers = @Header(name = OpenApi.RETRY_AFTER, description = OpenApi.RETRY_AFTER_DESCRIPTION,
                    required = true, schema = @Schema(type = SchemaType.INTEGER, minimum = "1")),
            content = @Content(mediaType = OpenApi.PROBLEM_JSON,
                    schema = @Schema(implementation = ProblemDocument.class),
                    examples = @ExampleObject(name = ProblemExamples.MAX_ATTEMPTS_REACHED_NAME,
                            value = ProblemExamples.MAX_ATTEMPTS_REACHED)))
    @APIResponse(responseCode = "503", ref = "ServiceUnavailable")
    @APIResponse(responseCode = "default", ref = "OtherProblem")
    public Uni<Verification> check(CheckVerificationRequest request) {
        return service.check(request);
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Read a verification", description = "The verification's status, readable for "
            + "OTP_RETENTION (15 min) after the code's life.")
    @APIResponse(responseCode = "200", description = "The verification",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = Verification.class),
                    examples = @ExampleObject(name = "pending", value = READ)))
    @APIResponse(responseCode = "401", ref = "Unauthorized")
    @APIResponse(responseCode = "403", description = FORBIDDEN_DESCRIPTION, content = @Content(
            mediaType = OpenApi.PROBLEM_JSON, schema = @Schema(implementation = ProblemDocument.class),
            examples = @ExampleObject(name = ProblemExamples.FORBIDDEN_NAME, value = ProblemExamples.FORBIDDEN)))
    @APIResponse(responseCode = "404", description = "Unknown id, or past its retention", content = @Content(
            mediaType = OpenApi.PROBLEM_JSON, schema = @Schema(implementation = ProblemDocument.class),
            examples = @ExampleObject(name = ProblemExamples.NOT_FOUND_NAME, value = ProblemExamples.NOT_FOUND)))
    @APIResponse(responseCode = "503", ref = "ServiceUnavailable")
    @APIResponse(responseCode = "default", ref = "OtherProblem")
    public Uni<Verification> get(
            @Parameter(description = "The verification id",
                    example = "0b9f5a3e-6f0e-4a53-9a43-3d4b1f2c7e10") @PathParam("id") String id) {
        return service.get(id);
    }

    @DELETE
    @Path("/{id}")
    @ResponseStatus(204)
    @Operation(summary = "Cancel a verification", description = "The pending code stops working and the "
            + "verification becomes canceled; `otp.canceled` is published before the answer (telegram-gateway "
            + "revokes a Telegram Gateway message of the code). When it cannot be published the code keeps "
            + "working and the answer is 503, so the call can be repeated.")
    @APIResponse(responseCode = "204", description = "Cancelled")
    @APIResponse(responseCode = "401", ref = "Unauthorized")
    @APIResponse(responseCode = "403", description = FORBIDDEN_DESCRIPTION, content = @Content(
            mediaType = OpenApi.PROBLEM_JSON, schema = @Schema(implementation = ProblemDocument.class),
            examples = @ExampleObject(name = ProblemExamples.FORBIDDEN_NAME, value = ProblemExamples.FORBIDDEN)))
    @APIResponse(responseCode = "404", description = "No pending verification with that id (unknown, approved, "
            + "spent, already cancelled)",
            content = @Content(mediaType = OpenApi.PROBLEM_JSON,
                    schema = @Schema(implementation = ProblemDocument.class),
                    examples = @ExampleObject(name = ProblemExamples.NOT_FOUND_NAME,
                            value = ProblemExamples.NOT_FOUND)))
    @APIResponse(responseCode = "503", ref = "ServiceUnavailable")
    @APIResponse(responseCode = "default", ref = "OtherProblem")
    public Uni<Void> cancel(
            @Parameter(description = "The verification id",
                    example = "0b9f5a3e-6f0e-4a53-9a43-3d4b1f2c7e10") @PathParam("id") String id) {
        return service.cancel(id);
    }
}
