package io.phonekey.sms.provider;

/** Phone masking for logs and stored records: {@code +44******3456}. */
public final class Phones {

    private Phones() {
    }

    public static String mask(String e164) {
        if (e164 == null || e164.length() < 7) {
            return "***";
        }
        return e164.substring(0, 3) + "*".repeat(e164.length() - 7) + e164.substring(e164.length() - 4);
    }
}
