package io.phonekey.sms.provider;

import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.HttpRoute;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.net.URIAuthority;
import org.apache.hc.core5.util.Timeout;

import com.twilio.exception.ApiException;
import com.twilio.http.NetworkHttpClient;
import com.twilio.http.Request;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.Message;
import com.twilio.rest.api.v2010.account.MessageCreator;
import com.twilio.rest.api.v2010.account.MessageReader;
import com.twilio.type.PhoneNumber;

/**
 * Sends through the real Twilio SDK. Every message asks for status callbacks at {@code <SMS_PUBLIC_URL>/twilio/status};
 * WhatsApp uses the {@code whatsapp:} address form. The SDK's own retries are off: the courier owns retry policy. A
 * 429 (Twilio 20429, too many requests) is reported as a throttled failure with the answer's {@code Retry-After}.
 * Thread-safe: the courier calls it from many threads at once, over one pooled HTTP client.
 */
public class TwilioProvider implements SmsProvider, Closeable {

    /** How long a connection to Twilio may take to open; a request that never connected was never sent. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private final TwilioRestClient client;
    private final SingleShotHttpClient http;
    private final String from;
    private final String messagingServiceSid;
    private final URI statusCallback;

    /**
     * @param connections the HTTP connections to Twilio: as many as sends may be in flight at once.
     * @param timeout how long a request waits for its answer once sent (the socket timeout, TWILIO_TIMEOUT).
     */
    public TwilioProvider(String accountSid, String authToken, String from, String messagingServiceSid,
            String apiBaseUrl, String publicUrl, int connections, Duration timeout) {
        this.http = new SingleShotHttpClient(httpClient(apiBaseUrl, connections, timeout));
        this.client = new TwilioRestClient.Builder(accountSid, authToken).httpClient(http).build();
        this.from = from;
        this.messagingServiceSid = messagingServiceSid;
        this.statusCallback = URI.create(publicUrl.replaceAll("/+$", "") + "/twilio/status");
    }

    @Override
    public String id() {
        return "twilio";
    }

    @Override
    public String sender(OutgoingSms message) {
        if (messagingServiceSid != null) {
            return messagingServiceSid;
        }
        return "whatsapp".equals(message.channel()) ? "whatsapp:" + from : from;
    }

    @Override
    public SendResult dispatch(OutgoingSms message) {
        boolean whatsapp = "whatsapp".equals(message.channel());
        PhoneNumber to = new PhoneNumber((whatsapp ? "whatsapp:" : "") + message.to());
        MessageCreator creator = messagingServiceSid != null
                ? Message.creator(to, messagingServiceSid, message.text())
                : Message.creator(to, new PhoneNumber((whatsapp ? "whatsapp:" : "") + from), message.text());
        SingleShotHttpClient.RETRY_AFTER.remove();
        try {
            Message sent = creator.setStatusCallback(statusCallback).create(client);
            return new SendResult(sent.getSid(), sent.getStatus() == null ? "queued" : sent.getStatus().toString(),
                    SendResult.segments(sent.getNumSegments()), SendResult.price(sent.getPrice()),
                    sent.getPriceUnit() == null ? null : sent.getPriceUnit().getCurrencyCode());
        } catch (ApiException e) {
            Integer status = e.getStatusCode();
            // No status means the request never got an answer (refused, reset, timed out): worth another try.
            boolean retryable = status == null || status == 0 || status == 429 || status >= 500;
            boolean throttled = status != null && status == 429;
            boolean unanswered = status == null || status == 0;
            throw new SendFailure("twilio: " + e.getMessage(), retryable,
                    e.getCode() == null ? null : e.getCode().toString(), throttled,
                    throttled ? SingleShotHttpClient.RETRY_AFTER.get() : null, unanswered && !neverSent(e), e);
        } finally {
            SingleShotHttpClient.RETRY_AFTER.remove();
        }
    }

