package io.phonekey.telegram.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

/** Validates event payloads against the one source of truth, the JSON Schemas in docs/events. */
public final class EventSchemas {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private EventSchemas() {
    }

    public static void assertValid(String schemaFile, String json) {
        Path root = Path.of(System.getProperty("phonekey.root", ".."));
        Path file = root.resolve("docs/events").resolve(schemaFile);
        try (InputStream in = Files.newInputStream(file)) {
            JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
            JsonNode node = MAPPER.readTree(json);
            Set<ValidationMessage> errors = schema.validate(node);
            if (!errors.isEmpty()) {
                throw new AssertionError(schemaFile + " rejects " + json + ": " + errors);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
