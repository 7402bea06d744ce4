package io.leadsuite.lead.service;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.util.concurrent.CompletionException;

import org.hibernate.exception.ConstraintViolationException;
import org.hibernate.exception.ConstraintViolationException.ConstraintKind;
import org.junit.jupiter.api.Test;

/** How a use case tells a lost race on a unique index from any other failure. */
class UniqueViolationsTest {

    private static ConstraintViolationException violation(ConstraintKind kind, String state) {
        return new ConstraintViolationException("violated", new SQLException("violated", state), "insert ...", kind,
                "lead_open_per_contact_topic");
    }

    @Test
    void aUniqueViolationIsOneWhereverItIsInTheCauses() {
        assertTrue(UniqueViolations.is(violation(ConstraintKind.UNIQUE, "23505")));
        assertTrue(UniqueViolations.is(new CompletionException(violation(ConstraintKind.UNIQUE, "23505"))));
    }

    @Test
    void otherFailuresAreNot() {
        assertFalse(UniqueViolations.is(violation(ConstraintKind.FOREIGN_KEY, "23503")));
        assertFalse(UniqueViolations.is(violation(ConstraintKind.NOT_NULL, "23502")));
        assertFalse(UniqueViolations.is(new IllegalStateException("not a database failure")));
        assertFalse(UniqueViolations.is(null));
    }
}
