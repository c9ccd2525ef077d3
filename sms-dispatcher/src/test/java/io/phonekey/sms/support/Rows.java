package io.phonekey.sms.support;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import io.phonekey.contract.event.DeliveryStatus;
import io.phonekey.contract.text.PhoneMask;
import io.phonekey.sms.repository.SmsMessage;

/** Message rows as the courier claims them, for tests that put the message log in a given state. */
public final class Rows {

    private Rows() {
    }

    /** A {@code queued} SMS row to a GB phone for a login code, claimed at {@code claimedAt} with {@code sends} sends. */
    public static SmsMessage queued(String ceId, String verificationId, String phone, Instant expiresAt, int sends,
            Instant claimedAt) {
        Instant at = claimedAt.truncatedTo(ChronoUnit.MICROS);
        SmsMessage row = new SmsMessage();
        row.id = UUID.randomUUID();
        row.ceId = ceId;
        row.verificationId = verificationId;
        row.phone = phone;
        row.phoneMasked = PhoneMask.mask(phone);
        row.country = "GB";
        row.channel = "sms";
        row.purpose = "login";
        row.provider = "twilio";
        row.status = DeliveryStatus.QUEUED;
        row.sendCount = sends;
        row.expiresAt = expiresAt;
        row.createdAt = at;
        row.updatedAt = at;
        return row;
    }
}
