package io.phonekey.sms.provider;

import io.phonekey.contract.text.PhoneMask;

/** One message to send: E.164 recipient, channel ({@code sms} or {@code whatsapp}) and text. */
public record OutgoingSms(String to, String channel, String text) {

    @Override
    public String toString() {
        return "OutgoingSms[to=" + PhoneMask.mask(to) + ", channel=" + channel + "]";
    }
}
