package io.phonekey.sms.provider;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;

/** The region of a phone, for pricing and country caps (masking is the contract's {@code PhoneMask}). */
public final class Phones {

    private Phones() {
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
