package io.phonekey.sms.provider;

/** A way to deliver a text message. Implementations may block: the courier calls them on a worker thread. */
public interface SmsProvider {

    /** Short name stored with each message, e.g. {@code twilio}. */
    String id();

    /** Sends one message or throws {@link SendFailure}. */
    SendResult dispatch(OutgoingSms message);
}
