package io.phonekey.identity.rest;

import java.time.OffsetDateTime;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.phonekey.contract.openapi.OpenApi;
import io.phonekey.identity.token.SigningKeys;
import io.smallrye.mutiny.Uni;

/** The signing keys for operators: which exist, and a rotation now (planned, or because a key leaked). */
@Path("/api/v1/admin/signing-keys")
@RolesAllowed(AdminKeys.ADMIN)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "admin")
@SecurityRequirement(name = OpenApi.ADMIN_KEY)
public class SigningKeyResource {

    private static final String KEYS = "[{\"kid\": \"u0V4cX2Q7m1pZ9aB3dE5fG7hJ9kL1mN3pQ5rS7tU9w\", "
            + "\"created_at\": \"2026-12-01T12:00:00Z\", \"activates_at\": \"2026-12-01T14:00:00Z\", "
            + "\"signing\": false}, {\"kid\": \"3fa1T0c1b8Q2m9Xz4aB6dE2fG0hJ1kL3mN4pQ5rS6tU\", "
            + "\"created_at\": \"2026-11-01T12:00:00Z\", \"activates_at\": \"2026-11-01T12:00:00Z\", "
            + "\"retire_after\": \"2026-12-01T14:20:00Z\", \"signing\": true}]";

    /** A key as the admin API shows it: never its private half. */
    @Schema(name = "SigningKey", description = "A signing key not yet retired")
    public record Key(@Schema(description = "Its key id (the kid of the tokens it signs)", required = true) String kid,
            @Schema(description = "When it was written", required = true) OffsetDateTime createdAt,
            @Schema(description = "When it signs from (published in the JWKS before)",
                    required = true) OffsetDateTime activatesAt,
            @Schema(description = "When it leaves the JWKS (absent: not replaced yet)") OffsetDateTime retireAfter,
            @Schema(description = "Whether it signs new tokens now", required = true) boolean signing) {
    }

    private final SigningKeys keys;

    public SigningKeyResource(SigningKeys keys) {
        this.keys = keys;
    }

    @GET
    @Operation(summary = "The signing keys", description = "Every key not yet retired, newest first, with when it "
            + "signs from and when it leaves the JWKS.")
    @APIResponse(responseCode = "200", description = "The keys", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Key[].class),
            examples = @ExampleObject(name = "after_a_planned_rotation", value = KEYS)))
    @APIResponse(responseCode = "401", ref = "AdminUnauthorized")
    @APIResponse(responseCode = "503", ref = "ServiceUnavailable")
    @APIResponse(responseCode = "default", ref = "OtherProblem")
    public Uni<List<Key>> list() {
        return keys.list().map(SigningKeyResource::view);
    }

    @POST
    @Path("/rotate")
    @Operation(summary = "Rotate the signing key now", description = "Planned (default): a new key is published "
            + "at once and signs IDENTITY_SIGNING_KEY_PUBLISH_AHEAD from now; the current key retires after its "
            + "last token expired, so no verifier refuses a valid token. `compromised=true`: the new key signs at "
            + "once and every other key is withdrawn at once: tokens they signed are refused by this service now "
            + "(by other verifiers when their JWKS cache expires, 5 minutes) and clients refresh. Answers the keys "
            + "after the rotation.")
    @APIResponse(responseCode = "200", description = "The keys after the rotation, newest first", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Key[].class),
            examples = @ExampleObject(name = "planned", value = KEYS)))
    @APIResponse(responseCode = "401", ref = "AdminUnauthorized")
    @APIResponse(responseCode = "503", ref = "ServiceUnavailable")
    @APIResponse(responseCode = "default", ref = "OtherProblem")
    public Uni<List<Key>> rotate(@Parameter(
            description = "The current key leaked: withdraw it at once") @QueryParam("compromised") boolean compromised) {
        return keys.rotateNow(compromised).map(SigningKeyResource::view);
    }

    private static List<Key> view(List<SigningKeys.KeyInfo> stored) {
        OffsetDateTime now = OffsetDateTime.now();
        String signing = stored.stream().filter(k -> !k.activatesAt().isAfter(now)).map(SigningKeys.KeyInfo::kid)
                .findFirst().orElse(null);
        return stored.stream().map(k -> new Key(k.kid(), k.createdAt(), k.activatesAt(), k.retireAfter(),
                k.kid().equals(signing))).toList();
    }
}
