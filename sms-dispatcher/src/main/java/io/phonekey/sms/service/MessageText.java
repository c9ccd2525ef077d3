package io.phonekey.sms.service;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.phonekey.contract.event.Channel;
import io.phonekey.contract.event.OtpRequested;
import io.phonekey.contract.event.SecurityNotice;
import io.phonekey.sms.config.SmsConfig;
import io.phonekey.sms.provider.Phones;

/**
 * Renders the message for a code from the templates in {@code messages/sms_<language>.properties} (UTF-8): one
 * wording per purpose, in the event's language or else the phone country's, with English for anything missing.
 *
 * <pre>
 * code.&lt;purpose&gt;    e.g. "Your {app} login verification code is: {code}"; code.default for other purposes
 * link              only when the event has a link
 * footer            the minutes left and the warning not to share the code
 * &#64;domain #code      only on sms when SMS_WEB_OTP_DOMAIN is set (WebOTP: always the last line)
 * </pre>
 */
@ApplicationScoped
public class MessageText {

    static final String FALLBACK = "en";
    private static final String BUNDLE = "messages/sms_%s.properties";
    private static final Pattern VARIABLE = Pattern.compile("\\{([a-z_]+)}");
    private static final Pattern LANGUAGE = Pattern.compile("[a-z]{2,3}");
    /** What a device name may keep: letters, digits, spaces and {@code - _ ( ) ,}; no dots, slashes or plus signs. */
    private static final Pattern DEVICE_UNSAFE = Pattern.compile("[^\\p{L}\\p{N} _(),-]");

    /** The language of a phone's country when the event names none; every other country gets English. */
    private static final Map<String, String> COUNTRY_LANGUAGE = countryLanguages();

    private final String appName;
    private final String webOtpDomain;
    private final Map<String, Optional<Properties>> bundles = new ConcurrentHashMap<>();

    @Inject
    public MessageText(SmsConfig config) {
        this(config.appName(), config.webOtpDomain().orElse(null));
    }

    /** @param webOtpDomain the origin's host for the WebOTP line, or null/blank for none. */
    MessageText(String appName, String webOtpDomain) {
        this.appName = appName;
        String domain = webOtpDomain == null ? "" : webOtpDomain.strip();
        this.webOtpDomain = domain.startsWith("@") ? domain.substring(1) : domain;
        if (bundle(FALLBACK).isEmpty()) {
            throw new IllegalStateException("missing " + BUNDLE.formatted(FALLBACK));
        }
    }

    public String render(OtpRequested event, String code, Instant now) {
        String language = language(event);
        long minutes = minutesLeft(now, event.getExpiresAt());
        Map<String, String> vars = new HashMap<>();
        vars.put("app", appName);
        vars.put("code", code);
        vars.put("minutes", Long.toString(minutes));
        vars.put("minutes_unit", template(language, "minutes." + plural(language, minutes)));
        String amount = field(event.getAmount(), event.getMetadata(), "amount");
        String payee = field(event.getPayee(), event.getMetadata(), "payee");
        vars.put("amount", amount == null ? "" : amount);
        vars.put("payee", payee == null ? "" : payee);
        String purpose = event.getPurpose() == null ? "default" : event.getPurpose().value();
        if ("transaction".equals(purpose) && (amount == null || payee == null)) {
            purpose = "default";
        }

        StringBuilder text = new StringBuilder(fill(template(language, "code." + purpose, "code.default"), vars));
        if (event.getLinkTemplate() != null && !event.getLinkTemplate().isBlank()) {
            vars.put("link", event.getLinkTemplate().replace("{code}", code));
            text.append('\n').append(fill(template(language, "link"), vars));
        }
        text.append('\n').append(fill(template(language, "footer"), vars));
        if (!webOtpDomain.isEmpty() && event.getChannel() == Channel.SMS) {
            // https://wicg.github.io/sms-one-time-codes/ : the last line, and nothing after it.
            text.append('\n').append('@').append(webOtpDomain).append(" #").append(code);
        }
        return text.toString();
    }

    /**
     * A security notice in the phone's language ({@code notice.<kind>}, else {@code notice.default}). The device name
     * comes from a client, so it is cut down to letters, digits and a few marks: an SMS from us must not carry a
     * stranger's link or phone number.
     */
    public String renderNotice(SecurityNotice notice) {
        String language = language(null, notice.getPhone());
        String device = notice.getDeviceName() == null
                ? ""
                : DEVICE_UNSAFE.matcher(notice.getDeviceName()).replaceAll("");
        device = device.strip();
        device = device.length() > 40 ? device.substring(0, 40).strip() : device;
        Map<String, String> vars = new HashMap<>();
        vars.put("app", appName);
        vars.put("device", device.isEmpty() ? template(language, "notice.unknown_device") : device);
        return fill(template(language, "notice." + notice.getKind().value(), "notice.default"), vars);
    }

