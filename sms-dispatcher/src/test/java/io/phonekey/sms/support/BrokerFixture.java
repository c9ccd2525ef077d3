package io.phonekey.sms.support;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.phonekey.contract.event.EventType;
import io.phonekey.contract.testing.EventSchemas;
import io.phonekey.contract.testing.TopicReader;
import io.phonekey.sms.repository.SmsMessage;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.vertx.VertxContextSupport;

/**
 * Base of the tests that drive the courier through the real broker: per test class, a producer of
 * {@code otp.requested} and a reader of {@code otp.delivery} from its end; and the Twilio stand-in.
 */
public abstract class BrokerFixture {

    protected static final ObjectMapper JSON = new ObjectMapper();
    protected static Events events;
    protected static TopicReader deliveries;

    @BeforeAll
    static void openBroker() {
        events = new Events();
        deliveries = new TopicReader("otp.delivery");
    }

    @AfterAll
    static void closeBroker() {
        events.close();
        deliveries.close();
    }

    /** The otp.delivery record of this verification with this status, checked against its schema. */
    protected static JsonNode delivery(String verificationId, String status) throws Exception {
        ConsumerRecord<String, String> r = deliveries
                .await(rec -> rec.value().contains(verificationId) && rec.value().contains("\"" + status + "\""));
        EventSchemas.assertValid(EventType.OTP_DELIVERY, r.value());
        return JSON.readTree(r.value());
    }

    /** The message row of this event, read from the real database; null when there is none. */
    protected static SmsMessage row(String ceId) {
        try {
            return VertxContextSupport
                    .subscribeAndAwait(() -> Panache.withSession(() -> SmsMessage.findByCeId(ceId)));
        } catch (Throwable e) {
            throw new IllegalStateException("cannot read the message row", e);
        }
    }

    protected static TwilioStandIn twilio() {
        return TwilioStandInResource.standIn;
    }
}
