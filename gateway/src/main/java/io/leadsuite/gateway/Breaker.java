package io.leadsuite.gateway;

import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The circuit breaker of one upstream, kept to a few field updates per call because it sits on every proxied request.
 * It counts the outcomes of the last {@code volume} calls (a rolling window); when the window is full and at least
 * {@code failureRatio} of it failed, it opens: calls fail at once for {@code delay}. Then it is half-open: one trial
 * call passes (the others still fail at once); its success closes the breaker with an empty window, its failure
 * opens it again. These are the rules of the SmallRye Fault Tolerance breaker it replaced (success threshold 1),
 * without that library's invocation machinery (contexts, completion-stage adapters, event handlers), which JFR put at
 * about a tenth of the gateway's CPU per proxied call (benchmarks/RESULTS.md, 2026-12-03).
 * <p>
 * Thread-safe (the gateway's event loops share it): every method holds the lock for a few field updates.
 */
final class Breaker {

    enum State {
        CLOSED,
        OPEN,
        HALF_OPEN
    }

    /** Thrown (as a failed future) by a call the open breaker did not let through. */
    static final class Open extends RuntimeException {
        Open(String name) {
            super("circuit breaker of " + name + " is open", null, false, false);
        }
    }

    private final String name;
    private final boolean[] window;
    private final int failuresToOpen;
    private final long delayNanos;
    private final LongSupplier nanoClock;
    private final Consumer<State> onStateChange;

    private State state = State.CLOSED;
    private int next;
    private int recorded;
    private int failures;
    private long openedAt;
    private boolean trialRunning;

    Breaker(String name, int volume, double failureRatio, long delayMillis, Consumer<State> onStateChange) {
        this(name, volume, failureRatio, delayMillis, System::nanoTime, onStateChange);
    }

    Breaker(String name, int volume, double failureRatio, long delayMillis, LongSupplier nanoClock,
            Consumer<State> onStateChange) {
        if (volume < 1 || failureRatio <= 0 || failureRatio > 1) {
            throw new IllegalArgumentException("breaker volume must be >= 1 and failure ratio in (0, 1]");
        }
        this.name = name;
        this.window = new boolean[volume];
        this.failuresToOpen = (int) Math.ceil(failureRatio * volume);
        this.delayNanos = TimeUnit.MILLISECONDS.toNanos(delayMillis);
        this.nanoClock = nanoClock;
        this.onStateChange = onStateChange;
    }

    /**
     * Whether a call may go: true while closed, and for the one trial call when half-open. A call let through must
     * end in {@link #succeeded()}, {@link #failed()} or {@link #ignored()}.
     */
    boolean tryAcquire() {
        State changed = null;
        boolean allowed;
        synchronized (this) {
            if (state == State.OPEN && nanoClock.getAsLong() - openedAt >= delayNanos) {
                state = changed = State.HALF_OPEN;
                trialRunning = false;
            }
            if (state == State.CLOSED) {
                allowed = true;
            } else if (state == State.HALF_OPEN && !trialRunning) {
                trialRunning = true;
                allowed = true;
            } else {
                allowed = false;
            }
        }
        notify(changed);
        return allowed;
    }

    /** The call got its answer. */
    void succeeded() {
        State changed = null;
        synchronized (this) {
            if (state == State.HALF_OPEN) {
                clear();
                state = changed = State.CLOSED;
            } else if (state == State.CLOSED) {
                record(false);
            }
        }
        notify(changed);
    }

    /** The call failed (no connection, no answer in time, broken off). */
    void failed() {
        State changed = null;
        synchronized (this) {
            if (state == State.HALF_OPEN) {
                changed = open();
            } else if (state == State.CLOSED) {
                record(true);
                if (recorded == window.length && failures >= failuresToOpen) {
                    changed = open();
                }
            }
        }
        notify(changed);
    }

    /** The call ended in a way that says nothing about the service (the client went away): not counted. */
    void ignored() {
        synchronized (this) {
            if (state == State.HALF_OPEN) {
                trialRunning = false;
            }
        }
    }

    synchronized State state() {
        return state;
    }

    Open openException() {
        return new Open(name);
    }

    private State open() {
        state = State.OPEN;
        openedAt = nanoClock.getAsLong();
        clear();
        return State.OPEN;
    }

    private void record(boolean failure) {
        if (recorded == window.length) {
            if (window[next]) {
                failures--;
            }
        } else {
            recorded++;
        }
        window[next] = failure;
        if (failure) {
            failures++;
        }
        next = (next + 1) % window.length;
    }

    private void clear() {
        java.util.Arrays.fill(window, false);
        next = 0;
        recorded = 0;
        failures = 0;
        trialRunning = false;
    }

    private void notify(State changed) {
        if (changed != null && onStateChange != null) {
            onStateChange.accept(changed);
        }
    }
}
