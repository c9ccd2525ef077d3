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

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;

import io.phonekey.contract.problem.Problem;
import io.phonekey.sms.repository.SmsMessage;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;

/** The message log for operators: newest first, filtered by phone, status and time. Admin API key required. */
@Path("/api/v1/messages")
@RolesAllowed(AdminKeys.ADMIN)
@Produces(MediaType.APPLICATION_JSON)
public class MessageResource {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 200;

    /** The list answer. */
    public record Page(List<MessageView> items) {
    }

    @GET
    @WithSession
    public Uni<Page> list(@QueryParam("phone") String phone, @QueryParam("status") String status,
            @QueryParam("since") String since, @QueryParam("limit") String limit) {
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
    public Uni<MessageView> get(@PathParam("id") String id) {
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
