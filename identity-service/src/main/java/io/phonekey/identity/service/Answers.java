package io.phonekey.identity.service;

import java.time.Instant;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The bodies identity-service answers besides {@link TokenResponse} (snake_case on the wire through the global naming
 * strategy). Every member is always written, null included, unless it says otherwise.
 */
public final class Answers {

    private Answers() {
    }

    /** {@code POST /api/auth/register}: the code's id and life only when a signup code was sent. */
    @Schema(name = "Registered", description = "The new account; `verification_id` and `expires_in` only when a "
            + "signup code was sent (verify_phone true)")
    public record Registered(
            @Schema(description = "The account's id", required = true,
                    example = "5c0d6a8e-2b1f-4b7e-9e7a-0a9d7c3b1f22") UUID userId,
            @Schema(description = "pending_verification until the phone is proven, or active", required = true,
                    enumeration = {
                            "pending_verification", "active"},
                    example = "pending_verification") String status,
            @Schema(description = "The signup code's verification (for register/verify)",
                    example = "0b9f5a3e-6f0e-4a53-9a43-3d4b1f2c7e10") @JsonInclude(JsonInclude.Include.NON_NULL) String verificationId,
            @Schema(description = "The signup code's life in seconds",
                    example = "600") @JsonInclude(JsonInclude.Include.NON_NULL) Long expiresIn){
    }

    /** {@code POST /api/auth/login} with 2FA on: no tokens yet, a code to the account's phone. */
    @Schema(name = "MfaChallenge", description = "The password is right and the account has 2FA on: a 2fa code was "
            + "sent to the account's phone; finish with login/verify")
    public record MfaChallenge(
            @Schema(description = "Always true", required = true, example = "true") boolean mfaRequired,
            @Schema(description = "The 2fa code's verification, for login/verify", required = true,
                    example = "0b9f5a3e-6f0e-4a53-9a43-3d4b1f2c7e10") String verificationId,
            @Schema(description = "The code's life in seconds", required = true, example = "600") long expiresIn) {
    }

    /** {@code PUT /api/auth/mfa}. */
    @Schema(name = "MfaState", description = "Whether password sign-ins need a code to the account's phone")
    public record MfaState(
            @Schema(description = "The setting now", required = true, example = "true") boolean mfaEnabled) {
    }

    /** {@code POST /api/auth/password-reset}: the same for every phone. */
    @Schema(name = "Accepted", description = "The same answer whether or not the phone has an account")
    public record Accepted(
            @Schema(description = "For people", required = true,
                    example = "If this phone has an account, a reset code is on its way.") String message) {
    }

    /** {@code POST /api/auth/phone-change}: a code to the new number. */
    @Schema(name = "CodeSent", description = "A code is on its way")
    public record CodeSent(
            @Schema(description = "The code's verification", required = true,
                    example = "0b9f5a3e-6f0e-4a53-9a43-3d4b1f2c7e10") String verificationId,
            @Schema(description = "The code's life in seconds", required = true, example = "600") long expiresIn) {
    }

    /** {@code POST /api/auth/request-otp}. */
    @Schema(name = "OtpSent", description = "A login code is on its way; the same whether or not the phone has an "
            + "account")
    public record OtpSent(
            @Schema(description = "For people", required = true, example = "Verification code sent") String message,
            @Schema(description = "The channel the code goes by", required = true,
                    enumeration = {
                            "sms", "whatsapp", "telegram", "auto"},
                    example = "sms") String deliveryMethod,
            @Schema(description = "The code's verification", required = true,
                    example = "0b9f5a3e-6f0e-4a53-9a43-3d4b1f2c7e10") String verificationId,
            @Schema(description = "The code's life in seconds", required = true, example = "600") long expiresIn){
    }

    /** {@code GET /api/auth/me}. */
    @Schema(name = "Me", description = "The signed-in user")
    public record Me(
            @Schema(description = "The user's id (the token's sub)", required = true,
                    example = "5c0d6a8e-2b1f-4b7e-9e7a-0a9d7c3b1f22") UUID userId,
            @Schema(description = "The account's phone in E.164", required = true,
                    example = "+447400123456") String phone,
            @Schema(description = "Whether the phone has been proven by a code", required = true,
                    example = "true") boolean phoneVerified,
            @Schema(description = "The email, for accounts registered with one; null otherwise", required = true,
                    nullable = true, example = "ana@example.com") String email,
            @Schema(description = "The full name, for accounts registered with one; null otherwise", required = true,
                    nullable = true, example = "Ana Lima") String fullName,
            @Schema(description = "The user's tenant", required = true, example = "default") String tenantId,
            @Schema(description = "The account's status", required = true,
                    enumeration = {
                            "active", "pending_verification", "disabled"},
                    example = "active") String status,
            @Schema(description = "Whether a Telegram chat is linked", required = true,
                    example = "false") boolean telegramLinked,
            @Schema(description = "When the account was created", required = true,
                    example = "2026-11-20T09:14:02.318Z") Instant createdAt){
    }

    /** One entry of {@code GET /api/auth/sessions}. */
    @Schema(name = "Session", description = "An open session (a signed-in device)")
    public record SessionView(
            @Schema(description = "The session id (the token's sid)", required = true,
                    example = "9d4e1f0a-7c2b-4a8e-b1d3-5f6a7b8c9d0e") UUID id,
            @Schema(description = "The device_name given at sign-in; null when none was", required = true,
                    nullable = true, example = "Ana's phone") String deviceName,
            @Schema(description = "When the session was opened", required = true,
                    example = "2026-12-01T12:00:00.000Z") Instant createdAt,
            @Schema(description = "When a token of the session was last refreshed", required = true, nullable = true,
                    example = "2026-12-01T12:14:31.204Z") Instant lastSeenAt,
            @Schema(description = "Whether this is the session of the token that asks", required = true,
                    example = "true") boolean current) {
    }

    /** {@code POST /api/telegram/send-verification-code}. */
    @Schema(name = "TelegramCodeSent", description = "A link_telegram code is on its way by SMS, with a link to the "
            + "WebApp page")
    public record TelegramCodeSent(
            @Schema(description = "Always true", required = true, example = "true") boolean success,
            @Schema(description = "For people", required = true, example = "Verification code sent") String message,
            @Schema(description = "The account's phone in E.164", required = true,
                    example = "+447400123456") String phoneNumber,
            @Schema(description = "The code's life in seconds", required = true, example = "600") long expiresIn,
            @Schema(description = "The code's verification", required = true,
                    example = "0b9f5a3e-6f0e-4a53-9a43-3d4b1f2c7e10") String verificationId) {
    }
}
