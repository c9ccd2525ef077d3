package io.phonekey.identity.rest;

import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.phonekey.contract.problem.Problem;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.UnauthorizedException;

/**
 * What only this service raises: a missing or refused access token becomes a 401 problem. Everything else goes
 * through the contract's {@link io.phonekey.contract.problem.ProblemMapper}.
 */
public class ProblemMapper {

    private final io.phonekey.contract.problem.ProblemMapper problems = new io.phonekey.contract.problem.ProblemMapper();

    @ServerExceptionMapper({AuthenticationFailedException.class, UnauthorizedException.class})
    public Response unauthenticated(RuntimeException e) {
        return problems.problem(Problem.unauthorized("a valid access token is required"));
    }
}
