package io.leadsuite.lead.service;

import org.hibernate.exception.ConstraintViolationException;

/**
 * Whether a failure is a unique-key violation: how a use case tells that it lost a race on a unique index (two
 * captures opening the same contact's lead on a topic, two admins saving a flow's next version). Every statement runs
 * through Hibernate Reactive's session, which turns PostgreSQL's {@code 23505} into a
 * {@link ConstraintViolationException} of kind {@code UNIQUE}; that is the one thing looked for.
 */
public final class UniqueViolations {

    private UniqueViolations() {
    }

    public static boolean is(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConstraintViolationException violation
                    && violation.getKind() == ConstraintViolationException.ConstraintKind.UNIQUE) {
                return true;
            }
        }
        return false;
    }
}
