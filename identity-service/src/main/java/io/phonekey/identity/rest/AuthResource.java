package io.phonekey.identity.rest;

import java.util.List;
import java.util.Map;

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
import org.jboss.resteasy.reactive.ResponseStatus;

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
    public Uni<Map<String, Object>> requestOtp(AuthRequests.RequestOtp body, @Context HttpServerRequest request) {
        return auth.requestOtp(body, request.remoteAddress().hostAddress());
    }

    @POST
    @Path("/verify-otp")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<TokenResponse> verifyOtp(AuthRequests.VerifyOtp body, @Context HttpServerRequest request) {
        return auth.verifyOtp(body, AccountResource.device(request, body == null ? null : body.deviceName()));
    }

    @POST
    @Path("/refresh")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<TokenResponse> refresh(AuthRequests.Refresh body) {
        return auth.refresh(body);
    }

    @GET
    @Path("/me")
    @Authenticated
    public Uni<Map<String, Object>> me() {
        return sessions.me(jwt);
    }

    @POST
    @Path("/logout")
    @Authenticated
    @ResponseStatus(204)
    public Uni<Void> logout() {
        return sessions.logout(jwt);
    }

    @POST
    @Path("/logout-all")
    @Authenticated
    @ResponseStatus(204)
    public Uni<Void> logoutAll() {
        return sessions.logoutAll(jwt);
    }

    @GET
    @Path("/sessions")
    @Authenticated
    public Uni<List<Map<String, Object>>> sessions() {
        return sessions.sessions(jwt);
    }

    @DELETE
    @Path("/sessions/{id}")
    @Authenticated
    @ResponseStatus(204)
    public Uni<Void> revoke(@PathParam("id") String id) {
        return sessions.revoke(jwt, id);
    }
}