    /** The text as stored: every occurrence of the code replaced. */
    public static String redact(String text, String code) {
        return text.replace(code, "*".repeat(code.length()));
    }

    /** The language the message is written in: the event's locale, else the phone's country, else English. */
    String language(OtpRequested event) {
        return language(event.getLocale(), event.getPhone());
    }

    private String language(String locale, String phone) {
        String wanted;
        if (locale == null || locale.isBlank()) {
            String region = Phones.region(phone);
            wanted = region == null ? FALLBACK : COUNTRY_LANGUAGE.getOrDefault(region, FALLBACK);
        } else {
            wanted = locale.strip().toLowerCase(Locale.ROOT).split("[-_]")[0];
        }
        return bundle(wanted).isPresent() ? wanted : FALLBACK;
    }

    /** Whole minutes until expiry, rounded up, never under one. */
    static long minutesLeft(Instant now, Instant expiresAt) {
        Duration left = Duration.between(now, expiresAt);
        long seconds = left.getSeconds() + (left.getNano() > 0 ? 1 : 0);
        return Math.max(1, (seconds + 59) / 60);
    }

    /** The CLDR plural category of a whole number: {@code one}, {@code few}, {@code many} or {@code other}. */
    static String plural(String language, long n) {
        switch (language) {
            case "ru", "uk", "be" :
                long mod10 = n % 10;
                long mod100 = n % 100;
                if (mod10 == 1 && mod100 != 11) {
                    return "one";
                }
                if (mod10 >= 2 && mod10 <= 4 && (mod100 < 12 || mod100 > 14)) {
                    return "few";
                }
                return "many";
            case "fr", "pt" :
                return n == 0 || n == 1 ? "one" : "other";
            default :
                return n == 1 ? "one" : "other";
        }
    }

    private String template(String language, String key) {
        return template(language, key, null);
    }

    /** The key, else the fallback key, first in the language and then in English. */
    private String template(String language, String key, String fallbackKey) {
        for (String lang : new String[]{language, FALLBACK}) {
            Properties p = bundle(lang).orElse(null);
            if (p == null) {
                continue;
            }
            String t = p.getProperty(key);
            if (t == null && key.startsWith("minutes.")) {
                t = p.getProperty("minutes.other");
            }
            if (t == null && fallbackKey != null) {
                t = p.getProperty(fallbackKey);
            }
            if (t != null) {
                return t;
            }
        }
        throw new IllegalStateException("no template " + key + " in " + BUNDLE.formatted(FALLBACK));
    }

    private Optional<Properties> bundle(String language) {
        if (!LANGUAGE.matcher(language).matches()) {
            return Optional.empty();
        }
        return bundles.computeIfAbsent(language, MessageText::load);
    }

    private static Optional<Properties> load(String language) {
        String name = BUNDLE.formatted(language);
        try (InputStream in = MessageText.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                return Optional.empty();
            }
            Properties p = new Properties();
            try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
                p.load(reader);
            }
            return Optional.of(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + name, e);
        }
    }

    /** Replaces each {name} once; text that came from a variable is never read again for more variables. */
    private static String fill(String template, Map<String, String> vars) {
        Matcher m = VARIABLE.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = vars.get(m.group(1));
            m.appendReplacement(out, Matcher.quoteReplacement(value == null ? m.group() : value));
        }
        return m.appendTail(out).toString();
    }

    /** The event's own field, else the same key in its metadata. */
    private static String field(String value, Map<String, Object> metadata, String key) {
        if (value != null && !value.isBlank()) {
            return value;
        }
        Object fromMetadata = metadata == null ? null : metadata.get(key);
        return fromMetadata == null || fromMetadata.toString().isBlank() ? null : fromMetadata.toString();
    }

    private static Map<String, String> countryLanguages() {
        Map<String, String> m = new HashMap<>();
        for (String c : new String[]{"RU", "BY", "KZ", "KG"}) {
            m.put(c, "ru");
        }
        for (String c : new String[]{"ES", "MX", "AR", "CO", "CL", "PE", "VE", "EC", "GT", "CU", "BO", "DO", "HN",
                "PY", "SV", "NI", "CR", "PA", "UY", "PR", "GQ"}) {
            m.put(c, "es");
        }
        for (String c : new String[]{"DE", "AT", "CH", "LI"}) {
            m.put(c, "de");
        }
        for (String c : new String[]{"FR", "BE", "LU", "MC", "SN", "CI", "ML", "BF", "NE", "TG", "BJ", "GN", "CD",
                "CG", "GA", "MG", "HT", "DJ", "KM", "TD", "CF", "BI", "RE", "GP", "MQ", "GF", "YT", "PF", "NC", "PM",
                "WF", "BL", "MF"}) {
            m.put(c, "fr");
        }
        for (String c : new String[]{"PT", "BR", "AO", "MZ", "CV", "GW", "ST", "TL"}) {
            m.put(c, "pt");
        }
        return Map.copyOf(m);
    }
}
