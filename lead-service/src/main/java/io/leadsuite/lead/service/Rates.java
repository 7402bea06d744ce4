package io.leadsuite.lead.service;

/** How the funnel and the closed-loop report round their figures: rates to four places, durations to two. */
public final class Rates {

    private Rates() {
    }

    /** {@code count} over {@code base}, to four decimal places; null when the base is zero (no rate to speak of). */
    public static Double rate(long count, long base) {
        return base == 0 ? null : Math.round(count * 10000.0 / base) / 10000.0;
    }

    /** Seconds as hours, to two decimal places; null stays null (nothing was measured). */
    public static Double hours(Number seconds) {
        return seconds == null ? null : Math.round(seconds.doubleValue() / 36.0) / 100.0;
    }

    /** Seconds as days, to two decimal places; null stays null. */
    public static Double days(Number seconds) {
        return seconds == null ? null : Math.round(seconds.doubleValue() / 864.0) / 100.0;
    }
}
