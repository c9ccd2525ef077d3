package io.phonekey.sms.provider;

import java.util.UUID;

import io.phonekey.contract.text.PhoneMask;
import io.quarkus.logging.Log;

/** Development provider: writes the message it would send to the log ({@code [SMS] to <masked phone>: <text>}). */
public class ConsoleProvider implements SmsProvider {

    private final boolean showCode;

    /** @param showCode whether the log shows the code (local development) or the text with digits masked. */
    public ConsoleProvider(boolean showCode) {
        this.showCode = showCode;
    }

    @Override
    public String id() {
        return "console";
    }

    @Override
    public SendResult dispatch(OutgoingSms message) {
        // Development only: the message, code included, goes to the log; the prod profile warns at start-up.
        String text = message.text().replace('\n', ' ');
        Log.infof("[SMS] to %s: %s", PhoneMask.mask(message.to()),
                showCode ? text : text.replaceAll("[0-9]{4,10}", "******"));
        return new SendResult("console-" + UUID.randomUUID(), "sent");
    }
}
