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

import io.phonekey.contract.problem.Problem;
import io.phonekey.sms.service.SpendReport;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;

/** A day's SMS spend by country against the budgets (USD, UTC days). Admin API key required. */
@Path("/api/v1/spend")
@RolesAllowed(AdminKeys.ADMIN)
@Produces(MediaType.APPLICATION_JSON)
public class SpendResource {

    private final SpendReport report;

    public SpendResource(SpendReport report) {
        this.report = report;
    }

    /** Today (UTC), or {@code ?day=YYYY-MM-DD}. */
    @GET
    @WithSession
    public Uni<SpendReport.Day> spend(@QueryParam("day") String day) {
        LocalDate date;
        try {
            date = day == null || day.isBlank() ? LocalDate.now(ZoneOffset.UTC) : LocalDate.parse(day.strip());
        } catch (DateTimeParseException e) {
            throw Problem.field("day", "day must be a date, YYYY-MM-DD");
        }
        return report.of(date);
    }
}
