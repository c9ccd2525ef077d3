package io.phonekey.identity.rest;

import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirements;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.phonekey.contract.openapi.OpenApi;
import io.phonekey.contract.openapi.ProblemExamples;
import io.phonekey.contract.problem.ProblemDocument;
import io.phonekey.identity.config.IdentityConfig;

/**
 * OpenID Connect discovery metadata, so a resource server that verifies PhoneKey tokens (Quarkus OIDC, Spring's
 * {@code issuer-uri}, jose libraries) configures itself from the issuer URL alone. PhoneKey issues access tokens
 * through its own API, not through an authorization endpoint: the document describes the issuer and its keys.
 */
@Path("/.well-known/openid-configuration")
@Tag(name = "discovery")
public class DiscoveryResource {

    /** The discovery document (snake_case as on the wire). */
    @Schema(name = "Discovery", description = "OpenID Connect discovery metadata of the token issuer")
    public record Discovery(
            @Schema(description = "JWT_ISSUER: the iss of every token", required = true,
                    example = "http://localhost:8082") String issuer,
            @Schema(description = "Where the signing keys are", required = true,
                    example = "http://localhost:8082/.well-known/jwks.json") @JsonProperty("jwks_uri") String jwksUri,
            @Schema(description = "Always [ES256]", required = true,
                    example = "[\"ES256\"]") @JsonProperty("id_token_signing_alg_values_supported") List<String> idTokenSigningAlgValuesSupported,
            @Schema(description = "Always [public]", required = true,
                    example = "[\"public\"]") @JsonProperty("subject_types_supported") List<String> subjectTypesSupported,
            @Schema(description = "Always [token]", required = true,
                    example = "[\"token\"]") @JsonProperty("response_types_supported") List<String> responseTypesSupported,
            @Schema(description = "The claims of an access token", required = true,
                    example = "[\"iss\", \"sub\", \"aud\", \"exp\", \"iat\", \"jti\", \"sid\", \"phone_number\", "
                            + "\"phone_number_verified\", \"tenant_id\"]") @JsonProperty("claims_supported") List<String> claimsSupported) {
    }

    private final Discovery discovery;

    public DiscoveryResource(IdentityConfig config) {
        this.discovery = new Discovery(config.issuer(), config.issuer() + "/.well-known/jwks.json", List.of("ES256"),
                List.of("public"), List.of("token"), List.of("iss", "sub", "aud", "exp", "iat", "jti", "sid",
                        "phone_number", "phone_number_verified", "tenant_id"));
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @SecurityRequirements({})
    @Operation(summary = "OpenID Connect discovery", description = "The issuer and its keys, so a resource server "
            + "(Quarkus OIDC, Spring's issuer-uri, jose libraries) configures itself from JWT_ISSUER alone. Tokens "
            + "are issued by this API's sign-in calls, not by an authorization endpoint.")
    @APIResponse(responseCode = "200", description = "The discovery document",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = Discovery.class),
                    examples = @ExampleObject(name = "local", value = "{\"issuer\": \"http://localhost:8082\", "
                            + "\"jwks_uri\": \"http://localhost:8082/.well-known/jwks.json\", "
                            + "\"id_token_signing_alg_values_supported\": [\"ES256\"], "
                            + "\"subject_types_supported\": [\"public\"], \"response_types_supported\": [\"token\"], "
                            + "\"claims_supported\": [\"iss\", \"sub\", \"aud\", \"exp\", \"iat\", \"jti\", \"sid\", "
                            + "\"phone_number\", \"phone_number_verified\", \"tenant_id\"]}")))
    @APIResponse(responseCode = "406", description = "The Accept header admits none of the media types",
            content = @Content(mediaType = OpenApi.PROBLEM_JSON,
                    schema = @Schema(implementation = ProblemDocument.class),
                    examples = @ExampleObject(name = ProblemExamples.NOT_ACCEPTABLE_NAME,
                            value = ProblemExamples.NOT_ACCEPTABLE)))
    @APIResponse(responseCode = "default", ref = "OtherProblem")
    public Discovery discovery() {
        return discovery;
    }
}
