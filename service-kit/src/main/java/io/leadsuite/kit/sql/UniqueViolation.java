package io.leadsuite.kit.sql;

import java.sql.SQLException;

import org.hibernate.JDBCException;
import org.hibernate.exception.ConstraintViolationException;

import io.smallrye.mutiny.CompositeException;
import io.vertx.pgclient.PgException;

/**
 * Whether a failure is PostgreSQL's unique-key violation (SQLSTATE 23505), however it arrived: from the reactive
 * client ({@link PgException}), through Hibernate ({@link ConstraintViolationException} and other
 * {@link JDBCException}s), from JDBC ({@link SQLException}), anywhere in the chain of causes or among the failures of a
 * {@link CompositeException}. The one test of the suite for "someone else holds this key": a caller retries, or turns
 * it into a conflict. The database's message names the duplicate value, so such a failure must not reach a log.
 */
public final class UniqueViolation {

    /** PostgreSQL's SQLSTATE for unique_violation. */
    public static final String SQL_STATE = "23505";

    private UniqueViolation() {
    }

    public static boolean in(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof PgException pg && SQL_STATE.equals(pg.getSqlState())
                    || t instanceof ConstraintViolationException cve
                            && cve.getKind() == ConstraintViolationException.ConstraintKind.UNIQUE
                    || t instanceof JDBCException jdbc && SQL_STATE.equals(jdbc.getSQLState())
                    || t instanceof SQLException sql && SQL_STATE.equals(sql.getSQLState())) {
                return true;
            }
            if (t instanceof CompositeException composite) {
                for (Throwable cause : composite.getCauses()) {
                    if (cause != t && in(cause)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
