package io.leadsuite.kit.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.Uni;

class RecentCopyTest {

    @Test
    void aRecentCopyIsReusedUntilInvalidatedOrOld() throws Exception {
        AtomicInteger loads = new AtomicInteger();
        RecentCopy<Integer> copy = new RecentCopy<>(Duration.ofMillis(200));
        assertEquals(1, copy.get(() -> Uni.createFrom().item(loads.incrementAndGet())).await().indefinitely());
        assertEquals(1, copy.get(() -> Uni.createFrom().item(loads.incrementAndGet())).await().indefinitely());
        copy.invalidate();
        assertEquals(2, copy.get(() -> Uni.createFrom().item(loads.incrementAndGet())).await().indefinitely());
        Thread.sleep(250);
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
