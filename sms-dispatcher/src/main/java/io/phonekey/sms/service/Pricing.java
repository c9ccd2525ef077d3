package io.phonekey.sms.service;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

import jakarta.inject.Singleton;

import com.google.i18n.phonenumbers.PhoneNumberUtil;

import io.phonekey.sms.config.SmsConfig;
import io.phonekey.sms.repository.SpendLedger;
import io.quarkus.runtime.Startup;

/**
 * Prices per segment and the daily caps, read once at start-up: a malformed setting (a bad amount, a region such as
 * {@code UK} that does not exist) stops the service instead of leaving a cap unenforced. Amounts are USD.
 */
@Startup
@Singleton
public class Pricing {

    public static final String CURRENCY = "USD";
    private static final String NONE = "none";

    private final BigDecimal defaultPrice;
    private final Map<String, BigDecimal> prices;
    private final Optional<BigDecimal> phoneCap;
    private final Optional<BigDecimal> countryCapDefault;
    private final Map<String, Optional<BigDecimal>> countryCaps;

    public Pricing(SmsConfig config) {
        this.defaultPrice = amount("SMS_PRICE_DEFAULT", config.price().defaultPrice().toPlainString());
        this.prices = pairs("SMS_PRICE_PER_COUNTRY", config.price().perCountry(),
                v -> amount("SMS_PRICE_PER_COUNTRY", v));
        this.phoneCap = cap("SMS_CAP_PHONE_DAILY", config.cap().phoneDaily());
        this.countryCapDefault = cap("SMS_CAP_COUNTRY_DAILY_DEFAULT", config.cap().countryDailyDefault());
        this.countryCaps = pairs("SMS_CAP_COUNTRY_DAILY", config.cap().countryDaily(),
                v -> cap("SMS_CAP_COUNTRY_DAILY", v));
    }

    /** What a message of this many segments to this country is expected to cost, to 5 decimals. */
    public BigDecimal estimate(String country, int segments) {
        return prices.getOrDefault(SpendLedger.countryKey(country), defaultPrice).multiply(BigDecimal.valueOf(segments))
                .setScale(5, RoundingMode.HALF_UP);
    }

    /** The daily cap of one phone number; empty when there is none. */
    public Optional<BigDecimal> phoneCap() {
        return phoneCap;
    }

    /** The daily budget of a country; empty when there is none. */
    public Optional<BigDecimal> countryCap(String country) {
        return countryCaps.getOrDefault(SpendLedger.countryKey(country), countryCapDefault);
    }

    /** The countries with a budget of their own. */
    public Set<String> countriesWithBudgets() {
        return countryCaps.keySet();
    }

    private static Optional<BigDecimal> cap(String variable, String value) {
        return NONE.equalsIgnoreCase(value.strip()) ? Optional.empty() : Optional.of(amount(variable, value));
    }

    private static BigDecimal amount(String variable, String value) {
        try {
            BigDecimal amount = new BigDecimal(value.strip());
            if (amount.signum() >= 0) {
                return amount;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalStateException(variable + ": '" + value + "' is not an amount in USD (e.g. 0.0079)");
    }

    /** {@code ISO:value} pairs, comma-separated; regions as libphonenumber names them ({@code 001}: non-geographic). */
    private static <T> Map<String, T> pairs(String variable, Optional<String> setting, Function<String, T> value) {
        Map<String, T> map = new TreeMap<>();
        if (setting.isEmpty() || setting.get().isBlank()) {
            return map;
        }
        Set<String> regions = PhoneNumberUtil.getInstance().getSupportedRegions();
        for (String pair : setting.get().split(",")) {
            String[] parts = pair.strip().split(":", 2);
            String region = parts[0].strip().toUpperCase(Locale.ROOT);
            if (parts.length != 2 || !(regions.contains(region) || "001".equals(region))) {
                throw new IllegalStateException(variable + " must be comma-separated ISO:value pairs with ISO 3166 "
                        + "regions (GB, not UK), not '" + pair.strip() + "'");
            }
            map.put(region, value.apply(parts[1]));
        }
        return new LinkedHashMap<>(map);
    }
}
