package io.leadsuite.kit.sql;

import java.util.Collection;
import java.util.StringJoiner;

import org.hibernate.reactive.mutiny.Mutiny;

/**
 * An HQL {@code in} over a list of values, written as one positional parameter per value so that Hibernate keeps the
 * query's translation. For queries on hot paths (a consumer's batch, a capture).
 * <p>
 * Why: a query that binds a list to one parameter ({@code t.leadId in ?1}) is not cacheable in Hibernate ORM 7.1: its
 * plan is not kept in the query plan cache, so every execution translates the HQL to SQL again
 * ({@code ConcreteSqmSelectQueryPlan.buildInterpretation}; 5 % of lead- and scoring-service's CPU during captures).
 * With one parameter per value the text is a different query for each list size; the size is padded to the next
 * power of two (the last value repeated, which {@code in} does not mind), so a list of up to {@value #MOST} values
 * takes one of eleven texts, each translated once. A longer list (imports, re-scoring pages) or an empty one binds
 * as one list parameter, as before.
 * <p>
 * Use: {@code "t.leadId " + HqlIn.in(1, ids)} (the {@code in} last among the parameters), then bind
 * {@link #values(Collection)} from position 1: {@link #bind} on a query, or as Panache's varargs.
 */
public final class HqlIn {

    /** The longest list written as separate parameters. */
    public static final int MOST = 1024;

    private HqlIn() {
    }

    /**
     * {@code in (?first, ?first+1, ...)} for these values, padded; {@code in ?first} for more than {@value #MOST} or
     * none.
     */
    public static String in(int first, Collection<?> values) {
        if (asList(values)) {
            return "in ?" + first;
        }
        StringJoiner parameters = new StringJoiner(", ", "in (", ")");
        for (int i = 0; i < padded(values.size()); i++) {
            parameters.add("?" + (first + i));
        }
        return parameters.toString();
    }

    /** The values to bind from the {@code in}'s first position: padded with the last, or the list as one value. */
    public static Object[] values(Collection<?> values) {
        if (asList(values)) {
            return new Object[] { values };
        }
        Object[] bound = new Object[padded(values.size())];
        int i = 0;
        for (Object value : values) {
            bound[i++] = value;
        }
        while (i < bound.length) {
            bound[i] = bound[i - 1];
            i++;
        }
        return bound;
    }

    /** Binds {@link #values(Collection)} from position {@code first}. */
    public static <R> Mutiny.SelectionQuery<R> bind(Mutiny.SelectionQuery<R> query, int first, Collection<?> values) {
        Object[] bound = values(values);
        for (int i = 0; i < bound.length; i++) {
            query.setParameter(first + i, bound[i]);
        }
        return query;
    }

    /** An empty list, or one longer than {@value #MOST}, binds as one list parameter, as Hibernate binds lists. */
    private static boolean asList(Collection<?> values) {
        return values.isEmpty() || values.size() > MOST;
    }

    static int padded(int size) {
        return size <= 1 ? 1 : Integer.highestOneBit(size - 1) << 1;
    }
}