    /**
     * Whether a request that got no answer certainly never reached Twilio: the connection was never made (refused,
     * timed out while connecting, no such host). Any other transport failure (a read timeout, a reset or a connection
     * closed before the answer) came after the request was written, so Twilio may have created the message.
     */
    static boolean neverSent(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.net.ConnectException || t instanceof ConnectTimeoutException
                    || t instanceof java.net.UnknownHostException || t instanceof java.net.NoRouteToHostException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Twilio stamps {@code date_created} to the second, by its own clock: a message created in the same second as
     * the claim, or with the two clocks a little apart, still counts.
     */
    static final Duration CLOCK_TOLERANCE = Duration.ofSeconds(2);

    /**
     * Reads the first page (newest first) of the account's messages to this recipient from this sender (Twilio's
     * Messages list, filtered by {@code To} and {@code From}), including those still queued at Twilio, and takes the
     * one created since the claim whose body carries the code. Another code to the same phone, or the same code sent
     * before the claim (a resend of the verification), never matches: the phone's messages go out one after another,
     * and the phone gap between sends is far longer than {@link #CLOCK_TOLERANCE}.
     */
    @Override
    public Optional<SendResult> alreadyAccepted(OutgoingSms message, String mark, Instant since) {
        boolean whatsapp = "whatsapp".equals(message.channel());
        MessageReader reader = Message.reader().setTo(new PhoneNumber((whatsapp ? "whatsapp:" : "") + message.to()))
                .setPageSize(50L);
        if (messagingServiceSid == null) {
            reader.setFrom(new PhoneNumber((whatsapp ? "whatsapp:" : "") + from));
        }
        Instant earliest = since.truncatedTo(ChronoUnit.SECONDS).minus(CLOCK_TOLERANCE);
        try {
            for (Message m : reader.firstPage(client).getRecords()) {
                if (m.getDateCreated() != null && !m.getDateCreated().toInstant().isBefore(earliest)
                        && m.getBody() != null && m.getBody().contains(mark)) {
                    return Optional.of(new SendResult(m.getSid(),
                            m.getStatus() == null ? "queued" : m.getStatus().toString(),
                            SendResult.segments(m.getNumSegments()), SendResult.price(m.getPrice()),
                            m.getPriceUnit() == null ? null : m.getPriceUnit().getCurrencyCode()));
                }
            }
            return Optional.empty();
        } catch (ApiException e) {
            Integer status = e.getStatusCode();
            boolean retryable = status == null || status == 0 || status == 429 || status >= 500;
            throw new SendFailure("twilio lookup: " + e.getMessage(), retryable,
                    e.getCode() == null ? null : e.getCode().toString(), false, null, e);
        }
    }

    /**
     * A {@code Retry-After} value: delay-seconds or an HTTP date (RFC 9110); null when absent, unreadable or past.
     */
    static Duration retryAfter(String value, Instant now) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.strip();
        try {
            long seconds = Long.parseLong(v);
            return seconds < 0 ? null : Duration.ofSeconds(seconds);
        } catch (NumberFormatException e) {
            // not delay-seconds: an HTTP date
        }
        try {
            Duration d = Duration.between(now,
                    ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
            return d.isNegative() ? Duration.ZERO : d;
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    @Override
    public void close() throws IOException {
        http.close();
    }

    /** An Apache HttpClient 5 builder whose connections go to {@code baseUrl} when one is set. */
    private static HttpClientBuilder httpClient(String baseUrl, int connections, Duration timeout) {
        HttpClientBuilder builder = HttpClients.custom()
                .disableAutomaticRetries()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setMaxConnTotal(connections)
                        .setMaxConnPerRoute(connections)
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(Timeout.ofMilliseconds(CONNECT_TIMEOUT.toMillis()))
                                .setSocketTimeout(Timeout.ofMilliseconds(timeout.toMillis()))
                                .build())
                        .build());
        if (baseUrl == null || baseUrl.isBlank()) {
            return builder;
        }
        // The SDK always builds https://api.twilio.com/...; the route planner decides where the socket goes.
        URI uri = URI.create(baseUrl);
        String scheme = uri.getScheme() == null ? "http" : uri.getScheme();
        int port = uri.getPort() != -1 ? uri.getPort() : ("https".equals(scheme) ? 443 : 80);
        HttpHost target = new HttpHost(scheme, uri.getHost(), port);
        return builder
                .setRoutePlanner((host, context) -> new HttpRoute(target, null, "https".equals(scheme)))
                .addRequestInterceptorFirst((request, entity, context) -> {
                    request.setScheme(scheme);
                    request.setAuthority(new URIAuthority(target.getHostName(), port));
                });
    }

    /**
     * The SDK's client with exactly one attempt per request (its built-in retry repeats any 5xx three times). The SDK
     * turns an error answer into an {@link ApiException} without its headers, so the {@code Retry-After} of a 429 is
     * kept here for the calling thread (each send runs on one thread from request to exception).
     */
    static final class SingleShotHttpClient extends NetworkHttpClient implements Closeable {

        static final ThreadLocal<Duration> RETRY_AFTER = new ThreadLocal<>();

        SingleShotHttpClient(HttpClientBuilder builder) {
            super(builder);
        }

        @Override
        public com.twilio.http.Response reliableRequest(Request request) {
            com.twilio.http.Response response = reliableRequest(request, new int[0], 1, 0L);
            if (response != null && response.getStatusCode() == 429 && response.getHeaders() != null) {
                for (Header h : response.getHeaders()) {
                    if ("Retry-After".equalsIgnoreCase(h.getName())) {
                        RETRY_AFTER.set(retryAfter(h.getValue(), Instant.now()));
                    }
                }
            }
            return response;
        }

        @Override
        public void close() throws IOException {
            client.close();
        }
    }
}
