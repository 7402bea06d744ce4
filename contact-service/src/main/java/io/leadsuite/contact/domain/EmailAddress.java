package io.leadsuite.contact.domain;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The matching rule of the suite: a contact is unique by its e-mail address, trimmed and lower-cased. Two
 * submissions whose addresses differ only in case or surrounding blanks are the same person.
 */
public final class EmailAddress {

    /** Deliberately permissive: one @, something on each side, a dot in the domain, no blanks. */
    private static final Pattern SHAPE = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");

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
