package io.phonekey.sms.provider;

import java.time.Duration;

/**
 * A provider refused or failed a send. {@code transient} failures (transport, 429, 5xx) are worth retrying; a
 * {@linkplain #throttled() throttled} one (HTTP 429, Twilio 20429) says the sender is over the provider's rate and may
 * say how long to wait ({@link #retryAfter()}, from {@code Retry-After}). An {@linkplain #unsure() unsure} one got no
 * answer after the request went out (a read timeout, a reset): the provider may have taken the message.
 */
public class SendFailure extends RuntimeException {

    private final boolean retryable;
    private final String errorCode;
    private final boolean throttled;
    private final Duration retryAfter;
    private final boolean unsure;

    public SendFailure(String message, boolean retryable, String errorCode, Throwable cause) {
        this(message, retryable, errorCode, false, null, cause);
    }

    public SendFailure(String message, boolean retryable, String errorCode, boolean throttled, Duration retryAfter,
            Throwable cause) {
        this(message, retryable, errorCode, throttled, retryAfter, false, cause);
    }

    public SendFailure(String message, boolean retryable, String errorCode, boolean throttled, Duration retryAfter,
            boolean unsure, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
        this.errorCode = errorCode;
        this.throttled = throttled;
        this.retryAfter = retryAfter;
        this.unsure = unsure;
    }

    public boolean retryable() {
        return retryable;
    }

    public String errorCode() {
        return errorCode;
    }

    /** The provider said too many requests (HTTP 429): the sender must slow down; the message itself is fine. */
    public boolean throttled() {
        return throttled;
    }

    /** How long the provider asked us to wait before the next request ({@code Retry-After}); null when it did not. */
    public Duration retryAfter() {
        return retryAfter;
    }

    /**
     * The request went out and no answer came (a read timeout, a connection reset or closed before the answer): the
     * provider may have taken the message, so a retry asks it first ({@code SmsProvider#alreadyAccepted}).
     */
    public boolean unsure() {
        return unsure;
    }
}
