package io.phonekey.contract.text;

/** Phones as they may appear in logs and admin views: country code and last four digits ({@code +44******3456}). */
public final class PhoneMask {

    private PhoneMask() {
    }

    public static String mask(String e164) {
        if (e164 == null || e164.length() < 7) {
            return "***";
        }
        return e164.substring(0, 3) + "*".repeat(e164.length() - 7) + e164.substring(e164.length() - 4);
    }
}
