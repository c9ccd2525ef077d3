package io.phonekey.contract.messaging;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;

import io.phonekey.contract.event.EventType;

/** The JSON Schemas of docs/events, read once from this jar, and validation of a payload against them. */
public final class Schemas {

    private static final Map<EventType, JsonSchema> SCHEMAS = new EnumMap<>(EventType.class);

    static {
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
        for (EventType type : EventType.values()) {
            try (InputStream in = Schemas.class.getResourceAsStream("/phonekey/events/" + type.schema())) {
                if (in == null) {
                    throw new IllegalStateException("schema " + type.schema() + " missing from the contract jar");
                }
                SCHEMAS.put(type, factory.getSchema(in));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private Schemas() {
    }

    /** Every violation, strict: what a producer writes must match its schema exactly. */
    public static List<String> violations(EventType type, JsonNode payload) {
        return SCHEMAS.get(type).validate(payload).stream().map(m -> m.getMessage()).sorted().toList();
    }

    /**
     * The violations a reader cannot live with: an unknown extra field is tolerated (a newer producer may add one
     * without breaking older consumers); a missing, mistyped or out-of-range field is not.
     */
    public static List<String> readerViolations(EventType type, JsonNode payload) {
        return SCHEMAS.get(type).validate(payload).stream().filter(m -> !"additionalProperties".equals(m.getType()))
                .map(m -> m.getMessage()).sorted().toList();
    }
}
