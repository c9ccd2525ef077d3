package io.phonekey.identity.rest;

import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.resteasy.reactive.ResponseStatus;

import io.phonekey.contract.problem.Problem;
import io.phonekey.identity.service.AccountService;
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
    public Uni<Map<String, Object>> register(AccountRequests.Register body, @Context HttpServerRequest request) {
        return accounts.register(body, request.remoteAddress().hostAddress());
    }

    @POST
    @Path("/register/verify")
    public Uni<TokenResponse> registerVerify(AccountRequests.RegisterVerify body,
            @Context HttpServerRequest request) {
        return accounts.registerVerify(body, device(request, body == null ? null : body.deviceName()));
    }

    @POST
    @Path("/login")
    public Uni<Object> login(AccountRequests.Login body, @Context HttpServerRequest request) {
        return accounts.login(body, device(request, body == null ? null : body.deviceName()));
    }

    @POST
    @Path("/login/verify")
    public Uni<TokenResponse> loginVerify(AccountRequests.LoginVerify body, @Context HttpServerRequest request) {
        return accounts.loginVerify(body, device(request, body == null ? null : body.deviceName()));
    }

    @PUT
    @Path("/mfa")
    @Authenticated
    public Uni<Map<String, Object>> mfa(AccountRequests.Mfa body) {
        return sessions.current(jwt).flatMap(c -> accounts.setMfa(c.user().id, body));
    }

    @POST
    @Path("/password-reset")
    @ResponseStatus(202)
    public Uni<Map<String, Object>> passwordReset(AccountRequests.PasswordReset body,
            @Context HttpServerRequest request) {
        return accounts.passwordReset(body, request.remoteAddress().hostAddress());
    }

    @POST
    @Path("/password-reset/confirm")
    @ResponseStatus(204)
    public Uni<Void> passwordResetConfirm(AccountRequests.PasswordResetConfirm body) {
        return accounts.passwordResetConfirm(body);
    }

    @POST
    @Path("/phone-change")
    @Authenticated
    @ResponseStatus(202)
    public Uni<Map<String, Object>> phoneChange(AccountRequests.PhoneChange body,
            @Context HttpServerRequest request) {
        return sessions.current(jwt).flatMap(c -> accounts.phoneChange(c.user().id, c.user().phone, body,
                request.remoteAddress().hostAddress()));
    }

    @POST
    @Path("/phone-change/confirm")
    @Authenticated
    @ResponseStatus(204)
    public Uni<Void> phoneChangeConfirm(AccountRequests.PhoneChangeConfirm body) {
        return sessions.current(jwt)
                .flatMap(c -> accounts.phoneChangeConfirm(c.user().id, c.session().id, c.user().phone,
                        body));
    }
}
