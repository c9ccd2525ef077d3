package io.phonekey.identity.service;

import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The tokens of a login or refresh. */
@Schema(name = "Tokens", description = "The tokens of a sign-in or refresh")
public record TokenResponse(
        @Schema(description = "ES256 JWT with kid; claims iss, sub (user id), aud phonekey, exp, iat, jti, sid, "
                + "phone_number, phone_number_verified, tenant_id", required = true,
                example = "eyJhbGciOiJFUzI1NiIsImtpZCI6IjNmYTEifQ.eyJzdWIiOiI1YzBkIn0.c2lnbmF0dXJl") String accessToken,
        @Schema(description = "Always bearer", required = true, example = "bearer") String tokenType,
        @Schema(description = "The access token's life in seconds", required = true, example = "900") long expiresIn,
        @Schema(description = "Opaque, single use: every refresh spends it and answers a new one", required = true,
                example = "Q2b7hV0m9kX3c1pLr8sT5wYz4aB6dE2fG0hJ1kL3mN4") String refreshToken,
        @Schema(description = "The user's id", required = true,
                example = "5c0d6a8e-2b1f-4b7e-9e7a-0a9d7c3b1f22") UUID userId,
        @Schema(description = "The user's tenant", required = true, example = "default") String tenantId,
        // Named explicitly: the wire name has always been is_new_user (a record component, not a bean getter).
        @Schema(description = "True on the first sign-in of a phone (the user was created)", required = true,
                example = "true") @JsonProperty("is_new_user") boolean isNewUser) {
}
