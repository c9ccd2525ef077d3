package io.phonekey.sms.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

import io.phonekey.contract.event.DeliveryChannel;
import io.phonekey.contract.event.DeliveryStatus;
import io.phonekey.contract.event.OtpDeliveryStatus;

/** One outcome, one ce_id: a republished outcome can be told from a new one. */
class DeliveryIdsTest {

    static OtpDeliveryStatus outcome(DeliveryStatus status, String sid, int attempts) {
        return new OtpDeliveryStatus().withVerificationId("v-1").withPhone("+447400123456")
                .withChannel(DeliveryChannel.SMS).withStatus(status).withProviderMessageId(sid)
                .withAttempts((long) attempts);
    }

    @Test
    void theSameOutcomePublishedTwiceHasOneIdAndAnotherOutcomeAnother() {
        assertEquals(DeliveryPublisher.ceId(outcome(DeliveryStatus.SENT, "SM1", 1)),
                DeliveryPublisher.ceId(outcome(DeliveryStatus.SENT, "SM1", 2)));
        assertNotEquals(DeliveryPublisher.ceId(outcome(DeliveryStatus.SENT, "SM1", 1)),
                DeliveryPublisher.ceId(outcome(DeliveryStatus.DELIVERED, "SM1", 1)));
        assertNotEquals(DeliveryPublisher.ceId(outcome(DeliveryStatus.SENT, "SM1", 1)),
                DeliveryPublisher.ceId(outcome(DeliveryStatus.SENT, "SM2", 1)));
    }
}
