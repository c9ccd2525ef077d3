package io.phonekey.contract.event;

/**
 * The catalogue of PhoneKey's events: topic, CloudEvents type, schema file and generated payload class of each. Every
 * producer and consumer names its event through this one list, so a topic or type string is written nowhere else.
 */
public enum EventType {
    OTP_REQUESTED("otp.requested", "io.phonekey.otp.requested.v1", "otp-requested.v1.json",
            OtpRequested.class), OTP_VERIFIED("otp.verified", "io.phonekey.otp.verified.v1", "otp-verified.v1.json",
                    OtpVerified.class), OTP_DELIVERY("otp.delivery", "io.phonekey.otp.delivery.v1",
                            "otp-delivery.v1.json", OtpDeliveryStatus.class), ACCOUNT_LINKED("account.linked",
                                    "io.phonekey.account.linked.v1", "account-linked.v1.json",
                                    AccountLinked.class), SECURITY_NOTICE("security.notice",
                                            "io.phonekey.security.notice.v1", "security-notice.v1.json",
                                            SecurityNotice.class), OTP_CANCELED("otp.canceled",
                                                    "io.phonekey.otp.canceled.v1", "otp-canceled.v1.json",
                                                    OtpCanceled.class);

    private final String topic;
    private final String type;
    private final String schema;
    private final Class<?> payload;

    EventType(String topic, String type, String schema, Class<?> payload) {
        this.topic = topic;
        this.type = type;
        this.schema = schema;
        this.payload = payload;
    }

    /** The Kafka topic; its dead-letter twin is {@link #deadLetterTopic()}. */
    public String topic() {
        return topic;
    }

    public String deadLetterTopic() {
        return topic + ".dlq";
    }

    /** The CloudEvents {@code ce_type}. */
    public String type() {
        return type;
    }

    /** The schema's file name in docs/events (and under {@code phonekey/events/} on the classpath). */
    public String schema() {
        return schema;
    }

    /** The class generated from the schema. */
    public Class<?> payload() {
        return payload;
    }

    public static EventType ofTopic(String topic) {
        for (EventType t : values()) {
            if (t.topic.equals(topic)) {
                return t;
            }
        }
        throw new IllegalArgumentException("no PhoneKey event on topic " + topic);
    }
}
