package io.phonekey.contract.testing;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.jboss.logmanager.ExtLogRecord;

/**
 * Every log line of the service under test while open (INFO and above, as Quarkus logs them), each with its formatted
 * text and its trace id (the {@code traceId} of its MDC, as the JSON and console formats print it). Also makes W3C
 * {@code traceparent} values, for tests that follow a trace through the service.
 */
public final class LogCapture extends Handler implements AutoCloseable {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Formatter TEXT = new Formatter() {
        @Override
        public String format(LogRecord record) {
            return formatMessage(record);
        }
    };

    /** One log line: its logger, text and trace id (null when it had none). */
    public record Line(String logger, String text, String traceId) {
    }

    private final List<Line> lines = new CopyOnWriteArrayList<>();

    private LogCapture() {
    }

    /** Starts capturing at the root logger. */
    public static LogCapture start() {
        LogCapture capture = new LogCapture();
        Logger.getLogger("").addHandler(capture);
        return capture;
    }

    /** A fresh sampled {@code traceparent}: {@code 00-<32 hex trace id>-<16 hex parent span id>-01}. */
    public static String newTraceparent() {
        byte[] trace = new byte[16];
        byte[] span = new byte[8];
        RANDOM.nextBytes(trace);
        RANDOM.nextBytes(span);
        return "00-" + HexFormat.of().formatHex(trace) + "-" + HexFormat.of().formatHex(span) + "-01";
    }

    /** The trace id of a {@code traceparent}. */
    public static String traceId(String traceparent) {
        String[] parts = traceparent.split("-");
        if (parts.length != 4 || parts[1].length() != 32) {
            throw new IllegalArgumentException("not a traceparent: " + traceparent);
        }
        return parts[1];
    }

    @Override
    public void publish(LogRecord record) {
        String traceId = null;
        if (record instanceof ExtLogRecord ext) {
            // The MDC of the thread and Vert.x context that logged (Quarkus keeps it in the duplicated context).
            ext.copyMdc();
            traceId = ext.getMdc("traceId");
        }
        String text = TEXT.format(record);
        if (record.getThrown() != null) {
            text += " " + record.getThrown();
        }
        lines.add(new Line(record.getLoggerName(), text, traceId == null || traceId.isEmpty() ? null : traceId));
    }

    /** The lines so far. */
    public List<Line> lines() {
        return List.copyOf(lines);
    }

    /** The lines so far whose text matches. */
    public List<Line> matching(Predicate<String> text) {
        return lines.stream().filter(l -> text.test(l.text())).toList();
    }

    /** Fails if any line so far holds one of these (a code, a full phone number). */
    public void assertNoneContains(String... secrets) {
        for (Line line : lines) {
            for (String secret : secrets) {
                assertFalse(line.text().contains(secret), () -> "a log line holds a secret: " + line.logger() + ": "
                        + line.text().replace(secret, "<" + "*".repeat(secret.length()) + ">"));
            }
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        Logger.getLogger("").removeHandler(this);
    }
}
