package io.phonekey.sms.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import io.phonekey.contract.event.Channel;
import io.phonekey.contract.event.OtpRequested;
import io.phonekey.contract.event.Purpose;

/** Templates per purpose and language, plurals, the WebOTP line: plain unit tests, no Quarkus. */
class MessageTextTest {

    private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
    private static final String CODE = "047392";
    private static final String GB = "+447400123456";
    private static final String LINK = "https://t.me/PhoneKeyBot?start={code}";
    private static final List<String> LANGUAGES = List.of("en", "ru", "es", "de", "fr", "pt");
    private static final List<String> PURPOSES = List.of("login", "signup", "link_telegram", "password_reset", "2fa",
            "transaction");
    /** A phrase of each language's warning not to share the code. */
    private static final Map<String, String> WARNING = Map.of("en", "Don't share it", "ru",
            "Никому не сообщайте код", "es", "No compartas este código", "de", "Geben Sie den Code nicht weiter", "fr",
            "Ne partagez ce code avec personne", "pt", "Não compartilhe este código");

    private final MessageText text = new MessageText("Acme", null);

    private static OtpRequested event(String phone, String channel, String purpose, String locale, long seconds,
            String link, Map<String, Object> metadata, String amount, String payee) {
        return new OtpRequested().withVerificationId("v-1").withPhone(phone).withChannel(Channel.fromValue(channel))
                .withPurpose(purpose(purpose)).withLocale(locale).withExpiresAt(NOW.plusSeconds(seconds))
                .withLinkTemplate(link).withMetadata(metadata).withAmount(amount).withPayee(payee);
    }

    /** Purposes the schema does not know cannot arrive in an event (the reader refuses them); here they stand for none. */
    private static Purpose purpose(String wire) {
        return java.util.Arrays.stream(Purpose.values()).filter(p -> p.value().equals(wire)).findFirst().orElse(null);
    }

    private static OtpRequested event(String purpose, String locale) {
        return event(GB, "sms", purpose, locale, 600, "link_telegram".equals(purpose) ? LINK : null, Map.of(),
                "transaction".equals(purpose) ? "EUR 1,250.00" : null,
                "transaction".equals(purpose) ? "ACME Trading Ltd" : null);
    }

    private static OtpRequested inLanguage(String locale, long seconds) {
        return event(GB, "sms", "login", locale, seconds, null, Map.of(), null, null);
    }

