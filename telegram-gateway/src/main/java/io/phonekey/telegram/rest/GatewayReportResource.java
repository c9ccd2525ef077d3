package io.phonekey.telegram.rest;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.ResponseStatus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.phonekey.contract.problem.Problem;
import io.phonekey.telegram.gateway.GatewayApi;
import io.phonekey.telegram.gateway.GatewayRequests;
import io.smallrye.mutiny.Uni;

/**
 * The Telegram Gateway API's delivery reports (the {@code callback_url} we give it). The signature is checked over
 * the raw body as the Gateway documents it; a bad signature or a stale timestamp is 403 and changes nothing.
 */
@Path("/telegram/gateway/report")
public class GatewayReportResource {

    private final GatewayApi gateway;
    private final GatewayRequests requests;
    private final ObjectMapper mapper;

    public GatewayReportResource(GatewayApi gateway, GatewayRequests requests, ObjectMapper mapper) {
        this.gateway = gateway;
        this.requests = requests;
        this.mapper = mapper;
    }

    @POST
    @Consumes({MediaType.APPLICATION_JSON, MediaType.WILDCARD})
    @ResponseStatus(200)
    public Uni<Void> report(@HeaderParam("X-Request-Timestamp") String timestamp,
            @HeaderParam("X-Request-Signature") String signature, byte[] body) {
        if (!gateway.reportIsAuthentic(timestamp, signature, body, System.currentTimeMillis() / 1000)) {
            throw Problem.forbidden("the report's signature or timestamp is not valid");
        }
        JsonNode status;
        try {
            status = mapper.readTree(body);
        } catch (Exception e) {
            throw Problem.badRequest("malformed_json", "the report is not JSON");
        }
        return requests.report(status);
    }
}
