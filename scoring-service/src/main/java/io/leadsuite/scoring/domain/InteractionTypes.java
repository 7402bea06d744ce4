package io.leadsuite.scoring.domain;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The interaction types scoring understands: the standard ones and {@code CUSTOM:<name>}. Standard types and the
 * {@code CUSTOM:} prefix are matched case-insensitively and normalised to upper case; a custom name keeps its case.
 */
public final class InteractionTypes {

    public static final String EMAIL_OPENED = "EMAIL_OPENED";
    public static final String EMAIL_CLICKED = "EMAIL_CLICKED";
    public static final String PAGE_VISITED = "PAGE_VISITED";
    public static final String FORM_SUBMITTED = "FORM_SUBMITTED";
    public static final String EVENT_REGISTERED = "EVENT_REGISTERED";
    public static final String EVENT_ATTENDED = "EVENT_ATTENDED";
    public static final String UNSUBSCRIBED = "UNSUBSCRIBED";
    public static final String CUSTOM_PREFIX = "CUSTOM:";

    public static final Set<String> STANDARD = Set.of(EMAIL_OPENED, EMAIL_CLICKED, PAGE_VISITED, FORM_SUBMITTED,
            EVENT_REGISTERED, EVENT_ATTENDED, UNSUBSCRIBED);

    private static final Pattern CUSTOM_NAME = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9_.\\-]{0,99}$");

    private InteractionTypes() {
    }

    /** The normalised type, or empty when the text is not an interaction type. */
    public static Optional<String> normalise(String raw) {
        if (raw == null) {
            return Optional.empty();
        }
        String value = raw.strip();
        String upper = value.toUpperCase(Locale.ROOT);
        if (STANDARD.contains(upper)) {
            return Optional.of(upper);
        }
        if (upper.startsWith(CUSTOM_PREFIX)) {
            String name = value.substring(CUSTOM_PREFIX.length());
            return CUSTOM_NAME.matcher(name).matches() ? Optional.of(CUSTOM_PREFIX + name) : Optional.empty();
        }
        return Optional.empty();
    }
}
