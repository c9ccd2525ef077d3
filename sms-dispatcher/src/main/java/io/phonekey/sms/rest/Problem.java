package io.phonekey.sms.rest;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An RFC 9457 problem raised anywhere in the service; {@link ProblemMapper} turns it into
 * {@code application/problem+json}. Resources never build error bodies themselves.
 */
public class Problem extends RuntimeException {

    private final int status;
    private final String code;
    private final String title;
    private final Map<String, Object> extensions = new LinkedHashMap<>();
    private Long retryAfterSeconds;

    public Problem(int status, String code, String title, String detail) {
        super(detail, null, false, false);
        this.status = status;
        this.code = code;
        this.title = title;
    }

    public static Problem badRequest(String code, String detail) {
        return new Problem(400, code, "Bad Request", detail);
    }

    public static Problem field(String field, String detail) {
        return badRequest("invalid_field", detail).with("field", field);
    }

    public static Problem notFound(String detail) {
        return new Problem(404, "not_found", "Not Found", detail);
    }

    public static Problem unauthorized(String detail) {
        return new Problem(401, "unauthorized", "Unauthorized", detail);
    }

    public static Problem unavailable(String detail) {
        return new Problem(503, "service_unavailable", "Service Unavailable", detail);
    }

    public static Problem tooMany(String code, String detail, long retryAfterSeconds) {
        Problem p = new Problem(429, code, "Too Many Requests", detail);
        p.retryAfterSeconds = Math.max(1, retryAfterSeconds);
        return p;
    }

    public Problem with(String name, Object value) {
        extensions.put(name, value);
        return this;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String title() {
        return title;
    }

    public Map<String, Object> extensions() {
        return extensions;
    }

    public Long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
