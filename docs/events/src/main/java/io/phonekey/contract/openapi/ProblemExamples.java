package io.phonekey.contract.openapi;

/**
 * Example problem bodies for the OpenAPI documents, one per {@code code}, exactly as {@link
 * io.phonekey.contract.problem.Problem#body()} writes them (the detail texts are the services' own). Constants, so an
 * {@code @ExampleObject(value = ...)} in any service can name them; {@code *_NAME} is the example's name: the code.
 */
public final class ProblemExamples {

    private ProblemExamples() {
    }

    public static final String MISSING_BODY_NAME = "missing_body";
    public static final String MISSING_BODY = "{\"type\": \"https://phonekey.io/problems/missing-body\", \"title\": \"Bad Request\", \"status\": 400, \"detail\": \"a JSON body is required\", \"code\": \"missing_body\"}";

    public static final String MALFORMED_JSON_NAME = "malformed_json";
    public static final String MALFORMED_JSON = "{\"type\": \"https://phonekey.io/problems/malformed-json\", \"title\": \"Bad Request\", \"status\": 400, \"detail\": \"the request body is not valid JSON\", \"code\": \"malformed_json\"}";

    public static final String INVALID_BODY_NAME = "invalid_body";
    public static final String INVALID_BODY = "{\"type\": \"https://phonekey.io/problems/invalid-body\", \"title\": \"Bad Request\", \"status\": 400, \"detail\": \"the request body must be a JSON object\", \"code\": \"invalid_body\"}";

    public static final String INVALID_FIELD_NAME = "invalid_field";
    public static final String INVALID_FIELD = "{\"type\": \"https://phonekey.io/problems/invalid-field\", \"title\": \"Bad Request\", \"status\": 400, \"detail\": \"field 'channel' has the wrong type or format\", \"code\": \"invalid_field\", \"field\": \"channel\"}";

    public static final String INVALID_PHONE_NAME = "invalid_phone";
    public static final String INVALID_PHONE = "{\"type\": \"https://phonekey.io/problems/invalid-phone\", \"title\": \"Bad Request\", \"status\": 400, \"detail\": \"phone must be a valid number in E.164, e.g. +447400123456\", \"code\": \"invalid_phone\", \"field\": \"phone\"}";

    public static final String INVALID_IDEMPOTENCY_KEY_NAME = "invalid_idempotency_key";
    public static final String INVALID_IDEMPOTENCY_KEY = "{\"type\": \"https://phonekey.io/problems/invalid-idempotency-key\", \"title\": \"Bad Request\", \"status\": 400, \"detail\": \"Idempotency-Key must have 1 to 255 characters\", \"code\": \"invalid_idempotency_key\", \"field\": \"Idempotency-Key\"}";

    public static final String PHONE_MISMATCH_NAME = "phone_mismatch";
    public static final String PHONE_MISMATCH = "{\"type\": \"https://phonekey.io/problems/phone-mismatch\", \"title\": \"Bad Request\", \"status\": 400, \"detail\": \"phone_number must be this account's phone\", \"code\": \"phone_mismatch\", \"field\": \"phone_number\"}";

    public static final String UNAUTHORIZED_NAME = "unauthorized";
    public static final String UNAUTHORIZED = "{\"type\": \"https://phonekey.io/problems/unauthorized\", \"title\": \"Unauthorized\", \"status\": 401, \"detail\": \"valid credentials are required: Authorization: Bearer <credential>\", \"code\": \"unauthorized\"}";

    public static final String INVALID_CREDENTIALS_NAME = "invalid_credentials";
    public static final String INVALID_CREDENTIALS = "{\"type\": \"https://phonekey.io/problems/invalid-credentials\", \"title\": \"Unauthorized\", \"status\": 401, \"detail\": \"the email or password is not correct\", \"code\": \"invalid_credentials\"}";

    public static final String INVALID_INIT_DATA_NAME = "invalid_init_data";
    public static final String INVALID_INIT_DATA = "{\"type\": \"https://phonekey.io/problems/invalid-init-data\", \"title\": \"Unauthorized\", \"status\": 401, \"detail\": \"open this page from Telegram: its launch data is missing, stale or not signed by our bot\", \"code\": \"invalid_init_data\"}";

    public static final String FORBIDDEN_NAME = "forbidden";
    public static final String FORBIDDEN = "{\"type\": \"https://phonekey.io/problems/forbidden\", \"title\": \"Forbidden\", \"status\": 403, \"detail\": \"these credentials do not allow this call\", \"code\": \"forbidden\"}";

    public static final String COUNTRY_NOT_ALLOWED_NAME = "country_not_allowed";
    public static final String COUNTRY_NOT_ALLOWED = "{\"type\": \"https://phonekey.io/problems/country-not-allowed\", \"title\": \"Forbidden\", \"status\": 403, \"detail\": \"codes are not sent to numbers in IR\", \"code\": \"country_not_allowed\", \"country\": \"IR\"}";

    public static final String ACCOUNT_NOT_VERIFIED_NAME = "account_not_verified";
    public static final String ACCOUNT_NOT_VERIFIED = "{\"type\": \"https://phonekey.io/problems/account-not-verified\", \"title\": \"Forbidden\", \"status\": 403, \"detail\": \"this account is waiting for its phone to be verified: use register/verify\", \"code\": \"account_not_verified\"}";

