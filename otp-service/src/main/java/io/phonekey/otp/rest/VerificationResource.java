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

import org.jboss.resteasy.reactive.ResponseStatus;

import io.phonekey.otp.service.Verification;
import io.phonekey.otp.service.VerificationService;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

/** The Verify API for trusted backends: every call needs a backend key ({@link ApiKeys}). */
@Path("/api/v1/verifications")
@RolesAllowed(ApiKeys.BACKEND)
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class VerificationResource {

    private final VerificationService service;
    private final SecurityIdentity caller;

    public VerificationResource(VerificationService service, SecurityIdentity caller) {
        this.service = service;
        this.caller = caller;
    }

    @POST
    @ResponseStatus(201)
    public Uni<Verification> create(CreateVerificationRequest request,
            @HeaderParam("Idempotency-Key") String idempotencyKey) {
        return service.create(request, caller.getPrincipal().getName(), idempotencyKey);
    }

    @POST
    @Path("/check")
    public Uni<Verification> check(CheckVerificationRequest request) {
        return service.check(request);
    }

    @GET
    @Path("/{id}")
    public Uni<Verification> get(@PathParam("id") String id) {
        return service.get(id);
    }

    @DELETE
    @Path("/{id}")
    @ResponseStatus(204)
    public Uni<Void> cancel(@PathParam("id") String id) {
        return service.cancel(id);
    }
}
