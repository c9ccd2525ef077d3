package io.phonekey.sms.service;

/**
 * How many SMS segments a text takes (3GPP TS 23.038): GSM-7 when every character is in the default alphabet or its
 * extension table (extension characters take two septets), else UCS-2. One segment holds 160 septets or 70 UTF-16
 * units; a concatenated message 153 or 67 per segment, and neither an escape pair nor a surrogate pair is split.
 */
public final class Segments {

    /** The GSM 03.38 default alphabet, one septet each. */
    private static final String GSM_BASIC = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
            + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
    /** The extension table: an escape septet plus one. */
    private static final String GSM_EXTENSION = "^{}\\[~]|€\f";

    private static final int GSM_SINGLE = 160;
    private static final int GSM_PART = 153;
    private static final int UCS2_SINGLE = 70;
    private static final int UCS2_PART = 67;

    /** The encoding ({@code GSM-7} or {@code UCS-2}), the septets or UTF-16 units, and the segments. */
    public record Count(String encoding, int units, int segments) {
    }

    private Segments() {
    }

    public static int of(String text) {
        return count(text).segments();
    }

    public static Count count(String text) {
        String s = text == null ? "" : text;
        boolean gsm = s.chars().allMatch(c -> GSM_BASIC.indexOf(c) >= 0 || GSM_EXTENSION.indexOf(c) >= 0);
        int[] widths = gsm
                ? s.chars().map(c -> GSM_EXTENSION.indexOf(c) >= 0 ? 2 : 1).toArray()
                : s.codePoints().map(Character::charCount).toArray();
        int units = 0;
        for (int w : widths) {
            units += w;
        }
        if (units <= (gsm ? GSM_SINGLE : UCS2_SINGLE)) {
            return new Count(gsm ? "GSM-7" : "UCS-2", units, 1);
        }
        int part = gsm ? GSM_PART : UCS2_PART;
        int segments = 1;
        int used = 0;
        for (int w : widths) {
            if (used + w > part) {
                segments++;
                used = 0;
            }
            used += w;
        }
        return new Count(gsm ? "GSM-7" : "UCS-2", units, segments);
    }
}
