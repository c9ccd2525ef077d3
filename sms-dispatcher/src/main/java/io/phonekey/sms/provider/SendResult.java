package io.phonekey.sms.provider;

import java.math.BigDecimal;
import java.util.Locale;

/**
 * The provider's answer to a send: its message id and initial status, and what it reported of the cost: segments,
 * price (absolute) and its currency, each null when not reported.
 */
public record SendResult(String providerMessageId, String status, Integer segments, BigDecimal price,
        String priceUnit) {

    public SendResult(String providerMessageId, String status) {
        this(providerMessageId, status, null, null, null);
    }

    /** A provider's price as stored: absolute (Twilio reports a charge as negative); null when absent or unreadable. */
    public static BigDecimal price(String reported) {
        try {
            return reported == null || reported.isBlank() ? null : new BigDecimal(reported.strip()).abs();
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** A provider's segment count; null when absent or unreadable. */
    public static Integer segments(String reported) {
        try {
            return reported == null || reported.isBlank() ? null : Integer.valueOf(reported.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** A provider's currency as an ISO 4217 code ({@code USD}); null when absent or not one. */
    public static String currency(String reported) {
        String code = reported == null ? "" : reported.strip().toUpperCase(Locale.ROOT);
        return code.matches("[A-Z]{3}") ? code : null;
    }
}
