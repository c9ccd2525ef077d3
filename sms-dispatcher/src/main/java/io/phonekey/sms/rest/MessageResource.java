package io.phonekey.sms.rest;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;

import io.phonekey.contract.openapi.OpenApi;
import io.phonekey.contract.problem.Problem;
import io.phonekey.contract.problem.ProblemDocument;
import io.phonekey.sms.repository.SmsMessage;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;

/** The message log for operators: newest first, filtered by phone, status and time. Admin API key required. */
@Path("/api/v1/messages")
@RolesAllowed(AdminKeys.ADMIN)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "admin")
@SecurityRequirement(name = OpenApi.ADMIN_KEY)
public class MessageResource {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 200;

    /** The list answer. */
    @Schema(name = "MessagePage", description = "Messages, newest first")
    public record Page(@Schema(description = "At most `limit` messages", required = true) List<MessageView> items) {
    }

    @GET
    @WithSession
    @Operation(summary = "List messages",
            description = "The message log, newest first, filtered by phone, status and time. Phones are masked and codes redacted.")
    @APIResponse(responseCode = "200", description = "The messages", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Page.class),
            examples = @ExampleObject(name = "one",
                    value = "{\"items\": [{\"id\": \"7e2c4b1a-9d3f-4e8a-b5c6-1f2e3d4c5b6a\", \"verification_id\": \"0b9f5a3e-6f0e-4a53-9a43-3d4b1f2c7e10\", \"phone\": \"+44******3456\", \"country\": \"GB\", \"channel\": \"sms\", \"purpose\": \"login\", \"provider\": \"twilio\", \"provider_message_id\": \"SM0123456789abcdef0123456789abcdef\", \"status\": \"delivered\", \"error_code\": null, \"reason\": null, \"segments\": 1, \"price\": 0.0079, \"price_unit\": \"USD\", \"cost_estimate\": 0.0079, \"send_count\": 1, \"body\": \"Your PhoneKey login verification code is: ******\", \"created_at\": \"2026-12-01T12:00:00.120Z\", \"updated_at\": \"2026-12-01T12:00:03.884Z\", \"expires_at\": \"2026-12-01T12:10:00.120Z\"}]}")))
    @APIResponse(responseCode = "400", description = "A bad phone, status, since or limit", content = @Content(
            mediaType = OpenApi.PROBLEM_JSON, schema = @Schema(implementation = ProblemDocument.class),
            examples = {@ExampleObject(name = "invalid_phone",
                    value = "{\"type\": \"https://phonekey.io/problems/invalid-phone\", \"title\": \"Bad Request\", \"status\": 400, \"detail\": \"phone must be a valid number in E.164, e.g. +447400123456\", \"code\": \"invalid_phone\", \"field\": \"phone\"}"),
                    @ExampleObject(name = "invalid_field",
                            value = "{\"type\": \"https://phonekey.io/problems/invalid-field\", \"title\": \"Bad Request\", \"status\": 400, \"detail\": \"limit must be a whole number from 1 to 200\", \"code\": \"invalid_field\", \"field\": \"limit\"}")}))
    @APIResponse(responseCode = "401", ref = "Unauthorized")
    @APIResponse(responseCode = "503", ref = "ServiceUnavailable")
    @APIResponse(responseCode = "default", ref = "OtherProblem")
    public Uni<Page> list(
            @Parameter(
                    description = "Only messages to this phone, E.164 (an unencoded + arriving as a space is accepted)",
                    example = "+447400123456") @QueryParam("phone") String phone,
            @Parameter(description = "Only messages in this status",
                    schema = @Schema(type = SchemaType.STRING,
                            enumeration = {"queued", "sent", "delivered", "undelivered", "failed", "dropped",
                                    "refused"})) @QueryParam("status") String status,
            @Parameter(
                    description = "Only messages created since: an instant (2026-01-01T10:00:00Z, or with an offset) or a date (its start, UTC)",
                    example = "2026-12-01") @QueryParam("since") String since,
            @Parameter(description = "At most this many, 1 to 200", schema = @Schema(type = SchemaType.INTEGER,
                    minimum = "1", maximum = "200", defaultValue = "50")) @QueryParam("limit") String limit) {
        String e164 = phone == null || phone.isBlank() ? null : e164(phone);
        if (status != null && !status.isBlank() && !SmsMessage.STATUSES.contains(status.strip())) {
            throw Problem.field("status", "status must be one of " + SmsMessage.STATUSES);
        }
        return SmsMessage.search(e164, status == null || status.isBlank() ? null : status.strip(), since(since),
                limit(limit))
                .map(rows -> new Page(rows.stream().map(MessageView::of).toList()));
    }

    @GET
    @Path("/{id}")
    @WithSession
    @Operation(summary = "Read a message", description = "One message of the log.")
    @APIResponse(responseCode = "200", description = "The message", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = MessageView.class),
            examples = @ExampleObject(name = "delivered",
                    value = "{\"id\": \"7e2c4b1a-9d3f-4e8a-b5c6-1f2e3d4c5b6a\", \"verification_id\": \"0b9f5a3e-6f0e-4a53-9a43-3d4b1f2c7e10\", \"phone\": \"+44******3456\", \"country\": \"GB\", \"channel\": \"sms\", \"purpose\": \"login\", \"provider\": \"twilio\", \"provider_message_id\": \"SM0123456789abcdef0123456789abcdef\", \"status\": \"delivered\", \"error_code\": null, \"reason\": null, \"segments\": 1, \"price\": 0.0079, \"price_unit\": \"USD\", \"cost_estimate\": 0.0079, \"send_count\": 1, \"body\": \"Your PhoneKey login verification code is: ******\", \"created_at\": \"2026-12-01T12:00:00.120Z\", \"updated_at\": \"2026-12-01T12:00:03.884Z\", \"expires_at\": \"2026-12-01T12:10:00.120Z\"}")))
    @APIResponse(responseCode = "400", description = "The id is not a UUID", content = @Content(
            mediaType = OpenApi.PROBLEM_JSON, schema = @Schema(implementation = ProblemDocument.class),
            examples = @ExampleObject(name = "invalid_field",
                    value = "{\"type\": \"https://phonekey.io/problems/invalid-field\", \"title\": \"Bad Request\", \"status\": 400, \"detail\": \"id must be a message id (a UUID)\", \"code\": \"invalid_field\", \"field\": \"id\"}")))
    @APIResponse(responseCode = "401", ref = "Unauthorized")
    @APIResponse(responseCode = "404", description = "No message with that id", content = @Content(
            mediaType = OpenApi.PROBLEM_JSON, schema = @Schema(implementation = ProblemDocument.class),
            examples = @ExampleObject(name = "not_found",
                    value = "{\"type\": \"https://phonekey.io/problems/not-found\", \"title\": \"Not Found\", \"status\": 404, \"detail\": \"no message 7e2c4b1a-9d3f-4e8a-b5c6-1f2e3d4c5b6a\", \"code\": \"not_found\"}")))
    @APIResponse(responseCode = "503", ref = "ServiceUnavailable")
    @APIResponse(responseCode = "default", ref = "OtherProblem")
    public Uni<MessageView> get(
            @Parameter(description = "The message id (a UUID)",
                    example = "7e2c4b1a-9d3f-4e8a-b5c6-1f2e3d4c5b6a") @PathParam("id") String id) {
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw Problem.field("id", "id must be a message id (a UUID)");
        }
        return SmsMessage.<SmsMessage>findById(uuid)
                .map(row -> {
                    if (row == null) {
                        throw Problem.notFound("no message " + uuid);
                    }
                    return MessageView.of(row);
                });
    }

    /** E.164 through libphonenumber; a {@code +} that arrived unencoded (as a space) is put back. */
    private static String e164(String phone) {
        String raw = phone.strip();
        PhoneNumberUtil util = PhoneNumberUtil.getInstance();
        try {
            Phonenumber.PhoneNumber number = util.parse(raw.startsWith("+") ? raw : "+" + raw, null);
            if (util.isValidNumber(number)) {
                return util.format(number, PhoneNumberUtil.PhoneNumberFormat.E164);
            }
        } catch (NumberParseException e) {
            // reported below
        }
        throw Problem.badRequest("invalid_phone", "phone must be a valid number in E.164, e.g. +447400123456")
                .with("field", "phone");
    }

    /** An instant ({@code 2026-01-01T10:00:00Z}, or with an offset) or a date (its start, UTC); null when absent. */
    private static Instant since(String since) {
        if (since == null || since.isBlank()) {
            return null;
        }
        String s = since.strip();
        try {
            return s.length() == 10
                    ? LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant()
                    : OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            throw Problem.field("since", "since must be an ISO-8601 time (2026-01-01T10:00:00Z) or date (2026-01-01)");
        }
    }

    private static int limit(String limit) {
        if (limit == null || limit.isBlank()) {
            return DEFAULT_LIMIT;
        }
        try {
            int n = Integer.parseInt(limit.strip());
            if (n >= 1 && n <= MAX_LIMIT) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw Problem.field("limit", "limit must be a whole number from 1 to " + MAX_LIMIT);
    }
}
