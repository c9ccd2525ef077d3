package io.phonekey.otp.service;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The conversion watch as {@code GET /api/v1/admin/fraud} answers it (every member always present). */
@Schema(name = "FraudView", description = "The conversion watch: its settings, blocked and flagged prefixes with "
        + "why, watched prefixes and countries with their conversion in the window.")
public record FraudView(
        @Schema(description = "OTP_FRAUD_MODE", required = true, enumeration = {
                "block", "monitor", "off"}, example = "block") String mode,
        @Schema(description = "OTP_FRAUD_WINDOW in seconds (sliding)", required = true,
                example = "3600") long windowSeconds,
        @Schema(description = "OTP_FRAUD_MIN_SENDS: sends in the window before a prefix is judged", required = true,
                example = "30") int minSends,
        @Schema(description = "OTP_FRAUD_MIN_CONVERSION: approved/sent below which a prefix is blocked (0 to 1)",
                required = true, example = "0.15") double minConversion,
        @Schema(description = "OTP_FRAUD_BLOCK_DURATION in seconds", required = true,
                example = "3600") long blockSeconds,
        @Schema(description = "Prefixes under a block", required = true) List<Marked> blocked,
        @Schema(description = "Prefixes that monitor mode only flags", required = true) List<Marked> flagged,
        @Schema(description = "Prefixes with at least half of min_sends sends in the window, lowest conversion "
                + "first", required = true) List<PrefixTally> watched,
        @Schema(description = "Every country with sends in the window", required = true) List<CountryTally> countries){

    /** A blocked or flagged prefix. */
    @Schema(name = "FraudMarkedPrefix", description = "A blocked or flagged number prefix")
    public record Marked(
            @Schema(description = "The E.164 number without its last 4 digits", required = true,
                    example = "+44740012") String prefix,
            @Schema(description = "ISO 3166 alpha-2 country of the prefix", nullable = true,
                    example = "GB") String country,
            @Schema(description = "When the block or flag was set", required = true,
                    example = "2026-12-01T11:58:03.120Z") String since,
            @Schema(description = "When it ends (whole seconds)", required = true,
                    example = "2026-12-01T12:58:03Z") String until,
            @Schema(description = "What the window held when the block was set", required = true,
                    example = "31 codes sent, 2 approved (6.5 %) in the window, below the 15.0 % minimum") String reason,
            @Schema(description = "Codes sent in the window now", required = true, example = "31") long sends,
            @Schema(description = "Codes approved in the window now", required = true, example = "2") long approved,
            @Schema(description = "approved / sends, 0 to 1 (3 decimals)", required = true,
                    example = "0.065") double conversion) {
    }

    /** A watched prefix. */
    @Schema(name = "FraudPrefixTally", description = "A watched number prefix and its conversion in the window")
    public record PrefixTally(
            @Schema(description = "The E.164 number without its last 4 digits", required = true,
                    example = "+44740012") String prefix,
            @Schema(description = "Codes sent in the window", required = true, example = "17") long sends,
            @Schema(description = "Codes approved in the window", required = true, example = "12") long approved,
            @Schema(description = "approved / sends, 0 to 1 (3 decimals)", required = true,
                    example = "0.706") double conversion) {
    }

    /** A country with sends in the window. */
    @Schema(name = "FraudCountryTally", description = "A country and its conversion in the window")
    public record CountryTally(
            @Schema(description = "ISO 3166 alpha-2 country", required = true, example = "GB") String country,
            @Schema(description = "Codes sent in the window", required = true, example = "240") long sends,
            @Schema(description = "Codes approved in the window", required = true, example = "201") long approved,
            @Schema(description = "approved / sends, 0 to 1 (3 decimals)", required = true,
                    example = "0.838") double conversion) {
    }
}
