package io.leadsuite.kit.cache;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import io.smallrye.mutiny.Uni;

/**
 * A recent copy of a small, rarely changed set (routing rules, nurture triggers) that a hot path reads on every event:
 * loaded on first use, reused for {@code maxAge}, dropped at once when this replica changes the set
 * ({@link #invalidate()}). Another replica's change is seen after {@code maxAge} at most. Loaders run in the caller's
 * session; two callers that miss at once both load, and either copy is fine.
 */
public final class RecentCopy<T> {

    private record Copy<T>(T value, long loadedAt, long generation) {
    }

    private final long maxAgeNanos;
    private final LongSupplier nanoClock;
    private volatile Copy<T> copy;
    private final AtomicLong generation = new AtomicLong();

    public RecentCopy(Duration maxAge) {
        this(maxAge, System::nanoTime);
    }

    /** With a clock of its own ({@link System#nanoTime()} otherwise): tests move time themselves. */
    RecentCopy(Duration maxAge, LongSupplier nanoClock) {
        this.maxAgeNanos = maxAge.toNanos();
        this.nanoClock = nanoClock;
    }

    /** The copy if it is recent enough, else what {@code loader} gives (kept for the next callers). */
    public Uni<T> get(Supplier<Uni<T>> loader) {
        Copy<T> current = copy;
        long now = nanoClock.getAsLong();
        if (current != null && current.generation() == generation.get() && now - current.loadedAt() < maxAgeNanos) {
            return Uni.createFrom().item(current.value());
        }
        long loading = generation.get();
        return loader.get().invoke(value -> {
            // a change made while loading wins: this copy may predate it, so it is not kept
            if (loading == generation.get()) {
                copy = new Copy<>(value, now, loading);
            }
        });
    }

    /** This replica changed the set: the next reader loads it again. */
    public void invalidate() {
        generation.incrementAndGet();
        copy = null;
    }
}
