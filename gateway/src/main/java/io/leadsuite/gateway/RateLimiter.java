package io.leadsuite.gateway;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;

/**
 * Token buckets (Bucket4j, in memory, per gateway replica) keyed by client and route group: each key may spend
 * {@code limit} requests per minute, refilled continuously. Buckets that are full again (idle keys) are dropped by
 * {@link #sweep()}, so the map holds only clients active within the last minute.
 */
final class RateLimiter {

    /** The answer for one request: allowed, or refused with the seconds until a token is back. */
    record Decision(boolean allowed, long remaining, long retryAfterSeconds) {
    }

    private record Entry(Bucket bucket, long capacity) {
    }

    private final Map<String, Entry> buckets = new ConcurrentHashMap<>();

    /** Takes one token of {@code key}'s bucket of {@code perMinute} requests per minute. */
    Decision take(String key, long perMinute) {
        Entry entry = buckets.computeIfAbsent(key + "#" + perMinute, k -> new Entry(Bucket.builder()
                .addLimit(limit -> limit.capacity(perMinute).refillGreedy(perMinute, Duration.ofMinutes(1)))
                .build(), perMinute));
        ConsumptionProbe probe = entry.bucket().tryConsumeAndReturnRemaining(1);
        if (probe.isConsumed()) {
            return new Decision(true, probe.getRemainingTokens(), 0);
        }
        long seconds = Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L);
        return new Decision(false, 0, seconds);
    }

    /** Drops the buckets that have refilled completely: their clients have been idle long enough. */
    void sweep() {
        buckets.values().removeIf(e -> e.bucket().getAvailableTokens() >= e.capacity());
    }

    int size() {
        return buckets.size();
    }
}
