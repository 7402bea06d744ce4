package io.leadsuite.kit.retention;

/**
 * One kind of row that only grows and is deleted once it is past its retention. The kit brings the rules for its own
 * tables (applied message ids, stored idempotent answers); a service adds its own as beans of this type.
 */
public interface RetentionRule {

    /** What the rule deletes, for the log and the test. */
    String name();

    /**
     * A statement that deletes at most {@code $1} rows past retention (one batch; a subquery with {@code limit $1 for
     * update skip locked} keeps replicas from waiting on each other) and answers the number of rows deleted.
     */
    String deleteBatch();
}
