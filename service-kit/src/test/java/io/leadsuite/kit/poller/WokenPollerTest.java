package io.leadsuite.kit.poller;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;

import io.vertx.core.VertxException;

/**
 * Found by FaultsIT: while the broker was down the outbox relay logged "Outbox relay failed, will retry: null" every
 * 10 s, a time-out having no message. A failed pass is now logged with its type, its message and its cause's.
 */
class WokenPollerTest {

    @Test
    void aFailureWithoutAMessageIsNamedByItsType() {
        assertEquals("java.util.concurrent.TimeoutException", WokenPoller.describe(new TimeoutException()));
    }

    @Test
    void aFailureIsDescribedWithItsMessageAndItsCause() {
        assertEquals("io.vertx.core.VertxException: send failed; caused by java.util.concurrent.TimeoutException",
                WokenPoller.describe(new VertxException("send failed", new TimeoutException())));
    }
}
