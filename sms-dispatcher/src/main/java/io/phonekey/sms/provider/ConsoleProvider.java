package io.phonekey.sms.provider;

import java.util.UUID;

import io.quarkus.logging.Log;

/** Development provider: writes the message it would send to the log ({@code [SMS] to <masked phone>: <text>}). */
public class ConsoleProvider implements SmsProvider {

    @Override
    public String id() {
        return "console";
    }

    @Override
    public SendResult dispatch(OutgoingSms message) {
        // Development only: the message, code included, goes to the log; the prod profile warns at start-up.
        Log.infof("[SMS] to %s: %s", Phones.mask(message.to()), message.text().replace('\n', ' '));
        return new SendResult("console-" + UUID.randomUUID(), "sent");
    }
}
