package io.leadsuite.gateway;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.EstimationProbe;

/**
 * Token buckets (Bucket4j, in memory, per gateway replica) keyed by client and route group: each key may spend
 * {@code limit} requests per minute, refilled continuously. Buckets that are full again (idle keys) are dropped by
 * {@link #sweep()}, so the map holds only clients active within the last minute.
 */
final class RateLimiter {

    /** The answer for one request: allowed, or refused with the seconds until a token is back. */
    record Decision(boolean allowed, long remaining, long retryAfterSeconds) {
    }

    /**
     * Whose bucket: a kind ({@code sub}, {@code form}), a client (token subject, form site) and a scope (route group,
     * IP). A record, so that a request looks its bucket up without building a key string.
     */
    record Key(String kind, String client, String scope) {
    }

    private record BucketKey(Key key, long perMinute) {
    }

    private record Entry(Bucket bucket, long capacity) {
    }

    private static final Decision ALLOWED = new Decision(true, -1, 0);

    private final Map<BucketKey, Entry> buckets = new ConcurrentHashMap<>();

    /**
     * Takes one token of {@code key}'s bucket of {@code perMinute} requests per minute. An allowed request gets a
     * shared answer (remaining unknown, -1), so the common case allocates nothing but the look-up key.
     */
    Decision take(Key key, long perMinute) {
        BucketKey bucketKey = new BucketKey(key, perMinute);
        Entry entry = buckets.get(bucketKey);
        if (entry == null) {
            entry = buckets.computeIfAbsent(bucketKey, k -> new Entry(Bucket.builder()
                    .addLimit(limit -> limit.capacity(perMinute).refillGreedy(perMinute, Duration.ofMinutes(1)))
                    .build(), perMinute));
        }
        if (entry.bucket().tryConsume(1)) {
            return ALLOWED;
        }
        EstimationProbe probe = entry.bucket().estimateAbilityToConsume(1);
        if (probe.canBeConsumed()) {
            // refilled in between: try once more
            return entry.bucket().tryConsume(1) ? ALLOWED : new Decision(false, 0, 1);
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
