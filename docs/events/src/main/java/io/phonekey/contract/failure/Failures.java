package io.phonekey.contract.failure;

import java.io.IOException;
import java.net.ConnectException;
import java.util.concurrent.TimeoutException;

/**
 * Tells a store or broker that is unreachable (worth waiting for, a 503 to a caller) from a failure that will repeat
 * on every retry (bad data, a constraint: the dead-letter topic, or a 4xx). Driver classes are matched by name, so a
 * service without PostgreSQL or Kafka on its class path uses the same rules.
 */
public final class Failures {

    private Failures() {
    }

    /** A store or broker that is down or timed out, however deep the reactive client or Hibernate wrapped it. */
    public static boolean isOutage(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String name = t.getClass().getName();
            if (t instanceof ConnectException || t instanceof IOException || t instanceof TimeoutException
                    || name.equals("io.smallrye.mutiny.TimeoutException")
                    || name.endsWith("ClosedConnectionException") || name.endsWith("ConnectTimeoutException")
                    || name.endsWith("NoStackTraceThrowable") || name.endsWith("RedisConnectionException")
                    || isKafkaRetriable(t)) {
                return true;
            }
            // Connection-class SQL states only: a constraint or data error is a bug or bad input, not an outage.
            String state = sqlState(t);
            if (state != null && (state.startsWith("08") || state.startsWith("57P"))) {
                return true;
            }
        }
        return false;
    }

    /** A unique key already taken: another transaction stored the same row first. */
    public static boolean isUniqueViolation(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if ("23505".equals(sqlState(t))
                    || t.getClass().getName().equals("org.hibernate.exception.ConstraintViolationException")) {
                return true;
            }
        }
        return false;
    }

    /** The SQLSTATE of a PostgreSQL error, or null for any other throwable. */
    public static String sqlState(Throwable t) {
        return t.getClass().getName().equals("io.vertx.pgclient.PgException") ? Pg.state(t) : null;
    }

    private static boolean isKafkaRetriable(Throwable t) {
        for (Class<?> c = t.getClass(); c != null; c = c.getSuperclass()) {
            if (c.getName().equals("org.apache.kafka.common.errors.RetriableException")) {
                return true;
            }
        }
        return false;
    }

    /** Loaded only when a PgException was seen, so the PostgreSQL client is needed only where it is used. */
    private static final class Pg {

        static String state(Throwable t) {
            return ((io.vertx.pgclient.PgException) t).getSqlState();
        }
    }
}
