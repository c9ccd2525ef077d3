package io.phonekey.contract.testing;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.phonekey.contract.event.EventType;
import io.phonekey.contract.messaging.Schemas;

/** Holds a payload to its schema in docs/events, strictly: what a producer writes must match it exactly. */
public final class EventSchemas {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private EventSchemas() {
    }

    public static void assertValid(EventType type, String json) {
        JsonNode node;
        try {
            node = MAPPER.readTree(json);
        } catch (Exception e) {
            throw new AssertionError(type.topic() + " payload is not JSON: " + json, e);
        }
        List<String> errors = Schemas.violations(type, node);
        if (!errors.isEmpty()) {
            throw new AssertionError(type.schema() + " rejects " + json + ": " + errors);
        }
    }

    /** The same for the topic a record was read from. */
    public static void assertValid(String topic, String json) {
        assertValid(EventType.ofTopic(topic), json);
    }
}
