package io.phonekey.sms.provider;

/** The provider's answer to a send: its message id and initial status. */
public record SendResult(String providerMessageId, String status) {
}
