package io.leadsuite.gateway;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * W3C trace context ({@code traceparent}, version 00): the gateway keeps the caller's trace id and flags, makes its
 * own span id for the hop to the service, and starts a new trace (sampled) when the caller sent none or a malformed
 * one. {@code tracestate} passes through untouched.
 */
final class TraceContext {

    static final String TRACEPARENT = "traceparent";
    private static final Pattern VALID = Pattern.compile("00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})");
    private static final String ZERO_TRACE = "0".repeat(32);
    private static final String ZERO_SPAN = "0".repeat(16);

    private TraceContext() {
    }

    /** The {@code traceparent} to send upstream for a request that arrived with {@code incoming} (may be null). */
    static String next(String incoming) {
        if (incoming != null) {
            var m = VALID.matcher(incoming.trim());
            if (m.matches() && !m.group(1).equals(ZERO_TRACE) && !m.group(2).equals(ZERO_SPAN)) {
                return "00-" + m.group(1) + "-" + randomHex(8) + "-" + m.group(3);
            }
        }
        return "00-" + randomHex(16) + "-" + randomHex(8) + "-01";
    }

    /** The trace id of a {@code traceparent} this class made. */
    static String traceId(String traceparent) {
        return traceparent.substring(3, 35);
    }

    private static String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        do {
            ThreadLocalRandom.current().nextBytes(b);
        } while (isZero(b));
        return HexFormat.of().formatHex(b);
    }

    private static boolean isZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }
}
