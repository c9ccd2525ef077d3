package io.phonekey.sms.provider;

/**
 * A way to deliver a text message. Implementations may block: the courier calls them on its provider worker threads,
 * many at once (up to {@code SMS_MAX_IN_FLIGHT}), so they must be thread-safe.
 */
public interface SmsProvider {

    /** Short name stored with each message, e.g. {@code twilio}. */
    String id();

    /**
     * The sender a message goes out from, as the provider counts its rate ({@code SMS_SENDER_MPS} applies to each):
     * a from-number per channel, or a messaging service.
     */
    default String sender(OutgoingSms message) {
        return id() + ":" + message.channel();
    }

    /** Sends one message or throws {@link SendFailure}. */
    SendResult dispatch(OutgoingSms message);
}
