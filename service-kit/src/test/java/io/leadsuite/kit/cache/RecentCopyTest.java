package io.leadsuite.kit.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.Uni;

class RecentCopyTest {

    @Test
    void aRecentCopyIsReusedUntilInvalidatedOrOld() {
        AtomicInteger loads = new AtomicInteger();
        AtomicLong now = new AtomicLong();
        RecentCopy<Integer> copy = new RecentCopy<>(Duration.ofMillis(200), now::get);
        assertEquals(1, copy.get(() -> Uni.createFrom().item(loads.incrementAndGet())).await().indefinitely());
        assertEquals(1, copy.get(() -> Uni.createFrom().item(loads.incrementAndGet())).await().indefinitely());
        copy.invalidate();
        assertEquals(2, copy.get(() -> Uni.createFrom().item(loads.incrementAndGet())).await().indefinitely());
        now.addAndGet(Duration.ofMillis(199).toNanos());
        assertEquals(2, copy.get(() -> Uni.createFrom().item(loads.incrementAndGet())).await().indefinitely());
        now.addAndGet(Duration.ofMillis(1).toNanos());
        assertEquals(3, copy.get(() -> Uni.createFrom().item(loads.incrementAndGet())).await().indefinitely());
        assertEquals(3, loads.get());
    }

    @Test
    void aCopyLoadedWhileTheSetChangedIsNotKept() {
        AtomicInteger loads = new AtomicInteger();
        RecentCopy<Integer> copy = new RecentCopy<>(Duration.ofMinutes(1));
        copy.get(() -> {
            copy.invalidate(); // a change lands while this load runs
            return Uni.createFrom().item(loads.incrementAndGet());
        }).await().indefinitely();
        assertEquals(2, copy.get(() -> Uni.createFrom().item(loads.incrementAndGet())).await().indefinitely());
        assertEquals(2, copy.get(() -> Uni.createFrom().item(loads.incrementAndGet())).await().indefinitely());
    }
}
