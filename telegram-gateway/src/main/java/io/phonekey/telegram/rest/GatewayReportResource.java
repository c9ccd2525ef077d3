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
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirements;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.ResponseStatus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.phonekey.contract.openapi.OpenApi;
import io.phonekey.contract.problem.Problem;
import io.phonekey.contract.problem.ProblemDocument;
import io.phonekey.telegram.gateway.GatewayApi;
import io.phonekey.telegram.gateway.GatewayRequests;
import io.smallrye.mutiny.Uni;

/**
 * The Telegram Gateway API's delivery reports (the {@code callback_url} we give it). The signature is checked over
 * the raw body as the Gateway documents it; a bad signature or a stale timestamp is 403 and changes nothing.
 */
@Path("/telegram/gateway/report")
@Tag(name = "webhook")
public class GatewayReportResource {

    private final GatewayApi gateway;
    private final GatewayRequests requests;
    private final ObjectMapper mapper;

    public GatewayReportResource(GatewayApi gateway, GatewayRequests requests, ObjectMapper mapper) {
        this.gateway = gateway;
        this.requests = requests;
        this.mapper = mapper;
    }

    @POST
    @Consumes({MediaType.APPLICATION_JSON, MediaType.WILDCARD})
    @ResponseStatus(200)
    @SecurityRequirements({})
    @Operation(summary = "Receive a Gateway API delivery report",
            description = "The callback_url given with each sendVerificationMessage. The signature is checked over the raw body; a report of delivered or read settles the step, expired hands the code to SMS, a repeated report changes nothing.")
    @RequestBody(required = true, description = "A Telegram Gateway API RequestStatus", content = @Content(
            mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(type = SchemaType.OBJECT,
                    description = "A Telegram Gateway API RequestStatus (https://core.telegram.org/gateway/api#requeststatus)"),
            examples = @ExampleObject(name = "delivered", summary = "Delivered",
                    value = "{\"request_id\": \"rq_4a1f2b3c\", \"phone_number\": \"+447400123456\", \"request_cost\": 0.01, \"delivery_status\": {\"status\": \"delivered\", \"updated_at\": 1764590460}}")))
    @APIResponse(responseCode = "200", description = "Taken into account (or a repeat that changes nothing)")
    @APIResponse(responseCode = "400", description = "A signed body that is not JSON", content = @Content(
            mediaType = OpenApi.PROBLEM_JSON, schema = @Schema(implementation = ProblemDocument.class),
            examples = @ExampleObject(name = "malformed_json",
                    value = "{\"type\": \"https://phonekey.io/problems/malformed-json\", \"title\": \"Bad Request\", \"status\": 400, \"detail\": \"the report is not JSON\", \"code\": \"malformed_json\"}")))
    @APIResponse(responseCode = "403",
            description = "The signature or the timestamp is not valid (also when no Gateway token is configured); nothing changes",
            content = @Content(mediaType = OpenApi.PROBLEM_JSON,
                    schema = @Schema(implementation = ProblemDocument.class),
                    examples = @ExampleObject(name = "forbidden",
                            value = "{\"type\": \"https://phonekey.io/problems/forbidden\", \"title\": \"Forbidden\", \"status\": 403, \"detail\": \"the report's signature or timestamp is not valid\", \"code\": \"forbidden\"}")))
    @APIResponse(responseCode = "503", ref = "ServiceUnavailable")
    @APIResponse(responseCode = "default", ref = "OtherProblem")
    public Uni<Void> report(
            @Parameter(description = "Unix time of the report; within TELEGRAM_GATEWAY_REPORT_MAX_SKEW (5 min) of now",
                    required = true, example = "1764590460") @HeaderParam("X-Request-Timestamp") String timestamp,
            @Parameter(
                    description = "Hex HMAC-SHA256, key SHA-256(TELEGRAM_GATEWAY_TOKEN), of X-Request-Timestamp + newline + the raw body",
                    required = true,
                    example = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08") @HeaderParam("X-Request-Signature") String signature,
            byte[] body) {
        if (!gateway.reportIsAuthentic(timestamp, signature, body, System.currentTimeMillis() / 1000)) {
            throw Problem.forbidden("the report's signature or timestamp is not valid");
        }
        JsonNode status;
        try {
            status = mapper.readTree(body);
        } catch (Exception e) {
            throw Problem.badRequest("malformed_json", "the report is not JSON");
        }
        return requests.report(status);
    }
}
