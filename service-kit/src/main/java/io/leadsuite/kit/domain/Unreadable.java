package io.leadsuite.kit.domain;

/**
 * The command's input cannot be read at all (a file not in the encoding it must be in), so no rule could even be
 * checked; unlike {@link InvalidValues}, there are no fields to name.
 */
public final class Unreadable extends DomainException {

    public Unreadable(String detail) {
        super(detail);
    }
}
