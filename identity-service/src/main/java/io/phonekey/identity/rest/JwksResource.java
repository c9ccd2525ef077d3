package io.phonekey.identity.rest;

import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirements;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.phonekey.contract.openapi.OpenApi;
import io.phonekey.contract.openapi.ProblemExamples;
import io.phonekey.contract.problem.ProblemDocument;
import io.phonekey.identity.token.SigningKeys;

/** Publishes every key a valid access token may be signed with, for this and every other verifying service. */
@Path("/.well-known/jwks.json")
@Tag(name = "discovery")
public class JwksResource {

    /** The JWK Set as {@link SigningKeys#jwks()} writes it (documentation only: the answer is that text). */
    @Schema(name = "JwkSet", description = "RFC 7517 JWK Set")
    public record JwkSet(@Schema(description = "Every key a valid access token may be signed with",
            required = true) List<Jwk> keys) {
    }

    /** One public key. */
    @Schema(name = "Jwk", description = "An ES256 public key (P-256)")
    public record Jwk(
            @Schema(description = "Key type", required = true, example = "EC") String kty,
            @Schema(description = "The key id, the kid of the tokens it signs (its SHA-256 thumbprint)",
                    required = true, example = "3fa1T0c1b8Q2m9Xz4aB6dE2fG0hJ1kL3mN4pQ5rS6tU") String kid,
            @Schema(description = "Always sig", required = true, example = "sig") String use,
            @Schema(description = "Always ES256", required = true, example = "ES256") String alg,
            @Schema(description = "The curve", required = true, example = "P-256") String crv,
            @Schema(description = "base64url x coordinate", required = true,
                    example = "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU") String x,
            @Schema(description = "base64url y coordinate", required = true,
                    example = "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0") String y) {
    }

    private final SigningKeys keys;

    public JwksResource(SigningKeys keys) {
        this.keys = keys;
    }

    @GET
    @Produces({"application/jwk-set+json", MediaType.APPLICATION_JSON})
    @SecurityRequirements({})
    @Operation(summary = "The signing keys", description = "The JWK Set of every key a valid access token may be "
            + "signed with, for the services that verify PhoneKey tokens. Cacheable for 5 minutes. An Accept "
            + "header that admits neither media type: 406 not_acceptable.")
    @APIResponse(responseCode = "200", description = "The JWK Set",
            headers = @Header(name = "Cache-Control", description = "max-age=300",
                    schema = @Schema(type = SchemaType.STRING)),
            content = {@Content(mediaType = "application/jwk-set+json",
                    schema = @Schema(implementation = JwkSet.class),
                    examples = @ExampleObject(name = "one_key", value = JWKS)),
                    @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = JwkSet.class),
                            examples = @ExampleObject(name = "one_key", value = JWKS))})
    @APIResponse(responseCode = "406", description = "The Accept header admits none of the media types",
            content = @Content(mediaType = OpenApi.PROBLEM_JSON,
                    schema = @Schema(implementation = ProblemDocument.class),
                    examples = @ExampleObject(name = ProblemExamples.NOT_ACCEPTABLE_NAME,
                            value = ProblemExamples.NOT_ACCEPTABLE)))
    @APIResponse(responseCode = "default", ref = "OtherProblem")
    public Response jwks() {
        CacheControl cache = new CacheControl();
        cache.setMaxAge(300);
        return Response.ok(keys.jwks()).cacheControl(cache).build();
    }

    static final String JWKS = "{\"keys\": [{\"kty\": \"EC\", \"kid\": \"3fa1T0c1b8Q2m9Xz4aB6dE2fG0hJ1kL3mN4pQ5rS6tU\", "
            + "\"use\": \"sig\", \"alg\": \"ES256\", \"crv\": \"P-256\", "
            + "\"x\": \"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU\", "
            + "\"y\": \"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0\"}]}";
}
