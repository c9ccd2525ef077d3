package io.phonekey.telegram.bot;

import java.util.Locale;
import java.util.Map;
import java.util.MissingResourceException;
import java.util.ResourceBundle;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.ibm.icu.text.MessageFormat;

/**
 * The bot's words in the user's {@code language_code} (messages/bot_*.properties; en and ru today, English for any
 * other language). ICU MessageFormat gives each language its own plural rules: 1 минуту, 2 минуты, 5 минут.
 */
@ApplicationScoped
public class Texts {

    private final String app;
    private final Map<String, ResourceBundle> bundles = new ConcurrentHashMap<>();

    public Texts(@ConfigProperty(name = "telegram.app-name", defaultValue = "PhoneKey") String app) {
        this.app = app;
    }

    /** The language a chat is answered in: the first subtag of its language_code when we have it, else en. */
    public String language(String languageCode) {
        if (languageCode == null || languageCode.isBlank()) {
            return "en";
        }
        String lang = languageCode.strip().toLowerCase(Locale.ROOT).split("[-_]")[0];
        try {
            return bundle(lang).getLocale().getLanguage().equals(lang) ? lang : "en";
        } catch (MissingResourceException e) {
            return "en";
        }
    }

    public String get(String languageCode, String key, Object... namesAndValues) {
        String lang = language(languageCode);
        String pattern;
        try {
            pattern = bundle(lang).getString(key);
        } catch (MissingResourceException e) {
            pattern = bundle("en").getString(key);
        }
        Map<String, Object> args = new java.util.HashMap<>();
        args.put("app", app);
        for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
            args.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return new MessageFormat(pattern, Locale.forLanguageTag(lang)).format(args);
    }

    private ResourceBundle bundle(String lang) {
        return bundles.computeIfAbsent(lang, l -> ResourceBundle.getBundle("messages.bot", Locale.forLanguageTag(l),
                ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES)));
    }
}
