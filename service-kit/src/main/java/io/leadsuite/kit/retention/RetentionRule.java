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
     * <p>
     * Delete the batch by its key as an array, {@code key = any(array(select key ... limit $1 for update skip locked))}:
     * the keys are taken once and the rows found by the key's index. {@code key in (select ...)} is planned as a hash
     * join over a sequential scan of the whole table on every batch (PostgreSQL 15, with the table's statistics as
     * with a generic plan cached while it was empty), which grows with the table. {@link Retention} plans each run
     * afresh, so a table that was small when the connection first ran the statement is not scanned for good.
     */
    String deleteBatch();
}
