package io.phonekey.identity.rest;

/** Request bodies of the account API (snake_case on the wire). */
public final class AccountRequests {

    private AccountRequests() {
    }

    /** {@code POST /api/auth/register}. {@code verify_phone} defaults to true. */
    public record Register(String email, String fullName, String phone, String region, String password,
            Boolean smsOptIn, Boolean tcpaConsent, Boolean verifyPhone) {
    }

    /** {@code POST /api/auth/register/verify}. */
    public record RegisterVerify(String phone, String region, String otpCode, String deviceName) {
    }

    /** {@code POST /api/auth/login}. */
    public record Login(String email, String password, String deviceName) {
    }

    /** {@code POST /api/auth/login/verify}. */
    public record LoginVerify(String verificationId, String otpCode, String deviceName) {
    }

    /** {@code PUT /api/auth/mfa}. */
    public record Mfa(Boolean enabled) {
    }

    /** {@code POST /api/auth/password-reset}. */
    public record PasswordReset(String phone, String region) {
    }

    /** {@code POST /api/auth/password-reset/confirm}. */
    public record PasswordResetConfirm(String phone, String region, String otpCode, String newPassword) {
    }

    /** {@code POST /api/auth/phone-change}. */
    public record PhoneChange(String newPhone, String region) {
    }

    /** {@code POST /api/auth/phone-change/confirm}. */
    public record PhoneChangeConfirm(String newPhone, String region, String otpCode) {
    }

    /** {@code POST /api/telegram/send-verification-code}. */
    public record TelegramCode(String phoneNumber, String region) {
    }
}