    static Stream<Arguments> languagesAndPurposes() {
        return LANGUAGES.stream().flatMap(l -> PURPOSES.stream().map(p -> Arguments.of(l, p)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("languagesAndPurposes")
    void everyLanguageAndPurposeHasCodeMinutesAppAndWarning(String language, String purpose) {
        OtpRequested event = event(purpose, language);
        String body = text.render(event, CODE, NOW);

        assertEquals(language, text.language(event));
        assertTrue(body.contains(CODE), body);
        assertTrue(body.contains(" 10 "), body);
        assertTrue(body.contains("Acme"), body);
        assertTrue(body.contains(WARNING.get(language)), body);
        assertFalse(body.matches("(?s).*\\{[a-z_]+}.*"), "an unfilled variable: " + body);
        assertFalse(body.contains("null"), body);
    }

    @ParameterizedTest
    @ValueSource(strings = {"en", "ru", "es", "de", "fr", "pt"})
    void eachPurposeHasItsOwnWordingAndUnknownOnesTheDefault(String language) {
        Set<String> firstLines = new HashSet<>();
        for (String purpose : PURPOSES) {
            firstLines.add(text.render(event(purpose, language), CODE, NOW).split("\n")[0]);
        }
        String generic = text.render(event("default", language), CODE, NOW);
        assertEquals(PURPOSES.size(), firstLines.size(), "purposes share a wording: " + firstLines);
        assertFalse(firstLines.contains(generic.split("\n")[0]), generic);
        assertEquals(generic, text.render(event("no_such_purpose", language), CODE, NOW));
        assertEquals(generic, text.render(event(null, language), CODE, NOW));
    }

    @Test
    void englishTextExactly() {
        assertEquals("Your Acme login verification code is: 047392\nThis code expires in 10 minutes. Don't share it.",
                text.render(event("login", null), CODE, NOW));
        assertEquals("Your Acme verification code is: 047392\nThis code expires in 1 minute. Don't share it.",
                text.render(event(GB, "sms", "unknown", null, 45, null, null, null, null), CODE, NOW));
    }

    @ParameterizedTest
    @CsvSource({"pt-BR, pt", "PT_pt, pt", "es-MX, es", "de-CH, de", "fr, fr", "ru-RU, ru", "en-GB, en", "EN, en"})
    void languageFromTheEventLocale(String locale, String language) {
        assertEquals(language, text.language(event(GB, "sms", "login", locale, 600, null, null, null, null)));
        assertEquals(language, text.language(event("+79123456789", "sms", "login", locale, 600, null, null, null,
                null)), "the event's locale wins over the phone's country");
    }

    @ParameterizedTest
    @ValueSource(strings = {"it", "it-IT", "ja", "x", "../../x", "english", "e1"})
    void unknownLocalesFallBackToEnglish(String locale) {
        OtpRequested event = event("+79123456789", "sms", "login", locale, 600, null, null, null, null);
        assertEquals("en", text.language(event));
        assertTrue(text.render(event, CODE, NOW).startsWith("Your Acme login verification code is: " + CODE));
    }

    @Test
    void missingKeysComeFromEnglish() {
        // src/test/resources/messages/sms_zz.properties has code.login, code.default and minutes.one only.
        assertEquals("ZZ-login Acme 047392\nThis code expires in 1 zz-minute. Don't share it.",
                text.render(inLanguage("zz", 60), CODE, NOW));
        assertEquals("ZZ-login Acme 047392\nThis code expires in 5 minutes. Don't share it.",
                text.render(inLanguage("zz", 300), CODE, NOW));
        assertTrue(text.render(event("signup", "zz"), CODE, NOW).startsWith("ZZ-default Acme 047392\n"),
                "a language's default wording comes before English's own for the purpose");
    }

    @ParameterizedTest
    @CsvSource({"+79123456789, ru", "+375294911911, ru", "+77710009998, ru", "+996700123456, ru",
            "+34612345678, es", "+525512345678, es", "+5491123456789, es", "+573211234567, es", "+56961234567, es",
            "+51912345678, es", "+4915123456789, de", "+43664123456, de", "+41781234567, de", "+33612345678, fr",
            "+32470123456, fr", "+351912345678, pt", "+5511961234567, pt", "+244923123456, pt", "+258821234567, pt",
            "+447400123456, en", "+12015550123, en", "+819012345678, en", "+390612345678, en", "not-a-phone, en"})
    void languageFromThePhoneCountryWhenTheEventHasNone(String phone, String language) {
        for (String locale : new String[]{null, "", " "}) {
            OtpRequested event = event(phone, "sms", "login", locale, 600, null, null, null, null);
            assertEquals(language, text.language(event), phone);
            assertTrue(text.render(event, CODE, NOW).contains(WARNING.get(language)));
        }
    }

    @ParameterizedTest
    @CsvSource({"1, 1 минута", "2, 2 минуты", "3, 3 минуты", "4, 4 минуты", "5, 5 минут", "10, 10 минут",
            "11, 11 минут", "12, 12 минут", "14, 14 минут", "15, 15 минут", "20, 20 минут", "21, 21 минута",
            "22, 22 минуты", "24, 24 минуты", "25, 25 минут", "101, 101 минута", "111, 111 минут",
            "112, 112 минут", "122, 122 минуты"})
    void russianPlurals(long minutes, String phrase) {
        assertEquals("Срок действия: " + phrase + ". Никому не сообщайте код.",
                text.render(inLanguage("ru", minutes * 60), CODE, NOW).split("\n")[1]);
    }

    @ParameterizedTest
    @CsvSource({"en, 1, 1 minute.", "en, 2, 2 minutes.", "en, 5, 5 minutes.", "en, 21, 21 minutes.",
            "es, 1, 1 minuto.", "es, 5, 5 minutos.", "de, 1, 1 Minute.", "de, 5, 5 Minuten.", "fr, 1, 1 minute.",
            "fr, 5, 5 minutes.", "pt, 1, 1 minuto.", "pt, 5, 5 minutos."})
    void singularAndPluralInOtherLanguages(String language, long minutes, String phrase) {
        assertTrue(text.render(inLanguage(language, minutes * 60), CODE, NOW).contains(" " + phrase));
    }

    @ParameterizedTest
    @CsvSource({"ru, 0, many", "ru, 1, one", "ru, 21, one", "ru, 11, many", "ru, 3, few", "ru, 13, many",
            "en, 0, other", "en, 1, one", "fr, 0, one", "fr, 1, one", "fr, 2, other", "de, 1, one", "de, 2, other"})
    void pluralCategories(String language, long n, String category) {
        assertEquals(category, MessageText.plural(language, n));
    }

    @ParameterizedTest
    @CsvSource({"600, 10", "599, 10", "601, 11", "60, 1", "61, 2", "30, 1", "1, 1", "0, 1", "-90, 1"})
    void minutesAreRoundedUpAndAtLeastOne(long seconds, long minutes) {
        assertEquals(minutes, MessageText.minutesLeft(NOW, NOW.plusSeconds(seconds)));
    }

    @Test
    void aFractionOfASecondStillRoundsUp() {
        assertEquals(11, MessageText.minutesLeft(NOW, NOW.plus(Duration.ofMillis(600_001))));
        assertEquals(10, MessageText.minutesLeft(NOW, NOW.plus(Duration.ofMillis(599_999))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"en", "ru", "es", "de", "fr", "pt"})
    void transactionNamesAmountAndPayee(String language) {
        String body = text.render(event("transaction", language), CODE, NOW);
        assertTrue(body.contains("EUR 1,250.00"), body);
        assertTrue(body.contains("ACME Trading Ltd"), body);
    }

    @Test
    void transactionAmountAndPayeeFromMetadataWhenTheFieldsAreAbsent() {
        String body = text.render(event(GB, "sms", "transaction", "en", 600, null,
                Map.of("amount", "USD 20.00", "payee", "Bob"), null, null), CODE, NOW);
        assertTrue(body.startsWith("Your Acme code to approve USD 20.00 to Bob is: 047392\n"), body);
    }

    @Test
    void transactionWithoutAmountUsesTheDefaultWording() {
        String body = text.render(event(GB, "sms", "transaction", "en", 600, null, Map.of(), null, "Bob"), CODE,
                NOW);
        assertTrue(body.startsWith("Your Acme verification code is: 047392\n"), body);
    }

    @Test
    void variablesInValuesAreNotExpandedAgain() {
        String body = text.render(event(GB, "sms", "transaction", "en", 600, null, Map.of(), "{code}", "{app}"),
                CODE, NOW);
        assertTrue(body.startsWith("Your Acme code to approve {code} to {app} is: 047392\n"), body);
    }

    @ParameterizedTest
    @ValueSource(strings = {"en", "ru", "es", "de", "fr", "pt"})
    void linkTelegramCarriesTheLinkWithTheCode(String language) {
        String[] lines = text.render(event("link_telegram", language), CODE, NOW).split("\n");
        assertEquals(3, lines.length);
        assertEquals("https://t.me/PhoneKeyBot?start=047392", lines[1]);
    }

    @Test
    void noLinkLineWithoutALink() {
        assertEquals(2, text.render(event("login", "en"), CODE, NOW).split("\n").length);
        assertEquals(2, text.render(event(GB, "sms", "login", "en", 600, " ", null, null, null), CODE, NOW)
                .split("\n").length);
    }

    static Stream<Arguments> purposesWithWebOtp() {
        return PURPOSES.stream().map(Arguments::of);
    }

    @ParameterizedTest
    @MethodSource("purposesWithWebOtp")
    void webOtpLineIsTheLastLineOfAnSms(String purpose) {
        MessageText webOtp = new MessageText("Acme", "app.example.com");
        for (String language : LANGUAGES) {
            String body = webOtp.render(event(purpose, language), CODE, NOW);
            assertTrue(body.endsWith("\n@app.example.com #047392"), body);
            String[] lines = body.split("\n");
            assertEquals("@app.example.com #047392", lines[lines.length - 1]);
            assertEquals(1, body.split("@app.example.com").length - 1, "one origin line");
        }
    }

    @Test
    void webOtpDomainIsTrimmedAndMayBeWrittenWithItsAt() {
        assertTrue(new MessageText("Acme", " @app.example.com ").render(event("login", "en"), CODE, NOW)
                .endsWith("\nThis code expires in 10 minutes. Don't share it.\n@app.example.com #047392"));
    }

    @Test
    void noWebOtpLineOnWhatsapp() {
        MessageText webOtp = new MessageText("Acme", "app.example.com");
        String body = webOtp.render(event(GB, "whatsapp", "login", "en", 600, null, null, null, null), CODE, NOW);
        assertFalse(body.contains("@app.example.com"), body);
        assertFalse(body.contains("#"), body);
        assertEquals(text.render(event(GB, "whatsapp", "login", "en", 600, null, null, null, null), CODE, NOW), body);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"  "})
    void noWebOtpLineWhenNoDomainIsSet(String domain) {
        String body = new MessageText("Acme", domain).render(event("login", "en"), CODE, NOW);
        assertFalse(body.contains("#"), body);
        assertFalse(body.contains("@"), body);
        assertEquals(2, body.split("\n").length);
    }

    @ParameterizedTest
    @MethodSource("purposesWithWebOtp")
    void englishFitsOneGsm7Segment(String purpose) {
        String gsm7 = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§"
                + "¿abcdefghijklmnopqrstuvwxyzäöñüà";
        String body = new MessageText("PhoneKey", "app.example.com").render(event(purpose, "en"), CODE, NOW);
        if ("link_telegram".equals(purpose)) {
            body = body.replace("https://t.me/PhoneKeyBot?start=047392\n", "");
        }
        assertTrue(body.length() <= 160, body.length() + ": " + body);
        for (char c : body.toCharArray()) {
            assertTrue(gsm7.indexOf(c) >= 0, "not GSM-7: '" + c + "' in " + body);
        }
    }

    @Test
    void redactionHidesEveryCopyOfTheCode() {
        String body = new MessageText("Acme", "app.example.com").render(event("link_telegram", "en"), CODE, NOW);
        String stored = MessageText.redact(body, CODE);
        assertFalse(stored.contains(CODE), stored);
        assertTrue(stored.endsWith("\n@app.example.com #******"), stored);
    }
}
