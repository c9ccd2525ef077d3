package io.phonekey.sms.provider;

/** A provider refused or failed a send. {@code transient} failures (transport, 429, 5xx) are worth retrying. */
public class SendFailure extends RuntimeException {

    private final boolean retryable;
    private final String errorCode;

    public SendFailure(String message, boolean retryable, String errorCode, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
        this.errorCode = errorCode;
    }

    public boolean retryable() {
        return retryable;
    }

    public String errorCode() {
        return errorCode;
    }
}
