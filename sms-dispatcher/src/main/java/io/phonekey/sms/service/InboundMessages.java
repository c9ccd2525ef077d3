package io.phonekey.sms.service;

import java.util.Locale;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;

import io.phonekey.sms.config.SmsConfig;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;

/**
 * Messages phones send to us (Twilio's incoming-message webhook). The keywords of Twilio's opt-out handling count
 * when they are the whole trimmed body or its first word, in any case: STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT
 * opt out; START, UNSTOP, YES opt back in ({@link OptOuts}); HELP, INFO ask for help. Other text gets no answer.
 */
@ApplicationScoped
public class InboundMessages {

    /** What a keyword asks for. */
    public enum Intent {
        OPT_OUT, OPT_IN, HELP
    }

    /** A keyword found in a message: the word, upper case, and what it asks for. */
    public record Keyword(String word, Intent intent) {
    }

    private static final Map<String, Intent> KEYWORDS = Map.ofEntries(Map.entry("STOP", Intent.OPT_OUT),
            Map.entry("STOPALL", Intent.OPT_OUT), Map.entry("UNSUBSCRIBE", Intent.OPT_OUT),
            Map.entry("CANCEL", Intent.OPT_OUT), Map.entry("END", Intent.OPT_OUT), Map.entry("QUIT", Intent.OPT_OUT),
            Map.entry("START", Intent.OPT_IN), Map.entry("UNSTOP", Intent.OPT_IN), Map.entry("YES", Intent.OPT_IN),
            Map.entry("HELP", Intent.HELP), Map.entry("INFO", Intent.HELP));

    private static final String WHATSAPP = "whatsapp:";

    private final OptOuts optOuts;
    private final SmsConfig config;

    public InboundMessages(OptOuts optOuts, SmsConfig config) {
        this.optOuts = optOuts;
        this.config = config;
    }

    /** The keyword a message body carries, or null. */
    public static Keyword keyword(String body) {
        String[] words = body == null ? new String[0] : body.trim().split("\\s+", 2);
        String word = words.length == 0 ? "" : words[0].toUpperCase(Locale.ROOT);
        Intent intent = KEYWORDS.get(word);
        return intent == null ? null : new Keyword(word, intent);
    }

    /**
     * Handles one incoming message: records a consent change and completes with the reply text, or null for no reply.
     * A message id seen before changes nothing again but gets the same reply.
     */
    public Uni<String> handle(String from, String body, String messageSid) {
        Keyword keyword = keyword(body);
        if (keyword == null) {
            return Uni.createFrom().nullItem();
        }
        if (keyword.intent() == Intent.HELP) {
            return Uni.createFrom().item(text(config.helpText()));
        }
        boolean optOut = keyword.intent() == Intent.OPT_OUT;
        String channel = from != null && from.regionMatches(true, 0, WHATSAPP, 0, WHATSAPP.length())
                ? "whatsapp"
                : "sms";
        String phone = e164("whatsapp".equals(channel) ? from.substring(WHATSAPP.length()) : from);
        if (phone == null || messageSid == null || messageSid.isBlank()) {
            // Nothing to record it against: say nothing rather than confirm a change that did not happen.
            Log.warnf("a %s from a sender that is not a phone number, or without MessageSid: ignored", keyword.word());
            return Uni.createFrom().nullItem();
        }
        return optOuts
                .record(new OptOuts.Change(phone, channel, optOut, keyword.word(), OptOuts.TWILIO_INBOUND, messageSid))
                .replaceWith(text(optOut ? config.optOutText() : config.optInText()));
    }

    private String text(String template) {
        return template.replace("{app}", config.appName());
    }

    /** The number in E.164, or null when it is not a possible phone number (an alphanumeric sender, a short code). */
    static String e164(String number) {
        if (number == null) {
            return null;
        }
        PhoneNumberUtil util = PhoneNumberUtil.getInstance();
        try {
            PhoneNumber parsed = util.parse(number.trim(), null);
            return util.isPossibleNumber(parsed) ? util.format(parsed, PhoneNumberUtil.PhoneNumberFormat.E164) : null;
        } catch (NumberParseException e) {
            return null;
        }
    }
}
