package io.phonekey.sms.service;

import java.time.Instant;
import java.util.function.Function;

/**
 * One message for the courier: a verification code from {@code otp.requested} or a notice from
 * {@code security.notice}. Both get the same guarantees (one event, one message; caps; expiry); only a code skips the
 * opt-out, because the user has just asked for it, and only a code's outcome goes out on {@code otp.delivery}.
 *
 * @param reference the verification id, or {@code notice:<kind>:<user id>}
 * @param render the text to send and the text to store, for the moment of sending
 */
record Job(String reference, String phone, String channel, String purpose, Instant expiresAt,
        boolean verificationCode, Function<Instant, Rendered> render) {

    /**
     * The text that goes out, the text that is stored (a code redacted), and what identifies this message in the
     * provider's log (the code; null for a notice, which is never looked up there).
     */
    record Rendered(String body, String stored, String mark) {
    }
}
