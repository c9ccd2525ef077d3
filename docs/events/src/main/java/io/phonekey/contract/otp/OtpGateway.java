package io.phonekey.contract.otp;

import java.util.Iterator;
import java.util.Map;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.JsonNode;

import io.phonekey.contract.problem.Problem;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;

/**
 * Calls otp-service with a service's API key (identity-service and telegram-gateway do). Its problems (invalid phone, limits, wrong code with attempts left)
 * reach our callers unchanged; otp-service being unreachable is a 503.
 */
public class OtpGateway {

    private final OtpClient client;
    private final String authorization;

    /** @param apiKey the key this service presents (the key part of its {@code name:key} pair). */
    public OtpGateway(OtpClient client, String apiKey) {
        this.client = client;
        this.authorization = "Bearer " + apiKey;
    }

    public Uni<JsonNode> create(Map<String, Object> body) {
        return answer(client.create(authorization, body));
    }

    public Uni<JsonNode> check(Map<String, Object> body) {
        return answer(client.check(authorization, body));
    }

    /** The E.164 phone of an approved check; an answer without one is otp-service misbehaving (503). */
    public static String approvedPhone(JsonNode approved) {
        String phone = approved == null ? null : approved.path("phone").asText(null);
        if (phone == null || !phone.startsWith("+")) {
            Log.warn("otp-service approved a check without a phone");
            throw Problem.unavailable("the verification service is unavailable");
        }
        return phone;
    }

    private static Uni<JsonNode> answer(Uni<Response> call) {
        return call.onFailure(WebApplicationException.class)
                .recoverWithItem(e -> ((WebApplicationException) e).getResponse())
                .onFailure().transform(e -> {
                    Log.warnf("otp-service unreachable: %s", e.toString());
                    return Problem.unavailable("the verification service is unavailable");
                })
                .map(OtpGateway::read);
    }

    private static JsonNode read(Response response) {
        JsonNode body = response.hasEntity() ? response.readEntity(JsonNode.class) : null;
        int status = response.getStatus();
        if (status < 300) {
            return body;
        }
        if (status == 401 || status >= 500 || body == null || !body.hasNonNull("code")) {
            Log.warnf("otp-service answered %d", status);
            throw Problem.unavailable("the verification service is unavailable");
        }
        Problem problem = new Problem(status, body.get("code").asText(), body.path("title").asText("Error"),
                body.path("detail").asText(null));
        for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> field = it.next();
            if (!Problem.STANDARD_MEMBERS.contains(field.getKey())) {
                problem.with(field.getKey(), field.getValue());
            }
        }
        String retryAfter = response.getHeaderString("Retry-After");
        if (retryAfter != null && retryAfter.strip().matches("[0-9]{1,9}")) {
            problem.retryAfter(Long.parseLong(retryAfter.strip()));
        }
        throw problem;
    }
}
