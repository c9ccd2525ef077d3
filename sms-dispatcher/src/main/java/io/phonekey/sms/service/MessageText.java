package io.phonekey.sms.service;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.phonekey.sms.config.SmsConfig;
import io.phonekey.sms.event.OtpRequested;

/** Renders the message for a code: app name, code, the link when the event has one, and the minutes left. */
@ApplicationScoped
public class MessageText {

    /** {app}, {code}, {minutes}; only English for now, other locales fall back to it. */
    private static final Map<String, String[]> TEMPLATES = Map.of(
            "en", new String[]{"Your {app} verification code is: {code}", "This code expires in {minutes} minutes.",
                    "Confirm {amount} to {payee}."});

    private final SmsConfig config;

    public MessageText(SmsConfig config) {
        this.config = config;
    }

    public String render(OtpRequested event, String code, Instant now) {
        String[] t = TEMPLATES.getOrDefault(language(event.locale()), TEMPLATES.get("en"));
        long minutes = Math.max(1, (Duration.between(now, event.expiresAt()).toSeconds() + 59) / 60);
        StringBuilder text = new StringBuilder(t[0].replace("{app}", config.appName()).replace("{code}", code));
        if ("transaction".equals(event.purpose()) && event.amount() != null && event.payee() != null) {
            text.append('\n').append(t[2].replace("{amount}", event.amount()).replace("{payee}", event.payee()));
        }
        if (event.linkTemplate() != null) {
            text.append('\n').append(event.linkTemplate().replace("{code}", code));
        }
        text.append('\n').append(t[1].replace("{minutes}", Long.toString(minutes)));
        return text.toString();
    }

    /** The text as stored: every occurrence of the code replaced. */
    public static String redact(String text, String code) {
        return text.replace(code, "*".repeat(code.length()));
    }

    private static String language(String locale) {
        return locale == null ? "en" : locale.toLowerCase(Locale.ROOT).split("[-_]")[0];
    }
}
