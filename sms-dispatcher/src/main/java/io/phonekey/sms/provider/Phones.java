package io.phonekey.sms.provider;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;

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

    /** The number's region as libphonenumber names it ({@code GB}; {@code 001} when non-geographic), or null. */
    public static String region(String e164) {
        if (e164 == null) {
            return null;
        }
        try {
            PhoneNumberUtil util = PhoneNumberUtil.getInstance();
            return util.getRegionCodeForNumber(util.parse(e164, null));
        } catch (NumberParseException e) {
            return null;
        }
    }
}
