package io.phonekey.sms.service;

import java.io.IOException;
import java.net.ConnectException;
import java.util.concurrent.TimeoutException;

/**
 * Tells a store or broker that is unreachable (worth waiting for) from a failure that will repeat on every retry
 * (bad data, a constraint): only the first kind may hold a record back; the second goes to the dead-letter topic.
 */
public final class Outages {

    private Outages() {
    }

    /** A unique key already taken: another transaction stored the same row first. */
    public static boolean isUniqueViolation(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof io.vertx.pgclient.PgException pg && "23505".equals(pg.getSqlState())
                    || t instanceof org.hibernate.exception.ConstraintViolationException) {
                return true;
            }
        }
        return false;
    }

    public static boolean isOutage(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String name = t.getClass().getName();
            if (t instanceof ConnectException || t instanceof IOException || t instanceof TimeoutException
                    || t instanceof io.smallrye.mutiny.TimeoutException
                    || t instanceof org.apache.kafka.common.errors.RetriableException
                    || name.endsWith("ClosedConnectionException") || name.endsWith("ConnectTimeoutException")
                    || name.endsWith("NoStackTraceThrowable")) {
                return true;
            }
            if (t instanceof io.vertx.pgclient.PgException pg && pg.getSqlState() != null
                    && (pg.getSqlState().startsWith("08") || pg.getSqlState().startsWith("57P"))) {
                return true;
            }
        }
        return false;
    }
}
