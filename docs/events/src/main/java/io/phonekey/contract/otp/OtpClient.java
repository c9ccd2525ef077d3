package io.phonekey.contract.otp;

import java.util.Map;

import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import io.smallrye.mutiny.Uni;

/**
 * otp-service's Verify API (OTP_URL, config key {@code otp}), for the services that ask it for codes on a user's
 * behalf. Error answers come back as responses, not exceptions: see {@link OtpGateway}.
 */
@RegisterRestClient(configKey = "otp")
@Path("/api/v1/verifications")
public interface OtpClient {

    @POST
    Uni<Response> create(@HeaderParam("Authorization") String authorization, Map<String, Object> body);

    @POST
    @Path("/check")
    Uni<Response> check(@HeaderParam("Authorization") String authorization, Map<String, Object> body);
}
