package io.phonekey.otp.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.ResponseStatus;

import io.phonekey.contract.openapi.OpenApi;
import io.phonekey.contract.openapi.ProblemExamples;
import io.phonekey.contract.problem.ProblemDocument;
import io.phonekey.otp.service.ConversionWatch;
import io.phonekey.otp.service.FraudView;
import io.smallrye.mutiny.Uni;

/** The conversion watch for operators: what is blocked or flagged and why, and lifting a block: admin keys only (OTP_ADMIN_API_KEYS). */
@Path("/api/v1/admin/fraud")
@RolesAllowed(ApiKeys.ADMIN)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "conversion watch")
@SecurityRequirement(name = OpenApi.ADMIN_KEY)
public class FraudResource {

    static final String VIEW = """
            {"mode": "block", "window_seconds": 3600, "min_sends": 30, "min_conversion": 0.15,
             "block_seconds": 3600,
             "blocked": [{"prefix": "+44740012", "country": "GB", "since": "2026-12-01T11:58:03.120Z",
               "until": "2026-12-01T12:58:03Z",
               "reason": "31 codes sent, 2 approved (6.5 %) in the window, below the 15.0 % minimum",
               "sends": 31, "approved": 2, "conversion": 0.065}],
             "flagged": [],
             "watched": [{"prefix": "+44740099", "sends": 17, "approved": 12, "conversion": 0.706}],
             "countries": [{"country": "GB", "sends": 240, "approved": 201, "conversion": 0.838}]}""";
    static final String BACKEND_KEY = "A backend key (OTP_API_KEYS): known, but not an operator's";

    private final ConversionWatch watch;

    public FraudResource(ConversionWatch watch) {
        this.watch = watch;
    }

    @GET
    @Operation(summary = "View the conversion watch", description = "The settings (OTP_FRAUD_*), the prefixes "
            + "under a block or flag with why, the watched prefixes (lowest conversion first) and every country "
            + "with sends in the window. A prefix is the E.164 number without its last 4 digits.")
    @APIResponse(responseCode = "200", description = "The conversion watch",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = FraudView.class),
                    examples = @ExampleObject(name = "one_block", value = VIEW)))
    @APIResponse(responseCode = "401", ref = "Unauthorized")
    @APIResponse(responseCode = "403", description = BACKEND_KEY, content = @Content(mediaType = OpenApi.PROBLEM_JSON,
            schema = @Schema(implementation = ProblemDocument.class),
            examples = @ExampleObject(name = ProblemExamples.FORBIDDEN_NAME, value = ProblemExamples.FORBIDDEN)))
    @APIResponse(responseCode = "503", ref = "ServiceUnavailable")
    @APIResponse(responseCode = "default", ref = "OtherProblem")
    public Uni<FraudView> view() {
        return watch.view();
    }

    /** Lifts the block or flag on a prefix such as {@code +4474001} ({@code +} may be sent as {@code %2B}). */
    @DELETE
    @Path("/blocks/{prefix}")
    @ResponseStatus(204)
    @Operation(summary = "Lift a block or flag", description = "Lifts the block or flag on a prefix and forgets its "
            + "sends in the window, so it is judged afresh.")
    @APIResponse(responseCode = "204", description = "Lifted")
    @APIResponse(responseCode = "400", description = "The prefix is not + and 3 to 14 digits",
            content = @Content(mediaType = OpenApi.PROBLEM_JSON,
                    schema = @Schema(implementation = ProblemDocument.class),
                    examples = @ExampleObject(name = ProblemExamples.INVALID_FIELD_NAME,
                            value = "{\"type\": \"https://phonekey.io/problems/invalid-field\", \"title\": "
                                    + "\"Bad Request\", \"status\": 400, \"detail\": \"prefix must be + and 3 to "
                                    + "14 digits, as listed by the admin view\", \"code\": \"invalid_field\", "
                                    + "\"field\": \"prefix\"}")))
    @APIResponse(responseCode = "401", ref = "Unauthorized")
    @APIResponse(responseCode = "403", description = BACKEND_KEY, content = @Content(mediaType = OpenApi.PROBLEM_JSON,
            schema = @Schema(implementation = ProblemDocument.class),
            examples = @ExampleObject(name = ProblemExamples.FORBIDDEN_NAME, value = ProblemExamples.FORBIDDEN)))
    @APIResponse(responseCode = "404", description = "No block or flag on that prefix",
            content = @Content(mediaType = OpenApi.PROBLEM_JSON,
                    schema = @Schema(implementation = ProblemDocument.class),
                    examples = @ExampleObject(name = ProblemExamples.NOT_FOUND_NAME,
                            value = "{\"type\": \"https://phonekey.io/problems/not-found\", \"title\": \"Not "
                                    + "Found\", \"status\": 404, \"detail\": \"no block or flag on +44740012\", "
                                    + "\"code\": \"not_found\"}")))
    @APIResponse(responseCode = "503", ref = "ServiceUnavailable")
    @APIResponse(responseCode = "default", ref = "OtherProblem")
    public Uni<Void> unblock(@Parameter(description = "The prefix as listed, e.g. +44740012 (the + may be left out "
            + "or sent as %2B)", example = "+44740012") @PathParam("prefix") String prefix) {
        return watch.unblock(prefix);
    }
}
