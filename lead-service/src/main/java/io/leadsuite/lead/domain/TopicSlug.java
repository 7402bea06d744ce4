package io.leadsuite.lead.domain;

import java.util.Locale;
import java.util.regex.Pattern;

/** A topic's id as written in any spelling: lower-case, runs of blanks, dots, dashes and underscores as one dash. */
public final class TopicSlug {

    private static final Pattern SEPARATORS = Pattern.compile("[\\s._-]+");

    private TopicSlug() {
    }

    /** "Solar panels", "solar_panels" and " SOLAR-PANELS " are all "solar-panels". */
    public static String of(String topic) {
        String slug = SEPARATORS.matcher(topic.strip().toLowerCase(Locale.ROOT)).replaceAll("-");
        int start = 0;
        int end = slug.length();
        while (start < end && slug.charAt(start) == '-') {
            start++;
        }
        while (end > start && slug.charAt(end - 1) == '-') {
            end--;
        }
        return slug.substring(start, end);
    }
}
