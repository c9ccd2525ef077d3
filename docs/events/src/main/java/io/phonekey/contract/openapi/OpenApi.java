package io.phonekey.contract.openapi;

/**
 * Names the four services' OpenAPI annotations share: the security schemes, the problem media type and the
 * {@code Retry-After} header. The schemes themselves are declared by each service's {@code OpenApiDefinition}.
 */
public final class OpenApi {

    private OpenApi() {
    }

    /** {@code Authorization: Bearer <key>} with a backend key (otp-service's OTP_API_KEYS). */
    public static final String API_KEY = "apiKey";
    /** {@code Authorization: Bearer <key>} with an operator key (OTP_ADMIN_API_KEYS, SMS_ADMIN_API_KEYS). */
    public static final String ADMIN_KEY = "adminKey";
    /** {@code Authorization: Bearer <access token>}: an ES256 JWT issued by identity-service. */
    public static final String JWT = "jwt";

    public static final String PROBLEM_JSON = "application/problem+json";

    public static final String RETRY_AFTER = "Retry-After";
    public static final String RETRY_AFTER_DESCRIPTION = "Seconds (at least 1) until the limit that refused lets the "
            + "same request through";
}
