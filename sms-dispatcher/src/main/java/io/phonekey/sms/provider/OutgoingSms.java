package io.phonekey.sms.provider;

/** One message to send: E.164 recipient, channel ({@code sms} or {@code whatsapp}) and text. */
public record OutgoingSms(String to, String channel, String text) {

    @Override
    public String toString() {
        return "OutgoingSms[to=" + Phones.mask(to) + ", channel=" + channel + "]";
    }
}
