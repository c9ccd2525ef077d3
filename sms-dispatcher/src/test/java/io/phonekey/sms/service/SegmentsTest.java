package io.phonekey.sms.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The segment counter against hand-counted texts: limits, extension characters, pairs never split. */
class SegmentsTest {

    private static final String GRINNING = "\uD83D\uDE00";

    static Stream<Arguments> texts() {
        return Stream.of(
                // text, encoding, units (septets or UTF-16 units), segments
                Arguments.of("", "GSM-7", 0, 1),
                Arguments.of("a".repeat(160), "GSM-7", 160, 1),
                Arguments.of("a".repeat(161), "GSM-7", 161, 2),
                Arguments.of("a".repeat(306), "GSM-7", 306, 2),
                Arguments.of("a".repeat(307), "GSM-7", 307, 3),
                Arguments.of("@£$¥èéùìòÇØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ¤¡ÄÖÑÜ§¿äöñüà\n\r", "GSM-7", 44, 1),
                // Extension characters take two septets each.
                Arguments.of("€".repeat(80), "GSM-7", 160, 1),
                Arguments.of("€".repeat(81), "GSM-7", 162, 2),
                Arguments.of("^{}\\[~]|€\f", "GSM-7", 20, 1),
                Arguments.of("a".repeat(159) + "€", "GSM-7", 161, 2),
                // An escape pair is not split: 152 + [€ would be 154] → €+151, then 1.
                Arguments.of("a".repeat(152) + "€" + "a".repeat(152), "GSM-7", 306, 3),
                // One character outside GSM-7 makes the whole text UCS-2 (ç is not in it, Ç is).
                Arguments.of("ç", "UCS-2", 1, 1),
                Arguments.of("a".repeat(159) + "ç", "UCS-2", 160, 3),
                Arguments.of("я".repeat(70), "UCS-2", 70, 1),
                Arguments.of("я".repeat(71), "UCS-2", 71, 2),
                Arguments.of("я".repeat(134), "UCS-2", 134, 2),
                Arguments.of("я".repeat(135), "UCS-2", 135, 3),
                // Characters outside the BMP take two units; a surrogate pair is not split either.
                Arguments.of(GRINNING.repeat(35), "UCS-2", 70, 1),
                Arguments.of("a".repeat(66) + GRINNING + "a".repeat(66), "UCS-2", 134, 3),
                Arguments.of("Your PhoneKey login verification code is: 047392\n"
                        + "This code expires in 10 minutes. Don't share it.", "GSM-7", 97, 1),
                Arguments.of("Ваш код входа в PhoneKey: 047392\nКод действует 10 минут. Никому не сообщайте код.",
                        "UCS-2", 81, 2));
    }

    @ParameterizedTest
    @MethodSource("texts")
    void counts(String text, String encoding, int units, int segments) {
        assertEquals(new Segments.Count(encoding, units, segments), Segments.count(text));
        assertEquals(segments, Segments.of(text));
    }
}
