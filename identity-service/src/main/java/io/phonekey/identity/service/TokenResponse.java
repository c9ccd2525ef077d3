package io.phonekey.identity.service;

import java.util.UUID;

/** The tokens of a login or refresh. */
public record TokenResponse(
        String accessToken,
        String tokenType,
        long expiresIn,
        String refreshToken,
        UUID userId,
        String tenantId,
        boolean isNewUser) {
}
