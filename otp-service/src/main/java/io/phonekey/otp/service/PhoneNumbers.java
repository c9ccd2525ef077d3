package io.phonekey.otp.service;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;

import io.phonekey.contract.problem.Problem;
import io.phonekey.contract.text.PhoneNumbers.Parsed;
import io.phonekey.otp.config.OtpConfig;

/** Decides whether a code may be sent to a number: SMS-capable type, allowed country (parsing is the contract's). */
@ApplicationScoped
public class PhoneNumbers {

    /** Number types that can receive an SMS; premium-rate, shared-cost, toll-free and landlines cannot. */
    private static final Set<PhoneNumberType> SMS_CAPABLE = EnumSet.of(PhoneNumberType.MOBILE,
            PhoneNumberType.FIXED_LINE_OR_MOBILE);

    private final Optional<Set<String>> allowedCountries;

    public PhoneNumbers(OtpConfig config) {
        this.allowedCountries = config.allowedCountries()
                .map(list -> Set.copyOf(list.stream().map(c -> c.trim().toUpperCase(Locale.ROOT)).toList()));
    }

    /** Parses and validates for sending; throws a 400 {@code invalid_phone} or 403 {@code country_not_allowed}. */
    public Parsed parseForSending(String raw, String region) {
        return parseForSending(raw, region, true);
    }

    /**
     * As {@link #parseForSending(String, String)}; {@code bySms} false (the bot's own chat) skips the number-type rule,
     * since Telegram accounts exist on numbers that cannot take an SMS. The country allow-list holds on every channel.
     */
    public Parsed parseForSending(String raw, String region, boolean bySms) {
        Parsed parsed = parse(raw, region);
        if (bySms && !SMS_CAPABLE.contains(parsed.type())) {
            throw Problem.badRequest("invalid_phone", "the number cannot receive codes (type " + parsed.type() + ")")
                    .with("field", "phone");
        }
        if (allowedCountries.isPresent() && !allowedCountries.get().contains(parsed.region())) {
            throw new Problem(403, "country_not_allowed", "Forbidden",
                    "codes are not sent to numbers in " + parsed.region()).with("country", parsed.region());
        }
        return parsed;
    }

    /** Parses and validates any format (the contract's rules); throws a 400 {@code invalid_phone}. */
    public Parsed parse(String raw, String region) {
        return io.phonekey.contract.text.PhoneNumbers.parse(raw, region);
    }
}
