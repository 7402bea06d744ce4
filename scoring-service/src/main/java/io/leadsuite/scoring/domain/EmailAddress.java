package io.leadsuite.scoring.domain;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The suite's matching rule for contacts (as in contact-service): an e-mail address trimmed and lower-cased.
 * Interactions naming a contact by e-mail are resolved with it against {@code contact.created}'s normalised e-mail.
 */
public final class EmailAddress {

    private static final Pattern SHAPE = Pattern.compile("^[^@\\s\\x00]+@[^@\\s\\x00]+\\.[^@\\s\\x00]+$");

    private EmailAddress() {
    }

    /** The normalised form, or empty when the input is not an e-mail address. */
    public static Optional<String> normalise(String raw) {
        if (raw == null) {
            return Optional.empty();
        }
        String candidate = raw.strip().toLowerCase(Locale.ROOT);
        return SHAPE.matcher(candidate).matches() && candidate.length() <= 254 ? Optional.of(candidate)
                : Optional.empty();
    }
}
