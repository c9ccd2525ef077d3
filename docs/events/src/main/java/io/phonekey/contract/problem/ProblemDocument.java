package io.phonekey.contract.problem;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The shape of every error body, for the OpenAPI documents only: {@link Problem#body()} writes it. One schema, named
 * {@code Problem}, that every service's operations refer to; the extension members are present only where the
 * {@code code} says so.
 */
@Schema(name = "Problem", description = "An RFC 9457 problem (application/problem+json). Branch on `status` and "
        + "`code`; `detail` is for people and may change. Extension members appear only with the codes that carry "
        + "them.", additionalProperties = Schema.True.class)
public record ProblemDocument(
        @Schema(description = "https://phonekey.io/problems/ followed by the code with - for _", required = true,
                format = "uri", example = "https://phonekey.io/problems/invalid-phone") String type,
        @Schema(description = "The HTTP reason phrase of the status", required = true,
                example = "Bad Request") String title,
        @Schema(description = "The HTTP status, as in the response line", required = true, minimum = "400",
                maximum = "599", example = "400") int status,
        @Schema(description = "What went wrong, for people; may change between versions", required = true,
                example = "phone must be a valid number in E.164, e.g. +447400123456") String detail,
        @Schema(description = "The stable, machine-readable reason (snake_case); see docs/api.md, Problem codes",
                required = true, example = "invalid_phone") String code,
        @Schema(description = "The body field, query parameter or header at fault (with invalid_field, "
                + "invalid_phone, invalid_idempotency_key, phone_mismatch)", example = "phone") String field,
        @Schema(description = "Checks left on the verification after this one (with invalid_code); at 0 it is "
                + "spent", minimum = "0", example = "4") Integer attemptsLeft,
        @Schema(description = "Which otp-service limit refused (with rate_limited and max_attempts_reached)",
                enumeration = {
                        "phone_gap", "phone_15m", "phone_24h", "ip", "prefix", "fraud_prefix",
                        "phone_locked"},
                example = "phone_gap") String limit,
        @Schema(description = "The number's country, ISO 3166 alpha-2 (with country_not_allowed)",
                example = "IR") String country){
}
