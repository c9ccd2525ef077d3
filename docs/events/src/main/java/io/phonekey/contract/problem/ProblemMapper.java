package io.phonekey.contract.problem;

import java.util.stream.Collectors;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidDefinitionException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import io.phonekey.contract.failure.Failures;
import io.quarkus.logging.Log;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;

/**
 * The one place where failures become RFC 9457 problem+json in every service: typed problems, bodies that are not
 * JSON or not of the expected shape, HTTP errors raised by the framework, outages (503) and anything unexpected
 * (500, never a stack trace). Quarkus finds it through this jar's index.
 */
public class ProblemMapper {

    /** Jackson's message for a repeated field under strict duplicate detection ({@link JsonRules}). */
    private static final java.util.regex.Pattern DUPLICATE = java.util.regex.Pattern
            .compile("Duplicate field '([^']{1,100})'");

    @ServerExceptionMapper
    public Response problem(Problem p) {
        Response.ResponseBuilder r = Response.status(p.status()).type(Problem.JSON).entity(p.body());
        if (p.retryAfterSeconds() != null) {
            r.header("Retry-After", p.retryAfterSeconds());
        }
        return r.build();
    }

    /**
     * Listed one by one because Quarkus ships its own mappers for some of these (an empty 400); a more specific mapper
     * wins, so ours must be at least as specific.
     */
    @ServerExceptionMapper({JsonProcessingException.class, MismatchedInputException.class,
            InvalidDefinitionException.class, StreamConstraintsException.class,
            com.fasterxml.jackson.core.JsonParseException.class,
            com.fasterxml.jackson.databind.exc.InvalidFormatException.class,
            com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException.class})
    public Response json(JsonProcessingException e) {
        return problem(fromJson(e));
    }

    /** The problem for a body Jackson could not read: the field it stopped at when there is one. */
    public static Problem fromJson(JsonProcessingException e) {
        if (e instanceof StreamConstraintsException) {
            return Problem.badRequest("malformed_json", "the request body nests or repeats too deeply");
        }
        if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            String field = m.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining("."));
            return Problem.field(field, "field '" + field + "' has the wrong type or format");
        }
        if (e instanceof MismatchedInputException || e instanceof InvalidDefinitionException) {
            return Problem.badRequest("invalid_body", "the request body must be a JSON object");
        }
        java.util.regex.Matcher duplicate = DUPLICATE.matcher(String.valueOf(e.getOriginalMessage()));
        if (duplicate.lookingAt()) {
            return Problem.field(duplicate.group(1), "field '" + duplicate.group(1) + "' appears more than once");
        }
        return Problem.badRequest("malformed_json", "the request body is not valid JSON");
    }

    /**
     * Quarkus Security's outcomes (with {@code quarkus.http.auth.proactive=false}, they reach the REST layer): no or
     * refused credentials are a 401, credentials without the role the call needs a 403.
     */
    @ServerExceptionMapper({AuthenticationFailedException.class, UnauthorizedException.class})
    public Response unauthenticated(RuntimeException e) {
        return problem(Problem.unauthorized("valid credentials are required: Authorization: Bearer <credential>"));
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return problem(Problem.forbidden("these credentials do not allow this call"));
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof JsonProcessingException j) {
                return json(j);
            }
        }
        String code = switch (status) {
            case 400 -> "bad_request";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 406 -> "not_acceptable";
            case 413 -> "body_too_large";
            case 415 -> "unsupported_media_type";
            default -> "http_" + status;
        };
        Response.Status known = Response.Status.fromStatusCode(status);
        return problem(new Problem(status, code, known == null ? "Error" : known.getReasonPhrase(), e.getMessage()));
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e) {
        if (Failures.isOutage(e)) {
            Log.warnf("store or broker unavailable: %s", e.toString());
            return problem(Problem.unavailable("a store or broker this call needs is unavailable"));
        }
        Log.errorf(e, "unexpected failure");
        return problem(new Problem(500, "internal_error", "Internal Server Error", "an unexpected error occurred"));
    }
}
