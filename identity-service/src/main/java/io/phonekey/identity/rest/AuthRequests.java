package io.phonekey.identity.rest;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Request bodies of the auth API (snake_case on the wire). */
public final class AuthRequests {

    private AuthRequests() {
    }

    /** {@code POST /api/auth/request-otp}. */
    @Schema(name = "RequestOtpRequest", description = "Asks for a login code")
    public record RequestOtp(
            @Schema(description = AccountRequests.PHONE, required = true, example = "+447400123456") String phone,
            @Schema(description = AccountRequests.REGION, example = "GB") String region,
            @Schema(description = "How the code is delivered", enumeration = {
                    "sms", "whatsapp", "telegram", "auto"},
                    defaultValue = "sms", example = "sms") String channel){
    }

    /** {@code POST /api/auth/verify-otp}. */
    @Schema(name = "VerifyOtpRequest", description = "The login code")
    public record VerifyOtp(
            @Schema(description = "The number the code was sent to", required = true,
                    example = "+447400123456") String phone,
            @Schema(description = AccountRequests.REGION, example = "GB") String region,
            @Schema(description = AccountRequests.OTP_CODE, required = true, pattern = "^[0-9]{4,10}$",
                    example = "123456") String otpCode,
            @Schema(description = AccountRequests.DEVICE_NAME, maxLength = 200,
                    example = "Ana's phone") String deviceName) {
    }

    /** {@code POST /api/auth/refresh}. */
    @Schema(name = "RefreshRequest", description = "A refresh token to spend")
    public record Refresh(
            @Schema(description = "The refresh token of the last sign-in or refresh", required = true,
                    example = "Q2b7hV0m9kX3c1pLr8sT5wYz4aB6dE2fG0hJ1kL3mN4") String refreshToken) {
    }
}
