package io.phonekey.sms.rest;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.phonekey.contract.openapi.OpenApi;
import io.phonekey.contract.problem.Problem;
import io.phonekey.contract.problem.ProblemDocument;
import io.phonekey.sms.service.SpendReport;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;

/** A day's SMS spend by country against the budgets (USD, UTC days). Admin API key required. */
@Path("/api/v1/spend")
@RolesAllowed(AdminKeys.ADMIN)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "admin")
@SecurityRequirement(name = OpenApi.ADMIN_KEY)
public class SpendResource {

    private final SpendReport report;

    public SpendResource(SpendReport report) {
        this.report = report;
    }

    /** Today (UTC), or {@code ?day=YYYY-MM-DD}. */
    @GET
    @WithSession
    @Operation(summary = "A day's spend",
            description = "The SMS spend of a UTC day (today by default) by country against the budgets, in USD; budgets and caps that are null are unlimited.")
    @APIResponse(responseCode = "200", description = "The day's spend", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SpendReport.Day.class),
            examples = @ExampleObject(name = "today",
                    value = "{\"day\": \"2026-12-01\", \"currency\": \"USD\", \"total\": 1.2482, \"countries\": [{\"country\": \"GB\", \"messages\": 158, \"spend\": 1.2482, \"budget\": 100, \"remaining\": 98.7518}, {\"country\": \"US\", \"messages\": 0, \"spend\": 0, \"budget\": null, \"remaining\": null}], \"phone_daily_cap\": 0.08}")))
    @APIResponse(responseCode = "400", description = "day is not a date", content = @Content(
            mediaType = OpenApi.PROBLEM_JSON, schema = @Schema(implementation = ProblemDocument.class),
            examples = @ExampleObject(name = "invalid_field",
                    value = "{\"type\": \"https://phonekey.io/problems/invalid-field\", \"title\": \"Bad Request\", \"status\": 400, \"detail\": \"day must be a date, YYYY-MM-DD\", \"code\": \"invalid_field\", \"field\": \"day\"}")))
    @APIResponse(responseCode = "401", ref = "Unauthorized")
    @APIResponse(responseCode = "503", ref = "ServiceUnavailable")
    @APIResponse(responseCode = "default", ref = "OtherProblem")
    public Uni<SpendReport.Day> spend(
            @Parameter(description = "The UTC day, YYYY-MM-DD (default today)", example = "2026-12-01",
                    schema = @Schema(type = SchemaType.STRING, format = "date")) @QueryParam("day") String day) {
        LocalDate date;
        try {
            date = day == null || day.isBlank() ? LocalDate.now(ZoneOffset.UTC) : LocalDate.parse(day.strip());
        } catch (DateTimeParseException e) {
            throw Problem.field("day", "day must be a date, YYYY-MM-DD");
        }
        return report.of(date);
    }
}
