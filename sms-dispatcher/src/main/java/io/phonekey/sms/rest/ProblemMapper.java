package io.phonekey.sms.rest;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;

import io.quarkus.logging.Log;

/** The one place where failures become RFC 9457 problem+json: typed problems, bad JSON, and anything unexpected. */
public class ProblemMapper {

    public static final String PROBLEM_JSON = "application/problem+json";

    @ServerExceptionMapper
    public Response problem(Problem p) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "https://phonekey.io/problems/" + p.code().replace('_', '-'));
        body.put("title", p.title());
        body.put("status", p.status());
        body.put("detail", p.getMessage());
        body.put("code", p.code());
        body.putAll(p.extensions());
        Response.ResponseBuilder r = Response.status(p.status()).type(PROBLEM_JSON).entity(body);
        if (p.retryAfterSeconds() != null) {
            r.header("Retry-After", p.retryAfterSeconds());
        }
        return r.build();
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e) {
        if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            String field = m.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining("."));
            return problem(Problem.field(field, "field '" + field + "' has the wrong type or format"));
        }
        return problem(Problem.badRequest("malformed_json", "the request body is not valid JSON"));
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (e.getCause() instanceof JsonProcessingException j) {
            return json(j);
        }
        String code = switch (status) {
            case 400 -> "bad_request";
            case 401 -> "unauthorized";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 406 -> "not_acceptable";
            case 415 -> "unsupported_media_type";
            default -> "http_" + status;
        };
        return problem(new Problem(status, code, Response.Status.fromStatusCode(status) == null
                ? "Error"
                : Response.Status.fromStatusCode(status).getReasonPhrase(), e.getMessage()));
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e) {
        if (io.phonekey.sms.service.Outages.isOutage(e)) {
            Log.warnf("store or broker unavailable: %s", e.toString());
            return problem(Problem.unavailable("a store or broker is unavailable"));
        }
        Log.errorf(e, "unexpected failure");
        return problem(new Problem(500, "internal_error", "Internal Server Error", "an unexpected error occurred"));
    }
}
