package io.phonekey.otp.service;

import java.util.Locale;

import io.phonekey.contract.problem.Problem;

/** How a code reaches the user. {@code auto} tries Telegram first and falls back to SMS. */
public enum Channel {
    SMS, WHATSAPP, TELEGRAM, AUTO;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Channel parse(String value) {
        if (value == null) {
            return SMS;
        }
        for (Channel c : values()) {
            if (c.wire().equals(value)) {
                return c;
            }
        }
        throw Problem.field("channel", "channel must be one of sms, whatsapp, telegram, auto");
    }
}
