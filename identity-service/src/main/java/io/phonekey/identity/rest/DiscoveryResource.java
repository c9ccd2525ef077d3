package io.phonekey.identity.rest;

import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.phonekey.identity.config.IdentityConfig;

/**
 * OpenID Connect discovery metadata, so a resource server that verifies PhoneKey tokens (Quarkus OIDC, Spring's
 * {@code issuer-uri}, jose libraries) configures itself from the issuer URL alone. PhoneKey issues access tokens
 * through its own API, not through an authorization endpoint: the document describes the issuer and its keys.
 */
@Path("/.well-known/openid-configuration")
public class DiscoveryResource {

    /** The discovery document (snake_case as on the wire). */
    public record Discovery(String issuer, @JsonProperty("jwks_uri") String jwksUri,
            @JsonProperty("id_token_signing_alg_values_supported") List<String> idTokenSigningAlgValuesSupported,
            @JsonProperty("subject_types_supported") List<String> subjectTypesSupported,
            @JsonProperty("response_types_supported") List<String> responseTypesSupported,
            @JsonProperty("claims_supported") List<String> claimsSupported) {
    }

    private final Discovery discovery;

    public DiscoveryResource(IdentityConfig config) {
        this.discovery = new Discovery(config.issuer(), config.issuer() + "/.well-known/jwks.json", List.of("ES256"),
                List.of("public"), List.of("token"), List.of("iss", "sub", "aud", "exp", "iat", "jti", "sid",
                        "phone_number", "phone_number_verified", "tenant_id"));
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Discovery discovery() {
        return discovery;
    }
}