    public static final String ACCOUNT_DISABLED_NAME = "account_disabled";
    public static final String ACCOUNT_DISABLED = "{\"type\": \"https://phonekey.io/problems/account-disabled\", \"title\": \"Forbidden\", \"status\": 403, \"detail\": \"this account is disabled\", \"code\": \"account_disabled\"}";

    public static final String INVALID_SIGNATURE_NAME = "invalid_signature";
    public static final String INVALID_SIGNATURE = "{\"type\": \"https://phonekey.io/problems/invalid-signature\", \"title\": \"Forbidden\", \"status\": 403, \"detail\": \"the X-Twilio-Signature does not match\", \"code\": \"invalid_signature\"}";

    public static final String NOT_FOUND_NAME = "not_found";
    public static final String NOT_FOUND = "{\"type\": \"https://phonekey.io/problems/not-found\", \"title\": \"Not Found\", \"status\": 404, \"detail\": \"no pending verification\", \"code\": \"not_found\"}";

    public static final String ALREADY_REGISTERED_NAME = "already_registered";
    public static final String ALREADY_REGISTERED = "{\"type\": \"https://phonekey.io/problems/already-registered\", \"title\": \"Conflict\", \"status\": 409, \"detail\": \"an account with this phone or email exists: sign in instead\", \"code\": \"already_registered\"}";

    public static final String PHONE_TAKEN_NAME = "phone_taken";
    public static final String PHONE_TAKEN = "{\"type\": \"https://phonekey.io/problems/phone-taken\", \"title\": \"Conflict\", \"status\": 409, \"detail\": \"another account has this phone\", \"code\": \"phone_taken\"}";

    public static final String INVALID_CODE_NAME = "invalid_code";
    public static final String INVALID_CODE = "{\"type\": \"https://phonekey.io/problems/invalid-code\", \"title\": \"Unprocessable Content\", \"status\": 422, \"detail\": \"the code is not correct\", \"code\": \"invalid_code\", \"attempts_left\": 4}";

    public static final String IDEMPOTENCY_KEY_REUSED_NAME = "idempotency_key_reused";
    public static final String IDEMPOTENCY_KEY_REUSED = "{\"type\": \"https://phonekey.io/problems/idempotency-key-reused\", \"title\": \"Unprocessable Content\", \"status\": 422, \"detail\": \"this Idempotency-Key was used for a different request\", \"code\": \"idempotency_key_reused\"}";

    public static final String RATE_LIMITED_NAME = "rate_limited";
    public static final String RATE_LIMITED = "{\"type\": \"https://phonekey.io/problems/rate-limited\", \"title\": \"Too Many Requests\", \"status\": 429, \"detail\": \"too many codes requested (limit phone_gap)\", \"code\": \"rate_limited\", \"limit\": \"phone_gap\"}";

    public static final String MAX_ATTEMPTS_REACHED_NAME = "max_attempts_reached";
    public static final String MAX_ATTEMPTS_REACHED = "{\"type\": \"https://phonekey.io/problems/max-attempts-reached\", \"title\": \"Too Many Requests\", \"status\": 429, \"detail\": \"this code has had too many attempts; request a new one\", \"code\": \"max_attempts_reached\"}";

    public static final String TOO_MANY_ATTEMPTS_NAME = "too_many_attempts";
    public static final String TOO_MANY_ATTEMPTS = "{\"type\": \"https://phonekey.io/problems/too-many-attempts\", \"title\": \"Too Many Requests\", \"status\": 429, \"detail\": \"too many failed logins; try again later\", \"code\": \"too_many_attempts\"}";

    public static final String SERVICE_UNAVAILABLE_NAME = "service_unavailable";
    public static final String SERVICE_UNAVAILABLE = "{\"type\": \"https://phonekey.io/problems/service-unavailable\", \"title\": \"Service Unavailable\", \"status\": 503, \"detail\": \"a store or broker this call needs is unavailable\", \"code\": \"service_unavailable\"}";

    public static final String UNSUPPORTED_MEDIA_TYPE_NAME = "unsupported_media_type";
    public static final String UNSUPPORTED_MEDIA_TYPE = "{\"type\": \"https://phonekey.io/problems/unsupported-media-type\", \"title\": \"Unsupported Media Type\", \"status\": 415, \"detail\": \"HTTP 415 Unsupported Media Type\", \"code\": \"unsupported_media_type\"}";

    public static final String INTERNAL_ERROR_NAME = "internal_error";
    public static final String INTERNAL_ERROR = "{\"type\": \"https://phonekey.io/problems/internal-error\", \"title\": \"Internal Server Error\", \"status\": 500, \"detail\": \"an unexpected error occurred\", \"code\": \"internal_error\"}";

    public static final String NOT_ACCEPTABLE_NAME = "not_acceptable";
    public static final String NOT_ACCEPTABLE = "{\"type\": \"https://phonekey.io/problems/not-acceptable\", \"title\": \"Not Acceptable\", \"status\": 406, \"detail\": \"HTTP 406 Not Acceptable\", \"code\": \"not_acceptable\"}";
}
