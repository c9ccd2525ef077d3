package io.phonekey.otp.service;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;

import io.phonekey.otp.config.OtpConfig;
import io.phonekey.otp.rest.Problem;

/** Parses any common phone format with libphonenumber and decides whether a code may be sent to it. */
@ApplicationScoped
public class PhoneNumbers {

    /** Number types that can receive an SMS; premium-rate, shared-cost, toll-free and landlines cannot. */
    private static final Set<PhoneNumberType> SMS_CAPABLE = EnumSet.of(PhoneNumberType.MOBILE,
            PhoneNumberType.FIXED_LINE_OR_MOBILE);

    private final PhoneNumberUtil util = PhoneNumberUtil.getInstance();
    private final Optional<Set<String>> allowedCountries;

    public PhoneNumbers(OtpConfig config) {
        this.allowedCountries = config.allowedCountries()
                .map(list -> Set.copyOf(list.stream().map(c -> c.trim().toUpperCase(Locale.ROOT)).toList()));
    }

    /** A parsed, valid number: E.164 and its region. */
    public record Parsed(String e164, String region, PhoneNumberType type) {
    }

    /** Parses and validates for sending; throws a 400 {@code invalid_phone} or 403 {@code country_not_allowed}. */
    public Parsed parseForSending(String raw, String region) {
        Parsed parsed = parse(raw, region);
        if (!SMS_CAPABLE.contains(parsed.type())) {
            throw Problem.badRequest("invalid_phone", "the number cannot receive codes (type " + parsed.type() + ")")
                    .with("field", "phone");
        }
        if (allowedCountries.isPresent() && !allowedCountries.get().contains(parsed.region())) {
            throw new Problem(403, "country_not_allowed", "Forbidden",
                    "codes are not sent to numbers in " + parsed.region()).with("country", parsed.region());
        }
        return parsed;
    }

    /** Parses and validates any format; throws a 400 {@code invalid_phone}. */
    public Parsed parse(String raw, String region) {
        PhoneNumber number = parsed(raw, region);
        if (!util.isValidNumber(number)) {
            throw invalid("not a valid phone number");
        }
        return new Parsed(util.format(number, PhoneNumberUtil.PhoneNumberFormat.E164),
                util.getRegionCodeForNumber(number), util.getNumberType(number));
    }

    private PhoneNumber parsed(String raw, String region) {
        if (raw == null || raw.isBlank()) {
            throw invalid("phone is required");
        }
        if (raw.length() > 32) {
            throw invalid("phone is too long");
        }
        String defaultRegion = region == null ? null : region.trim().toUpperCase(Locale.ROOT);
        if (defaultRegion != null && !util.getSupportedRegions().contains(defaultRegion)) {
            throw Problem.field("region", "unknown region '" + region + "'");
        }
        try {
            return util.parse(raw, defaultRegion);
        } catch (NumberParseException e) {
            throw invalid("could not parse the phone number"
                    + (defaultRegion == null && !raw.trim().startsWith("+")
                            ? ": give it with + and country code, or a region"
                            : ""));
        }
    }

    private static Problem invalid(String detail) {
        return Problem.badRequest("invalid_phone", detail).with("field", "phone");
    }

    /** Masks a phone for logs: {@code +44******3456}. */
    public static String mask(String e164) {
        if (e164 == null || e164.length() < 7) {
            return "***";
        }
        return e164.substring(0, 3) + "*".repeat(e164.length() - 7) + e164.substring(e164.length() - 4);
    }

}
