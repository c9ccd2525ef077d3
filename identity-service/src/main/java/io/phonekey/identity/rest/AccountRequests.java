package io.phonekey.identity.rest;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Request bodies of the account API (snake_case on the wire). */
public final class AccountRequests {

    private AccountRequests() {
    }

    static final String PHONE = "The number, international (+ and country code) or national with `region`";
    static final String REGION = "ISO 3166 alpha-2 region for a national number";
    static final String OTP_CODE = "The code the user typed: 4 to 10 digits";
    static final String DEVICE_NAME = "Names the session (at most 200 characters); a name the account never signed "
            + "in with before makes a new_device_login notice";

    /** {@code POST /api/auth/register}. {@code verify_phone} defaults to true. */
    @Schema(name = "RegisterRequest", description = "A new account with email and password")
    public record Register(
            @Schema(description = "An address, at most 320 characters; stored lower-case", required = true,
                    example = "ana@example.com") String email,
            @Schema(description = "1 to 200 characters", required = true, example = "Ana Lima") String fullName,
            @Schema(description = PHONE + "; the account's sign-in phone", required = true,
                    example = "+447400123456") String phone,
            @Schema(description = REGION, example = "GB") String region,
            @Schema(description = "8 to 256 characters", required = true, format = "password", minLength = 8,
                    maxLength = 256, example = "correct horse battery staple") String password,
            @Schema(description = "Recorded as the sms_opt_in consent, with time, IP and wording version",
                    defaultValue = "false", example = "false") Boolean smsOptIn,
            @Schema(description = "Must be true: consent to codes by SMS, recorded with time, IP and wording "
                    + "version", required = true, example = "true") Boolean tcpaConsent,
            @Schema(description = "true: the account stays pending until the phone is proven (a signup code is "
                    + "sent)", defaultValue = "true", example = "true") Boolean verifyPhone) {
    }

    /** {@code POST /api/auth/register/verify}. */
    @Schema(name = "RegisterVerifyRequest", description = "The signup code")
    public record RegisterVerify(
            @Schema(description = PHONE, required = true, example = "+447400123456") String phone,
            @Schema(description = REGION, example = "GB") String region,
            @Schema(description = OTP_CODE, required = true, pattern = "^[0-9]{4,10}$",
                    example = "123456") String otpCode,
            @Schema(description = DEVICE_NAME, example = "Ana's phone") String deviceName) {
    }

    /** {@code POST /api/auth/login}. */
    @Schema(name = "LoginRequest", description = "A password sign-in")
    public record Login(
            @Schema(description = "The account's email", required = true, example = "ana@example.com") String email,
            @Schema(description = "The account's password", required = true, format = "password",
                    example = "correct horse battery staple") String password,
            @Schema(description = DEVICE_NAME, example = "Ana's laptop") String deviceName) {
    }

    /** {@code POST /api/auth/login/verify}. */
    @Schema(name = "LoginVerifyRequest", description = "The second factor of a password sign-in")
    public record LoginVerify(
            @Schema(description = "The verification_id the login answered", required = true,
                    example = "0b9f5a3e-6f0e-4a53-9a43-3d4b1f2c7e10") String verificationId,
            @Schema(description = OTP_CODE, required = true, pattern = "^[0-9]{4,10}$",
                    example = "123456") String otpCode,
            @Schema(description = DEVICE_NAME, example = "Ana's laptop") String deviceName) {
    }

    /** {@code PUT /api/auth/mfa}. */
    @Schema(name = "MfaRequest", description = "Turns the second factor of password sign-ins on or off")
    public record Mfa(
            @Schema(description = "true: a code to the account's phone is required from the next password sign-in",
                    required = true, example = "true") Boolean enabled) {
    }

    /** {@code POST /api/auth/password-reset}. */
    @Schema(name = "PasswordResetRequest", description = "Asks for a reset code to the account's phone")
    public record PasswordReset(
            @Schema(description = PHONE, required = true, example = "+447400123456") String phone,
            @Schema(description = REGION, example = "GB") String region) {
    }

    /** {@code POST /api/auth/password-reset/confirm}. */
    @Schema(name = "PasswordResetConfirmRequest", description = "The reset code and the new password")
    public record PasswordResetConfirm(
            @Schema(description = PHONE, required = true, example = "+447400123456") String phone,
            @Schema(description = REGION, example = "GB") String region,
            @Schema(description = OTP_CODE, required = true, pattern = "^[0-9]{4,10}$",
                    example = "123456") String otpCode,
            @Schema(description = "8 to 256 characters", required = true, format = "password", minLength = 8,
                    maxLength = 256, example = "another horse battery staple") String newPassword) {
    }

    /** {@code POST /api/auth/phone-change}. */
    @Schema(name = "PhoneChangeRequest", description = "The new number, to be proven by a code")
    public record PhoneChange(
            @Schema(description = PHONE, required = true, example = "+447400654321") String newPhone,
            @Schema(description = REGION, example = "GB") String region) {
    }

    /** {@code POST /api/auth/phone-change/confirm}. */
    @Schema(name = "PhoneChangeConfirmRequest", description = "The code sent to the new number")
    public record PhoneChangeConfirm(
            @Schema(description = PHONE, required = true, example = "+447400654321") String newPhone,
            @Schema(description = REGION, example = "GB") String region,
            @Schema(description = OTP_CODE, required = true, pattern = "^[0-9]{4,10}$",
                    example = "123456") String otpCode) {
    }

    /** {@code POST /api/telegram/send-verification-code}. */
    @Schema(name = "TelegramCodeRequest", description = "The account's own phone, to send a link_telegram code to")
    public record TelegramCode(
            @Schema(description = PHONE + "; must be the account's phone", required = true,
                    example = "+447400123456") String phoneNumber,
            @Schema(description = REGION, example = "GB") String region) {
    }
}
