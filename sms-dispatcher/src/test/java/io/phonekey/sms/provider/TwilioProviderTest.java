package io.phonekey.sms.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;

import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.HttpHostConnectException;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.junit.jupiter.api.Test;

import com.twilio.exception.ApiException;

/** What the provider makes of Twilio's answers and of their absence, without a server. */
class TwilioProviderTest {

    @Test
    void aRequestThatNeverConnectedIsKnownNotToHaveBeenSent() {
        // The SDK wraps the transport's IOException in an ApiException without a status.
        assertTrue(TwilioProvider.neverSent(new ApiException("refused", new HttpHostConnectException("refused"))));
        assertTrue(TwilioProvider.neverSent(new ApiException("refused", new ConnectException("refused"))));
        assertTrue(TwilioProvider.neverSent(new ApiException("slow", new ConnectTimeoutException("connect"))));
        assertTrue(TwilioProvider.neverSent(new ApiException("dns", new UnknownHostException("api.twilio.com"))));
    }

    @Test
    void aRequestThatWentOutWithoutAnAnswerMayHaveBeenTaken() {
        assertFalse(TwilioProvider.neverSent(new ApiException("read", new SocketTimeoutException("Read timed out"))));
        assertFalse(TwilioProvider.neverSent(new ApiException("reset", new SocketException("Connection reset"))));
        assertFalse(TwilioProvider.neverSent(new ApiException("closed", new NoHttpResponseException("no response"))));
        assertFalse(TwilioProvider.neverSent(new ApiException("no cause")));
    }

    @Test
    void retryAfterIsReadAsSecondsOrAnHttpDate() {
        Instant now = Instant.parse("2026-12-02T12:00:00Z");
        assertEquals(Duration.ofSeconds(7), TwilioProvider.retryAfter("7", now));
        assertEquals(Duration.ofSeconds(30), TwilioProvider.retryAfter("Wed, 02 Dec 2026 12:00:30 GMT", now));
        assertEquals(Duration.ZERO, TwilioProvider.retryAfter("Wed, 02 Dec 2026 11:59:00 GMT", now));
        assertEquals(null, TwilioProvider.retryAfter("soon", now));
        assertEquals(null, TwilioProvider.retryAfter("-3", now));
    }
}
