package io.phonekey.sms.provider;

import java.time.Instant;
import java.util.Optional;

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

    /**
     * The message this provider already accepted for the same recipient (and sender) at or after {@code since}
     * whose text carries {@code mark} (the code): what a send interrupted by a crash left at the provider before its
     * outcome was stored. Asked before such a message is sent again, so that it is not sent twice. Empty when there is
     * none or the provider keeps no log it can be asked; throws {@link SendFailure} when the provider cannot answer.
     */
    default Optional<SendResult> alreadyAccepted(OutgoingSms message, String mark, Instant since) {
        return Optional.empty();
    }
}
