package io.phonekey.contract.text;

import java.util.Locale;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;

import io.phonekey.contract.problem.Problem;

/**
 * Phone numbers as every PhoneKey API accepts them: any common format (with a region for national ones), parsed and
 * validated by libphonenumber, answered in E.164. A number with an extension, or with characters that are not part of
 * a phone number (a replacement character from bad UTF-8, control characters), is refused rather than normalised
 * away: what was checked must be what the user typed. Failures are 400 {@code invalid_phone} problems naming
 * {@code field}.
 */
public final class PhoneNumbers {

    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();

    private PhoneNumbers() {
    }

    /** A parsed, valid number: E.164, its region and its type. */
    public record Parsed(String e164, String region, PhoneNumberType type) {
    }

    public static Parsed parse(String raw, String region) {
        return parse(raw, region, "phone");
    }

    /** Parses and validates; {@code field} names the body field in the problem. */
    public static Parsed parse(String raw, String region, String field) {
        if (raw == null || raw.isBlank()) {
            throw invalid(field, field + " is required");
        }
        if (raw.length() > 32) {
            throw invalid(field, field + " is too long");
        }
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (!Character.isDigit(c) && " +-().".indexOf(c) < 0) {
                throw invalid(field, field + " may hold only digits, spaces, + - ( ) and .");
            }
        }
        String defaultRegion = region == null ? null : region.strip().toUpperCase(Locale.ROOT);
        if (defaultRegion != null && !UTIL.getSupportedRegions().contains(defaultRegion)) {
            throw Problem.field("region", "unknown region '" + region + "'");
        }
        PhoneNumber number;
        try {
            number = UTIL.parse(raw, defaultRegion);
        } catch (NumberParseException e) {
            throw invalid(field, "could not parse the phone number"
                    + (defaultRegion == null && !raw.strip().startsWith("+")
                            ? ": give it with + and country code, or a region"
                            : ""));
        }
        if (number.hasExtension() || !UTIL.isValidNumber(number)) {
            throw invalid(field, "not a valid phone number");
        }
        return new Parsed(UTIL.format(number, PhoneNumberUtil.PhoneNumberFormat.E164),
                UTIL.getRegionCodeForNumber(number), UTIL.getNumberType(number));
    }

    private static Problem invalid(String field, String detail) {
        return Problem.badRequest("invalid_phone", detail).with("field", field);
    }
}
