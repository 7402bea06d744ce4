package io.leadsuite.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** The upstream circuit breaker's rules, on a fake clock (no timing in the test). */
class BreakerTest {

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final List<Breaker.State> changes = new ArrayList<>();
    /** 10 calls in the window, opens at half of them failing, 5 s open. */
    private final Breaker breaker = new Breaker("svc", 10, 0.5, 5_000, nanos::get, changes::add);

    private void call(boolean fails) {
        assertTrue(breaker.tryAcquire());
        if (fails) {
            breaker.failed();
        } else {
            breaker.succeeded();
        }
    }

    @Test
    void staysClosedUntilTheWindowIsFullAndHalfOfItFailed() {
        for (int i = 0; i < 9; i++) {
            call(true);
        }
        assertEquals(Breaker.State.CLOSED, breaker.state(), "9 calls are not a full window");
        call(true);
        assertEquals(Breaker.State.OPEN, breaker.state());
        assertFalse(breaker.tryAcquire(), "open: no call goes");
        assertEquals(List.of(Breaker.State.OPEN), changes);
    }

    @Test
    void fewerFailuresThanTheRatioKeepItClosedAndTheWindowRolls() {
        for (int i = 0; i < 100; i++) {
            call(i % 3 == 0); // a third fail
        }
        assertEquals(Breaker.State.CLOSED, breaker.state());
        for (int i = 0; i < 10; i++) {
            call(false);
        }
        for (int i = 0; i < 4; i++) {
            call(true);
        }
        assertEquals(Breaker.State.CLOSED, breaker.state(), "4 of the last 10 failed");
        call(true);
        assertEquals(Breaker.State.OPEN, breaker.state(), "5 of the last 10 failed");
    }

    @Test
    void afterTheDelayOneTrialCallDecides() {
        for (int i = 0; i < 10; i++) {
            call(true);
        }
        nanos.addAndGet(4_999_000_000L);
        assertFalse(breaker.tryAcquire(), "still open before the delay");
        nanos.addAndGet(1_000_000L);
        assertTrue(breaker.tryAcquire(), "the trial call");
        assertEquals(Breaker.State.HALF_OPEN, breaker.state());
        assertFalse(breaker.tryAcquire(), "only one trial at a time");
        breaker.failed();
        assertEquals(Breaker.State.OPEN, breaker.state(), "a failed trial opens it again");
        nanos.addAndGet(5_000_000_000L);
        assertTrue(breaker.tryAcquire());
        breaker.succeeded();
        assertEquals(Breaker.State.CLOSED, breaker.state(), "a successful trial closes it");
        for (int i = 0; i < 9; i++) {
            call(true);
        }
        assertEquals(Breaker.State.CLOSED, breaker.state(), "closed with an empty window");
        assertEquals(List.of(Breaker.State.OPEN, Breaker.State.HALF_OPEN, Breaker.State.OPEN,
                Breaker.State.HALF_OPEN, Breaker.State.CLOSED), changes);
    }

    @Test
    void callsThatSayNothingAboutTheServiceAreNotCounted() {
        for (int i = 0; i < 50; i++) {
            assertTrue(breaker.tryAcquire());
            breaker.ignored();
        }
        assertEquals(Breaker.State.CLOSED, breaker.state());
        for (int i = 0; i < 10; i++) {
            call(true);
        }
        nanos.addAndGet(5_000_000_000L);
        assertTrue(breaker.tryAcquire());
        breaker.ignored();
        assertTrue(breaker.tryAcquire(), "an ignored trial frees the trial slot");
    }
}
