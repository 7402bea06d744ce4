package io.leadsuite.kit.sql;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CompletionException;

import org.hibernate.exception.ConstraintViolationException;
import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.CompositeException;
import io.vertx.pgclient.PgException;

class UniqueViolationTest {

    private static PgException pg(String sqlState) {
        return new PgException("duplicate key value violates unique constraint", "ERROR", sqlState, null);
    }

    @Test
    void aUniqueViolationIsFoundHoweverItArrived() {
        for (Throwable failure : List.of(
                pg("23505"),
                new CompletionException(new IllegalStateException("flush", pg("23505"))),
                new ConstraintViolationException("insert", new SQLException("duplicate", "23505"), "insert ...",
                        ConstraintViolationException.ConstraintKind.UNIQUE, "contact_email_key"),
                new ConstraintViolationException("insert", new SQLException("duplicate", "23505"), "insert ...",
                        ConstraintViolationException.ConstraintKind.OTHER, null),
                new RuntimeException(new SQLException("duplicate", "23505")),
                new CompositeException(new IllegalStateException("rollback failed"), pg("23505")))) {
            assertTrue(UniqueViolation.in(failure), failure.toString());
        }
    }

    @Test
    void otherFailuresAreNot() {
        for (Throwable failure : List.of(
                pg("23503"),
                pg("40001"),
                new ConstraintViolationException("insert", new SQLException("null", "23502"), "insert ...",
                        ConstraintViolationException.ConstraintKind.NOT_NULL, "contact_id"),
                new SQLException("deadlock", "40P01"),
                new IllegalStateException("contact 23505 not found"),
                new CompositeException(new IllegalStateException("a"), new IllegalStateException("b")))) {
            assertFalse(UniqueViolation.in(failure), failure.toString());
        }
        assertFalse(UniqueViolation.in(null));
    }
}
