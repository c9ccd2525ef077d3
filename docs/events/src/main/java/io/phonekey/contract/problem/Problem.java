package io.phonekey.contract.problem;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An RFC 9457 problem raised anywhere in a service; {@link ProblemMapper} turns it into
 * {@code application/problem+json} with a stable snake_case {@code code}. Resources never build error bodies.
 */
public class Problem extends RuntimeException {

    public static final String JSON = "application/problem+json";
    public static final String TYPE_BASE = "https://phonekey.io/problems/";
    /** The RFC 9457 members plus {@code code}; everything else in a problem body is an extension. */
    public static final java.util.Set<String> STANDARD_MEMBERS = java.util.Set.of("type", "title", "status", "detail",
            "code", "instance");

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

    /** A field that is missing, of the wrong type or out of range: 400 {@code invalid_field} naming it. */
    public static Problem field(String field, String detail) {
        return badRequest("invalid_field", detail).with("field", field);
    }

    public static Problem notFound(String detail) {
        return new Problem(404, "not_found", "Not Found", detail);
    }

    public static Problem unauthorized(String detail) {
        return new Problem(401, "unauthorized", "Unauthorized", detail);
    }

    public static Problem forbidden(String detail) {
        return new Problem(403, "forbidden", "Forbidden", detail);
    }

    public static Problem conflict(String code, String detail) {
        return new Problem(409, code, "Conflict", detail);
    }

    public static Problem unprocessable(String code, String detail) {
        return new Problem(422, code, "Unprocessable Content", detail);
    }

    public static Problem unavailable(String detail) {
        return new Problem(503, "service_unavailable", "Service Unavailable", detail);
    }

    public static Problem tooMany(String code, String detail, long retryAfterSeconds) {
        return new Problem(429, code, "Too Many Requests", detail).retryAfter(retryAfterSeconds);
    }

    public Problem retryAfter(long seconds) {
        this.retryAfterSeconds = Math.max(1, seconds);
        return this;
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

    /** The problem+json body: the RFC 9457 members, {@code code}, then the extensions. */
    public Map<String, Object> body() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", TYPE_BASE + code.replace('_', '-'));
        body.put("title", title);
        body.put("status", status);
        body.put("detail", getMessage());
        body.put("code", code);
        body.putAll(extensions);
        return body;
    }
}
