package io.phonekey.otp.rest;

import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.ResponseStatus;

import io.phonekey.otp.service.ConversionWatch;
import io.smallrye.mutiny.Uni;

/** The conversion watch for operators: what is blocked or flagged and why, and lifting a block: admin keys only (OTP_ADMIN_API_KEYS). */
@Path("/api/v1/admin/fraud")
@RolesAllowed(ApiKeys.ADMIN)
@Produces(MediaType.APPLICATION_JSON)
public class FraudResource {

    private final ConversionWatch watch;

    public FraudResource(ConversionWatch watch) {
        this.watch = watch;
    }

    @GET
    public Uni<Map<String, Object>> view() {
        return watch.view();
    }

    /** Lifts the block or flag on a prefix such as {@code +4474001} ({@code +} may be sent as {@code %2B}). */
    @DELETE
    @Path("/blocks/{prefix}")
    @ResponseStatus(204)
    public Uni<Void> unblock(@PathParam("prefix") String prefix) {
        return watch.unblock(prefix);
    }
}
