package io.leadsuite.contracts;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The matching rule of the suite, part of the contract: a contact is unique by its e-mail address, trimmed and
 * lower-cased, and every e-mail carried in a message is in this form. contact-service matches contacts with it;
 * scoring-service resolves interactions that name an e-mail with it.
 */
public final class EmailAddress {

    /** Deliberately permissive: one @, something on each side, a dot in the domain, no blanks or NUL characters. */
    private static final Pattern SHAPE = Pattern.compile("^[^@\\s\\x00]+@[^@\\s\\x00]+\\.[^@\\s\\x00]+$");

    private EmailAddress() {
    }

    /** The normalised form, or empty when the input is not an e-mail address. */
    public static Optional<String> normalise(String raw) {
        if (raw == null) {
            return Optional.empty();
        }
        String candidate = raw.strip().toLowerCase(Locale.ROOT);
        return SHAPE.matcher(candidate).matches() && candidate.length() <= ContactLimits.EMAIL ? Optional.of(candidate)
                : Optional.empty();
    }
}
