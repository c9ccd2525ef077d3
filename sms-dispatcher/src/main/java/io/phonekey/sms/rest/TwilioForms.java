package io.phonekey.sms.rest;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The form parameters Twilio posts, for the OpenAPI document only (the resource reads the raw form). */
final class TwilioForms {

    private TwilioForms() {
    }

    /** A status callback. */
    @Schema(name = "TwilioStatusCallback", description = "Twilio's status callback of a message (form-encoded); "
            + "other parameters Twilio sends are signed and ignored")
    record Status(
            @Schema(description = "The message's sid", required = true,
                    example = "SM0123456789abcdef0123456789abcdef") @JsonProperty("MessageSid") String messageSid,
            @Schema(description = "Twilio's status (accepted, scheduled and sending count as queued, read as "
                    + "delivered)", required = true,
                    example = "delivered") @JsonProperty("MessageStatus") String messageStatus,
            @Schema(description = "Twilio's error code, for undelivered and failed",
                    example = "30003") @JsonProperty("ErrorCode") String errorCode,
            @Schema(description = "Segments, when present",
                    example = "1") @JsonProperty("NumSegments") String numSegments,
            @Schema(description = "The price (negative, as Twilio writes it), when present",
                    example = "-0.00790") @JsonProperty("Price") String price,
            @Schema(description = "The price's currency, when present",
                    example = "USD") @JsonProperty("PriceUnit") String priceUnit) {
    }

    /** An incoming message. */
    @Schema(name = "TwilioInboundMessage", description = "An incoming SMS or WhatsApp message (form-encoded)")
    record Inbound(
            @Schema(description = "The sender", required = true,
                    example = "+447400123456") @JsonProperty("From") String from,
            @Schema(description = "The text: STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT opt out; START, UNSTOP, "
                    + "YES opt in; HELP, INFO get help", required = true,
                    example = "STOP") @JsonProperty("Body") String body,
            @Schema(description = "The message's sid; a retry with the same sid gets the same reply", required = true,
                    example = "SM0123456789abcdef0123456789abcdef") @JsonProperty("MessageSid") String messageSid) {
    }
}
