package io.phonekey.identity.rest;

/** Request bodies of the auth API (snake_case on the wire). */
public final class AuthRequests {

    private AuthRequests() {
    }

    /** {@code POST /api/auth/request-otp}. */
    public record RequestOtp(String phone, String region, String channel) {
    }

    /** {@code POST /api/auth/verify-otp}. */
    public record VerifyOtp(String phone, String region, String otpCode, String deviceName) {
    }

    /** {@code POST /api/auth/refresh}. */
    public record Refresh(String refreshToken) {
    }
}
